// The grader entry point (src/graders/index.ts): code and specs through one function, a multi spec whose
// sub-graders run in the sandbox, the try-it helpers, and dispose during a batch.
import { expect, test } from 'vitest';
import { gradeOnce, loadGrader, toSample, tryGrader } from '../../../src/graders';
import { createJsGrader } from '../../../src/graders/sandbox';
import { makeSample } from '../../../src/graders/types';

test('a multi spec combines a sandboxed javascript sub-grader with a built-in one', async () => {
  const g = await loadGrader({
    kind: 'spec',
    spec: {
      type: 'multi',
      name: 'combo',
      calculate_output: 'len + 2 * eq',
      graders: {
        len: { type: 'javascript', name: 'len', source: 'function grade(s) { return s.output_text.length / 10; }' },
        eq: { type: 'string_check', name: 'eq', input: '{{ sample.output_text }}', reference: '{{ item.answer }}', operation: 'eq' },
      },
    },
  });
  try {
    const out = await g.gradeBatch([
      { sample: makeSample('hello', 1), item: { answer: 'hello' } },
      { sample: makeSample('hi', 1), item: { answer: 'hello' } },
    ]);
    // 'hello': len = 5/10 = 0.5, eq = 1 → 0.5 + 2 = 2.5. 'hi': 0.2 + 0 = 0.2.
    expect(out[0].reward).toBeCloseTo(2.5, 12);
    expect(out[0].sub_rewards).toEqual({ len: 0.5, eq: 1 });
    expect(out[1].reward).toBeCloseTo(0.2, 12);
  } finally {
    g.dispose();
  }
});

test('tryGrader and gradeOnce take plain text samples and parse output_json', async () => {
  const src =
    'export const grade = (s: { output_json: { n?: number } | null }, item: { n: number }) => (s.output_json?.n === item.n ? 1 : 0);';
  const rs = await tryGrader({ kind: 'ts', code: src, name: 'n' }, [
    { sample: '{"n": 3}', item: { n: 3 } },
    { sample: 'three', item: { n: 3 } },
  ]);
  expect(rs.map((r) => r.reward)).toEqual([1, 0]);
  const one = await gradeOnce({ kind: 'js', code: 'function grade(s) { return s.output_tokens; }' }, 'a b  c', {});
  expect(one.reward).toBe(3);
});

test('toSample keeps a given output_json and counts whitespace-separated tokens otherwise', () => {
  expect(toSample({ output_text: 'x y', output_json: { a: 1 } })).toMatchObject({ output_json: { a: 1 }, output_tokens: 2 });
  expect(toSample('[1, 2]')).toMatchObject({ output_json: [1, 2], output_tokens: 2 });
});

test('dispose during a batch ends it with errors instead of leaving the caller waiting', async () => {
  const g = await createJsGrader('function grade() { return new Promise(() => {}); }', 'js', { limits: { sampleTimeoutMs: 5000 } });
  const pending = g.gradeBatch([
    { sample: makeSample('a', 1), item: {} },
    { sample: makeSample('b', 1), item: {} },
  ]);
  setTimeout(() => g.dispose(), 50);
  const out = await pending;
  expect(out.map((r) => r.reward)).toEqual([null, null]);
  expect(out[0].error).toMatch(/was disposed before sample 0/);
});
