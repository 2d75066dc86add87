// Python graders in Pyodide (Node worker): a passing grader, a syntax error with its line, an exception
// with its line, a bad return value, an infinite loop that times out, and a working call after it.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createPythonGrader, GraderLoadError, type SandboxGrader } from '../../../src/graders/sandbox';
import { makeSample } from '../../../src/graders/types';

const SOURCE = [
  'import json, re',
  '',
  'def grade(sample, item):',
  '    t = sample["output_text"]',
  '    if t == "loop":',
  '        while True:',
  '            pass',
  '    if t == "raise":',
  '        raise ValueError("bad " + t)',
  '    if t == "nan":',
  '        return float("nan")',
  '    if t == "js":',
  '        import js',
  '        return 1.0',
  '    if t.startswith("escape"):',
  '        import sys',
  '        sys.meta_path.pop(0)',
  '        import js',
  '        reachable = [n for n in ("fetch", "XMLHttpRequest", "WebSocket", "process", "require") if hasattr(js, n)]',
  '        if reachable:',
  '            return {"score": 1.0, "details": reachable}',
  '        if t == "escape-eval":',
  '            js.eval("1")',
  '        js.Function("return 1")',
  '        return 1.0',
  '    if t == "details":',
  '        return {"score": 0.5, "details": {"words": len(t.split())}}',
  '    return 1.0 if t.strip() == item["reference_answer"] else 0.0',
].join('\n');

let g: SandboxGrader;
beforeAll(async () => {
  g = await createPythonGrader(SOURCE, { name: 'py', limits: { sampleTimeoutMs: 500 } });
});
afterAll(() => g?.dispose());

const req = (t: string) => ({ sample: makeSample(t, 1), item: { reference_answer: '42' } });

test('a Python grader scores samples, with details', async () => {
  const out = await g.gradeBatch([req('42'), req('41'), req('details')]);
  expect(out.map((r) => r.reward)).toEqual([1, 0, 0.5]);
  expect(out[2].details).toEqual({ words: 1 });
});

test('exceptions carry the user line; non-finite returns and the js bridge are errors', async () => {
  const out = await g.gradeBatch([req('raise'), req('nan'), req('js'), req('42')]);
  expect(out[0].error).toMatch(/raised on sample 0 at line 9: ValueError: bad raise/);
  expect(out[1].error).toMatch(/returned nan on sample 1/);
  // Even a grader that removes the import guard finds no network, no process and no eval on the JS side.
  const esc = await g.gradeBatch([req('escape-eval'), req('escape-fn')]);
  expect(esc[0]).toMatchObject({ reward: null, details: undefined });
  expect(esc[0].error).toMatch(/eval\(\) is not available inside a grader/);
  expect(esc[1].error).toMatch(/Function\(\) is not available inside a grader/);
  expect(out[2].error).toMatch(/module 'js' is not available inside a grader/);
  expect(out[3].reward).toBe(1);
});

test('an infinite loop times out, and the next call works in a fresh Pyodide', async () => {
  const out = await g.gradeBatch([req('42'), req('loop'), req('42')]);
  expect(out[0].reward).toBe(1);
  expect(out[1]).toMatchObject({ reward: null, error_kind: 'timeout' });
  expect(out[1].error).toMatch(/sample 1.*500 ms/);
  expect(out[2].reward).toBe(1);
  const again = await g.gradeBatch([req('41')]);
  expect(again[0]).toMatchObject({ reward: 0, error: null });
});

test('a syntax error names the line and column', async () => {
  const e = await createPythonGrader('def grade(sample, item):\n    return (1 +\n\nx = ]', { name: 'bad' }).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(GraderLoadError);
  expect(e instanceof GraderLoadError && e.line).toBe(4);
  expect(String(e)).toMatch(/grader 'bad': syntax error at line 4/);
});
