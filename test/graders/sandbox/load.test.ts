// Loading user code: syntax errors with the user's line and column, a missing grade function, forbidden
// dynamic import(), TypeScript, ES module exports.
import { expect, test } from 'vitest';
import { createJsGrader, GraderLoadError } from '../../../src/graders/sandbox';
import { mapColumn } from '../../../src/graders/sandbox/compile';
import { makeSample } from '../../../src/graders/types';

async function loadError(code: string, lang: 'js' | 'ts' = 'js'): Promise<GraderLoadError> {
  try {
    const g = await createJsGrader(code, lang, { name: 'mine' });
    g.dispose();
  } catch (e) {
    if (e instanceof GraderLoadError) return e;
    throw e;
  }
  throw new Error('expected a GraderLoadError');
}

const one = [{ sample: makeSample('{"a": 2}', 3), item: { reference_answer: '2' } }];

test('a syntax error names the line and column in the user source', async () => {
  // Line 3 is "  return s.(;": the '(' that V8 rejects is the 12th character.
  const e = await loadError('// my grader\nfunction grade(s) {\n  return s.(;\n}\n');
  expect(e.line).toBe(3);
  expect(e.column).toBe(12);
  expect(e.message).toMatch(/grader 'mine': syntax error at line 3, column 12/);
});

test('a syntax error on the first line is reported at the user column, not the wrapper column', async () => {
  // "function grade(s) { return 1 +; }": the ';' is character 31.
  const e = await loadError('function grade(s) { return 1 +; }');
  expect([e.line, e.column]).toEqual([1, 31]);
});

test('no grade function is a clear load error', async () => {
  const e = await loadError('function score(sample) { return 1; }');
  expect(e.message).toMatch(/defines no function named grade/);
});

test('an error thrown by top-level code is a load error with its line', async () => {
  const e = await loadError('const x = 1;\nnull.boom;\nfunction grade() { return 1; }');
  expect(e.message).toMatch(/failed while loading at line 2/);
  expect(e.line).toBe(2);
});

test('a literal dynamic import() is rejected before any code runs', async () => {
  const e = await loadError('async function grade(s) {\n  const m = await import("http://example.com/x.js");\n  return 1;\n}');
  expect(e.message).toMatch(/dynamic import\(\) is not allowed/);
  expect([e.line, e.column]).toEqual([2, 19]);
});

test('a dynamic import() hidden behind comments or newlines is rejected too', async () => {
  const e = await loadError('function grade(s) {\n  return import /* sneaky */\n  // more\n  ("http://example.com/x.js");\n}');
  expect(e.message).toMatch(/dynamic import\(\) is not allowed/);
  expect(e.line).toBe(2);
});

test('top-level code that loops forever fails the load within the load limit', async () => {
  const t0 = Date.now();
  await expect(
    createJsGrader('while (true) {}\nfunction grade() { return 1; }', 'js', { name: 'spin', loadTimeoutMs: 300 }),
  ).rejects.toThrow(/did not finish loading within 300 ms/);
  expect(Date.now() - t0).toBeLessThan(3000);
});

test('TypeScript with types and an exported grade; runtime errors keep the user line', async () => {
  const src = [
    'interface S { output_text: string; output_json: { a?: number } | null }',
    'export function grade(sample: S, item: Record<string, unknown>): number {',
    '  if (sample.output_json === null) throw new Error("not json");',
    '  return sample.output_json.a === Number(item.reference_answer) ? 1 : 0;',
    '}',
  ].join('\n');
  const g = await createJsGrader(src, 'ts', { name: 'ts' });
  try {
    const out = await g.gradeBatch([...one, { sample: makeSample('nope', 1), item: {} }]);
    expect(out[0]).toMatchObject({ reward: 1, error: null });
    expect(out[1].error).toMatch(/threw on sample 1 at line 3, column \d+: Error: not json/);
  } finally {
    g.dispose();
  }
});

test('export default and a sloppy-mode script both work', async () => {
  const a = await createJsGrader('export default (s) => s.output_tokens / 4;', 'js');
  const b = await createJsGrader('function grade(s, item) { total = 0.5; return total; }', 'js');
  try {
    expect((await a.gradeBatch(one))[0].reward).toBe(0.75);
    expect((await b.gradeBatch(one))[0].reward).toBe(0.5);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test('TypeScript positions are in the user source although sucrase removed the types', async () => {
  // Line 2 is "  const x: number = s.(;": the '(' is character 23 (15 in the transpiled line).
  const e = await loadError('export function grade(s: { a: number }): number {\n  const x: number = s.(;\n  return x;\n}\n', 'ts');
  expect([e.line, e.column]).toEqual([2, 23]);
  expect(e.message).toMatch(/line 2, column 23/);
  // "  const x: number = s.a.b.c;": V8 points at 'b', character 25 of the user's line.
  const g = await createJsGrader('function grade(s: any): number {\n  const x: number = s.a.b.c;\n  return x;\n}\n', 'ts', { name: 'rt' });
  try {
    const [r] = await g.gradeBatch(one);
    expect(r.error).toMatch(/threw on sample 0 at line 2, column 25: TypeError/);
  } finally {
    g.dispose();
  }
});

test('mapColumn aligns a transpiled line with the original one', () => {
  expect(mapColumn('let a: string = f(1);', 'let a = f(1);', 1, 9)).toBe(17); // 'f'
  expect(mapColumn('same line', 'same line', 1, 3)).toBe(3);
});
