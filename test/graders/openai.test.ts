import { test, expect } from 'vitest';
import { exportGraderJson, GraderJsonSyntaxError, parseGraderJson } from '../../src/graders/openai';
import { GraderSpecError } from '../../src/graders/builtin';
import type { GraderSpec } from '../../src/graders/spec';

const specs: GraderSpec[] = [
  {
    type: 'string_check',
    name: 'Example string check grader',
    input: '{{sample.output_text}}',
    reference: '{{item.label}}',
    operation: 'eq',
  },
  {
    type: 'text_similarity',
    name: 'sim',
    input: '{{ sample.output_text }}',
    reference: '{{ item.reference_answer }}',
    evaluation_metric: 'rouge_l',
    pass_threshold: 0.5,
  },
  { type: 'text_similarity', name: 'sim2', input: '{{ sample.output_text }}', reference: 'x', evaluation_metric: 'meteor' },
  { type: 'python', name: 'py', source: 'def grade(sample, item) -> float:\n    return 1.0\n', image_tag: '2025-05-08' },
  { type: 'javascript', name: 'js', source: 'export function grade(sample, item) { return 1 }', language: 'ts' },
  {
    type: 'regex',
    name: 're',
    input: '{{ sample.output_text }}',
    pattern: '#### (\\d+)',
    flags: 'i',
    mode: 'capture',
    reference: '{{ item.answer }}',
    group: 1,
  },
  { type: 'json_schema', name: 'js', schema: { type: 'object', required: ['a'] }, partial_credit: 'fields' },
  {
    type: 'multi',
    name: 'm',
    calculate_output: 'max(a, b) ^ 2',
    graders: {
      a: { type: 'string_check', name: 'a', input: '{{ sample.output_text }}', reference: 'x', operation: 'ilike' },
      b: { type: 'regex', name: 'c', input: '{{ sample.output_text }}', pattern: 'x', mode: 'match' },
    },
  },
  {
    type: 'score_model',
    name: 'judge',
    model: 'o4-mini',
    range: [0, 10],
    pass_threshold: 5,
    input: [
      { role: 'system', content: 'Grade.' },
      { role: 'user', content: [{ type: 'input_text', text: '{{ sample.output_text }}' }], type: 'message' },
    ],
    sampling_params: { temperature: 0, seed: 1, max_completions_tokens: 100, reasoning_effort: 'low' },
  },
  {
    type: 'label_model',
    name: 'lab',
    model: 'gpt-4o',
    input: [{ role: 'user', content: '{{ sample.output_text }}' }],
    labels: ['a', 'b'],
    passing_labels: ['a'],
  },
  { type: 'text_similarity', name: 'cos', input: '{{ sample.output_text }}', reference: 'x', evaluation_metric: 'cosine' },
];

test('export -> import gives a deep-equal spec for every grader type', () => {
  const types = new Set(specs.map((s) => s.type));
  expect(types.size).toBe(9);
  for (const s of specs) expect(parseGraderJson(exportGraderJson(s))).toEqual(s);
});

test('accepts the {"grader": {...}} wrapper of POST /graders/run', () => {
  const run = { grader: specs[0], item: { label: 'x' }, model_sample: 'x' };
  expect(parseGraderJson(JSON.stringify(run))).toEqual(specs[0]);
  expect(() => parseGraderJson('{"grader": {"type": "string_check", "name": "n"}}')).toThrow(/field "grader.input": missing/);
});

test('JSON syntax errors carry the line and column', () => {
  try {
    parseGraderJson('{\n  "type": "string_check",\n  "name": "x"\n  "input": "a"\n}', 'grader.json');
    throw new Error('accepted');
  } catch (e) {
    expect(e).toBeInstanceOf(GraderJsonSyntaxError);
    if (!(e instanceof GraderJsonSyntaxError)) throw e;
    expect([e.line, e.column]).toEqual([4, 3]);
    expect(e.message).toBe(`grader.json, line 4, column 3: expected ',' or '}' after a property value, found '"'`);
  }
});

test('spec errors are GraderSpecError with the field path', () => {
  expect(() => parseGraderJson('{"type": "score_model", "name": "s", "model": "m"}')).toThrow(GraderSpecError);
  expect(() => parseGraderJson('[1]')).toThrow(/a grader must be a JSON object/);
});
