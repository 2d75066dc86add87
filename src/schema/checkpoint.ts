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

/** The LoRA settings of a run (PEFT `LoraConfig`). */
export interface LoraConfig {
  /** Rank r: A is [r, in], B is [out, r] for every adapted layer (PEFT `r`). */
  rank: number;
  /** Scaling numerator α: the adapter's output is multiplied by α/r, or α/√r with rsLoRA (PEFT `lora_alpha`). */
  alpha: number;
  /** PEFT module names to adapt, e.g. ['q_proj', 'v_proj']; each name adapts that layer in every block (PEFT `target_modules`). */
  targets: string[];
  /** Dropout probability on the adapter's input, only while training, seeded (PEFT `lora_dropout`). */
  dropout: number;
  /** rsLoRA: scale α/√r instead of α/r, so the update size does not shrink as the rank grows (PEFT `use_rslora`). */
  rslora: boolean;
}

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
