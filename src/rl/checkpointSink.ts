// Where a Trainer saves checkpoints: an interface, so the browser backs it with IndexedDB
// (persistence issue) and the CLI with a folder (src/cli/modelLoad.ts). A checkpoint holds
// everything needed to resume a run exactly: weights, optimizer moments, the RNG state, the data
// cursor and the config (nanoGPT stores `model_args` with the weights; so do we).
import type { LoraConfig } from '../model/lora';
import type { RLConfig } from './config';
import type { AdamState } from './optim';

/** One checkpoint, plain data (structured-clone safe). */
export interface CheckpointData {
  /** Steps completed when it was taken. */
  step: number;
  /**
   * The weights as a safetensors file (F32, Hugging Face tensor names); for a LoRA run (`lora` set) only
   * the adapter's, as PEFT's adapter_model.safetensors (the base model's weights never change).
   */
  weights: Uint8Array;
  /** Set for a LoRA run: its adapter settings (`weights` then holds the adapter, `modelConfig` the base's config). */
  lora?: LoraConfig;
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

/** Keeps checkpoints in memory (tests, and a page that has no storage). */
export class MemoryCheckpointSink implements CheckpointSink {
  /** Every checkpoint saved, oldest first. */
  readonly saved: { data: CheckpointData; reason: CheckpointReason }[] = [];
  async save(data: CheckpointData, reason: CheckpointReason): Promise<void> {
    this.saved.push({ data, reason });
  }
}
