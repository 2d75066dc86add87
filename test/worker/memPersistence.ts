// Saved runs in memory, as RunPersistence keeps them in IndexedDB (which runs only in Chromium:
// test/browser/persistence): for TrainSession tests in Node.
import type { StepMetrics } from '../../src/schema/metrics';
import type { Persistence, SavedRun } from '../../src/worker/persist';
import type { StartBody } from '../../src/worker/protocol';
import type { CheckpointData } from '../../src/rl/checkpointSink';
import type { RLConfig } from '../../src/rl/config';
import type { RunRecord, RunStatus as StoredStatus } from '../../src/storage';

/** Runs, metrics, checkpoints and statuses in memory, as RunPersistence keeps them in IndexedDB. */
export class MemPersistence implements Persistence {
  runs = new Map<string, RunRecord>();
  metrics = new Map<string, Map<number, StepMetrics>>();
  checkpoints = new Map<string, CheckpointData[]>();
  statuses: StoredStatus[] = [];
  async begin(body: StartBody, config: RLConfig): Promise<SavedRun> {
    const id = `run${this.runs.size + 1}`;
    this.runs.set(id, {
      id,
      name: id,
      createdAt: 0,
      config,
      graderSource: body.grader,
      seed: config.seed,
      status: 'running',
      lastStep: 0,
      data:
        body.task.kind === 'builtin'
          ? { kind: 'task', task: body.task.name }
          : { kind: 'dataset', name: body.task.name, rows: 0, hash: '' },
    });
    return this.writers(id);
  }
  async reopen(runId: string, step: number): Promise<SavedRun> {
    const m = this.metrics.get(runId) ?? new Map();
    for (const k of [...m.keys()]) if (k >= step) m.delete(k);
    this.statuses.push('running');
    return this.writers(runId);
  }
  async load(runId: string): Promise<{ run: RunRecord; checkpoint: CheckpointData | null }> {
    const run = this.runs.get(runId);
    if (!run) throw new Error(`no run ${runId}`);
    return { run, checkpoint: this.checkpoints.get(runId)?.at(-1) ?? null };
  }
  async setStatus(_runId: string, status: StoredStatus): Promise<void> {
    this.statuses.push(status);
  }
  private writers(runId: string): SavedRun {
    const m = this.metrics.get(runId) ?? new Map<number, StepMetrics>();
    this.metrics.set(runId, m);
    return {
      runId,
      sink: {
        save: async (data) => {
          this.checkpoints.set(runId, [...(this.checkpoints.get(runId) ?? []), data]);
        },
      },
      listener: (e) => {
        if (e.kind === 'metrics') m.set(e.step, e.metrics);
      },
      flush: async () => {},
    };
  }
}
