import { test, expect } from 'vitest';
import { createSpecGrader } from '../../../src/graders/builtin';
import type { GraderSpec, JavaScriptSpec, MultiSpec, PythonSpec } from '../../../src/graders/spec';
import { makeSample, type Grader, type GradeResult } from '../../../src/graders/types';
import { build, loadError } from './helpers';

// The multi example of OpenAI's grader docs (name / email / phone), with hand-computed expected values.
const contact: MultiSpec = {
  type: 'multi',
  name: 'contact',
  graders: {
    name: {
      type: 'text_similarity',
      name: 'name_grader',
      input: '{{ sample.output_json.name }}',
      reference: '{{ item.name }}',
      evaluation_metric: 'fuzzy_match',
      pass_threshold: 0.9,
    },
    email: {
      type: 'string_check',
      name: 'email_grader',
      input: '{{ sample.output_json.email }}',
      reference: '{{ item.email }}',
      operation: 'eq',
    },
    phone: {
      type: 'string_check',
      name: 'phone_grader',
      input: '{{ sample.output_json.phone }}',
      reference: '{{ item.phone }}',
      operation: 'eq',
    },
  },
  calculate_output: '(name + email + phone) / 3',
};
const item = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '555-0100' };

async function gradeAll(g: Grader, texts: string[]): Promise<GradeResult[]> {
  return g.gradeBatch(texts.map((t) => ({ sample: makeSample(t, 1), item })));
}

test('combines named sub-graders with calculate_output and reports sub_rewards', async () => {
  const g = await build(contact);
  const [all, twoOfThree] = await gradeAll(g, [
    '{"name": "Ada Lovelace", "email": "ada@example.com", "phone": "555-0100"}',
    '{"name": "Ada Lovelace", "email": "ada@example.org", "phone": "555-0100"}',
  ]);
  expect(all.reward).toBe(1);
  expect(all.sub_rewards).toEqual({ name: 1, email: 1, phone: 1 });
  expect(twoOfThree.reward).toBeCloseTo(2 / 3, 12);
  expect(twoOfThree.sub_rewards).toEqual({ name: 1, email: 0, phone: 1 });
});

test('an output missing a field scores 0 on that sub-grader (a wrong answer, not unscorable)', async () => {
  const [r, notJson] = await gradeAll(await build(contact), ['{"name": "Ada Lovelace", "email": "ada@example.com"}', 'Ada']);
  expect(r.sub_rewards).toEqual({ name: 1, email: 1, phone: 0 });
  expect(r.reward).toBeCloseTo(2 / 3, 12);
  expect(notJson.reward).toBe(0);
});

test('a failing sub-grader makes the reward null and says which one', async () => {
  const phone: GraderSpec = {
    type: 'string_check',
    name: 'phone_grader',
    input: '{{ sample.output_json.phone }}',
    reference: '{{ item.telephone }}',
    operation: 'eq',
  };
  const broken: MultiSpec = { ...contact, graders: { ...contact.graders, phone } };
  const [r] = await gradeAll(await build(broken), ['{"name": "Ada Lovelace", "email": "ada@example.com", "phone": "555-0100"}']);
  expect(r.reward).toBeNull();
  expect(r.sub_rewards).toEqual({ name: 1, email: 1, phone: null });
  expect(r.error).toMatch(/^grader 'contact': sub-grader 'phone': grader 'phone_grader': .*has no field "telephone"/);
});

test('a non-finite formula result is an error, not 0', async () => {
  const spec: MultiSpec = { ...contact, calculate_output: 'name / (email - 1)' };
  const [r] = await gradeAll(await build(spec), ['{"name": "Ada Lovelace", "email": "ada@example.com", "phone": "1"}']);
  expect(r.reward).toBeNull();
  expect(r.error).toMatch(/calculate_output "name \/ \(email - 1\)" gave Infinity/);
});

test('formula errors are load errors at calculate_output with the column', async () => {
  const e = await loadError({ ...contact, calculate_output: 'name + mail' });
  expect(e.message).toMatch(
    /^grader spec, field "calculate_output": calculate_output, column 8: unknown name "mail"; known sub-graders: name, email, phone/,
  );
});

