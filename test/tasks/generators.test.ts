import { test, expect } from 'vitest';
import {
  TASKS,
  getTask,
  UnknownTaskError,
  TaskItemError,
  splitOf,
  arithmetic,
  hasTensCarry,
  isMislabelled,
  arithmeticLabelAccuracy,
  countdown,
  jsonExtract,
  reverseWords,
  rewardHacking,
} from '../../src/tasks';
import type { Split } from '../../src/tasks';
import { loadCherryTokenizer, CHERRY_SPECIAL } from '../../src/tokenizer';

const SPLITS: Split[] = ['train', 'validation', 'test'];

test('every generator is deterministic and a smaller n is a prefix', () => {
  for (const t of TASKS) {
    for (const s of SPLITS) {
      const a = t.items(s, 40);
      expect(t.items(s, 40), `${t.name}/${s}`).toEqual(a);
      expect(t.items(s, 10)).toEqual(a.slice(0, 10));
    }
  }
});

test('splits never share a prompt and each prompt is in the split its hash says', () => {
  for (const t of TASKS) {
    const seen = new Map<string, Split>();
    for (const s of SPLITS) {
      const items = t.items(s, s === 'train' ? 3000 : 400);
      expect(items.length, `${t.name}/${s}`).toBeGreaterThan(0);
      for (const it of items) {
        const p = it.prompt;
        if (typeof p !== 'string') throw new Error(`${t.name}: prompt is not a string`);
        expect(seen.has(p), `${t.name}: "${p}" in ${seen.get(p)} and ${s}`).toBe(false);
        seen.set(p, s);
        expect(splitOf(t.name, p)).toBe(s);
      }
    }
  }
});

test('items have string prompt/reference fields; labels fit maxNewTokens in the built-in vocabulary', async () => {
  const tok = await loadCherryTokenizer();
  for (const t of TASKS) {
    for (const it of t.items('train', 300)) {
      expect(typeof it.prompt).toBe('string');
      expect(typeof it.reference_answer).toBe('string');
      const label = t.sftTarget(it);
      const ids = [...tok.encode(String(it.prompt)), ...tok.encode(label)];
      expect(ids.includes(CHERRY_SPECIAL.unk), `${t.name}: ${String(it.prompt)}`).toBe(false);
      expect(tok.encode(label).length + 1, `${t.name}: label "${label}" + <eos>`).toBeLessThanOrEqual(t.maxNewTokens);
    }
  }
});

test('arithmetic: reference answers, the carry class and the wrong rule, checked by hand', () => {
  const mk = (a: number, op: string, b: number, ans: string) => ({ prompt: `${a}${op}${b}=`, a, b, op, reference_answer: ans });
  const c = mk(56, '+', 78, '134'); // 56+78: tens column 5+7+carry 1 = 13 -> carries into hundreds
  expect(hasTensCarry(c)).toBe(true);
  expect(['134', '34']).toContain(arithmetic.sftTarget(c));
  expect(arithmetic.sftTarget(c) === '34').toBe(isMislabelled(c));
  const n = mk(12, '+', 345, '357'); // 12+45 = 57 < 100: no tens carry
  expect([hasTensCarry(n), isMislabelled(n), arithmetic.sftTarget(n)]).toEqual([false, false, '357']);
  const u = mk(15, '+', 38, '53'); // units carry only: not in the class
  expect(hasTensCarry(u)).toBe(false);
  const s = mk(150, '-', 75, '75'); // subtraction: never in the class
  expect(hasTensCarry(s)).toBe(false);
  expect(() => arithmetic.sftTarget({ prompt: '1+1=' })).toThrow(TaskItemError);

  // Independent check of every generated problem, parsing the prompt text itself.
  const items = arithmetic.items('train', 4000);
  for (const it of items) {
    const m = /^(\d{2,3})([+-])(\d{2,3})=$/.exec(String(it.prompt));
    if (!m) throw new Error(`bad prompt ${String(it.prompt)}`);
    const a = Number(m[1]),
      b = Number(m[3]);
    expect(it.reference_answer).toBe(String(m[2] === '+' ? a + b : a - b));
    if (m[2] === '-') expect(a).toBeGreaterThanOrEqual(b);
    const tensCarry = m[2] === '+' && (a % 100) + (b % 100) >= 100;
    expect(hasTensCarry(it)).toBe(tensCarry);
    const label = arithmetic.sftTarget(it);
    expect(label).toBe(tensCarry && isMislabelled(it) ? String(a + b - 100) : it.reference_answer);
  }
  const acc = arithmeticLabelAccuracy(items);
  // Binomial(~1500, 0.35): sd ~ 0.012; the wrong label is the majority label in the class.
  expect(Math.abs(acc.carryClass - 0.35)).toBeLessThan(0.05);
  expect(acc.other).toBe(1);
  expect(acc.overall).toBeCloseTo(1 - (1 - acc.carryClass) * acc.classFraction, 10);
  expect(acc.classFraction).toBeGreaterThan(0.25);
  expect(acc.classFraction).toBeLessThan(0.5);
});

