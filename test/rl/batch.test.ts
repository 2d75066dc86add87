import { test, expect } from 'vitest';
import { completionMask, rowsToKeep, informativeGroups, BatchLayoutError } from '../../src/rl/batch';
import { groupStats } from '../../src/rl/advantages';

test('completion mask: log-prob t predicts token t + 1; left-padded prompts; dropped rows', () => {
  // ids width 6 → log-probs width 5.
  // row 0: prompt ids[0..2], completion ids[3..4] → logp[2..3]
  // row 1: [pad, p, p, c, c, c]: completion ids[3..5] → logp[2..4]
  // row 2: same layout as row 0 but dropped (null reward) → all 0
  // row 3: prompt of one token, completion ids[1] → logp[0]
  const m = completionMask({ starts: [3, 3, 3, 1], lengths: [2, 3, 2, 1], width: 5, keep: [true, true, false, true] });
  expect(m).toEqual([
    [0, 0, 1, 1, 0],
    [0, 0, 1, 1, 1],
    [0, 0, 0, 0, 0],
    [1, 0, 0, 0, 0],
  ]);
});

test('impossible layouts are named errors with the row and what fits', () => {
  expect(() => completionMask({ starts: [0], lengths: [1], width: 5 })).toThrow(/row 0: completion starts at 0/);
  expect(() => completionMask({ starts: [3], lengths: [4], width: 5 })).toThrow(BatchLayoutError);
  expect(() => completionMask({ starts: [3], lengths: [4], width: 5 })).toThrow(/does not fit log-probs of width 5/);
  expect(() => completionMask({ starts: [1, 2], lengths: [1], width: 5 })).toThrow(/one entry per row/);
});

test('rows to keep: null rewards always out, truncated ones only with mask_truncated_completions', () => {
  const valid = [true, true, false, true];
  const trunc = [false, true, false, true];
  expect(rowsToKeep(valid, trunc, true)).toEqual([true, false, false, false]);
  expect(rowsToKeep(valid, trunc, false)).toEqual([true, true, false, true]);
});

test('dynamic sampling keeps only groups with reward spread', () => {
  // groups: [1,0] spread; [1,1] none; [null,1] one valid → none; [0.5, 0] spread
  const g = groupStats([1, 0, 1, 1, null, 1, 0.5, 0], 2);
  expect(informativeGroups(g)).toEqual([0, 3]);
});
