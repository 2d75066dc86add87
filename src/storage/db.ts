// Cherry's saved runs in IndexedDB (through `idb`): runs, per-step metrics, a bounded history of per-step
// samples, checkpoints (weights as safetensors bytes, optimizer and RNG state) and grader drafts. Every
// write goes through `write`, which turns any failure into a named error, and on a full quota prunes
// old samples first, tells the user, and tries once more.
import { openDB } from 'idb';
import type { IDBPDatabase } from 'idb';
import type { CheckpointData, CheckpointReason, CheckpointSink } from '../schema/checkpoint';
import type { SampleRecord, StepMetrics } from '../schema/metrics';
import { DB_VERSION, runRange, upgrade } from './schema';
import type { CheckpointRow, CherryDB, RunRecord, RunStatus } from './schema';
import {
  DamagedRecordError,
  RunNotFoundError,
  StorageOpenError,
  StorageQuotaError,
  StorageWriteError,
  describe,
  isQuotaError,
} from './errors';
import { pruneOldSamples } from './quota';
import type { PruneReport, StorageUse } from './quota';
import { DEFAULT_STORE_OPTIONS } from './options';
import type { NewRun, StoreOptions } from './options';
import { isMetricsRow, isRunRecord, keyText, runProblem } from './validate';
import type { SkippedRecord } from './validate';
import { GraderDrafts } from './drafts';

