// The 'invalid-grades' diagnostic: the latest step's count of samples without a valid grade (StepMetrics.invalid).
import { expect, test } from 'vitest';
import { diagnose } from '../../src/ui/diagnostics/diagnose';
import type { MetricPoint } from '../../src/ui/store';

const step = (s: number, extra: Partial<MetricPoint> = {}): MetricPoint => ({
  step: s,
  reward_mean: 0.5,
  reward_std: 0.4,
  frac_groups_zero_std: 0.1,
  frac_truncated: 0,
  n_samples: 16,
  grader_errors: 0,
  grader_timeouts: 0,
  ...extra,
});

test('invalid grades in the latest step are named with their count; none or only earlier ones raise nothing', () => {
  const d = diagnose([step(0), step(1, { invalid: 3 })]);
  expect(d.map((x) => x.id)).toEqual(['invalid-grades']);
  expect(d[0].message).toBe('3 of 16 samples in step 2 got no valid grade (an error, a time-out, NaN or a non-number).');
  expect(d[0].advice).toMatch(/invalid_reward .*"excluded".*"zero"/);
  expect(diagnose([step(0, { invalid: 3 }), step(1, { invalid: 0 })])).toEqual([]);
});

test('when grader errors are already climbing, the errors banner alone is shown', () => {
  const d = diagnose([step(0, { grader_errors: 1 }), step(1, { grader_errors: 8, invalid: 8 })]);
  expect(d.map((x) => x.id)).toEqual(['grader-errors']);
});
