// The IndexedDB schema of Cherry's saved runs, VERSIONED: DB_VERSION grows by one with every change of
// shape, and `upgrade` walks an old database forward one version at a time, so a database written by
// any older Cherry opens in this one with its data converted (never dropped).
//
//   v1  runs {id, name, createdAt, config, grader: code string, graderKind, task: string, seed, status,
//       lastStep}; metrics and checkpoints keyed [runId, step].
//   v2  runs carry `graderSource` (a GraderSource object) and `data` (a task or a dataset reference)
//       instead of grader/graderKind/task, and a config completed with every current RLConfig field;
//       new stores: samples [runId, step] (bounded history) and graders (editor drafts with undo).
//   v3  metrics rows hold the typed StepMetrics (src/schema/metrics.ts): sub-grader means nested in
//       reward_per_grader and validation by class in eval_reward_by_class, instead of flat
//       `reward/<grader>` and `eval_reward/<class>` keys.
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { CheckpointData, CheckpointReason } from '../schema/checkpoint';
import { DEFAULT_CONFIG, type RLConfig } from '../schema/settings';
import { stepMetricsFromFlat, type SampleRecord, type StepMetrics } from '../schema/metrics';
import type { GraderSource } from '../graders/types';

export const DB_NAME = 'cherry';
export const DB_VERSION = 3;

/** What a run trains on: a built-in task, or a user's dataset (its name, row count and content hash). */
export type RunDataRef = { kind: 'task'; task: string } | { kind: 'dataset'; name: string; rows: number; hash: string };

/** Where a run stands. 'running' after a reload means the tab died mid-run: resume from a checkpoint. */
export type RunStatus = 'running' | 'paused' | 'done' | 'stopped' | 'failed';
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'paused', 'done', 'stopped', 'failed'];

export interface RunRecord {
  /** Unique id (random, URL-safe). */
  id: string;
  /** Name shown in the runs list; the user can rename it. */
  name: string;
  /** Creation time, ms since the epoch. */
  createdAt: number;
  /** Hyperparameters at the start of the run. */
  config: RLConfig;
  /** The grader the run uses. */
  graderSource: GraderSource;
  /** What it trains on. */
  data: RunDataRef;
  /** The run's seed (also in config.seed; kept apart so the list can show it). */
  seed: number;
  status: RunStatus;
  /** Steps completed (the highest step with metrics + 1; 0 before the first). */
  lastStep: number;
}

export interface MetricsRow {
  runId: string;
  step: number;
  metrics: StepMetrics;
}

export interface SamplesRow {
  runId: string;
  step: number;
  samples: SampleRecord[];
}

export interface CheckpointRow extends CheckpointData {
  runId: string;
  reason: CheckpointReason;
  /** When it was saved, ms since the epoch. */
  savedAt: number;
}

/** A grader being edited: the current text and the undo/redo stacks, saved as the user types. */
export interface GraderDraft {
  /** Which editor it belongs to (e.g. a run id, or "scratch"). */
  id: string;
  kind: GraderSource['kind'];
  text: string;
  /** Earlier texts, oldest first; undo pops the last. */
  undo: string[];
  /** Texts undone, most recent last; redo pops the last. Cleared by a new edit. */
  redo: string[];
  updatedAt: number;
}

export interface CherryDB extends DBSchema {
  runs: { key: string; value: RunRecord };
  metrics: { key: [string, number]; value: MetricsRow };
  samples: { key: [string, number]; value: SamplesRow };
  checkpoints: { key: [string, number]; value: CheckpointRow };
  graders: { key: string; value: GraderDraft };
}

/** Every [runId, step] key of one run. */
export function runRange(runId: string): IDBKeyRange {
  return IDBKeyRange.bound([runId, -Infinity], [runId, Infinity]);
}

type UpgradeTx = IDBPTransaction<CherryDB, StoreNames<CherryDB>[], 'versionchange'>;

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A v1 config completed with today's fields; unknown (removed) fields dropped. */
export function upgradeConfig(old: unknown): RLConfig {
  const out: Record<string, unknown> = { ...DEFAULT_CONFIG };
  if (isObj(old)) for (const k of Object.keys(DEFAULT_CONFIG)) if (k in old) out[k] = old[k];
  return out as unknown as RLConfig; // every RLConfig key comes from DEFAULT_CONFIG or the old config of the same key
}

/** A v1 run as v2; a record that is not a v1 run comes back unchanged (listRuns reports it). */
export function upgradeRunV1(old: unknown): unknown {
  if (!isObj(old) || typeof old.grader !== 'string' || typeof old.task !== 'string') return old;
  const { grader, graderKind, task, config, ...rest } = old;
  const kind = graderKind === 'python' || graderKind === 'ts' ? graderKind : 'js';
  let graderSource: GraderSource = { kind, code: grader };
  if (graderKind === 'spec') {
    try {
      graderSource = { kind: 'spec', spec: JSON.parse(grader) };
    } catch {
      graderSource = { kind: 'js', code: grader };
    }
  }
  const data: RunDataRef = task.endsWith('.jsonl') ? { kind: 'dataset', name: task, rows: 0, hash: '' } : { kind: 'task', task };
  return { ...rest, config: upgradeConfig(config), graderSource, data };
}

async function toV2(db: IDBPDatabase<CherryDB>, tx: UpgradeTx): Promise<void> {
  db.createObjectStore('samples', { keyPath: ['runId', 'step'] });
  db.createObjectStore('graders', { keyPath: 'id' });
  const runs = tx.objectStore('runs');
  for (let cursor = await runs.openCursor(); cursor; cursor = await cursor.continue()) {
    const v: unknown = cursor.value;
    const up = upgradeRunV1(v);
    if (up !== v) await cursor.update(up as RunRecord); // the v2 shape built by upgradeRunV1
  }
}

/** A v2 metrics row as v3 (flat keys nested again); anything that is not a metrics row comes back unchanged. */
export function upgradeMetricsRowV2(old: unknown): unknown {
  if (!isObj(old) || typeof old.step !== 'number' || !isObj(old.metrics)) return old;
  return { ...old, metrics: stepMetricsFromFlat(old.metrics, old.step) };
}

async function toV3(tx: UpgradeTx): Promise<void> {
  const metrics = tx.objectStore('metrics');
  for (let cursor = await metrics.openCursor(); cursor; cursor = await cursor.continue()) {
    const v: unknown = cursor.value;
    const up = upgradeMetricsRowV2(v);
    if (up !== v) await cursor.update(up as MetricsRow); // the v3 shape built by upgradeMetricsRowV2
  }
}

/** idb's upgrade callback: creates v1, then applies every step up to DB_VERSION. */
export function upgrade(db: IDBPDatabase<CherryDB>, oldVersion: number, tx: UpgradeTx): Promise<void> {
  if (oldVersion < 1) {
    db.createObjectStore('runs', { keyPath: 'id' });
    db.createObjectStore('metrics', { keyPath: ['runId', 'step'] });
    db.createObjectStore('checkpoints', { keyPath: ['runId', 'step'] });
  }
  const v2 = oldVersion < 2 ? toV2(db, tx) : Promise.resolve();
  return oldVersion < 3 ? v2.then(() => toV3(tx)) : v2;
}
