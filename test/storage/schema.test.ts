// The pure parts of src/storage (no IndexedDB): the v1 → v2 and v2 → v3 record upgrades and the run-record checks.
// The database itself is tested in Chromium (test/browser/storage.test.ts).
import { test, expect } from 'vitest';
import { upgradeConfig, upgradeMetricsRowV2, upgradeRunV1 } from '../../src/storage/schema';
import { runProblem } from '../../src/storage/validate';
import { DEFAULT_CONFIG } from '../../src/rl/config';

const V1 = {
  id: 'r',
  name: 'n',
  createdAt: 5,
  config: { learning_rate: 0.0003, gone: 1 },
  grader: '{"type":"string_check","name":"x","input":"a","reference":"a","operation":"eq"}',
  graderKind: 'spec',
  task: 'arithmetic',
  seed: 3,
  status: 'paused',
  lastStep: 4,
};

test('a v1 run becomes a valid v2 run: spec grader parsed, task reference, config completed', () => {
  const up = upgradeRunV1(V1);
  expect(runProblem(up)).toBeNull();
  expect(up).toEqual({
    id: 'r',
    name: 'n',
    createdAt: 5,
    seed: 3,
    status: 'paused',
    lastStep: 4,
    config: { ...DEFAULT_CONFIG, learning_rate: 0.0003 },
    graderSource: { kind: 'spec', spec: { type: 'string_check', name: 'x', input: 'a', reference: 'a', operation: 'eq' } },
    data: { kind: 'task', task: 'arithmetic' },
  });
});

test('records that are not v1 runs pass through unchanged; a v1 spec that is not JSON stays as code', () => {
  const foreign = { hello: 1 };
  expect(upgradeRunV1(foreign)).toBe(foreign);
  expect(upgradeRunV1(null)).toBeNull();
  const broken = upgradeRunV1({ ...V1, grader: '{not json' });
  expect(broken).toMatchObject({ graderSource: { kind: 'js', code: '{not json' } });
  expect(upgradeConfig('nonsense')).toEqual(DEFAULT_CONFIG);
});

test('runProblem names the first missing or mistyped field', () => {
  const ok = upgradeRunV1(V1);
  if (typeof ok !== 'object' || ok === null) throw new Error('upgrade returned no object');
  expect(runProblem({ ...ok, lastStep: -1 })).toBe('field "lastStep" must be an integer >= 0, got -1');
  expect(runProblem({ ...ok, status: 'sleeping' })).toMatch(/field "status" must be one of running, paused/);
  expect(runProblem({ id: 'x' })).toBe('field "name" is missing');
  expect(runProblem([1])).toBe('not an object');
});

test('a v2 metrics row (flat reward/<grader>, eval_reward/<class>) becomes a v3 row with them nested', () => {
  const v2 = { runId: 'r', step: 4, metrics: { reward_mean: 0.5, 'reward/exact': 1, 'eval_reward/carry': 0.25, eval_reward_mean: 0.5 } };
  expect(upgradeMetricsRowV2(v2)).toEqual({
    runId: 'r',
    step: 4,
    metrics: { step: 4, reward_mean: 0.5, reward_per_grader: { exact: 1 }, eval_reward_mean: 0.5, eval_reward_by_class: { carry: 0.25 } },
  });
  const damaged = { runId: 'r', step: 'x' };
  expect(upgradeMetricsRowV2(damaged)).toBe(damaged); // left for getMetrics to report
});
