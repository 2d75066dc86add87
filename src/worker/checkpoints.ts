// The train worker's checkpoint sink where runs cannot be saved (IndexedDB did not open; see persist.ts
// for the saved case): keeps only the latest checkpoint in memory (a run of many steps must not pile up
// copies of the weights).
import type { CheckpointData, CheckpointReason, CheckpointSink } from '../rl/checkpointSink';

export class LatestCheckpointSink implements CheckpointSink {
  /** The last checkpoint saved and why, or null before the first. */
  latest: { data: CheckpointData; reason: CheckpointReason } | null = null;
  /** Checkpoints saved so far. */
  count = 0;
  async save(data: CheckpointData, reason: CheckpointReason): Promise<void> {
    this.latest = { data, reason };
    this.count++;
  }
}
