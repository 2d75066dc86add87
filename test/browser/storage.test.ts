// src/storage in Chromium against its real IndexedDB: runs saved, listed, renamed and deleted (with their
// metrics, samples and checkpoints), the bounded sample history, a damaged record reported and skipped,
// a version-1 database opened and upgraded, grader drafts with undo across a reopen, pruning near the
// quota, and failed writes surfacing as named errors. Needs `npx vite build` first (the harness serves dist/).
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openSession, type Session } from './harness';
import type { StoragePageApi } from '../../test-pages/storage';
import { DEFAULT_CONFIG } from '../../src/rl/config';

/** Every field of today's RLConfig: an upgraded old run must have all of them. */
const TODAYS_FIELDS = Object.keys(DEFAULT_CONFIG).sort();

declare global {
  interface Window {
    cherryStorage?: StoragePageApi;
  }
}

let s: Session;
let page: Page;

beforeAll(async () => {
  s = await openSession();
  page = await s.newPage();
  await page.goto(`${s.url}test-pages/storage.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
});
afterAll(async () => {
  await s?.close();
});

test('create, list, rename, delete: a deleted run takes its metrics, samples and checkpoints with it', async () => {
  const r = await page.evaluate(async () => {
    const api = window.cherryStorage;
    if (!api) throw new Error('storage test page did not load');
    const name = 'cherry-test-lifecycle';
    await api.deleteDB(name);
    const store = await api.CherryStore.open({ name, keepCheckpoints: 2 });
    const base = {
      config: api.DEFAULT_CONFIG,
      graderSource: { kind: 'js' as const, code: 'function grade(){return 1}' },
      data: { kind: 'task' as const, task: 'arithmetic' },
    };
    const a = await store.createRun({ ...base, name: 'A' });
    await new Promise((res) => setTimeout(res, 5)); // distinct createdAt: B is newer
    const b = await store.createRun({ ...base, name: 'B' });
    for (let step = 0; step < 3; step++) {
      await store.appendMetrics(a.id, step, { step, reward_mean: step / 4, kl: null });
      await store.appendSamples(a.id, step, [
        {
          step,
          group: 0,
          prompt: '1+1=',
          completion: String(step),
          reward: 1,
          sub_rewards: {},
          error: null,
          error_kind: null,
          advantage: 0,
          length: 1,
          truncated: false,
          trained: true,
        },
      ]);
      await store.checkpointSink(a.id).save(
        {
          step,
          weights: new Uint8Array([1, 2, 3, step]),
          modelConfig: { model_type: 'llama' },
          optimizer: { step, m: { w: new Float32Array([0.5, step]) }, v: { w: new Float32Array([0.25, step]) } },
          rngState: 1234 + step,
          cursor: 8 * step,
          config: api.DEFAULT_CONFIG,
        },
        'interval',
      );
    }
    await store.appendMetrics(b.id, 0, { step: 0, reward_mean: 1 });
    const listed = (await store.listRuns()).runs.map((x) => [x.name, x.lastStep, x.status, x.seed]);
    const ckSteps = await store.checkpointSteps(a.id);
    const latest = await store.latestCheckpoint(a.id);
    const metrics = (await store.getMetrics(a.id)).metrics;
    await store.renameRun(a.id, 'A renamed');
    const renamed = (await store.getRun(a.id)).name;
    const before = await Promise.all(['metrics', 'samples', 'checkpoints'].map((st) => api.rawCount(name, st, a.id)));
    await store.deleteRun(a.id);
    const after = await Promise.all(['metrics', 'samples', 'checkpoints'].map((st) => api.rawCount(name, st, a.id)));
    const afterList = (await store.listRuns()).runs.map((x) => x.name);
    const bMetrics = (await store.getMetrics(b.id)).metrics.length;
    const latestGone = await store.latestCheckpoint(a.id);
    let missing = '';
    try {
      await store.getRun(a.id);
    } catch (e) {
      missing = e instanceof api.RunNotFoundError ? e.name : String(e);
    }
    store.close();
    await api.deleteDB(name);
    return {
      listed,
      ckSteps,
      metrics,
      renamed,
      before,
      after,
      afterList,
      bMetrics,
      latestGone,
      missing,
      latest: latest && {
        step: latest.step,
        weights: [...latest.weights],
        m: [...latest.optimizer.m.w],
        v: [...latest.optimizer.v.w],
        isF32: latest.optimizer.m.w instanceof Float32Array,
        rng: latest.rngState,
        cursor: latest.cursor,
        reason: latest.reason,
      },
    };
  });
  expect(r.listed).toEqual([
    ['B', 1, 'running', 42],
    ['A', 3, 'running', 42],
  ]);
  expect(r.ckSteps).toEqual([1, 2]); // keepCheckpoints = 2
  expect(r.latest).toEqual({
    step: 2,
    weights: [1, 2, 3, 2],
    m: [0.5, 2],
    v: [0.25, 2],
    isF32: true,
    rng: 1236,
    cursor: 16,
    reason: 'interval',
  });
  expect(r.metrics).toEqual([
    { step: 0, reward_mean: 0, kl: null },
    { step: 1, reward_mean: 0.25, kl: null },
    { step: 2, reward_mean: 0.5, kl: null },
  ]);
  expect(r.renamed).toBe('A renamed');
  expect(r.before).toEqual([3, 3, 2]);
  expect(r.after).toEqual([0, 0, 0]);
  expect(r.afterList).toEqual(['B']);
  expect(r.bMetrics).toBe(1);
  expect(r.latestGone).toBeNull();
  expect(r.missing).toBe('RunNotFoundError');
}, 60_000);

test('samples keep only the last N steps; rewind forgets steps from a checkpoint on', async () => {
  const r = await page.evaluate(async () => {
    const api = window.cherryStorage;
    if (!api) throw new Error('storage test page did not load');
    const name = 'cherry-test-bounded';
    await api.deleteDB(name);
    const store = await api.CherryStore.open({ name, sampleHistorySteps: 3 });
    const run = await store.createRun({
      name: 'r',
      config: api.DEFAULT_CONFIG,
      graderSource: { kind: 'python', code: 'def grade(s, i): return 1' },
      data: { kind: 'task', task: 'arithmetic' },
    });
    for (let step = 0; step < 6; step++) {
      await store.appendSamples(run.id, step, []);
      await store.appendMetrics(run.id, step, { step });
    }
    const kept = await store.sampleSteps(run.id);
    await store.rewindRun(run.id, 4);
    const metricSteps = (await store.getMetrics(run.id)).metrics.map((m) => m.step);
    const keptAfter = await store.sampleSteps(run.id);
    const lastStep = (await store.getRun(run.id)).lastStep;
    store.close();
    await api.deleteDB(name);
    return { kept, metricSteps, keptAfter, lastStep };
  });
  expect(r.kept).toEqual([3, 4, 5]);
  expect(r.metricSteps).toEqual([0, 1, 2, 3]);
  expect(r.keptAfter).toEqual([3]);
  expect(r.lastStep).toBe(4);
}, 60_000);

test('a record with missing or foreign fields is reported and skipped, not fatal', async () => {
  const r = await page.evaluate(async () => {
    const api = window.cherryStorage;
    if (!api) throw new Error('storage test page did not load');
    const name = 'cherry-test-corrupt';
    await api.deleteDB(name);
    const store = await api.CherryStore.open({ name });
    const good = await store.createRun({
      name: 'good',
      config: api.DEFAULT_CONFIG,
      graderSource: { kind: 'js', code: '' },
      data: { kind: 'task', task: 'arithmetic' },
    });
    store.close();
    await api.rawPut(name, 'runs', { id: 'half', name: 'half a run' });
    await api.rawPut(name, 'runs', { id: 'foreign', hello: 'world', createdAt: 'yesterday' });
    await api.rawPut(name, 'metrics', { runId: good.id, step: 7, note: 'no metrics field' });
    const again = await api.CherryStore.open({ name });
    const { runs, skipped } = await again.listRuns();
    const m = await again.getMetrics(good.id);
    const damaged: string[] = [];
    try {
      await again.getRun('half');
    } catch (e) {
      damaged.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
    try {
      await again.renameRun('half', 'x');
    } catch (e) {
      damaged.push(e instanceof Error ? e.name : String(e));
    }
    again.close();
    await api.deleteDB(name);
    return { runs: runs.map((x) => x.name), skipped, mSkipped: m.skipped, damaged };
  });
  expect(r.runs).toEqual(['good']);
  expect(r.skipped).toEqual([
    { store: 'runs', key: 'foreign', reason: 'field "name" is missing' },
    { store: 'runs', key: 'half', reason: 'field "createdAt" is missing' },
  ]);
  expect(r.damaged).toEqual([
    'DamagedRecordError: The saved run record \'half\' is damaged (field "createdAt" is missing). Delete it from the runs list; other runs are not affected.',
    'DamagedRecordError',
  ]);
  expect(r.mSkipped).toHaveLength(1);
  expect(r.mSkipped[0].key).toMatch(/,7\]$/);
}, 60_000);

test('a version-1 database opens in the current version with its runs and metrics upgraded and its data kept', async () => {
  const r = await page.evaluate(async () => {
    const api = window.cherryStorage;
    if (!api) throw new Error('storage test page did not load');
    const name = 'cherry-test-v1';
    await api.deleteDB(name);
    // The v1 shape, written with raw IndexedDB: grader as a code string, task as a name, an older config.
    await api.rawCreate(name, 1, (db) => {
      const runs = db.createObjectStore('runs', { keyPath: 'id' });
      const metrics = db.createObjectStore('metrics', { keyPath: ['runId', 'step'] });
      db.createObjectStore('checkpoints', { keyPath: ['runId', 'step'] });
      runs.put({
        id: 'old-1',
        name: 'old run',
        createdAt: 1_700_000_000_000,
        config: { algo: 'grpo', learning_rate: 0.0003, seed: 9, retired_knob: 5 },
        grader: 'function grade(){return 1}',
        graderKind: 'js',
        task: 'arithmetic',
        seed: 9,
        status: 'paused',
        lastStep: 2,
      });
      runs.put({
        id: 'old-2',
        name: 'py run',
        createdAt: 1_700_000_000_001,
        config: {},
        grader: 'def grade(s, i): return 0',
        graderKind: 'python',
        task: 'mine.jsonl',
        seed: 1,
        status: 'done',
        lastStep: 0,
      });
      metrics.put({ runId: 'old-1', step: 0, metrics: { step: 0, reward_mean: 0.5 } });
      metrics.put({ runId: 'old-1', step: 1, metrics: { step: 1, reward_mean: 0.75, 'reward/exact': 1, 'eval_reward/carry': 0.5 } }); // the flat shape before v3
    });
    const store = await api.CherryStore.open({ name });
    const version = store.db.version;
    const stores = [...store.db.objectStoreNames].sort();
    const { runs, skipped } = await store.listRuns();
    const metrics = (await store.getMetrics('old-1')).metrics;
    await store.appendSamples('old-1', 2, []);
    const sampleSteps = await store.sampleSteps('old-1');
    store.close();
    await api.deleteDB(name);
    return {
      version,
      stores,
      skipped,
      metrics,
      sampleSteps,
      runs: runs.map((x) => ({
        id: x.id,
        graderSource: x.graderSource,
        data: x.data,
        lr: x.config.learning_rate,
        seed: x.config.seed,
        epsilon: x.config.epsilon,
        retired: 'retired_knob' in x.config,
        keys: Object.keys(x.config).sort(),
        hasOld: 'grader' in x || 'task' in x,
      })),
    };
  });
  expect(r.version).toBe(3);
  expect(r.stores).toEqual(['checkpoints', 'graders', 'metrics', 'runs', 'samples']);
  expect(r.skipped).toEqual([]);
  expect(r.runs).toEqual([
    {
      id: 'old-2',
      graderSource: { kind: 'python', code: 'def grade(s, i): return 0' },
      data: { kind: 'dataset', name: 'mine.jsonl', rows: 0, hash: '' },
      lr: 0.0002,
      seed: 42,
      epsilon: 0.2,
      retired: false,
      keys: TODAYS_FIELDS,
      hasOld: false,
    },
    {
      id: 'old-1',
      graderSource: { kind: 'js', code: 'function grade(){return 1}' },
      data: { kind: 'task', task: 'arithmetic' },
      lr: 0.0003,
      seed: 9,
      epsilon: 0.2,
      retired: false,
      keys: TODAYS_FIELDS,
      hasOld: false,
    },
  ]);
  expect(r.metrics).toEqual([
    { step: 0, reward_mean: 0.5 },
    { step: 1, reward_mean: 0.75, reward_per_grader: { exact: 1 }, eval_reward_by_class: { carry: 0.5 } },
  ]);
  expect(r.sampleSteps).toEqual([2]);
}, 60_000);

test('grader drafts: saved as typed, undo and redo survive reopening the database', async () => {
  const r = await page.evaluate(async () => {
    const api = window.cherryStorage;
    if (!api) throw new Error('storage test page did not load');
    const name = 'cherry-test-drafts';
    await api.deleteDB(name);
    const s1 = await api.CherryStore.open({ name });
    for (const t of ['a', 'ab', 'ab', 'abc']) await s1.drafts.save('scratch', 'js', t);
    const undone = (await s1.drafts.undo('scratch'))?.text;
    s1.close();
    const s2 = await api.CherryStore.open({ name });
    const reloaded = await s2.drafts.get('scratch');
    const undone2 = (await s2.drafts.undo('scratch'))?.text;
    const nothing = (await s2.drafts.undo('scratch'))?.text;
    const redone = (await s2.drafts.redo('scratch'))?.text;
    await s2.drafts.save('scratch', 'js', 'ax');
    const afterEdit = await s2.drafts.get('scratch');
    s2.close();
    await api.deleteDB(name);
    return {
      undone,
      reloaded: reloaded && { text: reloaded.text, undo: reloaded.undo, redo: reloaded.redo },
      undone2,
      nothing,
      redone,
      afterEdit: afterEdit && { text: afterEdit.text, undo: afterEdit.undo, redo: afterEdit.redo },
    };
  });
  expect(r.undone).toBe('ab');
  expect(r.reloaded).toEqual({ text: 'ab', undo: ['a'], redo: ['abc'] });
  expect(r.undone2).toBe('a');
  expect(r.nothing).toBe('a');
  expect(r.redone).toBe('ab');
  expect(r.afterEdit).toEqual({ text: 'ax', undo: ['a', 'ab'], redo: [] });
}, 60_000);

test('near the quota old samples are pruned first and the user is told; failed writes are named errors', async () => {
  const r = await page.evaluate(async () => {
    const api = window.cherryStorage;
    if (!api) throw new Error('storage test page did not load');
    const name = 'cherry-test-quota';
    await api.deleteDB(name);
    const realStore = await api.CherryStore.open({ name: `${name}-real` });
    const real = await realStore.storageUse();
    realStore.close();
    await api.deleteDB(`${name}-real`);
    let fraction = 0.5;
    const told: string[] = [];
    const store = await api.CherryStore.open({
      name,
      estimateEveryMs: 0,
      estimate: async () => ({ usage: fraction * 1000, quota: 1000, fraction }),
      onPrune: (p) => told.push(p.message),
    });
    const run = await store.createRun({
      name: 'big run',
      config: api.DEFAULT_CONFIG,
      graderSource: { kind: 'js', code: '' },
      data: { kind: 'task', task: 'arithmetic' },
    });
    for (let step = 0; step < 4; step++) await store.appendSamples(run.id, step, []);
    fraction = 0.95;
    await store.appendSamples(run.id, 4, []);
    const steps = await store.sampleSteps(run.id);
    const errors: string[] = [];
    try {
      await store.appendMetrics(run.id, 5, {
        step: 5,
        reward_mean: (() => 1) as unknown as number /* a function cannot be structured-cloned: forces a real write failure */,
      });
    } catch (e) {
      errors.push(e instanceof api.StorageWriteError ? `${e.name}: ${e.message}` : `other: ${String(e)}`);
    }
    try {
      await store.appendMetrics('no-such-run', 0, { step: 0 });
    } catch (e) {
      errors.push(e instanceof Error ? e.name : String(e));
    }
    try {
      await store.renameRun('no-such-run', 'x');
    } catch (e) {
      errors.push(e instanceof Error ? e.name : String(e));
    }
    store.close();
    await api.deleteDB(name);
    return { real, told, steps, errors };
  });
  expect(r.real?.quota).toBeGreaterThan(0);
  expect(r.real?.usage).toBeGreaterThanOrEqual(0);
  // 4 sample rows at 95%: half (2) of the oldest are removed before step 4 is written.
  expect(r.told).toEqual([
    "Storage was nearly full (95% of the quota): removed the saved samples of 2 steps from run 'big run' (steps 0–1). Metrics and checkpoints are kept.",
  ]);
  expect(r.steps).toEqual([2, 3, 4]);
  expect(r.errors[0]).toMatch(/^StorageWriteError: Saving the metrics of step 5 of run '.+' failed: DataCloneError/);
  expect(r.errors.slice(1)).toEqual(['RunNotFoundError', 'RunNotFoundError']);
}, 60_000);

test('a full quota during a write prunes old samples, tells the user, and retries once; then a named StorageQuotaError', async () => {
  const r = await page.evaluate(async () => {
    const api = window.cherryStorage;
    if (!api) throw new Error('storage test page did not load');
    const name = 'cherry-test-quota-write';
    await api.deleteDB(name);
    const told: string[] = [];
    const store = await api.CherryStore.open({ name, onPrune: (p) => told.push(p.message) });
    const run = await store.createRun({
      name: 'q',
      config: api.DEFAULT_CONFIG,
      graderSource: { kind: 'js', code: '' },
      data: { kind: 'task', task: 'arithmetic' },
    });
    for (let step = 0; step < 2; step++) await store.appendSamples(run.id, step, []);
    const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    let calls = 0;
    const once = await store.write('a test record', run.id, async () => {
      if (calls++ === 0) throw quota();
      return 'written';
    });
    let final = '';
    try {
      await store.write('a test record', run.id, async () => {
        throw quota();
      });
    } catch (e) {
      final = e instanceof api.StorageQuotaError ? `${e.name}: ${e.message}` : `other: ${String(e)}`;
    }
    const steps = await store.sampleSteps(run.id);
    store.close();
    await api.deleteDB(name);
    return { once, calls, told, final, steps };
  });
  expect(r.once).toBe('written');
  expect(r.calls).toBe(2);
  expect(r.told[0]).toBe(
    "The browser storage quota was full: removed the saved samples of 1 step from run 'q' (steps 0–0). Metrics and checkpoints are kept.",
  );
  expect(r.steps).toEqual([]); // the second failure pruned the last row too
  expect(r.final).toMatch(
    /^StorageQuotaError: Saving a test record of run '.+' failed: the browser's storage quota is full \(The browser storage quota was full: removed the saved samples of 1 step .*\)\. Delete old runs/,
  );
}, 60_000);

test('the run recorder writes trainer events in order and reports failed writes instead of throwing', async () => {
  const r = await page.evaluate(async () => {
    const api = window.cherryStorage;
    if (!api) throw new Error('storage test page did not load');
    const name = 'cherry-test-recorder';
    await api.deleteDB(name);
    const store = await api.CherryStore.open({ name });
    const run = await store.createRun({
      name: 'rec',
      config: api.DEFAULT_CONFIG,
      graderSource: { kind: 'js', code: '' },
      data: { kind: 'task', task: 'arithmetic' },
    });
    const errors: string[] = [];
    const rec = api.recordRun(store, run.id, (e) => errors.push(e instanceof Error ? e.name : String(e)));
    for (let step = 0; step < 5; step++) {
      rec.listener({ kind: 'metrics', step, metrics: { step, reward_mean: step / 10 } });
      rec.listener({ kind: 'samples', step, samples: [] });
    }
    rec.listener({ kind: 'eval', step: 5, eval: { step: 5, split: 'validation', reward_mean: 1, temperature: 0, n: 4 } });
    const ghost = api.recordRun(store, 'deleted-run', (e) => errors.push(e instanceof Error ? e.name : String(e)));
    ghost.listener({ kind: 'metrics', step: 0, metrics: { step: 0 } });
    await rec.flush();
    await ghost.flush();
    const metrics = (await store.getMetrics(run.id)).metrics.map((m) => m.reward_mean);
    const lastStep = (await store.getRun(run.id)).lastStep;
    const samples = await store.sampleSteps(run.id);
    store.close();
    await api.deleteDB(name);
    return { metrics, lastStep, samples, errors, failures: [rec.failures, ghost.failures] };
  });
  expect(r.metrics).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
  expect(r.lastStep).toBe(5);
  expect(r.samples).toEqual([0, 1, 2, 3, 4]);
  expect(r.errors).toEqual(['RunNotFoundError']);
  expect(r.failures).toEqual([0, 1]);
}, 60_000);

test('a real Trainer saves metrics, samples and checkpoints that load back to the same model', async () => {
  const r = await page.evaluate(async () => {
    const train = window.cherryStorageTrain;
    if (!train) throw new Error('storage test page did not load');
    return train('cherry-test-trainer', 3);
  });
  expect(r.errors).toEqual([]);
  expect(r.same).toBe(true);
  expect(r.step).toBe(3);
  expect(r.optimizerStep).toBe(3);
  expect(r.momentsAreF32).toBe(true);
  expect(r.momentCount).toBe(r.paramCount);
  expect(r.cursor).toBe(6); // 3 steps × 2 prompts
  expect(r.rngIsNumber).toBe(true);
  expect(r.configSeed).toBe(3);
  expect(r.checkpointSteps).toEqual([2, 3]); // one per step (checkpoint_interval 1), the newest 2 kept
  expect(r.metricSteps).toEqual([0, 1, 2]);
  expect(r.sampleCounts).toEqual([8, 8, 8]); // 2 prompts × 4 samples per step
  expect(r.lastStep).toBe(3);
}, 120_000);
