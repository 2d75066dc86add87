import { test, expect } from 'vitest';
import { createStore, initialState, reduce } from '../../src/ui/store';
import type { BackendChoice } from '../../src/worker/protocol';

const choice: BackendChoice = {
  backend: 'wasm',
  reason: 'auto — wasm: ok, 2 threads SIMD',
  details: {
    requested: 'auto',
    attempts: [{ backend: 'wasm', ok: true, note: '2 threads SIMD' }],
    adapter: null,
    crossOriginIsolated: true,
    wasm: { threads: 2, simd: true, multithread: true },
    environment: 'browser',
  },
};

test('backend: starting → ready → restarting clears the old choice', () => {
  let s = initialState('auto');
  expect(s.backend).toEqual({ requested: 'auto', choice: null, status: 'starting' });
  s = reduce(s, { type: 'backend/ready', choice });
  expect(s.backend.status).toBe('ready');
  expect(s.backend.choice?.backend).toBe('wasm');
  s = reduce(s, { type: 'backend/starting', requested: 'cpu' });
  expect(s.backend).toEqual({ requested: 'cpu', choice: null, status: 'starting' });
});

test('errors get increasing ids that survive dismissal', () => {
  let s = initialState('auto');
  s = reduce(s, { type: 'error/raise', name: 'A', message: 'a' });
  s = reduce(s, { type: 'error/raise', name: 'B', message: 'b' });
  expect(s.errors.map((e) => [e.id, e.name])).toEqual([
    [1, 'A'],
    [2, 'B'],
  ]);
  s = reduce(s, { type: 'error/dismiss', id: 2 });
  s = reduce(s, { type: 'error/raise', name: 'C', message: 'c' });
  expect(s.errors.map((e) => [e.id, e.name])).toEqual([
    [1, 'A'],
    [3, 'C'],
  ]);
});

test('a repeated metrics step replaces the earlier point instead of duplicating it', () => {
  let s = initialState('auto');
  s = reduce(s, { type: 'run/metrics', point: { step: 1, reward_mean: 0.1 } });
  s = reduce(s, { type: 'run/metrics', point: { step: 2, reward_mean: 0.2 } });
  s = reduce(s, { type: 'run/metrics', point: { step: 1, reward_mean: 0.15 } });
  expect(s.metrics).toHaveLength(2);
  expect(s.metrics.find((p) => p.step === 1)?.reward_mean).toBe(0.15);
});

test('the reducer does not mutate the previous state', () => {
  const before = initialState('auto');
  const snapshot = JSON.stringify(before);
  reduce(before, { type: 'grader/edit', code: 'function grade() { return 1; }' });
  reduce(before, { type: 'run/status', state: 'running', step: 3 });
  expect(JSON.stringify(before)).toBe(snapshot);
});

test('the store notifies subscribers on dispatch until they unsubscribe', () => {
  const store = createStore(initialState('wasm'));
  let calls = 0;
  const off = store.subscribe(() => {
    calls++;
  });
  store.dispatch({ type: 'task/select', task: 'countdown' });
  expect(store.getState().task).toBe('countdown');
  off();
  store.dispatch({ type: 'task/select', task: 'arithmetic' });
  expect(calls).toBe(1);
});

test('hyperparameter edits merge into the run config', () => {
  let s = initialState('auto');
  s = reduce(s, { type: 'run/config', config: { learning_rate: 3e-4 } });
  s = reduce(s, { type: 'run/config', config: { algo: 'rloo' } });
  expect(s.run.config).toEqual({ learning_rate: 3e-4, algo: 'rloo' });
});

