import { test, expect } from 'vitest';
import { completionMask, rowsToKeep, informativeGroups, packSequences, BatchLayoutError } from '../../src/rl/batch';
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

test('packing prompts and completions: right padding, starts, lengths, and the matching mask', () => {
  // row 0: prompt [1, 5], completion [7, 8, 2]  → 5 tokens
  // row 1: prompt [1, 6, 6], completion [2]      → 4 tokens, padded with 0 to W = 5
  const p = packSequences(
    [
      [1, 5],
      [1, 6, 6],
    ],
    [[7, 8, 2], [2]],
    0,
  );
  expect(p.ids).toEqual([
    [1, 5, 7, 8, 2],
    [1, 6, 6, 2, 0],
  ]);
  expect(p.attentionMask).toEqual([
    [1, 1, 1, 1, 1],
    [1, 1, 1, 1, 0],
  ]);
  expect([p.starts, p.lengths]).toEqual([
    [2, 3],
    [3, 1],
  ]);
  // log-prob t predicts ids[t + 1]: row 0's completion ids[2..4] → logp[1..3]; row 1's ids[3] → logp[2]
  expect(completionMask({ starts: p.starts, lengths: p.lengths, width: 4 })).toEqual([
    [0, 1, 1, 1],
    [0, 0, 1, 0],
  ]);
});

test('packing rounds the width up to the bucket and keeps at least two columns', () => {
  expect(packSequences([[1, 2, 3]], [[4, 5]], 0, 4).ids).toEqual([[1, 2, 3, 4, 5, 0, 0, 0]]);
  expect(packSequences([[1]], [[]], 9).ids).toEqual([[1, 9]]);
  expect(() => packSequences([[1]], [], 0)).toThrow(/1 prompts but 0 completions/);
  expect(() => packSequences([[]], [[2]], 0)).toThrow(/row 0: empty prompt/);
});
