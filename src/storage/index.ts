// Persistence: Cherry's runs, metrics, samples, checkpoints and grader drafts in IndexedDB.
//
// Saving a run:   const store = await CherryStore.open({ onPrune: (p) => showNotice(p.message) });
//                 const run = await store.createRun({ name, config, graderSource, data });
//                 const rec = recordRun(store, run.id, showError);   // trainer listener: metrics + samples
//                 new Trainer({ ..., onEvent: rec.listener, checkpoints: store.checkpointSink(run.id) })
// After a reload: const { runs, skipped } = await store.listRuns();  // show `skipped` to the user
//                 const cp = await store.latestCheckpoint(run.id);    // weights, optimizer, rng, cursor, config
//                 await store.rewindRun(run.id, cp.step);             // forget steps trained after it
//                 ... restore the trainer from cp (weights via llamaFromSafetensors, AdamW importState, rng,
//                 cursor) and continue; the curves continue from getMetrics(run.id).
export { CherryStore } from './db';
export { DEFAULT_STORE_OPTIONS } from './options';
export type { StoreOptions, NewRun } from './options';
export { DB_NAME, DB_VERSION, RUN_STATUSES, upgradeRunV1, upgradeConfig } from './schema';
export type { RunRecord, RunDataRef, RunStatus, MetricsRow, SamplesRow, CheckpointRow, GraderDraft, CherryDB } from './schema';
export { StorageOpenError, StorageWriteError, StorageQuotaError, RunNotFoundError, DamagedRecordError } from './errors';
export { estimateStorage, pruneOldSamples } from './quota';
export type { StorageUse, PruneReport } from './quota';
export type { SkippedRecord } from './validate';
export { GraderDrafts } from './drafts';
export { recordRun } from './recorder';
export type { RunRecorder } from './recorder';
