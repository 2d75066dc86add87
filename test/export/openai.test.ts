import { test, expect } from 'vitest';
import { exportGraderJson, parseGraderJson } from '../../src/graders/openai';
import { GraderExportError, graderToOpenAI, itemsToRftJsonl, openAIJobSpec, tryGraderToOpenAI } from '../../src/export/openai';
import { DEFAULT_CONFIG } from '../../src/rl/config';
import { arithmetic } from '../../src/tasks';
import type { GraderSpec } from '../../src/graders/spec';

const EXACT: GraderSpec = { type: 'string_check', name: 'exact', input: '{{ sample.output_text }}', reference: '{{ item.reference_answer }}', operation: 'eq' };
const MULTI: GraderSpec = {
  type: 'multi', name: 'blend',
  graders: {
    exact: EXACT,
    fuzzy: { type: 'text_similarity', name: 'fuzzy', input: '{{ sample.output_text }}', reference: '{{ item.reference_answer }}', evaluation_metric: 'fuzzy_match', pass_threshold: 0.8 },
    py: { type: 'python', name: 'len', source: 'def grade(sample, item):\n    return min(1.0, len(sample["output_text"]) / 10)\n' },
  },
  calculate_output: '0.5 * exact + 0.25 * fuzzy + 0.25 * py',
};

test('built-in specs export 1:1 and re-import to an identical spec', () => {
  for (const spec of [EXACT, MULTI]) {
    const out = graderToOpenAI({ kind: 'spec', spec });
    expect(out).toEqual(spec);
    expect(parseGraderJson(exportGraderJson(out))).toEqual(spec);
  }
});

test('Python source becomes a python grader that re-imports identically', () => {
  const code = 'def grade(sample, item):\n    return 1.0 if sample["output_text"].strip() == item["reference_answer"] else 0.0\n';
  const out = graderToOpenAI({ kind: 'python', code, name: 'exact answer' });
  expect(out).toEqual({ type: 'python', name: 'exact answer', source: code });
  expect(parseGraderJson(exportGraderJson(out))).toEqual(out);
});

test('JS graders (the arithmetic default) are refused with the reason and what to do', () => {
  const r = tryGraderToOpenAI(arithmetic.defaultGrader);
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error).toBeInstanceOf(GraderExportError);
  expect(r.error.message).toMatch(/grader 'exact answer' cannot be exported: OpenAI graders run Python/);
  expect(r.error.advice).toMatch(/port grade\(sample, item\) to Python/);
});

test('Cherry extras are refused, naming the sub-grader inside a multi', () => {
  const regex: GraderSpec = { type: 'regex', name: 'num', input: '{{ sample.output_text }}', pattern: '^\\d+$', mode: 'full_match' };
  const multi: GraderSpec = { type: 'multi', name: 'm', graders: { a: EXACT, r: regex }, calculate_output: 'a * r' };
  expect(() => graderToOpenAI({ kind: 'spec', spec: multi })).toThrow(/grader 'm.graders.r' cannot be exported: "regex" is a Cherry extra/);
  expect(() => graderToOpenAI({ kind: 'spec', spec: { type: 'json_schema', name: 'j', schema: { type: 'object' } } })).toThrow(GraderExportError);
});

test('dataset rows become OpenAI RFT JSONL with the reference fields kept', () => {
  const items = [
    { prompt: '56+78=', reference_answer: '134', a: 56, b: 78, op: '+' },
    { prompt: 'ignored', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }], reference_answer: 'Hello' },
  ];
  expect(itemsToRftJsonl(items)).toBe(
    '{"messages":[{"role":"user","content":"56+78="}],"reference_answer":"134","a":56,"b":78,"op":"+"}\n' +
    '{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"reference_answer":"Hello"}\n',
  );
  expect(() => itemsToRftJsonl([{ reference_answer: '1' }])).toThrow(/dataset row 1: needs a non-empty "prompt"/);
});

test('job spec: reinforcement method, grader, hyperparameters mapped (60 steps × 8 prompts / 100 rows → 5 epochs)', () => {
  const job = openAIJobSpec(EXACT, DEFAULT_CONFIG, { model: 'o4-mini-2025-04-16', trainingFile: 'file-train', validationFile: 'file-val', trainRows: 100, suffix: 'cherry' });
  expect(job).toEqual({
    model: 'o4-mini-2025-04-16',
    training_file: 'file-train',
    validation_file: 'file-val',
    suffix: 'cherry',
    seed: 42,
    method: { type: 'reinforcement', reinforcement: { grader: EXACT, hyperparameters: { n_epochs: 5, batch_size: 8, eval_interval: 10 } } },
  });
  const r = openAIJobSpec(EXACT, { ...DEFAULT_CONFIG, eval_interval: 0 }, { model: 'm', trainingFile: 'f', trainRows: 10_000 });
  expect(r.method).toEqual({ type: 'reinforcement', reinforcement: { grader: EXACT, hyperparameters: { n_epochs: 1, batch_size: 8, eval_interval: 'auto' } } });
});
