import { test, expect } from 'vitest';
import { diagnose } from '../../src/ui/diagnostics/diagnose';
import type { MetricPoint } from '../../src/ui/store';

const steps = (n: number, f: (i: number) => Omit<MetricPoint, 'step'>): MetricPoint[] =>
  Array.from({ length: n }, (_, i) => ({ step: i + 1, ...f(i) }));

test('a healthy run raises nothing', () => {
  expect(
    diagnose(steps(6, (i) => ({ reward_mean: 0.3 + 0.05 * i, reward_std: 0.3, frac_groups_zero_std: 0.25, frac_truncated: 0.05 }))),
  ).toEqual([]);
  expect(diagnose([])).toEqual([]);
});

test('mostly zero-variance groups: "never succeeds" when rewards are low, "always" when high', () => {
  const low = diagnose(steps(5, () => ({ reward_mean: 0.02, reward_std: 0.05, frac_groups_zero_std: 0.9 })));
  expect(low.map((d) => d.id)).toEqual(['no-signal']);
  expect(low[0].message).toBe(
    '90% of groups have the same reward for every completion: the model never succeeds, so there is no signal to learn from.',
  );
  const high = diagnose(steps(5, () => ({ reward_mean: 0.97, reward_std: 0.05, frac_groups_zero_std: 0.85 })));
  expect(high[0].message).toMatch(/always succeeds/);
  expect(high[0].action.target).toBe('task');
  // partial credit: every completion gets 0.6, no group has a full success → "never", not "always"
  const partial = diagnose(steps(5, () => ({ reward_mean: 0.6, reward_std: 0.01, frac_groups_zero_std: 1, frac_groups_any_success: 0 })));
  expect(partial[0].message).toBe(
    '100% of groups have the same reward for every completion: the model never succeeds, so there is no signal to learn from.',
  );
  // no reward at all (every sample unscorable): it scores the same
  expect(diagnose(steps(5, () => ({ frac_groups_zero_std: 1 })))[0].message).toMatch(/the model scores the same, so/);
});

test('a constant grader is flagged after three identical steps with zero spread', () => {
  const d = diagnose(steps(3, () => ({ reward_mean: 0.5, reward_std: 0 })));
  expect(d.map((x) => x.id)).toEqual(['constant-grader']);
  expect(d[0].message).toBe('The grader returned 0.5 for every sample in the last 3 steps.');
  expect(diagnose(steps(2, () => ({ reward_mean: 0.5, reward_std: 0 })))).toEqual([]); // too early to tell
});

test('truncation above 30% of completions (mean of the last 5 steps)', () => {
  // last five: 0.2, 0.3, 0.4, 0.5, 0.6 → mean 0.4
  const d = diagnose(steps(7, (i) => ({ reward_mean: 0.5, reward_std: 0.2, frac_truncated: i / 10 })));
  expect(d.map((x) => x.id)).toEqual(['truncation']);
  expect(d[0].message).toBe('40% of completions hit the length limit.');
});

test('grader errors climbing (errors + time-outs over samples)', () => {
  // 0, 1, 2, 5 errors of 20 samples: 0%, 5%, 10%, 25%
  const d = diagnose(steps(4, (i) => ({ reward_mean: 0.5, reward_std: 0.2, n_samples: 20, grader_errors: [0, 1, 2, 5][i] })));
  expect(d.map((x) => x.id)).toEqual(['grader-errors']);
  expect(d[0].message).toMatch(/25% of samples could not be scored/);
  expect(d[0].action).toEqual({ label: 'Show the failing completions', target: 'samples' });
  // counts only: 0/16, then (2 + 1)/16 = 18.75% → "19%"
  const c = diagnose(
    steps(2, (i) => ({ reward_mean: 0.5, reward_std: 0.2, n_samples: 16, grader_errors: [0, 2][i], grader_timeouts: [0, 1][i] })),
  );
  expect(c.map((x) => x.id)).toEqual(['grader-errors']);
  expect(c[0].message).toBe('Grader errors are climbing: 19% of samples could not be scored.');
  // a steady 20% is not "climbing"
  expect(diagnose(steps(3, () => ({ reward_mean: 0.5, reward_std: 0.2, n_samples: 20, grader_errors: 4 })))).toEqual([]);
});

test('only the last 5 steps count: an early no-signal phase that ended raises nothing', () => {
  // steps 1-3 all zero-variance, steps 4-8 a quarter: mean of the last five is 0.25
  const d = diagnose(steps(8, (i) => ({ reward_mean: 0.1 * i, reward_std: 0.2, frac_groups_zero_std: i < 3 ? 1 : 0.25 })));
  expect(d).toEqual([]);
  // but 4 of the last 5 at 1.0 and one at 0.5: mean 0.9 > 0.8
  const e = diagnose(steps(5, (i) => ({ reward_mean: 0.1, reward_std: 0.1, frac_groups_zero_std: i === 0 ? 0.5 : 1 })));
  expect(e.map((x) => x.id)).toEqual(['no-signal']);
  expect(e[0].action.target).toBe('grader');
});

test('training reward up, validation flat: possible reward hacking', () => {
  const pts: MetricPoint[] = [
    { step: 1, reward_mean: 0.2, reward_std: 0.3, eval_reward_mean: 0.3 },
    { step: 5, reward_mean: 0.5, reward_std: 0.3 },
    { step: 10, reward_mean: 0.8, reward_std: 0.3, eval_reward_mean: 0.31 },
  ];
  const d = diagnose(pts);
  expect(d.map((x) => x.id)).toEqual(['possible-hacking']);
  expect(d[0].message).toBe('Training reward rose by 0.60 but validation reward by only 0.01: the model may be gaming the grader.');
  pts[2].eval_reward_mean = 0.7; // validation follows: fine
  expect(diagnose(pts)).toEqual([]);
});
