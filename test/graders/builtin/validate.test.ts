import { test, expect } from 'vitest';
import { validateGraderSpec, GraderSpecError } from '../../../src/graders/builtin';

function messageOf(raw: unknown): string {
  try {
    validateGraderSpec(raw);
  } catch (e) {
    if (e instanceof GraderSpecError) return e.message;
    throw e;
  }
  throw new Error('accepted');
}

test('spec validation names the field and what to do', () => {
  expect(messageOf(42)).toMatch(/^grader spec: a grader must be a JSON object/);
  expect(messageOf({ name: 'x' })).toMatch(/^grader spec, field "type": missing or not a string; one of: string_check/);
  expect(messageOf({ type: 'fancy', name: 'x' })).toMatch(/field "type": unknown grader type "fancy"/);
  expect(messageOf({ type: 'endpoint', name: 'x' })).toMatch(
    /field "type": "endpoint" is not supported in Cherry: it calls a remote endpoint/,
  );
  expect(messageOf({ type: 'score_model', name: 'x', input: [] })).toBe(
    'grader spec, field "model": missing; a score_model grader needs "model"',
  );
  expect(messageOf({ type: 'string_check', name: 'x', input: 'a', operation: 'eq' })).toBe(
    'grader spec, field "reference": missing; a string_check grader needs "reference"',
  );
  expect(messageOf({ type: 'string_check', name: 'x', input: 1, reference: 'b', operation: 'eq' })).toBe(
    'grader spec, field "input": must be a string, got number 1',
  );
  expect(messageOf({ type: 'string_check', name: 'x', input: 'a', refrence: 'b', reference: 'b', operation: 'eq' })).toMatch(
    /field "refrence": unknown field for a string_check grader; known fields: type, name, input, reference, operation/,
  );
  expect(messageOf({ type: 'text_similarity', name: 'x', input: 'a', reference: 'b', evaluation_metric: 'cosin' })).toMatch(
    /field "evaluation_metric": "cosin" is not one of: fuzzy_match, bleu.*, cosine/,
  );
  expect(
    messageOf({ type: 'text_similarity', name: 'x', input: 'a', reference: 'b', evaluation_metric: 'bleu', pass_threshold: '0.5' }),
  ).toMatch(/field "pass_threshold": must be a finite number/);
  expect(messageOf({ type: 'multi', name: 'm', graders: {}, calculate_output: '1' })).toMatch(/field "graders": needs at least one/);
  expect(messageOf({ type: 'multi', name: 'm', graders: { a: 'x' }, calculate_output: 'a' })).toMatch(
    /field "graders.a": must be a grader object/,
  );
  expect(messageOf({ type: 'javascript', name: 'j', source: 'x', language: 'py' })).toMatch(/field "language"/);
});
