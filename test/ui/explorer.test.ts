import { test, expect } from 'vitest';
import {
  acrossSteps,
  filterGroups,
  groupsAt,
  matches,
  NO_FILTER,
  parseBound,
  repeatedPrompts,
  stepsOf,
  type ExplorerSample,
} from '../../src/ui/explorer/select';
import { appendHistory } from '../../src/ui/explorer/history';

const s = (
  step: number,
  group: number,
  prompt: string,
  completion: string,
  reward: number | null,
  extra: Partial<ExplorerSample> = {},
): ExplorerSample => ({
  step,
  group,
  prompt,
  completion,
  reward,
  advantage: 0,
  sub_rewards: {},
  error: reward === null ? 'grade: TypeError at line 3, column 9' : null,
  error_kind: reward === null ? 'error' : null,
  length: completion.length,
  truncated: false,
  trained: true,
  ...extra,
});

const samples: ExplorerSample[] = [
  s(0, 0, '2+2=', '4', 1),
  s(0, 0, '2+2=', '5', 0),
  s(0, 0, '2+2=', 'x', null),
  s(0, 1, '7+5=', '11', 0),
  s(0, 1, '7+5=', '13', 0),
  s(3, 0, '7+5=', '12', 1),
  s(3, 0, '7+5=', '12', 1),
  s(3, 1, '9+9=', '18', 0.5, { truncated: true }),
  s(1, 0, '2+2=', '4', 1),
];

test('steps are distinct and ascending', () => {
  expect(stepsOf(samples)).toEqual([0, 1, 3]);
  expect(stepsOf([])).toEqual([]);
});

test('groups of a step: best first, unscorable last, mean over scored samples, zero-variance flag', () => {
  const g = groupsAt(samples, 0);
  expect(g.map((x) => x.group)).toEqual([0, 1]);
  expect(g[0].prompt).toBe('2+2=');
  expect(g[0].samples.map((x) => x.completion)).toEqual(['4', '5', 'x']);
  expect(g[0].mean).toBe(0.5); // (1 + 0) / 2, the null excluded
  expect(g[0].zeroStd).toBe(false);
  expect(g[1].mean).toBe(0);
  expect(g[1].zeroStd).toBe(true); // 0 and 0: no signal
  expect(groupsAt(samples, 1)[0].zeroStd).toBe(true); // a single scored sample
  expect(groupsAt(samples, 2)).toEqual([]);
});

test('reward range, text search, errors-only and truncated-only filters', () => {
  const step0 = groupsAt(samples, 0);
  const high = filterGroups(step0, { ...NO_FILTER, minReward: 0.5 });
  expect(high.map((g) => g.samples.map((x) => x.completion))).toEqual([['4']]); // group 1 (all 0) dropped
  expect(high[0].mean).toBe(0.5); // statistics stay those of the whole group
  const low = filterGroups(step0, { ...NO_FILTER, maxReward: 0 });
  expect(low.map((g) => g.samples.map((x) => x.completion))).toEqual([['5'], ['11', '13']]); // null reward excluded
  const text = filterGroups(step0, { ...NO_FILTER, text: ' 7+5 ' });
  expect(text.map((g) => g.group)).toEqual([1]);
  expect(filterGroups(step0, { ...NO_FILTER, text: 'TYPEERROR' })[0].samples.map((x) => x.completion)).toEqual(['x']);
  expect(filterGroups(step0, { ...NO_FILTER, onlyErrors: true, minReward: 0.5 })[0].samples.map((x) => x.completion)).toEqual(['x']);
  expect(filterGroups(groupsAt(samples, 3), { ...NO_FILTER, onlyTruncated: true }).map((g) => g.prompt)).toEqual(['9+9=']);
  expect(matches(samples[0], NO_FILTER)).toBe(true);
  expect(matches(samples[0], { ...NO_FILTER, minReward: 1, maxReward: 1 })).toBe(true); // bounds are inclusive
});

test('the same prompt across steps: before and after', () => {
  const a = acrossSteps(samples, '7+5=');
  expect(a.map((x) => [x.step, x.mean, x.scored, x.total, x.best.completion])).toEqual([
    [0, 0, 2, 2, '11'],
    [3, 1, 2, 2, '12'],
  ]);
  const b = acrossSteps(samples, '2+2=');
  expect(b.map((x) => [x.step, x.mean, x.scored, x.total])).toEqual([
    [0, 0.5, 2, 3],
    [1, 1, 1, 1],
  ]);
  expect(acrossSteps(samples, 'nope')).toEqual([]);
  expect(repeatedPrompts(samples)).toEqual(['2+2=', '7+5=']); // 9+9= appears at one step only
});

test('reward bounds typed by the user', () => {
  expect(parseBound('')).toEqual({ ok: true, value: null });
  expect(parseBound(' 0.25 ')).toEqual({ ok: true, value: 0.25 });
  expect(parseBound('abc')).toEqual({ ok: false });
});

test('sample history: a step replaces itself, the first step and the latest ones are kept', () => {
  const at = (step: number, n = 2) => Array.from({ length: n }, (_, i) => s(step, 0, 'p', `c${step}.${i}`, i));
  let h: ExplorerSample[] = [];
  for (const step of [0, 1, 2, 3, 4]) h = appendHistory(h, at(step), 3);
  expect(stepsOf(h)).toEqual([0, 3, 4]); // the first ("before") and the latest two
  h = appendHistory(h, at(4, 1), 3);
  expect(h.filter((x) => x.step === 4).map((x) => x.completion)).toEqual(['c4.0']); // replaced, not doubled
  expect(appendHistory(h, [], 3)).toEqual(h);
});

test('sample history: steps fetched on request (pinned) are kept beyond the limit', () => {
  const at = (step: number) => [s(step, 0, 'p', `c${step}`, 1)];
  let h: ExplorerSample[] = [];
  for (const step of [0, 5, 6]) h = appendHistory(h, at(step), 3);
  h = appendHistory(h, at(2), 3, new Set([2])); // fetched step 2
  expect(stepsOf(h)).toEqual([0, 2, 5, 6]);
  h = appendHistory(h, at(7), 3, new Set([2]));
  expect(stepsOf(h)).toEqual([0, 2, 6, 7]); // 5 dropped; 0 (first) and 2 (pinned) stay
});
