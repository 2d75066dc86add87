import { test, expect } from 'vitest';
import { flattenStepMetrics } from '../../src/schema/metrics';
import { composeStepMetrics, meanLossMetrics } from '../../src/rl/stepMetrics';
import { rewardMetrics, type SampleOutcome } from '../../src/rl/metrics';
import { groupStats } from '../../src/rl/advantages';
import type { LossMetricValues } from '../../src/rl/loss';

const pass = (o: Partial<LossMetricValues>): LossMetricValues => ({
  policy_loss: 0,
  kl: null,
  clip_ratio_low: 0,
  clip_ratio_high: 0,
  clip_ratio_region: 0,
  ratio_mean: 1,
  entropy: null,
  ...o,
});

test('loss metrics are averaged over the passes of a step', () => {
  // policy_loss (0.2 + 0.4)/2 = 0.3; kl (0.01 + 0.03)/2 = 0.02; ratio (1 + 1.1)/2 = 1.05; entropy null in one pass → null
  const m = meanLossMetrics([pass({ policy_loss: 0.2, kl: 0.01, entropy: 2 }), pass({ policy_loss: 0.4, kl: 0.03, ratio_mean: 1.1 })]);
  expect(m?.policy_loss).toBeCloseTo(0.3, 9);
  expect(m?.kl).toBeCloseTo(0.02, 9);
  expect(m?.ratio_mean).toBeCloseTo(1.05, 9);
  expect(m?.entropy).toBeNull();
  expect(meanLossMetrics([])).toBeNull();
});

test('a step becomes one record of numbers, sub-graders nested; flat for files as reward/<name>', () => {
  const samples: SampleOutcome[] = [
    { reward: 1, subRewards: { exact: 1 }, completionLength: 3, truncated: false },
    { reward: 0, subRewards: { exact: 0 }, completionLength: 5, truncated: true },
  ];
  const reward = rewardMetrics(samples, groupStats([1, 0], 2), [0.7, -0.7]);
  const rec = composeStepMetrics({
    step: 4,
    reward,
    loss: [pass({ policy_loss: -0.1 })],
    learningRate: 2e-4,
    optim: { applied: true, gradNorm: 0.5, clipped: false, skipped: null, consecutiveFailures: 0 },
    // 16 tokens in 400 ms of sampling → 40 tokens/s; 400 + 100 + 500 = 1000 ms
    timing: { sampling_ms: 400, grading_ms: 100, training_ms: 500, generated_tokens: 16 },
  });
  expect(rec).toMatchObject({
    step: 4,
    reward_mean: 0.5,
    reward_per_grader: { exact: 0.5 },
    policy_loss: -0.1,
    grad_norm: 0.5,
    update_skipped: 0,
    learning_rate: 2e-4,
    step_ms: 1000,
    tokens_per_s: 40,
    frac_truncated: 0.5,
  });
  const flat = flattenStepMetrics(rec);
  expect(flat).toMatchObject({ step: 4, reward_mean: 0.5, 'reward/exact': 0.5, policy_loss: -0.1 });
  expect(Object.values(flat).every((v) => v === null || typeof v === 'number')).toBe(true);
  const skipped = composeStepMetrics({
    step: 5,
    reward,
    loss: [],
    learningRate: 2e-4,
    optim: { applied: false, gradNorm: Number.NaN, clipped: false, skipped: 'non-finite gradient', consecutiveFailures: 1 },
  });
  expect(skipped).toMatchObject({ grad_norm: null, update_skipped: 1 });
  expect(JSON.stringify(skipped)).not.toContain('NaN');
});
