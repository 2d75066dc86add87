// What a checkpoint holds and where it goes (plain data, structured-clone safe, no tfjs): the engine
// writes it (rl/trainer.ts through a CheckpointSink), storage keeps it, export/checkpoint.ts turns it
// into Hugging Face files.
import type { RLConfig } from './settings';

/** Optimizer state for a checkpoint: the step count and both moments per parameter (by map key). */
export interface AdamState {
  step: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

/** One checkpoint, plain data (structured-clone safe). */
export interface CheckpointData {
  /** Steps completed when it was taken. */
  step: number;
  /** The weights as a safetensors file (F32, Hugging Face tensor names). */
  weights: Uint8Array;
  /** The model's Hugging Face config.json object (loadable by `parseHFConfig`). */
  modelConfig: Record<string, unknown>;
  /** Adam step count and moments per parameter. */
  optimizer: AdamState;
  /** State of the trainer's RNG (src/util/rng Rng.state), which seeds every rollout. */
  rngState: number;
  /** Training prompts drawn so far (the position in the seeded prompt order). */
  cursor: number;
  /** The run's config at that step (live changes included). */
  config: RLConfig;
}

/** Why a checkpoint was taken. */
export type CheckpointReason = 'interval' | 'pause' | 'end' | 'manual';

export interface CheckpointSink {
  /** Stores a checkpoint; resolves once it is durable. */
  save(data: CheckpointData, reason: CheckpointReason): Promise<void>;
}

