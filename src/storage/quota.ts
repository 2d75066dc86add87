// Storage use against the browser quota, and the pruning policy when the quota is near: old SAMPLES go
// first (they are the bulkiest and the least needed: metrics and checkpoints are what a resume and the
// charts need), oldest run first and oldest step first, and the user is told exactly what was removed.
import type { IDBPDatabase } from 'idb';
import type { CherryDB } from './schema';

/** Bytes used and available to this origin (navigator.storage.estimate). */
export interface StorageUse {
  usage: number;
  quota: number;
  /** usage / quota (0 when the quota is unknown). */
  fraction: number;
}

/** Asks the browser; null where it cannot tell (no StorageManager). */
export async function estimateStorage(): Promise<StorageUse | null> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!storage || typeof storage.estimate !== 'function') return null;
  const e = await storage.estimate();
  const usage = e.usage ?? 0;
  const quota = e.quota ?? 0;
  return { usage, quota, fraction: quota > 0 ? usage / quota : 0 };
}

/** What a prune removed, with a sentence for the user. */
export interface PruneReport {
  /** Sample rows (one per run and step) deleted. */
  rows: number;
  /** Per run: its name and the steps whose samples are gone (first..last). */
  runs: { runId: string; name: string; fromStep: number; toStep: number }[];
  /** e.g. "Storage was nearly full (92%): removed the samples of 40 steps of run 'a' (steps 0–39)...". */
  message: string;
}

/**
 * Deletes the oldest `fraction` of all sample rows (at least one, when there are any), oldest run first
 * (by createdAt), oldest step first within a run. Metrics, checkpoints and runs are kept.
 */
export async function pruneOldSamples(db: IDBPDatabase<CherryDB>, fraction: number, why: string): Promise<PruneReport> {
  const tx = db.transaction(['runs', 'samples'], 'readwrite');
  const runs = new Map<string, { name: string; createdAt: number }>();
  for (let c = await tx.objectStore('runs').openCursor(); c; c = await c.continue()) {
    const v: unknown = c.value;
    const name = typeof v === 'object' && v !== null && 'name' in v && typeof v.name === 'string' ? v.name : c.key;
    const createdAt = typeof v === 'object' && v !== null && 'createdAt' in v && typeof v.createdAt === 'number' ? v.createdAt : 0;
    runs.set(c.key, { name, createdAt });
  }
  const keys = await tx.objectStore('samples').getAllKeys();
  keys.sort((a, b) => (runs.get(a[0])?.createdAt ?? 0) - (runs.get(b[0])?.createdAt ?? 0) || a[0].localeCompare(b[0]) || a[1] - b[1]);
  const n = keys.length === 0 ? 0 : Math.max(1, Math.floor(keys.length * fraction));
  const per = new Map<string, { fromStep: number; toStep: number }>();
  for (const k of keys.slice(0, n)) {
    await tx.objectStore('samples').delete(k);
    const r = per.get(k[0]);
    if (r) {
      r.fromStep = Math.min(r.fromStep, k[1]);
      r.toStep = Math.max(r.toStep, k[1]);
    } else per.set(k[0], { fromStep: k[1], toStep: k[1] });
  }
  await tx.done;
  const list = [...per].map(([runId, s]) => ({ runId, name: runs.get(runId)?.name ?? runId, ...s }));
  const what = list.map((r) => `run '${r.name}' (steps ${r.fromStep}–${r.toStep})`).join(', ');
  const message =
    n === 0
      ? `${why}: there were no saved samples left to remove.`
      : `${why}: removed the saved samples of ${n} step${n === 1 ? '' : 's'} from ${what}. Metrics and checkpoints are kept.`;
  return { rows: n, runs: list, message };
}
