// Every template of the grader editor loads and grades as its blurb says (real graders, not mocks).
import { test, expect } from 'vitest';
import { GRADER_TEMPLATES, TS_DIRECTIVE } from '../../src/ui/grader/templates';
import { describeGraderError, exportGraderText, graderSourceFromText, importGraderText, isGraderJson } from '../../src/ui/grader/source';
import { tryGrader } from '../../src/graders';
import { parseGraderJson } from '../../src/graders/openai';

const template = (id: string): string => {
  const t = GRADER_TEMPLATES.find((x) => x.id === id);
  if (t === undefined) throw new Error(`no template ${id}`);
  return t.text;
};

const rewards = async (id: string, outputs: string[], item: Record<string, unknown>) =>
  (
    await tryGrader(
      graderSourceFromText(template(id)),
      outputs.map((sample) => ({ sample, item })),
    )
  ).map((r) => r.reward);

test('a template for each built-in grader type and for JS/TS', () => {
  expect(GRADER_TEMPLATES.map((t) => t.id).sort()).toEqual([
    'javascript',
    'json_schema',
    'multi',
    'python',
    'regex',
    'string_check',
    'text_similarity',
    'typescript',
  ]);
  for (const t of GRADER_TEMPLATES) {
    if (isGraderJson(t.text)) expect(parseGraderJson(t.text).type).toBe(t.id); // valid OpenAI-style JSON
  }
  expect(graderSourceFromText(template('javascript'))).toMatchObject({ kind: 'js' });
  expect(graderSourceFromText(template('typescript'))).toMatchObject({ kind: 'ts' });
  expect(graderSourceFromText(template('python'))).toMatchObject({ kind: 'spec', spec: { type: 'python' } });
});

test('code templates grade: exact 1, a miss 0 (JS); off by one 0.5 (TS)', async () => {
  expect(await rewards('javascript', ['42', '41'], { reference_answer: '42' })).toEqual([1, 0]);
  expect(await rewards('typescript', ['42', ' 43', '45', 'abc'], { reference_answer: '42' })).toEqual([1, 0.5, 0, 0]);
}, 30_000);

test('built-in templates grade as described', async () => {
  expect(await rewards('string_check', ['42', '42 '], { reference_answer: '42' })).toEqual([1, 0]);
  expect(await rewards('regex', ['-17', '17 apples'], {})).toEqual([1, 0]);
  // two required fields: both valid → 1; one present and valid → 0.5; not JSON → 0
  expect(await rewards('json_schema', ['{"name":"Ada","age":36}', '{"name":"Ada","age":"x"}', 'Ada'], {})).toEqual([1, 0.5, 0]);
  // 0.2 * format + 0.8 * answer
  const multi = await rewards('multi', ['42', '41', 'about 42'], { reference_answer: '42' });
  expect(multi[0]).toBeCloseTo(1, 12);
  expect(multi[1]).toBeCloseTo(0.2, 12);
  expect(multi[2]).toBeCloseTo(0, 12);
  // fuzzy_match = rapidfuzz ratio / 100: "kitten" vs "sitting": 1 - 5/13 (Indel distance 5 over 13 chars)
  const [same, near] = await rewards('text_similarity', ['sitting', 'kitten'], { reference_answer: 'sitting' });
  expect(same).toBe(1);
  expect(near).toBeCloseTo(8 / 13, 6);
}, 30_000);

test('import and export of OpenAI grader JSON', () => {
  const code = template('javascript');
  const exported = exportGraderText(code);
  expect(JSON.parse(exported)).toEqual({ type: 'javascript', name: 'grader', source: code });
  expect(importGraderText(exported, 'g.json')).toBe(code); // round trip to the same code
  const ts = template('typescript');
  expect(JSON.parse(exportGraderText(ts)).language).toBe('ts');
  const bare = JSON.stringify({ type: 'javascript', name: 'x', source: 'function grade(){return 1}', language: 'ts' });
  expect(importGraderText(bare, 'x.json')).toBe(`${TS_DIRECTIVE}\nfunction grade(){return 1}`);
  // the {"grader": ...} wrapper of POST /graders/run imports as the formatted spec
  const wrapped = JSON.stringify({ grader: JSON.parse(template('string_check')), item: {} });
  expect(importGraderText(wrapped, 'run.json')).toBe(template('string_check'));
  expect(exportGraderText(template('regex'))).toBe(template('regex').trimEnd());
});

test('import errors name the file, line and column (or the field)', () => {
  const bad = '{\n  "type": "string_check",\n  "name": "x"\n  "input": "a"\n}';
  let caught: unknown = null;
  try {
    importGraderText(bad, 'mine.json');
  } catch (e) {
    caught = e;
  }
  const d = describeGraderError(caught);
  expect(d.problem).toMatchObject({ line: 4, column: 3 }); // the missing comma before "input" (line 4, column 3)
  expect(d.message).toMatch(/^mine\.json, line 4, column 3: /);
  let spec: unknown = null;
  try {
    importGraderText('{"type":"string_check","name":"x","input":"a","reference":"b","operation":"equals"}', 'f.json');
  } catch (e) {
    spec = e;
  }
  expect(describeGraderError(spec)).toMatchObject({ problem: null, message: expect.stringMatching(/field "operation"/) });
});
