import { test, expect } from 'vitest';
import { Template, TemplateError, type TemplateContext } from '../../src/graders/template';
import { makeSample } from '../../src/graders/types';

const ctx = { sample: makeSample('{"a": {"b": 7, "c": [1, 2]}, "s": "x"}', 12), item: { reference_answer: 'Paris', n: 3, tags: ['geo'] } };

test('renders sample and item paths, nested JSON, whitespace-tolerant', () => {
  expect(Template.parse('{{ sample.output_text }}').render(ctx)).toBe('{"a": {"b": 7, "c": [1, 2]}, "s": "x"}');
  expect(Template.parse('Answer: {{item.reference_answer}}!').render(ctx)).toBe('Answer: Paris!');
  expect(Template.parse('{{   sample.output_json.a.b   }}').render(ctx)).toBe('7');
  expect(Template.parse('{{ sample.output_json.a.c.1 }}').render(ctx)).toBe('2');
  expect(Template.parse('{{ sample.output_json.a }}').render(ctx)).toBe('{"b":7,"c":[1,2]}');
  expect(Template.parse('{{ item.tags }}/{{ item.n }}').render(ctx)).toBe('["geo"]/3');
  expect(Template.parse('{{ sample.output_tokens }}').render(ctx)).toBe('12');
  expect(Template.parse('no template').render(ctx)).toBe('no template');
  expect(Template.parse('{{ item.n }} and {{ sample.output_json.s }}').paths).toEqual(['item.n', 'sample.output_json.s']);
});

test('value() returns the raw value of a single-path template', () => {
  expect(Template.parse('{{ sample.output_json.a }}').value(ctx)).toEqual({ b: 7, c: [1, 2] });
  expect(Template.parse('x{{ item.n }}').value(ctx)).toBe('x3');
});

function renderError(src: string, c: TemplateContext = ctx): string {
  try {
    Template.parse(src, 'graders.exact.input').render(c);
  } catch (e) {
    if (e instanceof TemplateError) return e.message;
    throw e;
  }
  throw new Error('no TemplateError');
}

test('missing item paths are errors that name the path (a dataset bug)', () => {
  expect(renderError('{{ item.answer }}')).toBe(
    'graders.exact.input: {{ item.answer }}: item has no field "answer" (fields: reference_answer, n, tags)',
  );
  expect(renderError('{{ item.n.z }}')).toMatch(/item\.n is number, so it has no field "z"/);
  expect(renderError('{{ item.constructor }}')).toMatch(/has no field "constructor"/);
});

test('missing sample paths render as "" and have the value null (a wrong output scores 0, not unscorable)', () => {
  expect(Template.parse('[{{ sample.output_json.a.z }}]').render(ctx)).toBe('[]');
  expect(Template.parse('{{ sample.output_json.a.b.c }}').value(ctx)).toBeNull();
  const notJson = { sample: makeSample('plain text', 2), item: {} };
  expect(Template.parse('{{ sample.output_json.a }}').render(notJson)).toBe('');
});

test('malformed templates fail at parse time with the column', () => {
  const parseError = (src: string): string => {
    try {
      Template.parse(src, 'input');
    } catch (e) {
      if (e instanceof TemplateError) return e.message;
      throw e;
    }
    throw new Error('no TemplateError');
  };
  expect(parseError('ab {{ sample.output_text')).toBe('input: "{{" at column 4 has no closing "}}"');
  expect(parseError('{{ }}')).toMatch(/empty "\{\{ \}\}" at column 1/);
  expect(parseError('{{ output_text }}')).toMatch(/must start with "sample\." or "item\."/);
  expect(parseError('{{ item.a b }}')).toMatch(/"a b" is not a field name/);
  expect(parseError('{{ item..a }}')).toMatch(/"" is not a field name/);
});

test('[n] indexing (OpenAI path syntax) and sample.output_tools / sample.choices where the sample has them', () => {
  // Graders guide, "Templating" (https://platform.openai.com/docs/guides/graders): nested variables with a
  // JSON-path-like syntax; sample.output_tools and sample.choices as in Chat Completions.
  const call = { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } };
  const sample = {
    ...makeSample('', 0),
    output_tools: [call],
    choices: [{ index: 0, message: { role: 'assistant', content: 'hi', tool_calls: [call] }, finish_reason: 'tool_calls' }],
  };
  const c = {
    sample,
    item: {
      list: [
        [1, 2],
        [3, 4],
      ],
    },
  };
  expect(Template.parse('{{ sample.output_tools[0].function.name }}').render(c)).toBe('get_weather');
  expect(Template.parse('{{ sample.choices[0].message.tool_calls[0].function.arguments }}').render(c)).toBe('{"city":"Paris"}');
  expect(Template.parse('{{ item.list[1][0] }}+{{ item.list.0.1 }}').render(c)).toBe('3+2');
  expect(Template.parse('{{ sample.output_tools[3].function.name }}').value(c)).toBeNull();
  // A sample without tool calls: a missing sample path, rendered "" (a wrong answer).
  expect(Template.parse('{{ sample.output_tools[0].function.name }}').render(ctx)).toBe('');
  expect(() => Template.parse('{{ item.list[x] }}')).toThrow(/"list\[x\]" is not a field name .*\[n\] selects element n/);
  expect(() => Template.parse('{{ [0] }}')).toThrow(/"\[0\]" is not a field name/);
});
