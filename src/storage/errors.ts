// Storage errors: every failed read or write surfaces as one of these, with what failed, on which run,
// and what the user can do. Nothing in src/storage swallows an error.

/** The database could not be opened (private mode, blocked by another tab, or a newer Cherry's database). */
export class StorageOpenError extends Error {
  override name = 'StorageOpenError';
  constructor(
    detail: string,
    override readonly cause?: unknown,
  ) {
    super(
      `Cannot open Cherry's saved runs (IndexedDB): ${detail}. Runs will not be saved until this is fixed: ` +
        'close other Cherry tabs, leave private browsing, or allow site storage, then reload.',
    );
  }
}

/** A write (or a delete) failed. `op` says what was being saved, `runId` for which run. */
export class StorageWriteError extends Error {
  override name = 'StorageWriteError';
  constructor(
    readonly op: string,
    readonly runId: string | null,
    override readonly cause: unknown,
  ) {
    super(
      `Saving ${op}${runId ? ` of run '${runId}'` : ''} failed: ${describe(cause)}. ` +
        'The run continues in memory; export what you need, free space by deleting old runs, then try again.',
    );
  }
}

/** A write failed because the browser's storage quota is full, even after old samples were pruned. */
export class StorageQuotaError extends StorageWriteError {
  override name = 'StorageQuotaError';
  constructor(
    op: string,
    runId: string | null,
    cause: unknown,
    readonly pruned: string,
  ) {
    super(op, runId, cause);
    this.message =
      `Saving ${op}${runId ? ` of run '${runId}'` : ''} failed: the browser's storage quota is full` +
      `${pruned ? ` (${pruned})` : ''}. Delete old runs or their checkpoints in the runs list, or export them first.`;
  }
}

/** A run id that is not in the database. */
export class RunNotFoundError extends Error {
  override name = 'RunNotFoundError';
  constructor(readonly runId: string) {
    super(`No saved run with id '${runId}': it may have been deleted in another tab. Reload the runs list.`);
  }
}

export function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  if (typeof DOMException !== 'undefined' && e instanceof DOMException) return `${e.name}: ${e.message}`;
  return String(e);
}

/** Whether an error is the browser's "quota exceeded". */
export function isQuotaError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'name' in e && e.name === 'QuotaExceededError';
}

/** A stored record that cannot be used (missing or mistyped fields): names the store, key and field. */
export class DamagedRecordError extends Error {
  override name = 'DamagedRecordError';
  constructor(
    readonly store: string,
    readonly key: string,
    readonly problem: string,
  ) {
    super(`The saved ${store} record '${key}' is damaged (${problem}). Delete it from the runs list; other runs are not affected.`);
  }
}