test('model: loading names the model and clears the last one; a backend restart resets it to none', () => {
  let s = initialState('auto');
  s = reduce(s, { type: 'model/loading', name: 'cherry-arith', source: 'builtin' });
  expect(s.model).toEqual({
    status: 'loading',
    name: 'cherry-arith',
    source: 'builtin',
    info: null,
    loadedBytes: 0,
    totalBytes: 0,
    progressLabel: '',
    error: null,
    previous: null,
  });
  s = reduce(s, { type: 'model/progress', loadedBytes: 300, totalBytes: 1200 });
  expect([s.model.status, s.model.loadedBytes, s.model.totalBytes]).toEqual(['loading', 300, 1200]);
  const info = {
    name: 'cherry-arith',
    parameters: 10,
    memoryBytes: 160,
    kvCacheBytes: 0,
    architecture: 'LlamaForCausalLM',
    vocabSize: 100,
    layers: 1,
    hiddenSize: 8,
  };
  s = reduce(s, { type: 'model/ready', info });
  expect(s.model).toMatchObject({ status: 'ready', name: 'cherry-arith', info });
  s = reduce(s, { type: 'run/status', state: 'paused', step: 4 });
  s = reduce(s, { type: 'model/reset' });
  expect(s.model).toEqual(initialState('auto').model);
  expect(s.run.state).toBe('idle');
});

test('a batch of run events lands in order: points merged by step and sorted, the latest samples and status', () => {
  let s = initialState('auto');
  s = reduce(s, { type: 'run/metrics', point: { step: 1, reward_mean: 0.1 } });
  const row = {
    step: 2,
    group: 0,
    prompt: 'p',
    completion: 'c',
    reward: 1,
    sub_rewards: {},
    error: null,
    error_kind: null,
    advantage: 0,
    length: 1,
    truncated: false,
    trained: true,
  };
  s = reduce(s, {
    type: 'run/batch',
    points: [
      { step: 2, reward_mean: 0.3 },
      { step: 0, reward_mean: 0 },
      { step: 1, reward_mean: 0.2 },
    ],
    samples: [row],
    status: { state: 'running', step: 3 },
  });
  expect(s.metrics).toEqual([
    { step: 0, reward_mean: 0 },
    { step: 1, reward_mean: 0.2 },
    { step: 2, reward_mean: 0.3 },
  ]);
  expect(s.samples).toEqual([row]);
  expect(s.run).toMatchObject({ state: 'running', step: 3, message: null });
  // an empty batch leaves everything as it was (same objects: nothing re-renders)
  const t = reduce(s, { type: 'run/batch', points: [], samples: null, status: null });
  expect(t.metrics).toBe(s.metrics);
  expect(t.samples).toBe(s.samples);
  expect(t.run).toBe(s.run);
  // a new run clears the charts and the samples, keeps the hyperparameters
  s = reduce(reduce(s, { type: 'run/config', config: { learning_rate: 1e-3 } }), { type: 'run/reset' });
  expect([s.metrics, s.samples, s.run.step, s.run.config]).toEqual([[], [], 0, { learning_rate: 1e-3 }]);
});

test('picking a built-in task drops an uploaded dataset (runs then train on the task)', () => {
  let s = initialState('auto');
  s = reduce(s, { type: 'dataset/set', dataset: { file: 'mine.jsonl', error: 'line 2: not JSON' } });
  expect(s.dataset).not.toBeNull();
  s = reduce(s, { type: 'task/select', task: 'countdown' });
  expect([s.task, s.dataset]).toEqual(['countdown', null]);
});

test("the grader editor starts with the task's default and follows the task until the person edits it", async () => {
  const { TASKS } = await import('../../src/tasks');
  const { exportGraderJson, parseGraderJson } = await import('../../src/graders/openai');
  const source = (name: string) => {
    const t = TASKS.find((x) => x.name === name);
    if (t === undefined) throw new Error(`no task ${name}`);
    return t.defaultGrader;
  };
  const arith = source('arithmetic'),
    reverse = source('reverse-words'),
    countdown = source('countdown');
  if (arith.kind !== 'js' || reverse.kind !== 'spec' || countdown.kind !== 'js')
    throw new Error('task graders changed kind; update this test');
  let s = initialState('auto');
  expect(s.task).toBe('arithmetic');
  expect(s.grader.code).toBe(arith.code);
  // A spec default is shown as the grader JSON that export writes, and reads back as the same spec.
  s = reduce(s, { type: 'task/select', task: 'reverse-words' });
  expect(s.grader.code).toBe(`${exportGraderJson(reverse.spec)}\n`);
  expect(parseGraderJson(s.grader.code)).toEqual(reverse.spec);
  s = reduce(s, { type: 'task/select', task: 'countdown' });
  expect(s.grader.code).toBe(countdown.code);
  // Edited: picking another task keeps the person's text (and their try result).
  s = reduce(s, { type: 'grader/edit', code: 'function grade() { return 1; }' });
  s = reduce(s, { type: 'grader/tried', result: { error: 'x' } });
  s = reduce(s, { type: 'task/select', task: 'arithmetic' });
  expect(s.grader.code).toBe('function grade() { return 1; }');
  expect(s.grader.tryResult).toEqual({ error: 'x' });
  // Edited back to the default (the reset button): it follows the task again, dropping the old try result.
  s = reduce(s, { type: 'grader/edit', code: arith.code });
  s = reduce(s, { type: 'task/select', task: 'countdown' });
  expect(s.grader.code).toBe(countdown.code);
  expect(s.grader.tryResult).toBeNull();
});

