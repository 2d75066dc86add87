import { test, expect } from 'vitest';
import { computeAdvantages, groupStats, unbiasedStd, AdvantageInputError } from '../../src/rl/advantages';

function close(actual: number[], expected: number[], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i], digits));
}

test('unbiased std divides by n − 1 (like torch.std, which TRL uses)', () => {
  // [1,0,0,1]: mean 0.5, squared deviations 4 × 0.25 = 1, / 3 → std √(1/3) = 0.5773503
  expect(unbiasedStd([1, 0, 0, 1])).toBeCloseTo(0.5773503, 6);
  expect(unbiasedStd([5])).toBe(0);
  expect(unbiasedStd([])).toBe(0);
});

// Four groups of G=4:
//   g0 [1,0,0,1]          mean 0.5, std √(1/3)=0.5773503 → A = ±0.5/(0.5773503+1e-4) = ±0.8658754
//   g1 [1,1,1,1]          zero std → A = 0, counted as zeroStd
//   g2 [null,2,0,null]    valid [2,0]: mean 1, std √2 = 1.4142136 → A = ±1/(1.4142136+1e-4) = ±0.7070568; nulls 0
//   g3 [null×4]           no valid reward: mean null, A = 0
const R = [1, 0, 0, 1, 1, 1, 1, 1, null, 2, 0, null, null, null, null, null];

test('GRPO, scale_rewards=group: hand-computed advantages, nulls and zero-std groups get 0', () => {
  const out = computeAdvantages(R, { kind: 'grpo', groupSize: 4, scaleRewards: 'group' });
  const a = 0.8658754,
    b = 0.7070568;
  close(out.advantages, [a, -a, -a, a, 0, 0, 0, 0, 0, b, -b, 0, 0, 0, 0, 0]);
  expect(out.valid).toEqual(R.map((r) => r !== null));
  expect(out.groups.map((g) => g.zeroStd)).toEqual([false, true, false, true]);
  expect(out.groups.map((g) => g.nValid)).toEqual([4, 4, 2, 0]);
  expect(out.groups.map((g) => g.mean)).toEqual([0.5, 1, 1, null]);
  expect(out.groups[2].std).toBeCloseTo(Math.SQRT2, 6);
});

test('GRPO, scale_rewards=none: reward minus group mean', () => {
  const out = computeAdvantages(R, { kind: 'grpo', groupSize: 4, scaleRewards: 'none' });
  close(out.advantages, [0.5, -0.5, -0.5, 0.5, 0, 0, 0, 0, 0, 1, -1, 0, 0, 0, 0, 0]);
});

test('GRPO, scale_rewards=batch: group mean, batch std', () => {
  // valid rewards of the batch: [1,0,0,1,1,1,1,1]: mean 0.75, Σ(dev²) = 2·0.5625 + 6·0.0625 = 1.5,
  // /7 → std 0.4629100; g0: ±0.5/(0.4629100+1e-4) = ±1.0798902; g1: zero std → 0
  const out = computeAdvantages([1, 0, 0, 1, 1, 1, 1, 1], { kind: 'grpo', groupSize: 4, scaleRewards: 'batch' });
  const a = 1.0798902;
  close(out.advantages, [a, -a, -a, a, 0, 0, 0, 0]);
});

test('single-sample groups carry no signal: advantage 0, zeroStd, counted', () => {
  const out = computeAdvantages([3, 7], { kind: 'grpo', groupSize: 1 });
  expect(out.advantages).toEqual([0, 0]);
  expect(out.groups).toEqual([
    { mean: 3, std: 0, zeroStd: true, nValid: 1, n: 1 },
    { mean: 7, std: 0, zeroStd: true, nValid: 1, n: 1 },
  ]);
});

test('RLOO: reward minus the mean of the other valid rewards in the group', () => {
  // g0 [1,0,0,1]: 1 − (0+0+1)/3 = 2/3; 0 − (1+0+1)/3 = −2/3
  // g2 [null,2,0,null]: 2 − 0 = 2; 0 − 2 = −2
  const out = computeAdvantages(R, { kind: 'rloo', groupSize: 4 });
  const t = 2 / 3;
  close(out.advantages, [t, -t, -t, t, 0, 0, 0, 0, 0, 2, -2, 0, 0, 0, 0, 0]);
  // G=3 [3,1,2]: 3 − 1.5 = 1.5; 1 − 2.5 = −1.5; 2 − 2 = 0
  close(computeAdvantages([3, 1, 2], { kind: 'rloo', groupSize: 3 }).advantages, [1.5, -1.5, 0]);
});

test('REINFORCE: reward minus the mean of all valid rewards in the batch', () => {
  // valid [1,0,0,1,1,1,1]: mean 5/7; 1 − 5/7 = 2/7, 0 − 5/7 = −5/7; the null stays 0.
  // The all-equal group g1 still moves here: the baseline is the batch's, not the group's.
  const out = computeAdvantages([1, 0, 0, 1, 1, 1, 1, null], { kind: 'reinforce', groupSize: 4 });
  const p = 2 / 7,
    n = -5 / 7;
  close(out.advantages, [p, n, n, p, p, p, p, 0]);
  expect(out.groups[1].zeroStd).toBe(true);
  expect(computeAdvantages([null, null], { kind: 'reinforce', groupSize: 2 }).advantages).toEqual([0, 0]);
});

test('bad inputs throw named errors that say what to pass', () => {
  expect(() => groupStats([1, 2, 3], 2)).toThrow(AdvantageInputError);
  expect(() => groupStats([1, 2, 3], 2)).toThrow(/groups of 2/);
  expect(() => computeAdvantages([1, Number.NaN], { kind: 'grpo', groupSize: 2 })).toThrow(/reward 1 is NaN/);
  expect(() => groupStats([1], 0)).toThrow(/positive integer/);
});
