import { test, expect } from 'vitest';
import { gradeText, loadError } from './helpers';
import type { JsonSchemaSpec } from '../../../src/graders/spec';

const schema = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 }, email: { type: 'string', pattern: '@' } },
  required: ['name', 'age', 'email'],
};
const spec = (partial_credit?: JsonSchemaSpec['partial_credit']): JsonSchemaSpec => ({
  type: 'json_schema',
  name: 'js',
  schema,
  ...(partial_credit ? { partial_credit } : {}),
});

test('valid JSON that satisfies the schema scores 1 in every mode', async () => {
  for (const mode of [undefined, 'none', 'parse', 'fields'] as const) {
    expect((await gradeText(spec(mode), '{"name": "Ada", "age": 36, "email": "a@b"}')).reward).toBe(1);
  }
});

test('partial credit modes (hand-computed)', async () => {
  const bad = '{"name": "Ada", "age": -1}'; // age violates minimum, email missing: 1 of 3 required fields ok
  expect((await gradeText(spec('none'), bad)).reward).toBe(0);
  expect((await gradeText(spec('parse'), bad)).reward).toBe(0.5);
  const fields = await gradeText(spec('fields'), bad);
  expect(fields.reward).toBeCloseTo(1 / 3, 12);
  expect(fields.details).toMatchObject({ fields_ok: ['name'], valid: false });
  expect((await gradeText(spec('fields'), '[1, 2]')).reward).toBe(0);
});

test('text that is not JSON scores 0 and says where it broke', async () => {
  const r = await gradeText(spec('parse'), '{"name": "Ada",\n "age": }');
  expect(r.reward).toBe(0);
  expect(r.details).toEqual({
    json: false,
    error: `line 2, column 9: expected a value (a string needs "double quotes"; true, false and null are lower case), found '}'`,
  });
});

test('input "{{ sample.output_json.user }}" validates the nested object itself', async () => {
  const s: JsonSchemaSpec = { ...spec(), input: '{{ sample.output_json.user }}' };
  expect((await gradeText(s, '{"user": {"name": "A", "age": 1, "email": "x@y"}}')).reward).toBe(1);
});

test('draft-07 schemas are accepted; invalid schemas fail at load time', async () => {
  const d7: JsonSchemaSpec = {
    type: 'json_schema',
    name: 'd7',
    schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'array', items: [{ type: 'number' }] },
  };
  expect((await gradeText(d7, '[1]')).reward).toBe(1);
  expect((await gradeText(d7, '["x"]')).reward).toBe(0);
  expect((await loadError({ type: 'json_schema', name: 'x', schema: { type: 'strin' } })).message).toMatch(
    /^grader spec, field "schema": not a valid JSON Schema/,
  );
  expect((await loadError({ type: 'json_schema', name: 'x', schema: { type: 'object' }, partial_credit: 'fields' })).message).toMatch(
    /field "partial_credit": "fields" gives credit per top-level "required" property/,
  );
});

test('formats: known ones are checked, unknown ones are load errors', async () => {
  const s: JsonSchemaSpec = { type: 'json_schema', name: 'f', schema: { type: 'string', format: 'email' } };
  expect((await gradeText(s, '"ada@example.com"')).reward).toBe(1);
  expect((await gradeText(s, '"not an email"')).reward).toBe(0);
  expect((await loadError({ type: 'json_schema', name: 'f', schema: { type: 'string', format: 'zipcode' } })).message).toMatch(
    /field "schema": not a valid JSON Schema: unknown format "zipcode"/,
  );
});