test('sub-grader spec errors name the nested field path', async () => {
  const bad = {
    ...contact,
    graders: { ...contact.graders, exact: { type: 'string_check', name: 'x', input: 'a', reference: 'b', operation: 'equals' } },
  };
  expect((await loadError(bad)).message).toBe('grader spec, field "graders.exact.operation": "equals" is not one of: eq, ne, like, ilike');
  const badTemplate = {
    ...contact,
    graders: { t: { type: 'string_check', name: 't', input: '{{ output_text }}', reference: 'b', operation: 'eq' } },
    calculate_output: 't',
  };
  expect((await loadError(badTemplate)).message).toMatch(
    /^grader spec, field "graders.t.input": \{\{ output_text \}\} at column 1 must start with/,
  );
});

test('code sub-graders are built by the injected factory (a fake here, only to test the combination)', async () => {
  // Fake code-grader factory: NOT the sandbox. It returns 0.25 for every sample so that only multi's
  // combination logic is under test: 0.5 * 1 (string_check) + 0.5 * 0.25 = 0.625.
  const built: string[] = [];
  let disposed = 0;
  const fake = async (s: PythonSpec | JavaScriptSpec): Promise<Grader> => {
    built.push(`${s.type}:${s.name}`);
    return {
      name: s.name,
      gradeBatch: async (reqs) => reqs.map(() => ({ reward: 0.25, sub_rewards: {}, error: null, error_kind: null, ms: 0 })),
      dispose: () => {
        disposed++;
      },
    };
  };
  const spec: GraderSpec = {
    type: 'multi',
    name: 'm',
    calculate_output: '0.5 * exact + 0.5 * py',
    graders: {
      exact: { type: 'string_check', name: 'exact', input: '{{ sample.output_text }}', reference: 'yes', operation: 'eq' },
      py: { type: 'python', name: 'py', source: 'def grade(sample, item):\n    return 0.25\n' },
    },
  };
  const g = await createSpecGrader(spec, { createCodeGrader: fake });
  expect(built).toEqual(['python:py']);
  const [r] = await g.gradeBatch([{ sample: makeSample('yes', 1), item: {} }]);
  expect(r.reward).toBe(0.625);
  expect(r.sub_rewards).toEqual({ exact: 1, py: 0.25 });
  g.dispose();
  expect(disposed).toBe(1);
});

test('a sub-grader whose whole batch throws fails each sample with a message (fake factory, as above)', async () => {
  // Fake code-grader factory standing in for a sandbox whose worker died: gradeBatch rejects.
  const broken = async (s: PythonSpec | JavaScriptSpec): Promise<Grader> => ({
    name: s.name,
    gradeBatch: async () => {
      throw new Error('worker crashed');
    },
    dispose: () => {},
  });
  const spec: GraderSpec = {
    type: 'multi',
    name: 'm',
    calculate_output: 'a + js',
    graders: {
      a: { type: 'string_check', name: 'a', input: '{{ sample.output_text }}', reference: 'x', operation: 'eq' },
      js: { type: 'javascript', name: 'js', source: 'function grade() { return 1 }' },
    },
  };
  const g = await createSpecGrader(spec, { createCodeGrader: broken });
  const rs = await g.gradeBatch([
    { sample: makeSample('x', 1), item: {} },
    { sample: makeSample('y', 1), item: {} },
  ]);
  expect(rs.map((r) => r.reward)).toEqual([null, null]);
  expect(rs.map((r) => r.sub_rewards)).toEqual([
    { a: 1, js: null },
    { a: 0, js: null },
  ]);
  expect(rs[0].error).toBe("grader 'm': sub-grader 'js': grader 'js': batch failed: worker crashed");
});

test('a multi inside a multi is refused, as OpenAI refuses it, with what to do', async () => {
  const nested = { ...contact, graders: { ...contact.graders, inner: { ...contact, name: 'inner' } } };
  const e = await loadError(nested);
  expect(e.name).toBe('GraderSpecError');
  expect(e.message).toMatch(/field "graders\.inner\.type": a multi grader cannot contain another multi grader .*Move its sub-graders up/);
});
