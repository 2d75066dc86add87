import { test, expect } from 'vitest';
import { exportGraderJson, parseGraderJson } from '../../src/graders/openai';
import {
  GraderExportError,
  graderToOpenAI,
  itemsToRftJsonl,
  openAIJobFiles,
  openAIJobSpec,
  tryGraderToOpenAI,
  TRAIN_FILE_PLACEHOLDER,
  VALID_FILE_PLACEHOLDER,
} from '../../src/export/openai';
import { DEFAULT_CONFIG } from '../../src/rl/config';
import { arithmetic } from '../../src/tasks';
import type { GraderSpec } from '../../src/graders/spec';

const EXACT: GraderSpec = {
  type: 'string_check',
  name: 'exact',
  input: '{{ sample.output_text }}',
  reference: '{{ item.reference_answer }}',
  operation: 'eq',
};
const MULTI: GraderSpec = {
  type: 'multi',
  name: 'blend',
  graders: {
    exact: EXACT,
    fuzzy: {
      type: 'text_similarity',
      name: 'fuzzy',
      input: '{{ sample.output_text }}',
      reference: '{{ item.reference_answer }}',
      evaluation_metric: 'fuzzy_match',
      pass_threshold: 0.8,
    },
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
  expect(() => graderToOpenAI({ kind: 'spec', spec: { type: 'json_schema', name: 'j', schema: { type: 'object' } } })).toThrow(
    GraderExportError,
  );
});

test('dataset rows become OpenAI RFT JSONL with the reference fields kept', () => {
  const items = [
    { prompt: '56+78=', reference_answer: '134', a: 56, b: 78, op: '+' },
    {
      prompt: 'ignored',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
      ],
      reference_answer: 'Hello',
    },
  ];
  expect(itemsToRftJsonl(items)).toBe(
    '{"messages":[{"role":"user","content":"56+78="}],"reference_answer":"134","a":56,"b":78,"op":"+"}\n' +
      '{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"reference_answer":"Hello"}\n',
  );
  expect(() => itemsToRftJsonl([{ reference_answer: '1' }])).toThrow(/dataset row 1: needs a non-empty "prompt"/);
});

test('job spec: reinforcement method, grader, hyperparameters mapped (60 steps × 8 prompts / 100 rows → 5 epochs)', () => {
  const job = openAIJobSpec(EXACT, DEFAULT_CONFIG, {
    model: 'o4-mini-2025-04-16',
    trainingFile: 'file-train',
    validationFile: 'file-val',
    trainRows: 100,
    suffix: 'cherry',
  });
  expect(job).toEqual({
    model: 'o4-mini-2025-04-16',
    training_file: 'file-train',
    validation_file: 'file-val',
    suffix: 'cherry',
    seed: 42,
    method: { type: 'reinforcement', reinforcement: { grader: EXACT, hyperparameters: { n_epochs: 5, batch_size: 8, eval_interval: 10 } } },
  });
  const r = openAIJobSpec(EXACT, { ...DEFAULT_CONFIG, eval_interval: 0 }, { model: 'm', trainingFile: 'f', trainRows: 10_000 });
  expect(r.method).toEqual({
    type: 'reinforcement',
    reinforcement: { grader: EXACT, hyperparameters: { n_epochs: 1, batch_size: 8, eval_interval: 'auto' } },
  });
});

// The multigrader example of OpenAI's graders guide (https://platform.openai.com/docs/guides/graders) reads
// sample.output_json; OpenAI fills it only when the job asks for structured output (RFT guide,
// https://platform.openai.com/docs/guides/reinforcement-fine-tuning: response_format in method.reinforcement).
const CONTACT: GraderSpec = {
  type: 'multi',
  name: 'contact',
  calculate_output: '(name + email + phone) / 3',
  graders: {
    name: {
      type: 'text_similarity',
      name: 'name_grader',
      input: '{{sample.output_json.name}}',
      reference: '{{item.name}}',
      evaluation_metric: 'fuzzy_match',
      pass_threshold: 0.9,
    },
    email: {
      type: 'string_check',
      name: 'email_grader',
      input: '{{sample.output_json.email}}',
      reference: '{{item.email}}',
      operation: 'eq',
    },
    phone: {
      type: 'string_check',
      name: 'phone_grader',
      input: '{{sample.output_json.contact.phones[0]}}',
      reference: '{{item.phone}}',
      operation: 'eq',
    },
  },
};

