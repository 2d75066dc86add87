// Every grader example of OpenAI's graders guide (https://platform.openai.com/docs/guides/graders, also at
// https://developers.openai.com/api/docs/guides/graders), run in Cherry as written. The guide documents
// what each returns (string_check: 1 or 0; text_similarity: the metric; multi: the formula of the
// sub-scores; score_model: the judge's number in range; python: grade()'s float); the expected values
// below are computed by hand from those definitions. Examples Cherry cannot run are in docs/openai-graders.md.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { gradeOnce, tryGrader } from '../../src/graders';
import { parseGraderJson } from '../../src/graders/openai';
import { HttpJudge } from '../../src/graders/judge/http';
import { startFakeOpenAI, type FakeOpenAI } from './judge/server';

const spec = (json: string) => ({ kind: 'spec' as const, spec: parseGraderJson(json) });

test('string check grader: eq / ne / like / ilike give 1 or 0', async () => {
  const grader = (op: string) =>
    spec(
      `{"type": "string_check", "name": "Example string check grader", "input": "{{sample.output_text}}", "reference": "{{item.label}}", "operation": "${op}"}`,
    );
  const item = { label: 'positive' };
  const cases: [string, string, number][] = [
    ['eq', 'positive', 1],
    ['eq', 'Positive', 0],
    ['ne', 'negative', 1],
    ['ne', 'positive', 0],
    ['like', 'very positive!', 1],
    ['like', 'Very Positive', 0],
    ['ilike', 'Very POSITIVE', 1],
    ['ilike', 'negative', 0],
  ];
  for (const [op, out, want] of cases) expect((await gradeOnce(grader(op), out, item)).reward, `${op} ${out}`).toBe(want);
});

test('text similarity grader: the score is the metric value; pass_threshold only marks pass/fail', async () => {
  const grader = spec(
    `{"type": "text_similarity", "name": "Example text similarity grader", "input": "{{sample.output_text}}", "reference": "{{item.reference_answer}}", "pass_threshold": 0.8, "evaluation_metric": "fuzzy_match"}`,
  );
  // fuzzy_match = 2·LCS/(len a + len b): "The capital is Paris" (20) vs "The capital of France is Paris" (30):
  // LCS = "The capital " (12) + "is Paris" (8) = 20, so 40/50 = 0.8 (by hand).
  const r = await gradeOnce(grader, 'The capital is Paris', { reference_answer: 'The capital of France is Paris' });
  expect(r.reward).toBeCloseTo(0.8, 12);
  expect(r.details).toEqual({ passed: true, pass_threshold: 0.8 });
});

test('multigrader example: name (fuzzy_match) + email + phone, averaged; sub_rewards reported', async () => {
  const grader = spec(`{
    "type": "multi",
    "name": "example multigrader",
    "graders": {
      "name": {"name": "name_grader", "type": "text_similarity", "input": "{{sample.output_json.name}}", "reference": "{{item.name}}", "evaluation_metric": "fuzzy_match", "pass_threshold": 0.9},
      "email": {"name": "email_grader", "type": "string_check", "input": "{{sample.output_json.email}}", "reference": "{{item.email}}", "operation": "eq"},
      "phone": {"name": "phone_grader", "type": "string_check", "input": "{{sample.output_json.phone}}", "reference": "{{item.phone}}", "operation": "eq"}
    },
    "calculate_output": "(name + email + phone) / 3"
  }`);
  const item = { name: 'Jane Doe', email: 'jane@example.com', phone: '555-0100' };
  const [exact, typo] = await tryGrader(grader, [
    { sample: '{"name": "Jane Doe", "email": "jane@example.com", "phone": "555-0100"}', item },
    { sample: '{"name": "Jane Do", "email": "jane@example.com", "phone": "555-0199"}', item },
  ]);
  expect(exact.reward).toBe(1);
  // "Jane Do" vs "Jane Doe": 2·7/15 (by hand); email 1; phone 0.
  expect(typo.sub_rewards).toEqual({ name: 14 / 15, email: 1, phone: 0 });
  expect(typo.reward).toBeCloseTo((14 / 15 + 1) / 3, 12);
});

test('python grader examples: the rapidfuzz one and the minimal one with image_tag', async () => {
  const rapid = spec(
    JSON.stringify({
      type: 'python',
      name: 'fuzzy python',
      source:
        'from rapidfuzz import fuzz, utils\n\ndef grade(sample, item) -> float:\n    output_text = sample["output_text"]\n    reference_answer = item["reference_answer"]\n    return fuzz.WRatio(output_text, reference_answer, processor=utils.default_process) / 100.0\n',
    }),
  );
  const minimal = spec(
    '{"type": "python", "name": "minimal", "source": "def grade(sample, item):\\n    return 1.0", "image_tag": "2025-05-08"}',
  );
  // WRatio with default_process: "this is a test" / "this is a new test!!!" = 95 (rapidfuzz's documented value).
  expect((await gradeOnce(rapid, 'this is a test', { reference_answer: 'this is a new test!!!' })).reward).toBeCloseTo(0.95, 12);
  expect((await gradeOnce(minimal, 'anything', {})).reward).toBe(1);
}, 120_000);

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});

test("score model grader example: messages rendered from the item and sample; the judge's number is the score", async () => {
  const grader = spec(
    JSON.stringify({
      type: 'score_model',
      name: 'Example score model grader',
      model: 'o4-mini-2025-04-16',
      input: [
        {
          role: 'user',
          content:
            'Score how close the reference answer is to the model answer. Score 1.0 if they are the same and 0.0 if they are different. Return just a floating point score\n\n Reference answer: {{item.reference_answer}}\n\n Model answer: {{sample.output_text}}',
        },
      ],
      sampling_params: { temperature: 1, top_p: 1, seed: 42, max_completions_tokens: 32768, reasoning_effort: 'medium' },
    }),
  );
  fake.replies.push({ content: '1.0' });
  const judge = new HttpJudge({ baseURL: fake.baseURL, apiKey: 'k' });
  const r = await gradeOnce(grader, 'Paris', { reference_answer: 'Paris' }, undefined, { judge });
  expect(r.reward).toBe(1);
  expect(fake.requests[0].body.messages).toEqual([
    { role: 'user', content: expect.stringContaining('Reference answer: Paris\n\n Model answer: Paris') },
  ]);
});

test('nested multi is refused, as the guide says multigraders combine the other grader types', () => {
  expect(() =>
    parseGraderJson(
      '{"type": "multi", "name": "m", "calculate_output": "a", "graders": {"a": {"type": "multi", "name": "in", "calculate_output": "b", "graders": {"b": {"type": "string_check", "name": "b", "input": "x", "reference": "x", "operation": "eq"}}}}}',
    ),
  ).toThrow(/a multi grader cannot contain another multi grader/);
});
