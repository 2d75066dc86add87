// Checks records read back from IndexedDB. A record with missing or foreign fields (written by a bug, an
// extension, or a future Cherry) is REPORTED and skipped by the caller, never fatal and never silent.
import { RUN_STATUSES } from './schema';
import type { MetricsRow, RunRecord } from './schema';

/** A record that was skipped, and why. */
export interface SkippedRecord {
  /** Store it was read from. */
  store: 'runs' | 'metrics' | 'samples' | 'checkpoints' | 'graders';
  /** Its key as text. */
  key: string;
  /** What is wrong with it, naming the field. */
  reason: string;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The problem with a run record, or null when it is a valid RunRecord. */
export function runProblem(v: unknown): string | null {
  if (!isObj(v)) return 'not an object';
  const need: [string, (x: unknown) => boolean, string][] = [
    ['id', (x) => typeof x === 'string' && x !== '', 'a non-empty string'],
    ['name', (x) => typeof x === 'string', 'a string'],
    ['createdAt', (x) => typeof x === 'number' && Number.isFinite(x), 'a number'],
    ['config', isObj, 'an object'],
    ['graderSource', (x) => isObj(x) && typeof x.kind === 'string', 'a grader source object'],
    ['data', (x) => isObj(x) && (x.kind === 'task' || x.kind === 'dataset'), 'a task or dataset reference'],
    ['seed', (x) => typeof x === 'number', 'a number'],
    ['status', (x) => typeof x === 'string' && (RUN_STATUSES as readonly string[]).includes(x), `one of ${RUN_STATUSES.join(', ')}`],
    ['lastStep', (x) => typeof x === 'number' && Number.isInteger(x) && x >= 0, 'an integer >= 0'],
  ];
  for (const [field, ok, what] of need) {
    if (!(field in v)) return `field "${field}" is missing`;
    if (!ok(v[field])) return `field "${field}" must be ${what}, got ${JSON.stringify(v[field])?.slice(0, 60) ?? typeof v[field]}`;
  }
  return null;
}

export function isRunRecord(v: unknown): v is RunRecord {
  return runProblem(v) === null;
}

export function isMetricsRow(v: unknown): v is MetricsRow {
  return isObj(v) && typeof v.runId === 'string' && typeof v.step === 'number' && isObj(v.metrics);
}

/** A key as text for messages. */
export function keyText(k: unknown): string {
  return typeof k === 'string' ? k : (JSON.stringify(k) ?? String(k));
}