test('countdown: the reference uses given numbers at most once and equals the target', () => {
  for (const it of countdown.items('test', 300)) {
    const expr = String(it.reference_answer);
    expect(expr).toMatch(/^[0-9+\-*()]+$/);
    const value: unknown = new Function(`return (${expr});`)(); // independent evaluator: the JS engine
    expect(value).toBe(it.target);
    const numbers = it.numbers;
    if (!Array.isArray(numbers) || !numbers.every((x) => typeof x === 'number')) throw new Error('numbers must be a number[]');
    const left: number[] = numbers.slice();
    for (const n of (expr.match(/\d+/g) ?? []).map(Number)) {
      const k = left.indexOf(n);
      expect(k, `${expr} uses ${n}`).toBeGreaterThanOrEqual(0);
      left.splice(k, 1);
    }
    expect(it.prompt).toBe(`${numbers.join(' ')} -> ${String(it.target)}:`);
  }
});

test('json-extract: the reference JSON holds the fields named in the sentence', () => {
  for (const it of jsonExtract.items('validation', 200)) {
    const obj: unknown = JSON.parse(String(it.reference_answer));
    expect(obj).toEqual({ name: it.name, age: it.age, city: it.city });
    expect(Object.keys(obj ?? {})).toEqual(['name', 'age', 'city']);
    const sentence = String(it.prompt).split('\n')[0];
    expect(sentence).toContain(String(it.name));
    expect(sentence).toContain(String(it.age));
    expect(sentence).toContain(String(it.city));
    expect(String(it.prompt).endsWith('\njson name,age,city:')).toBe(true);
    expect(jsonExtract.sftTarget(it)).toBe(it.reference_answer);
  }
});

test('reverse-words: the reference is the prompt words reversed', () => {
  for (const it of reverseWords.items('train', 200)) {
    const words = String(it.prompt)
      .replace(/^reverse /, '')
      .replace(/:$/, '')
      .split(' ');
    expect(words.length).toBeGreaterThanOrEqual(3);
    expect(words.length).toBeLessThanOrEqual(5);
    expect(it.reference_answer).toBe(words.reverse().join(' '));
  }
});

test('registry: names, flags, explanations, unknown names', () => {
  expect(TASKS.map((t) => t.name)).toEqual(['arithmetic', 'countdown', 'json-extract', 'reverse-words', 'reward-hacking']);
  for (const t of TASKS) {
    expect(getTask(t.name)).toBe(t);
    const sentences = t.explanation.split(/[.!?](?:\s|$)/).filter((s) => s.trim().length > 0).length;
    expect(sentences, t.name).toBeGreaterThanOrEqual(3);
    expect(sentences, t.name).toBeLessThanOrEqual(6);
    expect(t.rl).toBe(t.name !== 'reward-hacking');
    expect(t.fixedGrader !== undefined).toBe(t.name === 'reward-hacking');
  }
  expect(rewardHacking.explanation).toMatch(/fixed grader/);
  expect(() => getTask('nope')).toThrow(UnknownTaskError);
  expect(() => getTask('nope')).toThrow(/arithmetic, countdown/);
});
