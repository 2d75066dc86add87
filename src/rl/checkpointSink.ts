// Where a Trainer saves checkpoints: an interface, so the browser backs it with IndexedDB
// (persistence issue) and the CLI with a folder (src/cli/modelLoad.ts). A checkpoint holds
// everything needed to resume a run exactly: weights, optimizer moments, the RNG state, the data
// cursor and the config (nanoGPT stores `model_args` with the weights; so do we). The shapes live in
// src/schema/checkpoint.ts (storage and the page read them without the engine).
import type { CheckpointData, CheckpointReason, CheckpointSink } from '../schema/checkpoint';

export type { CheckpointData, CheckpointReason, CheckpointSink };

/** Keeps checkpoints in memory (tests, and a page that has no storage). */
export class MemoryCheckpointSink implements CheckpointSink {
  /** Every checkpoint saved, oldest first. */
  readonly saved: { data: CheckpointData; reason: CheckpointReason }[] = [];
  async save(data: CheckpointData, reason: CheckpointReason): Promise<void> {
    this.saved.push({ data, reason });
  }
}
