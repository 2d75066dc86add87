// The step record's flat form (files, CLI) and the way back (records stored by older versions).
import { test, expect } from 'vitest';
import { flattenStepMetrics, stepMetricsFromFlat, type StepMetrics } from '../../src/schema/metrics';

const NESTED: StepMetrics = {
  step: 3,
  reward_mean: 0.5,
  reward_per_grader: { format: 1, answer: null },
  kl: null,
  eval_reward_mean: 0.25,
  eval_reward_by_class: { carry: 0.1, other: 0.4 },
};
const FLAT = {
  step: 3,
  reward_mean: 0.5,
  'reward/format': 1,
  'reward/answer': null,
  kl: null,
  eval_reward_mean: 0.25,
  'eval_reward/carry': 0.1,
  'eval_reward/other': 0.4,
};

test('flattening writes nested values as reward/<grader> and eval_reward/<class>, in place', () => {
  const flat = flattenStepMetrics(NESTED);
  expect(flat).toEqual(FLAT);
  expect(Object.keys(flat)).toEqual([
    'step',
    'reward_mean',
    'reward/format',
    'reward/answer',
    'kl',
    'eval_reward_mean',
    'eval_reward/carry',
    'eval_reward/other',
  ]);
});

test('a flat record (the pre-StepMetrics storage shape) comes back nested; junk values dropped; a missing step filled in', () => {
  expect(stepMetricsFromFlat(FLAT, 99)).toEqual(NESTED);
  expect(stepMetricsFromFlat({ reward_mean: 0.75, note: 'text', 'eval_reward/x': null }, 7)).toEqual({ reward_mean: 0.75, step: 7 });
  expect(stepMetricsFromFlat({ step: 1, reward_per_grader: { a: 0.5 } }, 0)).toEqual({ step: 1, reward_per_grader: { a: 0.5 } }); // already nested: kept
});