function newId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `run-${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
}

export class CherryStore {
  /** Grader drafts (saved as the user types, with undo across reloads). */
  readonly drafts: GraderDrafts;

  private constructor(
    readonly db: IDBPDatabase<CherryDB>,
    readonly opts: StoreOptions,
  ) {
    this.drafts = new GraderDrafts(db, opts.undoLimit, (op, id, fn) => this.write(op, id, fn));
  }

  /** Opens (creating or upgrading) the database. Throws StorageOpenError. */
  static async open(options: Partial<StoreOptions> = {}): Promise<CherryStore> {
    const opts = { ...DEFAULT_STORE_OPTIONS, ...options };
    if (typeof indexedDB === 'undefined') throw new StorageOpenError('this environment has no IndexedDB');
    let upgradeError: unknown = null;
    try {
      const db = await openDB<CherryDB>(opts.name, DB_VERSION, {
        upgrade(db, oldVersion, _newVersion, tx) {
          upgrade(db, oldVersion, tx).catch((e: unknown) => {
            upgradeError = e;
            tx.abort();
          });
        },
        blocked() {
          /* an older tab holds the database open; openDB resolves once it closes */
        },
      });
      return new CherryStore(db, opts);
    } catch (e) {
      const why = upgradeError ?? e;
      const newer = typeof why === 'object' && why !== null && 'name' in why && why.name === 'VersionError';
      throw new StorageOpenError(
        newer
          ? `the database was written by a newer Cherry (schema above v${DB_VERSION}); update this page`
          : `upgrading or opening failed (${describe(why)})`,
        why,
      );
    }
  }

  close(): void {
    this.db.close();
  }

  /** Runs `fn` (a write); any failure becomes a StorageWriteError, a full quota prunes samples and retries once. */
  async write<T>(op: string, runId: string | null, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof RunNotFoundError || e instanceof DamagedRecordError || e instanceof StorageWriteError) throw e;
      if (!isQuotaError(e)) throw new StorageWriteError(op, runId, e);
      let report: PruneReport;
      try {
        report = await pruneOldSamples(this.db, this.opts.pruneFraction, 'The browser storage quota was full');
      } catch (e2) {
        throw new StorageQuotaError(op, runId, e, `pruning old samples failed too: ${describe(e2)}`);
      }
      this.opts.onPrune(report);
      try {
        return await fn();
      } catch (e3) {
        throw isQuotaError(e3) ? new StorageQuotaError(op, runId, e3, report.message) : new StorageWriteError(op, runId, e3);
      }
    }
  }

  /** Storage used and the quota (null where the browser cannot tell). */
  storageUse(): Promise<StorageUse | null> {
    return this.opts.estimate();
  }

  private lastEstimate = -Infinity;

  /**
   * When storage is above `nearQuota`, prunes old samples and reports it (also through onPrune); else null.
   * Checks at most every estimateEveryMs unless `force`.
   */
  async ensureRoom(force = false): Promise<PruneReport | null> {
    const now = Date.now();
    if (!force && now - this.lastEstimate < this.opts.estimateEveryMs) return null;
    this.lastEstimate = now;
    const use = await this.opts.estimate();
    if (!use || use.fraction < this.opts.nearQuota) return null;
    const report = await this.write('room for new data (pruning old samples)', null, () =>
      pruneOldSamples(this.db, this.opts.pruneFraction, `Storage was nearly full (${Math.round(use.fraction * 100)}% of the quota)`),
    );
    this.opts.onPrune(report);
    return report;
  }

  // ---- runs ----

  async createRun(run: NewRun): Promise<RunRecord> {
    const rec: RunRecord = { ...run, id: newId(), createdAt: Date.now(), seed: run.config.seed, status: 'running', lastStep: 0 };
    await this.write('a new run', rec.id, () => this.db.add('runs', rec));
    return rec;
  }

  /** The run; throws RunNotFoundError, or DamagedRecordError when the stored record is unusable. */
  async getRun(id: string): Promise<RunRecord> {
    const v: unknown = await this.db.get('runs', id);
    if (v === undefined) throw new RunNotFoundError(id);
    if (!isRunRecord(v)) throw new DamagedRecordError('run', id, runProblem(v) ?? 'not a run');
    return v;
  }

  /** Every valid run, newest first; damaged or foreign records are listed in `skipped`, not fatal. */
  async listRuns(): Promise<{ runs: RunRecord[]; skipped: SkippedRecord[] }> {
    const runs: RunRecord[] = [];
    const skipped: SkippedRecord[] = [];
    for (let c = await this.db.transaction('runs').store.openCursor(); c; c = await c.continue()) {
      const v: unknown = c.value;
      const problem = runProblem(v);
      if (problem === null && isRunRecord(v)) runs.push(v);
      else skipped.push({ store: 'runs', key: keyText(c.key), reason: problem ?? 'not a run' });
    }
    runs.sort((a, b) => b.createdAt - a.createdAt);
    return { runs, skipped };
  }

  private async updateRun(id: string, op: string, change: (r: RunRecord) => RunRecord): Promise<RunRecord> {
    return this.write(op, id, async () => {
      const tx = this.db.transaction('runs', 'readwrite');
      const v: unknown = await tx.store.get(id);
      if (v === undefined) throw new RunNotFoundError(id);
      if (!isRunRecord(v)) throw new DamagedRecordError('run', id, runProblem(v) ?? 'not a run');
      const next = change(v);
      await tx.store.put(next);
      await tx.done;
      return next;
    });
  }

  renameRun(id: string, name: string): Promise<RunRecord> {
    return this.updateRun(id, 'the new name', (r) => ({ ...r, name }));
  }

  setStatus(id: string, status: RunStatus): Promise<RunRecord> {
    return this.updateRun(id, `the status '${status}'`, (r) => ({ ...r, status }));
  }

  /** Deletes the run with its metrics, samples and checkpoints, in one transaction. */
  async deleteRun(id: string): Promise<void> {
    await this.write('the deletion', id, async () => {
      const tx = this.db.transaction(['runs', 'metrics', 'samples', 'checkpoints'], 'readwrite');
      await Promise.all([
        tx.objectStore('runs').delete(id),
        tx.objectStore('metrics').delete(runRange(id)),
        tx.objectStore('samples').delete(runRange(id)),
        tx.objectStore('checkpoints').delete(runRange(id)),
        tx.done,
      ]);
    });
  }

  /**
   * Forgets metrics and samples from `step` on (after resuming from a checkpoint taken at `step`, those
   * steps are trained again), and sets lastStep = step.
   */
  async rewindRun(id: string, step: number): Promise<void> {
    await this.write(`the rewind to step ${step}`, id, async () => {
      const tx = this.db.transaction(['runs', 'metrics', 'samples'], 'readwrite');
      const after = IDBKeyRange.bound([id, step], [id, Infinity]);
      const v: unknown = await tx.objectStore('runs').get(id);
      if (!isRunRecord(v)) throw new RunNotFoundError(id);
      await Promise.all([
        tx.objectStore('metrics').delete(after),
        tx.objectStore('samples').delete(after),
        tx.objectStore('runs').put({ ...v, lastStep: step }),
        tx.done,
      ]);
    });
  }

  // ---- metrics and samples ----

  /** Saves one step's metrics (replacing any earlier record of that step) and advances lastStep. */
  async appendMetrics(runId: string, step: number, metrics: StepMetrics): Promise<void> {
    await this.write(`the metrics of step ${step}`, runId, async () => {
      const tx = this.db.transaction(['runs', 'metrics'], 'readwrite');
      const v: unknown = await tx.objectStore('runs').get(runId);
      if (!isRunRecord(v)) throw new RunNotFoundError(runId);
      await tx.objectStore('metrics').put({ runId, step, metrics });
      if (step + 1 > v.lastStep) await tx.objectStore('runs').put({ ...v, lastStep: step + 1 });
      await tx.done;
    });
  }

  /** The run's metrics by step; damaged rows are reported in `skipped`. */
  async getMetrics(runId: string): Promise<{ metrics: StepMetrics[]; skipped: SkippedRecord[] }> {
    const metrics: StepMetrics[] = [];
    const skipped: SkippedRecord[] = [];
    for (let c = await this.db.transaction('metrics').store.openCursor(runRange(runId)); c; c = await c.continue()) {
      const v: unknown = c.value;
      if (isMetricsRow(v)) metrics.push(v.metrics);
      else skipped.push({ store: 'metrics', key: keyText(c.key), reason: 'needs runId, step and a metrics object' });
    }
    return { metrics, skipped };
  }

  /** Saves one step's samples and deletes the samples of steps older than the last sampleHistorySteps. */
  async appendSamples(runId: string, step: number, samples: SampleRecord[]): Promise<void> {
    await this.ensureRoom();
    await this.write(`the samples of step ${step}`, runId, async () => {
      const tx = this.db.transaction('samples', 'readwrite');
      await tx.store.put({ runId, step, samples });
      const oldest = step - this.opts.sampleHistorySteps + 1;
      await tx.store.delete(IDBKeyRange.bound([runId, -Infinity], [runId, oldest], false, true));
      await tx.done;
    });
  }

  /** Steps whose samples are still stored, ascending. */
  async sampleSteps(runId: string): Promise<number[]> {
    return (await this.db.getAllKeys('samples', runRange(runId))).map((k) => k[1]);
  }

  async getSamples(runId: string, step: number): Promise<SampleRecord[] | null> {
    return (await this.db.get('samples', [runId, step]))?.samples ?? null;
  }

  // ---- checkpoints ----

  /** Saves a checkpoint and deletes the run's older ones beyond keepCheckpoints. */
  async saveCheckpoint(runId: string, data: CheckpointData, reason: CheckpointReason): Promise<void> {
    await this.ensureRoom();
    const row: CheckpointRow = { ...data, runId, reason, savedAt: Date.now() };
    await this.write(`the checkpoint of step ${data.step}`, runId, async () => {
      const tx = this.db.transaction('checkpoints', 'readwrite');
      await tx.store.put(row);
      const keys = await tx.store.getAllKeys(runRange(runId));
      for (const k of keys.slice(0, Math.max(0, keys.length - this.opts.keepCheckpoints))) await tx.store.delete(k);
      await tx.done;
    });
  }

  /** The newest checkpoint of the run, or null. */
  async latestCheckpoint(runId: string): Promise<CheckpointRow | null> {
    const c = await this.db.transaction('checkpoints').store.openCursor(runRange(runId), 'prev');
    return c?.value ?? null;
  }

  async checkpointSteps(runId: string): Promise<number[]> {
    return (await this.db.getAllKeys('checkpoints', runRange(runId))).map((k) => k[1]);
  }

  /** The trainer's CheckpointSink for this run, backed by this store. */
  checkpointSink(runId: string): CheckpointSink {
    return { save: (data, reason) => this.saveCheckpoint(runId, data, reason) };
  }
}
