import { test, expect } from 'vitest';
import { rewardMetrics, summarize, MetricsInputError, type SampleOutcome } from '../../src/rl/metrics';
import { groupStats } from '../../src/rl/advantages';

// Two groups of three.
//   g0: rewards [1, 0, null (timeout)], lengths [4, 8, 12], the third cut at the limit
//   g1: rewards [0.5, 0.5, null (error)], lengths [2, 2, 6]
const S: SampleOutcome[] = [
  { reward: 1, subRewards: { a: 1, b: 0.5 }, completionLength: 4, truncated: false },
  { reward: 0, subRewards: { a: 0, b: null }, completionLength: 8, truncated: false },
  { reward: null, errorKind: 'timeout', completionLength: 12, truncated: true },
  { reward: 0.5, subRewards: { a: 0.5, b: 1 }, completionLength: 2, truncated: false },
  { reward: 0.5, subRewards: { a: 0.5, b: 1 }, completionLength: 2, truncated: false },
  { reward: null, errorKind: 'error', subRewards: { a: null }, completionLength: 6, truncated: false },
];
const ADV = [0.7, -0.7, 0, 0, 0, 0];

test('reward, grader, length and advantage statistics match hand values', () => {
  const m = rewardMetrics(
    S,
    groupStats(
      S.map((s) => s.reward),
      3,
    ),
    ADV,
  );
  // valid rewards [1, 0, 0.5, 0.5]: mean 0.5; Σdev² = 0.25 + 0.25 = 0.5, /3 → std √(1/6) = 0.4082483
  expect(m.reward_mean).toBeCloseTo(0.5, 9);
  expect(m.reward_std).toBeCloseTo(0.4082483, 6);
  expect([m.reward_min, m.reward_max]).toEqual([0, 1]);
  // group stds: g0 [1,0] → √0.5 = 0.7071068; g1 [0.5,0.5] → 0; mean 0.3535534
  expect(m.reward_std_in_group).toBeCloseTo(0.3535534, 6);
  // sub-graders, nulls skipped: a [1,0,0.5,0.5] → 0.5; b [0.5,1,1] → 0.8333333
  expect(m.reward_per_grader.a).toBeCloseTo(0.5, 9);
  expect(m.reward_per_grader.b).toBeCloseTo(2.5 / 3, 9);
  expect([m.n_samples, m.n_valid]).toEqual([6, 4]);
  expect(m.frac_groups_zero_std).toBe(0.5); // g1
  expect(m.frac_groups_any_success).toBe(0.5); // only g0 has a reward >= 1
  expect([m.grader_errors, m.grader_timeouts]).toEqual([1, 1]);
  // lengths (4+8+12+2+2+6)/6 = 34/6; max 12; 1 of 6 truncated
  expect(m.completion_length_mean).toBeCloseTo(34 / 6, 9);
  expect(m.completion_length_max).toBe(12);
  expect(m.frac_truncated).toBeCloseTo(1 / 6, 9);
  // advantages of valid samples [0.7, −0.7, 0, 0]: mean 0, std √(0.98/3) = 0.5715476
  expect(m.advantage_mean).toBeCloseTo(0, 9);
  expect(m.advantage_std).toBeCloseTo(0.5715476, 6);
});

test('the success threshold decides which groups count as "somewhat good"', () => {
  const m = rewardMetrics(
    S,
    groupStats(
      S.map((s) => s.reward),
      3,
    ),
    ADV,
    0.5,
  );
  expect(m.frac_groups_any_success).toBe(1);
});

test('all rewards null: statistics are null, not NaN, and every failure is counted', () => {
  const s: SampleOutcome[] = [
    { reward: null, errorKind: 'error', completionLength: 1, truncated: false },
    { reward: null, errorKind: 'timeout', completionLength: 3, truncated: true },
  ];
  const m = rewardMetrics(s, groupStats([null, null], 2), [0, 0]);
  expect([m.reward_mean, m.reward_std, m.reward_min, m.reward_max, m.advantage_mean]).toEqual([null, null, null, null, null]);
  expect(m.frac_groups_zero_std).toBe(1);
  expect([m.grader_errors, m.grader_timeouts]).toEqual([1, 1]);
  expect(JSON.stringify(m)).not.toContain('NaN');
});

test('summarize and input checks', () => {
  expect(summarize([2, 4, 9])).toEqual({ mean: 5, std: Math.sqrt(13), min: 2, max: 9 }); // Σdev² = 9+1+16 = 26, /2
  expect(() =>
    rewardMetrics(
      S,
      groupStats(
        S.map((s) => s.reward),
        3,
      ),
      [1],
    ),
  ).toThrow(MetricsInputError);
  expect(() => rewardMetrics(S, groupStats([1, 2], 2), ADV)).toThrow(/groups cover 2 samples but 6/);
});
