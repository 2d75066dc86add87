import { test, expect } from 'vitest';
import { brushIndices, columnKey, drawnColumns, inRange, rangeFromBrush, toRows, type ChartRun } from '../../src/ui/charts/series';
import { CHARTS, primaryRun, rewardPointCount, rewardRows, runsFor } from '../../src/ui/charts/defs';
import { itemClassNames, pick, read, subGraderNames } from '../../src/ui/charts/keys';
import { cakeVerdict, runEnds } from '../../src/ui/charts/cake';

const rft: ChartRun = {
  id: 'a',
  label: 'RFT',
  kind: 'rft',
  points: [
    { step: 2, reward_mean: 0.5, reward_std: 0.25, reward_min: 0, reward_max: 1, kl: 0.02 },
    { step: 1, reward_mean: 0.25, reward_std: 0.1, reward_min: 0, reward_max: 0.5, kl: 0.01, eval_reward_mean: 0.2 },
    { step: 3, reward_mean: null, kl: Number.NaN, reward_per_grader: { format: 1, answer: 0.5 } },
  ],
};
const sft: ChartRun = {
  id: 'b',
  label: 'SFT',
  kind: 'sft',
  points: [
    { step: 1, sft_loss: 2.5 },
    { step: 4, sft_loss: 1.5, eval_reward_mean: 0.4 },
  ],
};

test('rows: one per step of any run, sorted, one column per (run, series), null where missing', () => {
  const rows = toRows(
    [rft, sft],
    [
      { name: 'mean', read: read.rewardMean },
      { name: 'loss', read: read.sftLoss },
    ],
  );
  expect(rows).toEqual([
    { step: 1, r0s0: 0.25, r0s1: null, r1s0: null, r1s1: 2.5 },
    { step: 2, r0s0: 0.5, r0s1: null, r1s0: null, r1s1: null },
    { step: 3, r0s0: null, r0s1: null, r1s0: null, r1s1: null },
    { step: 4, r0s0: null, r0s1: null, r1s0: null, r1s1: 1.5 },
  ]);
  expect(columnKey(1, 2)).toBe('r1s2');
  expect(drawnColumns(toRows([rft], [{ name: 'entropy', read: read.entropy }]), 1, 1)).toEqual([]); // nothing to draw
});

test('non-finite values read as missing; the grader error rate from the counts', () => {
  expect(pick(rft.points[2], 'kl')).toBeNull();
  expect(pick({ step: 1, kl: null, entropy: 3 }, 'kl', 'entropy')).toBe(3);
  expect(read.zeroStd({ step: 1, frac_groups_zero_std: 0.25 })).toBe(0.25);
  expect(read.truncated({ step: 1, frac_truncated: 0.125 })).toBe(0.125);
  // (3 errors + 1 time-out) / 16 samples
  expect(read.graderErrorRate({ step: 1, n_samples: 16, grader_errors: 3, grader_timeouts: 1 })).toBe(0.25);
  expect(read.graderErrorRate({ step: 1, n_samples: 0, grader_errors: 0 })).toBeNull();
  expect(subGraderNames(rft.points)).toEqual(['answer', 'format']);
});

test('zoom: rows in a step range, brush indices and back', () => {
  const rows = [{ step: 0 }, { step: 2 }, { step: 4 }, { step: 6 }, { step: 8 }];
  expect(inRange(rows, { from: 2, to: 6 }).map((r) => r.step)).toEqual([2, 4, 6]);
  expect(inRange(rows, null)).toHaveLength(5);
  expect(brushIndices(rows, { from: 3, to: 7 })).toEqual({ startIndex: 2, endIndex: 3 });
  expect(brushIndices(rows, { from: 9, to: 12 })).toEqual({ startIndex: 0, endIndex: 4 }); // nothing inside: all
  expect(brushIndices(rows, null)).toEqual({ startIndex: 0, endIndex: 4 });
  expect(rangeFromBrush(rows, 1, 3)).toEqual({ from: 2, to: 6 });
  expect(rangeFromBrush(rows, 0, 4)).toBeNull(); // the whole data is no zoom
});

test('reward rows: bands of the primary (first RFT) run; mean and validation of every run', () => {
  expect(primaryRun([sft, rft])).toBe(1);
  expect(primaryRun([sft])).toBe(0);
  expect(primaryRun([])).toBe(-1);
  const rows = rewardRows([sft, rft]);
  expect(rows[0]).toEqual({ step: 1, r0s0: null, r0s1: null, r1s0: 0.25, r1s1: 0.2, minMax: [0, 0.5], std: [0.15, 0.35] });
  expect(rows[1].std).toEqual([0.25, 0.75]); // 0.5 ± 0.25
  // a band past [0, 1] is cut at the ends of the reward range: 0.9 ± 0.3 → [0.6, 1], 0.1 ± 0.3 → [0, 0.4]
  const edge = (m: number) =>
    rewardRows([{ id: 'e', label: 'E', kind: 'rft', points: [{ step: 0, reward_mean: m, reward_std: 0.3 }] }])[0].std;
  expect(edge(0.9)?.map((v) => Number(v.toFixed(12)))).toEqual([0.6, 1]);
  expect(edge(0.1)?.map((v) => Number(v.toFixed(12)))).toEqual([0, 0.4]);
  expect(rows[2]).toMatchObject({ step: 3, minMax: null, std: null });
  expect(rows[3]).toMatchObject({ step: 4, r0s1: 0.4, minMax: null });
  expect(rewardPointCount([sft, rft])).toBe(3);
});

