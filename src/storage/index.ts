// Persistence: Cherry's runs, metrics, samples, checkpoints and grader drafts in IndexedDB.
export { CherryStore, DEFAULT_STORE_OPTIONS } from './db';
export type { StoreOptions, NewRun } from './db';
export { DB_NAME, DB_VERSION, RUN_STATUSES, upgradeRunV1, upgradeConfig } from './schema';
export type { RunRecord, RunDataRef, RunStatus, MetricsRow, SamplesRow, CheckpointRow, GraderDraft, CherryDB } from './schema';
export { StorageOpenError, StorageWriteError, StorageQuotaError, RunNotFoundError } from './errors';
export { estimateStorage, pruneOldSamples } from './quota';
export type { StorageUse, PruneReport } from './quota';
export type { SkippedRecord } from './validate';
export { GraderDrafts } from './drafts';
export { recordRun } from './recorder';
export type { RunRecorder } from './recorder';
