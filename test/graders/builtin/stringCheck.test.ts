import { test, expect } from 'vitest';
import { gradeText } from './helpers';
import type { StringCheckSpec } from '../../../src/graders/spec';

const spec = (operation: StringCheckSpec['operation']): StringCheckSpec => ({
  type: 'string_check',
  name: 'check',
  input: '{{ sample.output_text }}',
  reference: '{{ item.label }}',
  operation,
});

test('string_check operations (OpenAI semantics)', async () => {
  const item = { label: 'Paris' };
  expect((await gradeText(spec('eq'), 'Paris', item)).reward).toBe(1);
  expect((await gradeText(spec('eq'), 'paris', item)).reward).toBe(0);
  expect((await gradeText(spec('ne'), 'paris', item)).reward).toBe(1);
  expect((await gradeText(spec('ne'), 'Paris', item)).reward).toBe(0);
  expect((await gradeText(spec('like'), 'It is Paris.', item)).reward).toBe(1);
  expect((await gradeText(spec('like'), 'It is paris.', item)).reward).toBe(0);
  expect((await gradeText(spec('ilike'), 'IT IS PARIS.', item)).reward).toBe(1);
  expect((await gradeText(spec('ilike'), 'London', item)).reward).toBe(0);
});

test('a missing item field is an error on that sample, not a 0', async () => {
  const r = await gradeText(spec('eq'), 'Paris', { answer: 'Paris' });
  expect(r.reward).toBeNull();
  expect(r.error_kind).toBe('error');
  expect(r.error).toMatch(/^grader 'check': reference: \{\{ item.label \}\}: item has no field "label"/);
});

test('numbers in items render as text, e.g. "{{ item.answer }}" = 42', async () => {
  const r = await gradeText({ ...spec('eq'), reference: '{{ item.answer }}' }, '42', { answer: 42 });
  expect(r.reward).toBe(1);
  expect(r.error).toBeNull();
  expect(r.ms).toBeGreaterThanOrEqual(0);
});
