// Saving runs from the train worker (workers have IndexedDB): a run record when a run starts, each step's
// metrics and samples through recordRun, checkpoints through the store's sink, and the run's status as it
// changes. Nothing here throws into the training loop: every failed write and every prune notice goes to
// `report` (the page's error banner), and the run continues in memory.
import type { CherryStore, RunDataRef, RunRecord, RunStatus as StoredStatus } from '../storage';
import { recordRun } from '../storage';
import type { CheckpointData, CheckpointReason, CheckpointSink } from '../rl/checkpointSink';
import type { RLConfig } from '../rl/config';
import type { TrainerEvent } from '../rl/events';
import { hashString } from '../util/rng';
import type { StartBody, WireError } from './protocol';

/** How one run is saved; made by RunPersistence.begin or .reopen. */
export interface SavedRun {
  /** The run's id in the store. */
  runId: string;
  /** The trainer's checkpoint sink (failures are reported, not thrown). */
  sink: CheckpointSink;
  /** Tell it every trainer event (metrics and samples are written in order). */
  listener(event: TrainerEvent): void;
  /** Resolves once everything received so far is written (or reported as failed). */
  flush(): Promise<void>;
}

/** The run's data reference as stored: the task's name, or the dataset's name, size and content hash. */
export function dataRef(task: StartBody['task']): RunDataRef {
  if (task.kind === 'builtin') return { kind: 'task', task: task.name };
  const rows = task.train.length + task.validation.length;
  const hash = hashString(JSON.stringify([task.train, task.validation]))
    .toString(16)
    .padStart(8, '0');
  return { kind: 'dataset', name: task.name, rows, hash };
}

/** A run name for the list: task and time ("arithmetic · 14:03:22"). */
function runName(data: RunDataRef, now: Date): string {
  const what = data.kind === 'task' ? data.task : data.name;
  return `${what} · ${now.toTimeString().slice(0, 8)}`;
}

/** What the TrainSession needs to save runs (RunPersistence on IndexedDB; tests give their own). */
export interface Persistence {
  /** Saves a new run's record and returns its writers; null when the record could not be written (reported). */
  begin(body: StartBody, config: RLConfig): Promise<SavedRun | null>;
  /** Writers of a saved run being resumed at `step` (later metrics and samples forgotten). */
  reopen(runId: string, step: number): Promise<SavedRun>;
  /** The saved run and its newest checkpoint. */
  load(runId: string): Promise<{ run: RunRecord; checkpoint: CheckpointData | null }>;
  /** Records the run's status (failures reported, not thrown). */
  setStatus(runId: string, status: StoredStatus): Promise<void>;
}

export class RunPersistence implements Persistence {
  constructor(
    private readonly store: CherryStore,
    /** Shows a failure or a notice to the user (the worker emits it as an `error` event). */
    private readonly report: (error: WireError) => void,
  ) {}

  /** Creates the run record (config, grader source, task or dataset reference, seed) and its writers. */
  async begin(body: StartBody, config: RLConfig): Promise<SavedRun | null> {
    const data = dataRef(body.task);
    try {
      const rec = await this.store.createRun({ name: runName(data, new Date()), config, graderSource: body.grader, data });
      return this.writers(rec.id);
    } catch (e) {
      this.fail(e);
      return null;
    }
  }

  /** The writers of an existing run (resume), after its metrics and samples past `step` are forgotten. */
  async reopen(runId: string, step: number): Promise<SavedRun> {
    await this.store.rewindRun(runId, step);
    await this.store.setStatus(runId, 'running');
    return this.writers(runId);
  }

  /** The stored run and its newest checkpoint (null when it has none). */
  async load(runId: string): Promise<{ run: RunRecord; checkpoint: CheckpointData | null }> {
    const run = await this.store.getRun(runId);
    return { run, checkpoint: await this.store.latestCheckpoint(runId) };
  }

  /** Records the run's status; a failure is reported. */
  async setStatus(runId: string, status: StoredStatus): Promise<void> {
    try {
      await this.store.setStatus(runId, status);
    } catch (e) {
      this.fail(e);
    }
  }

  private writers(runId: string): SavedRun {
    // One banner per kind of failure and run (a lost record fails every later write the same way).
    const seen = new Set<string>();
    const fail = (e: unknown): void => {
      const kind = e instanceof Error ? e.name : 'Error';
      if (seen.has(kind)) return;
      seen.add(kind);
      this.fail(e, ' Further failures of this kind for this run are not shown again.');
    };
    const rec = recordRun(this.store, runId, fail);
    const sink: CheckpointSink = {
      save: async (data: CheckpointData, reason: CheckpointReason) => {
        await rec.flush(); // metrics up to this step first, so a resume finds them
        try {
          await this.store.saveCheckpoint(runId, data, reason);
        } catch (e) {
          fail(e);
        }
      },
    };
    return { runId, sink, listener: rec.listener, flush: rec.flush };
  }

  private fail(e: unknown, more = ''): void {
    this.report(
      e instanceof Error ? { name: e.name, message: e.message + more } : { name: 'StorageWriteError', message: String(e) + more },
    );
  }
}
