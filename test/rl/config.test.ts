import { test, expect } from 'vitest';
import {
  resolveConfig,
  ConfigError,
  CONFIG_DOCS,
  DEFAULT_CONFIG,
  advantageKind,
  configTableMarkdown,
  type RLConfig,
} from '../../src/rl/config';
import { editDistance, nearestName } from '../../src/schema/names';

test('defaults follow TRL GRPOConfig where they overlap, and are safe for tiny models', () => {
  const c = resolveConfig();
  expect(c.num_generations).toBe(8); // TRL default
  expect(c.beta).toBe(0); // TRL default: no KL, no reference model
  expect(c.epsilon).toBe(0.2); // TRL default
  expect(c.epsilon_high).toBe(0.2); // TRL: None → epsilon
  expect(c.num_iterations).toBe(1);
  expect(c.scale_rewards).toBe('group');
  expect(c.max_grad_norm).toBe(1);
  expect(c.learning_rate).toBeGreaterThanOrEqual(1e-4); // the stable range of the prototype
  expect(c.learning_rate).toBeLessThanOrEqual(3e-4);
});

test('algo presets fill the algorithm-specific fields, and explicit fields win', () => {
  expect(resolveConfig({ algo: 'dapo' })).toMatchObject({ loss_type: 'dapo', epsilon_high: 0.28, dynamic_sampling: true });
  expect(resolveConfig({ algo: 'dr_grpo' })).toMatchObject({ loss_type: 'dr_grpo', scale_rewards: 'none' });
  expect(resolveConfig({ algo: 'dapo', epsilon_high: 0.3, dynamic_sampling: false })).toMatchObject({
    epsilon_high: 0.3,
    dynamic_sampling: false,
  });
  // unset epsilon_high follows a changed epsilon (TRL: epsilon_high=None means epsilon)
  expect(resolveConfig({ epsilon: 0.1 }).epsilon_high).toBe(0.1);
  expect(advantageKind('rloo')).toBe('rloo');
  expect(advantageKind('dapo')).toBe('grpo');
  expect(advantageKind('sft')).toBe('none');
});

test('out-of-range values name the field, the value and the allowed range', () => {
  const bad: [Partial<RLConfig>, RegExp][] = [
    [{ learning_rate: 0 }, /'learning_rate' = 0 .*> 0/],
    [{ learning_rate: Number.NaN }, /learning_rate/],
    [{ num_generations: 2.5 }, /'num_generations' = 2.5 .*an integer >= 1/],
    [{ epsilon: -0.1 }, /'epsilon'.*>= 0 and <= 1/],
    [{ warmup_ratio: 1.5 }, /warmup_ratio/],
    [{ top_p: 0 }, /top_p/],
  ];
  for (const [p, re] of bad) {
    expect(() => resolveConfig(p)).toThrow(ConfigError);
    expect(() => resolveConfig(p)).toThrow(re);
  }
  expect(() => resolveConfig({ loss_type: 'ppo' } as unknown as Partial<RLConfig>)) // deliberately invalid input
    .toThrow(/one of 'grpo', 'dr_grpo', 'dapo', 'bnpo'/);
  let caught: unknown = null;
  try {
    resolveConfig({ beta: -1 });
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  expect(caught instanceof ConfigError && [caught.field, caught.value]).toEqual(['beta', -1]);
});

test('group-relative algorithms need groups of at least two', () => {
  expect(() => resolveConfig({ num_generations: 1 })).toThrow(/'num_generations' = 1 .*at least 2 for algo 'grpo'/);
  expect(() => resolveConfig({ algo: 'rloo', num_generations: 1 })).toThrow(ConfigError);
  expect(resolveConfig({ algo: 'reinforce', num_generations: 1 }).num_generations).toBe(1);
  expect(resolveConfig({ algo: 'sft', num_generations: 1 }).num_generations).toBe(1);
});

test('an unknown field is an error that suggests the nearest known name', () => {
  expect(() => resolveConfig({ learning_rte: 1e-4 })).toThrow(/did you mean 'learning_rate'/);
  expect(() => resolveConfig({ 'num-generations': 4 })).toThrow(/did you mean 'num_generations'/);
  expect(() => resolveConfig({ zzzzzzzzzzzz: 1 })).toThrow(/a known field\./);
  expect(editDistance('kitten', 'sitting')).toBe(3);
  expect(nearestName('bta', ['beta', 'seed'])).toBe('beta');
});

test('every field has a one-line doc', () => {
  for (const k of Object.keys(DEFAULT_CONFIG)) {
    const doc: string | undefined = CONFIG_DOCS[k as keyof RLConfig]; // k comes from the same record's keys
    expect(doc, k).toBeTruthy();
    expect(doc.includes('\n')).toBe(false);
  }
});

test('the Markdown table lists every field with its default', () => {
  const md = configTableMarkdown().split('\n');
  expect(md.length).toBe(2 + Object.keys(DEFAULT_CONFIG).length);
  expect(md).toContain('| `learning_rate` | `0.0002` | ' + CONFIG_DOCS.learning_rate + ' |');
  expect(md.some((l) => l.startsWith('| `algo` | `"grpo"` |'))).toBe(true);
});