test('chart definitions: RL charts skip SFT runs, per-grader series come from the data', () => {
  const kl = CHARTS.find((c) => c.id === 'kl');
  const loss = CHARTS.find((c) => c.id === 'loss');
  const perGrader = CHARTS.find((c) => c.id === 'per-grader');
  if (!kl || !loss || !perGrader) throw new Error('chart missing');
  expect(runsFor(kl, [rft, sft]).map((r) => r.id)).toEqual(['a']);
  expect(runsFor(loss, [rft, sft]).map((r) => r.id)).toEqual(['a', 'b']);
  const series = perGrader.series(rft.points);
  expect(series.map((x) => x.name)).toEqual(['answer', 'format']);
  expect(series[1].read(rft.points[2])).toBe(1);
  for (const c of CHARTS) expect(c.explain.length).toBeGreaterThan(40); // every chart explains itself
});

test('cake lesson: run ends on validation when evaluated, else training reward; the verdict against the label accuracy', () => {
  const sftRun: ChartRun = {
    id: 's',
    label: 'SFT',
    kind: 'sft',
    points: [
      { step: 0, sft_loss: 3, eval_reward_mean: 0.1 },
      { step: 30, sft_loss: 1, eval_reward_mean: 0.52 },
      { step: 15, sft_loss: 2 },
    ],
  };
  const rftRun: ChartRun = {
    id: 'r',
    label: 'RFT',
    kind: 'rft',
    points: [
      { step: 0, reward_mean: 0.5 },
      { step: 60, reward_mean: 0.87 },
    ],
  };
  const s = runEnds(sftRun),
    r = runEnds(rftRun);
  expect(s).toEqual({ measure: 'validation', firstStep: 0, first: 0.1, lastStep: 30, last: 0.52 });
  expect(r).toEqual({ measure: 'training reward', firstStep: 0, first: 0.5, lastStep: 60, last: 0.87 });
  expect(runEnds(null)).toBeNull();
  if (r === null) throw new Error('RFT run has no ends');
  expect(cakeVerdict(s, r, 0.6)).toBe('RFT reached 87%, past the 60% its labels would allow: the grader taught what the labels could not.');
  expect(cakeVerdict(s, { ...r, last: 0.61 }, 0.6)).toMatch(/^RFT is at 61%, not yet past/); // within the 0.02 margin
  expect(cakeVerdict(s, null, 0.6)).toBe('SFT reached 52%; its labels are right 60% of the time. Now run RFT from the same start.');
});

test('only (run, series) columns with a number are drawn', () => {
  const rows = toRows(
    [rft, sft],
    [
      { name: 'policy', read: read.policyLoss },
      { name: 'sft', read: read.sftLoss },
      { name: 'kl', read: read.kl },
    ],
  );
  // rft has kl (steps 1, 2) but no losses; sft has sft_loss only
  expect(drawnColumns(rows, 2, 3)).toEqual([
    { r: 0, s: 2 },
    { r: 1, s: 1 },
  ]);
  expect(drawnColumns([], 2, 3)).toEqual([]);
});

test('validation reward by class: one series per class in eval_reward_by_class, SFT and RFT runs alike', () => {
  const a: ChartRun = {
    id: 'a',
    label: 'RFT',
    kind: 'rft',
    points: [
      { step: 9, eval_reward_mean: 0.6, eval_reward_by_class: { carry: 0.1, other: 0.9 } },
      { step: 10, reward_mean: 0.5 },
    ],
  };
  const b: ChartRun = { id: 'b', label: 'SFT', kind: 'sft', points: [{ step: 9, eval_reward_by_class: { carry: 0.2 } }] };
  expect(itemClassNames([...a.points, ...b.points])).toEqual(['carry', 'other']);
  expect(subGraderNames(a.points)).toEqual([]); // a class is not a sub-grader
  const def = CHARTS.find((c) => c.id === 'by-class');
  if (def === undefined) throw new Error('no by-class chart');
  const runs = runsFor(def, [a, b]);
  expect(runs).toEqual([a, b]);
  const rows = toRows(runs, def.series(runs.flatMap((r) => r.points)));
  expect(rows).toEqual([
    { step: 9, r0s0: 0.1, r0s1: 0.9, r1s0: 0.2, r1s1: null },
    { step: 10, r0s0: null, r0s1: null, r1s0: null, r1s1: null },
  ]);
  expect(def.series(rft.points)).toEqual([]); // a task without classes: no series, so no chart
});