test('a grader reading output_json gets a strict response_format derived from its templates', () => {
  const job = openAIJobSpec(CONTACT, DEFAULT_CONFIG, { model: 'm', trainingFile: 'f', trainRows: 10 });
  expect(job.method).toMatchObject({ reinforcement: { grader: CONTACT } });
  expect(JSON.parse(JSON.stringify(job)).method.reinforcement.response_format).toEqual({
    type: 'json_schema',
    json_schema: {
      name: 'output',
      strict: true,
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'email', 'contact'],
        properties: {
          name: { type: 'string' },
          email: { type: 'string' },
          contact: {
            type: 'object',
            additionalProperties: false,
            required: ['phones'],
            properties: { phones: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    },
  });
  // A grader that never reads output_json gets none.
  expect(openAIJobSpec(EXACT, DEFAULT_CONFIG, { model: 'm', trainingFile: 'f', trainRows: 10 }).method).not.toHaveProperty(
    'reinforcement.response_format',
  );
});

test('a python grader reading output_json needs the schema given; a given one is used as is', () => {
  const py: GraderSpec = {
    type: 'python',
    name: 'py',
    source: 'def grade(sample, item):\n    return float(sample["output_json"]["ok"])\n',
  };
  expect(() => openAIJobSpec(py, DEFAULT_CONFIG, { model: 'm', trainingFile: 'f', trainRows: 10 })).toThrow(
    /grader 'py' cannot be exported: OpenAI fills sample.output_json only when the job sets a response_format, and its code reads .*What to do: give the JSON Schema/,
  );
  const given = {
    type: 'json_schema' as const,
    json_schema: {
      name: 'x',
      strict: true as const,
      schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false },
    },
  };
  const job = openAIJobSpec(py, DEFAULT_CONFIG, { model: 'm', trainingFile: 'f', trainRows: 10, responseFormat: given });
  expect(job.method).toMatchObject({ reinforcement: { response_format: given } });
});

test('the job export holds training and validation files, placeholders for their ids, and the invalid-reward rule', () => {
  const items = [
    { prompt: '1+1=', reference_answer: '2' },
    { prompt: '2+2=', reference_answer: '4' },
  ];
  const files = openAIJobFiles(EXACT, DEFAULT_CONFIG, {
    model: 'o4-mini-2025-04-16',
    stem: 'arith',
    trainItems: items,
    validItems: items.slice(1),
  });
  expect(files.map((f) => f.name)).toEqual(['arith-train.jsonl', 'arith-valid.jsonl', 'arith-job.json']);
  expect(files[1].data).toBe('{"messages":[{"role":"user","content":"2+2="}],"reference_answer":"4"}\n');
  const job = JSON.parse(files[2].data);
  expect(job).toMatchObject({
    training_file: TRAIN_FILE_PLACEHOLDER,
    validation_file: VALID_FILE_PLACEHOLDER,
    method: { reinforcement: { grader: EXACT, hyperparameters: { n_epochs: 240 } } },
  });
  expect(job._cherry_notes.join(' ')).toMatch(/OpenAI RFT counts invalid grader output .* as reward 0/);
  const noValid = openAIJobFiles(EXACT, DEFAULT_CONFIG, { model: 'm', stem: 's', trainItems: items, validItems: [] });
  expect(noValid.map((f) => f.name)).toEqual(['s-train.jsonl', 's-job.json']);
  expect(JSON.parse(noValid[1].data)).not.toHaveProperty('validation_file');
});