test('runs overlay: an SFT run is kept when a GRPO run starts; the next run of a kind replaces the kept one; a task change drops them', async () => {
  const { storeRuns } = await import('../../src/ui/charts/zoom');
  const p = (step: number, reward_mean: number) => ({ step, reward_mean });
  let s = initialState('auto');
  s = reduce(s, { type: 'run/config', config: { algo: 'sft' } });
  s = reduce(s, { type: 'run/reset' });
  s = reduce(s, {
    type: 'run/batch',
    points: [p(0, 0.2), p(1, 0.3)],
    samples: null,
    status: { state: 'stopped', step: 2, message: 'finished: 2 steps' },
  });
  expect(s.run.kind).toBe('sft');
  expect(s.lastRuns).toEqual([]); // the finished run is still the current one
  // GRPO from the same model: the SFT run is kept, the charts show it and the new run.
  s = reduce(s, { type: 'run/config', config: { algo: 'grpo' } });
  s = reduce(s, { type: 'run/reset' });
  s = reduce(s, { type: 'run/batch', points: [p(0, 0.25)], samples: null, status: { state: 'running', step: 1 } });
  expect(s.run.kind).toBe('rft');
  expect(s.lastRuns).toEqual([{ id: 'sft', label: 'SFT', kind: 'sft', points: [p(0, 0.2), p(1, 0.3)] }]);
  const shown = storeRuns(s.metrics, 'rft', s.lastRuns);
  expect(shown.map((r) => [r.label, r.kind, r.points.length])).toEqual([
    ['SFT', 'sft', 2],
    ['RFT', 'rft', 1],
  ]);
  // Another GRPO run: the first RFT run is kept beside the SFT one, but hidden while an RFT run is current.
  s = reduce(s, { type: 'run/reset' });
  expect(s.lastRuns.map((r) => [r.kind, r.points.length])).toEqual([
    ['sft', 2],
    ['rft', 1],
  ]);
  expect(storeRuns(s.metrics, 'rft', s.lastRuns).map((r) => [r.id, r.points.length])).toEqual([
    ['sft', 2],
    ['current', 0],
  ]);
  // A new SFT run replaces the kept SFT run and shows the kept RFT one.
  s = reduce(s, { type: 'run/batch', points: [p(0, 0.5)], samples: null, status: null });
  s = reduce(s, { type: 'run/config', config: { algo: 'sft' } });
  s = reduce(s, { type: 'run/reset' });
  expect(s.lastRuns.map((r) => [r.kind, r.points.map((x) => x.reward_mean)])).toEqual([
    ['sft', [0.2, 0.3]],
    ['rft', [0.5]],
  ]);
  expect(storeRuns(s.metrics, 'sft', s.lastRuns).map((r) => r.id)).toEqual(['rft', 'current']);
  // Same task again: nothing dropped; another task: nothing kept, and the shown run is not kept at the next start.
  s = reduce(s, { type: 'run/batch', points: [p(0, 0.9)], samples: null, status: null });
  s = reduce(s, { type: 'task/select', task: 'arithmetic' });
  expect(s.lastRuns).toHaveLength(2);
  s = reduce(s, { type: 'task/select', task: 'countdown' });
  expect(s.lastRuns).toEqual([]);
  s = reduce(s, { type: 'run/reset' });
  expect(s.lastRuns).toEqual([]);
});
