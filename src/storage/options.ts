// Options of CherryStore, with one comment per field, and what createRun needs.
import type { RLConfig } from '../schema/settings';
import type { GraderSource } from '../graders/types';
import { DB_NAME } from './schema';
import type { RunDataRef } from './schema';
import { estimateStorage } from './quota';
import type { PruneReport, StorageUse } from './quota';

export interface StoreOptions {
  /** Database name (tests use their own). */
  name: string;
  /** Steps whose samples are kept per run; older steps' samples are deleted as new ones arrive. */
  sampleHistorySteps: number;
  /** Checkpoints kept per run (the newest); older ones are deleted when a new one is saved. */
  keepCheckpoints: number;
  /** Fraction of the quota above which old samples are pruned before a write. */
  nearQuota: number;
  /** Fraction of all sample rows removed per prune. */
  pruneFraction: number;
  /** Undo entries kept per grader draft. */
  undoLimit: number;
  /** Least milliseconds between two quota checks before writes (the estimate is not free). */
  estimateEveryMs: number;
  /** Where storage use comes from (default navigator.storage.estimate; tests inject their own). */
  estimate: () => Promise<StorageUse | null>;
  /** Told whenever samples were pruned (show report.message to the user). */
  onPrune: (report: PruneReport) => void;
}

export const DEFAULT_STORE_OPTIONS: StoreOptions = {
  name: DB_NAME,
  sampleHistorySteps: 50,
  keepCheckpoints: 2,
  nearQuota: 0.9,
  pruneFraction: 0.5,
  undoLimit: 200,
  estimateEveryMs: 5000,
  estimate: estimateStorage,
  onPrune: () => {},
};

/** What createRun needs; the rest (id, createdAt, status, lastStep) it fills in. */
export interface NewRun {
  name: string;
  config: RLConfig;
  graderSource: GraderSource;
  data: RunDataRef;
}
