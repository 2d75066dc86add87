import { test, expect } from 'vitest';
import { gradeText, loadError } from './helpers';
import type { RegexSpec } from '../../../src/graders/spec';

const base = { type: 'regex', name: 're', input: '{{ sample.output_text }}' } as const;

test('match: found anywhere', async () => {
  const s: RegexSpec = { ...base, pattern: '\\d+', mode: 'match' };
  expect((await gradeText(s, 'answer: 42')).reward).toBe(1);
  expect((await gradeText(s, 'no digits')).reward).toBe(0);
  // The g flag is dropped, so repeated grading is not affected by lastIndex.
  const g: RegexSpec = { ...s, flags: 'g' };
  expect((await gradeText(g, '7')).reward).toBe(1);
  expect((await gradeText(g, '7')).reward).toBe(1);
});

test('full_match: the whole input, with backtracking into alternatives, whatever the m flag', async () => {
  const s: RegexSpec = { ...base, pattern: 'a|ab', mode: 'full_match' };
  expect((await gradeText(s, 'ab')).reward).toBe(1); // like Python re.fullmatch('a|ab', 'ab')
  expect((await gradeText(s, 'abc')).reward).toBe(0);
  const m: RegexSpec = { ...base, pattern: '^\\d+$', flags: 'm', mode: 'full_match' };
  expect((await gradeText(m, '12\n34')).reward).toBe(0);
  expect((await gradeText(m, '1234')).reward).toBe(1);
});

test('capture: a numbered or named group equals the reference', async () => {
  const s: RegexSpec = { ...base, pattern: 'answer:\\s*(-?\\d+)', mode: 'capture', reference: '{{ item.answer }}' };
  expect((await gradeText(s, 'so the answer: 42', { answer: 42 })).reward).toBe(1);
  const wrong = await gradeText(s, 'so the answer: 41', { answer: 42 });
  expect(wrong.reward).toBe(0);
  expect(wrong.details).toEqual({ matched: true, captured: '41', expected: '42' });
  expect((await gradeText(s, 'no answer', { answer: 42 })).details).toEqual({ matched: false, expected: '42' });
  const named: RegexSpec = { ...base, pattern: '#### (?<final>\\d+)', mode: 'capture', reference: '18', group: 'final' };
  expect((await gradeText(named, 'work... #### 18')).reward).toBe(1);
});

test('bad regexes and fields fail at load time, naming the field', async () => {
  expect((await loadError({ ...base, pattern: '(', mode: 'match' })).message).toMatch(
    /^grader spec, field "pattern": not a valid JavaScript regular expression/,
  );
  expect((await loadError({ ...base, pattern: 'a', flags: 'q', mode: 'match' })).message).toMatch(/field "flags"/);
  expect((await loadError({ ...base, pattern: 'a', mode: 'search' })).message).toBe(
    'grader spec, field "mode": "search" is not one of: match, full_match, capture',
  );
  expect((await loadError({ ...base, pattern: '(a)', mode: 'capture' })).message).toMatch(/field "reference": missing/);
  expect((await loadError({ ...base, pattern: '(a)', mode: 'capture', reference: 'a', group: 2 })).message).toMatch(
    /field "group": group 2 does not exist: the pattern has 1 capture group/,
  );
  expect((await loadError({ ...base, pattern: '(a)', mode: 'capture', reference: 'a', group: 'x' })).message).toMatch(/no group named "x"/);
  expect((await loadError({ ...base, pattern: 'a', mode: 'match', reference: 'a' })).message).toMatch(/only used with mode "capture"/);
});
