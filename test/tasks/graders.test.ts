// Each default grader, loaded exactly as a user's grader is (loadGrader), gives 1 on the reference
// answer and less on corrupted ones; hand-computed partial scores where the grader gives them.
import { test, expect } from 'vitest';
import { loadGrader } from '../../src/graders';
import { makeSample } from '../../src/graders/types';
import type { GraderSource, Item } from '../../src/graders/types';
import { TASKS, arithmetic, countdown, jsonExtract, reverseWords, rewardHacking } from '../../src/tasks';

async function rewards(source: GraderSource, pairs: [string, Item][]): Promise<(number | null)[]> {
  const g = await loadGrader(source);
  try {
    const res = await g.gradeBatch(pairs.map(([text, item]) => ({ sample: makeSample(text, text.length + 1, 'stop'), item })));
    return res.map((r) => r.reward);
  } finally {
    g.dispose();
  }
}

test('every RL task: reference answers score 1 on the test split', async () => {
  for (const t of TASKS.filter((x) => x.rl)) {
    const items = t.items('test', 25);
    const r = await rewards(
      t.defaultGrader,
      items.map((it) => [String(it.reference_answer), it]),
    );
    expect(r, t.name).toEqual(items.map(() => 1));
  }
}, 60_000);

test('arithmetic: exact answers only', async () => {
  const it = { prompt: '56+78=', a: 56, b: 78, op: '+', reference_answer: '134' };
  const r = await rewards(arithmetic.defaultGrader, [
    ['134', it],
    [' 134', it],
    ['34', it],
    ['135', it],
    ['', it],
    ['134 ', it],
    ['1344', it],
  ]);
  expect(r).toEqual([1, 1, 0, 0, 0, 1, 0]);
});

test('countdown: hand-computed partial credit', async () => {
  const it = { prompt: '3 7 12 -> 33:', numbers: [3, 7, 12], target: 33, reference_answer: '3*7+12' };
  const r = await rewards(countdown.defaultGrader, [
    ['3*7+12', it], // 21+12 = 33: correct
    ['12+7*3', it], // another correct expression
    ['(12-7)*3', it], // 15, legal: 0.25 + 0.25*(1 - 18/33)
    ['7*7', it], // 7 used twice: 0.1
    ['3*11', it], // 11 not given: 0.1
    ['3*7+', it], // not an expression: 0
    ['(3*7+12', it], // unbalanced: 0
    ['eval(33)', it], // not an expression: 0
    ['', it],
  ]);
  expect(r.slice(0, 2)).toEqual([1, 1]);
  expect(r[2]).toBeCloseTo(0.25 + 0.25 * (15 / 33), 10);
  expect(r.slice(3)).toEqual([0.1, 0.1, 0, 0, 0, 0]);
});

test('json-extract: schema 40% + 20% per field', async () => {
  const it = {
    prompt: 'Ann is 34 and lives in Oslo.\njson name,age,city:',
    name: 'Ann',
    age: 34,
    city: 'Oslo',
    reference_answer: '{"name":"Ann","age":34,"city":"Oslo"}',
  };
  const r = await rewards(jsonExtract.defaultGrader, [
    ['{"name":"Ann","age":34,"city":"Oslo"}', it],
    ['{"name": "Ann", "age": 34, "city": "Rome"}', it], // one field wrong: 0.4 + 0.2 + 0.2
    ['{"name":"Ann","age":"34","city":"Oslo"}', it], // age a string: schema parse credit 0.5 * 0.4, name and city right, age not a number
    ['{"name":"Oslo","age":34,"city":"Ann"}', it], // name and city swapped: schema and age only
    ['{"name":"Bo","age":35,"city":"Rome"}', it], // all fields wrong, schema right
    ['Ann 34 Oslo', it], // not JSON: nothing
  ]);
  expect(r[0]).toBeCloseTo(1, 10);
  expect(r[1]).toBeCloseTo(0.8, 10);
  expect(r[2]).toBeCloseTo(0.2 + 0.2 + 0.2, 10);
  expect(r[3]).toBeCloseTo(0.4 + 0.2, 10);
  expect(r[4]).toBeCloseTo(0.4, 10);
  expect(r[5]).toBe(0); // scored 0, not unscorable (null)
});

test('reverse-words: fuzzy similarity, hand-computed', async () => {
  const it = { prompt: 'reverse cat dog owl:', words: ['cat', 'dog', 'owl'], reference_answer: 'owl dog cat' };
  const r = await rewards(reverseWords.defaultGrader, [
    ['owl dog cat', it],
    ['owl dog', it],
    ['', it],
  ]);
  expect(r[0]).toBe(1);
  expect(r[1]).toBeCloseTo((2 * 7) / (7 + 11), 10); // LCS "owl dog" = 7 chars
  expect(r[2]).toBe(0);
});

test('reward-hacking: the sloppy grader pays more for a gamed answer; the fixed one does not', async () => {
  const it = { prompt: 'opposite of hot:', word: 'hot', reference_answer: 'cold' };
  const gamed = 'cold warm cool freezing icy chilly frozen cold';
  const fixed = rewardHacking.fixedGrader;
  if (!fixed) throw new Error('reward-hacking has no fixedGrader');
  const sloppy = await rewards(rewardHacking.defaultGrader, [
    ['cold', it],
    [gamed, it],
    ['hot', it],
  ]);
  expect(sloppy[0]).toBeCloseTo(0.5 + 0.5 * (4 / 40), 10);
  expect(sloppy[1]).toBe(1);
  expect(sloppy[2]).toBeCloseTo(0.5 * (3 / 40), 10);
  expect(
    await rewards(fixed, [
      ['cold', it],
      [gamed, it],
      [' Cold', it],
      ['hot', it],
    ]),
  ).toEqual([1, 0, 1, 0]);
});
