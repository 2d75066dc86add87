// The TrainSession saving runs as it goes and resuming a saved one, in Node on the cpu backend, with an
// in-memory Persistence (the IndexedDB one, RunPersistence, runs in Chromium: test/browser/persistence).
// A run of 5 steps with checkpoint_interval 2 is saved (record, every step's metrics, checkpoints at 2, 4
// and the end, statuses); a second session resumes it from the checkpoint of step 2 and trains steps
// 2–4 again: they come out identical, and the step counter starts at 2.
import type { StepMetrics } from '../../src/schema/metrics';
import { beforeAll, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TrainSession } from '../../src/worker/session';
import type { Persistence } from '../../src/worker/persist';
import type { RunStatus, StartBody, TrainEvent } from '../../src/worker/protocol';
import { folderFetch, modelFiles } from './modelFiles';
import { MemPersistence } from './memPersistence';

const BASE = 'http://cherry.test/models/';
let folders: Map<string, Map<string, Uint8Array>>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  folders = new Map([['tiny', await modelFiles()]]);
});

function session(persistence: Persistence) {
  const events: TrainEvent[] = [];
  const s = new TrainSession({
    emit: (e) => events.push(e),
    fetch: { fetch: folderFetch(BASE, folders), modelsBase: BASE },
    persistence: async () => persistence,
    yieldToEvents: async () => {},
  });
  return { s, events };
}

async function finished(events: TrainEvent[]): Promise<RunStatus> {
  for (;;) {
    const st = [...events].reverse().find((e) => e.kind === 'status');
    if (st?.kind === 'status' && st.status.state === 'stopped') return st.status;
    const err = events.find((e) => e.kind === 'error');
    if (err?.kind === 'error') throw new Error(err.error.message);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const GRADER = 'function grade(sample, item) {\n  return sample.output_text.trim() === item.reference_answer ? 1 : 0;\n}\n';
const START: StartBody = {
  config: {
    batch_prompts: 2,
    num_generations: 2,
    max_completion_length: 3,
    eval_interval: 0,
    max_steps: 5,
    learning_rate: 1e-2,
    checkpoint_interval: 2,
    seed: 9,
  },
  task: { kind: 'builtin', name: 'arithmetic' },
  grader: { kind: 'js', code: GRADER },
};
const timeless = (m: StepMetrics | undefined) =>
  Object.fromEntries(
    Object.entries(m ?? {}).filter(([k]) => !['sampling_ms', 'grading_ms', 'training_ms', 'step_ms', 'tokens_per_s'].includes(k)),
  );

test('a run is saved as it goes and resumes from a checkpoint with the same steps', async () => {
  const mem = new MemPersistence();
  const a = session(mem);
  await a.s.loadModel({ kind: 'builtin', name: 'tiny' });
  const started = await a.s.start(START);
  expect(started).toMatchObject({ state: 'running', step: 0, runId: 'run1' });
  expect(await finished(a.events)).toMatchObject({ step: 5, runId: 'run1' });
  const run = mem.runs.get('run1');
  expect(run?.config).toMatchObject({ seed: 9, max_steps: 5, checkpoint_interval: 2, batch_prompts: 2 });
  expect(run?.graderSource).toEqual({ kind: 'js', code: GRADER });
  expect(run?.data).toEqual({ kind: 'task', task: 'arithmetic' });
  const first = new Map(mem.metrics.get('run1'));
  expect([...first.keys()]).toEqual([0, 1, 2, 3, 4]);
  expect(mem.checkpoints.get('run1')?.map((c) => c.step)).toEqual([2, 4, 5]); // every 2 steps, and at the end
  expect(mem.statuses).toEqual(['done']);

  // As after a crash right after step 2's checkpoint: only that one is left.
  mem.checkpoints.set('run1', (mem.checkpoints.get('run1') ?? []).slice(0, 1));
  const b = session(mem);
  await b.s.loadModel({ kind: 'builtin', name: 'tiny' });
  const resumed = await b.s.resumeRun('run1');
  expect(resumed).toMatchObject({ state: 'running', step: 2, runId: 'run1' });
  expect(await finished(b.events)).toMatchObject({ step: 5, runId: 'run1' });
  expect(b.events.flatMap((e) => (e.kind === 'metrics' ? [e.step] : []))).toEqual([2, 3, 4]);
  const second = mem.metrics.get('run1');
  for (const step of [0, 1, 2, 3, 4]) expect(timeless(second?.get(step)), `step ${step}`).toEqual(timeless(first.get(step)));
  expect(mem.runs.size).toBe(1);
  expect(mem.statuses).toEqual(['done', 'running', 'done']);
});

test('resuming a run without a checkpoint, or while a run is live, is refused with what to do', async () => {
  const mem = new MemPersistence();
  const a = session(mem);
  await a.s.loadModel({ kind: 'builtin', name: 'tiny' });
  await a.s.step(START); // one step, paused: no checkpoint yet (interval 2)
  await expect(a.s.resumeRun('run1')).rejects.toThrow(/stop it before resuming/);
  await a.s.stop();
  mem.checkpoints.clear();
  await expect(a.s.resumeRun('run1')).rejects.toThrow(/has no checkpoint to resume from/);
});
