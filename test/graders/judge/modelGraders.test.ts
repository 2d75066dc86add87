// score_model / label_model / text_similarity "cosine" against an OpenAI-compatible server the test starts on
// 127.0.0.1: the request shape (model, rendered messages, response_format, auth, sampling params), scripted
// scores and labels, malformed answers, 429s then success, slow replies (timeout), and the request log.
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { tryGrader } from '../../../src/graders';
import { HttpJudge, httpJudgeConfigFromEnv } from '../../../src/graders/judge/http';
import type { GraderSpec, LabelModelSpec, ScoreModelSpec } from '../../../src/graders/spec';
import { startFakeOpenAI, type FakeOpenAI } from './server';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.replies.length = 0;
});

// The score_model example of OpenAI's graders guide (https://platform.openai.com/docs/guides/graders).
const score: ScoreModelSpec = {
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
};
const label: LabelModelSpec = {
  type: 'label_model',
  name: 'sentiment',
  model: 'gpt-4o-mini',
  input: [
    { role: 'developer', content: 'Classify the sentiment.' },
    { role: 'user', content: [{ type: 'input_text', text: 'Text: {{ sample.output_text }}' }] },
  ],
  labels: ['positive', 'neutral', 'negative'],
  passing_labels: ['positive', 'neutral'],
};

const judge = (extra: Partial<ConstructorParameters<typeof HttpJudge>[0]> = {}) =>
  new HttpJudge({ baseURL: fake.baseURL, apiKey: 'sk-test', backoffMs: 5, ...extra });
const grade = (spec: GraderSpec, j: HttpJudge, texts: string[], item: Record<string, unknown> = { reference_answer: 'Paris' }) =>
  tryGrader(
    { kind: 'spec', spec },
    texts.map((t) => ({ sample: t, item })),
    undefined,
    { judge: j },
  );

test("score_model: request shape, JSON answer with steps, bare number; the score is the judge's number", async () => {
  fake.replies.push({ content: '{"steps": [{"description": "same city", "conclusion": "match"}], "result": 1.0}' }, { content: ' 0.25 ' });
  const j = judge();
  const [a] = await grade(score, j, ['Paris']);
  const [b] = await grade(score, j, ['Lyon']);
  expect(a).toMatchObject({ reward: 1, error: null, details: { steps: [{ description: 'same city', conclusion: 'match' }] } });
  expect(b).toMatchObject({ reward: 0.25, error: null });
  const req = fake.requests[0];
  expect(req.path).toBe('/v1/chat/completions');
  expect(req.auth).toBe('Bearer sk-test');
  expect(req.body.model).toBe('o4-mini-2025-04-16');
  expect(req.body.messages).toEqual([
    {
      role: 'user',
      content:
        'Score how close the reference answer is to the model answer. Score 1.0 if they are the same and 0.0 if they are different. Return just a floating point score\n\n Reference answer: Paris\n\n Model answer: Paris',
    },
  ]);
  expect(req.body).toMatchObject({ temperature: 1, top_p: 1, seed: 42, max_completion_tokens: 32768, reasoning_effort: 'medium' });
  expect(req.body.response_format).toMatchObject({
    type: 'json_schema',
    json_schema: { strict: true, schema: { required: ['steps', 'result'] } },
  });
  expect(j.log.map((e) => [e.path, e.status, e.error])).toEqual([
    ['/chat/completions', 200, null],
    ['/chat/completions', 200, null],
  ]);
});

test('score_model: malformed answers and out-of-range scores are null rewards with the answer quoted', async () => {
  fake.replies.push(
    { content: 'I think it is good' },
    { content: '{"result": 7}' },
    { content: '```json\n{"result": 3, "steps": []}\n```' },
  );
  const rs = await grade({ ...score, range: [0, 5] }, judge(), ['a']);
  expect(rs[0]).toMatchObject({ reward: null, error_kind: 'error' });
  expect(rs[0].error).toMatch(/neither \{"result": <number>, "steps": \[\.\.\.\]\} nor a number: "I think it is good"/);
  const [outOfRange] = await grade({ ...score, range: [0, 5] }, judge(), ['a']);
  expect(outOfRange.error).toMatch(/score 7 is outside range \[0, 5\]/);
  const [fenced] = await grade({ ...score, range: [0, 5] }, judge(), ['a']);
  expect(fenced.reward).toBe(3);
});

test('label_model: the label decides pass/fail by passing_labels; content parts are rendered; unknown labels are errors', async () => {
  fake.replies.push({ content: '{"result": "neutral"}' }, { content: 'negative' }, { content: '{"result": "angry"}' });
  const j = judge();
  const rs = await grade(label, j, ['fine'], {});
  const [neg] = await grade(label, j, ['awful'], {});
  const [bad] = await grade(label, j, ['?'], {});
  expect(rs[0]).toMatchObject({ reward: 1, details: { label: 'neutral', passed: true } });
  expect(neg).toMatchObject({ reward: 0, details: { label: 'negative', passed: false } });
  expect(bad.reward).toBeNull();
  expect(bad.error).toMatch(/"\{\\"result\\": \\"angry\\"\}" is not one of the labels: positive, neutral, negative/);
  expect(fake.requests[0].body.messages).toEqual([
    { role: 'developer', content: 'Classify the sentiment.' },
    { role: 'user', content: 'Text: fine' },
  ]);
  expect(fake.requests[0].body.response_format).toMatchObject({
    json_schema: { schema: { properties: { result: { enum: ['positive', 'neutral', 'negative'] } } } },
  });
});

test('429 and 503 are retried with backoff, then the answer counts; a 400 is not retried', async () => {
  fake.replies.push(
    { status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '0' } },
    { status: 503, body: {} },
    { content: '0.5' },
  );
  const j = judge();
  const [r] = await grade(score, j, ['x']);
  expect(r.reward).toBe(0.5);
  expect(j.log.map((e) => e.status)).toEqual([429, 503, 200]);
  fake.replies.push({ status: 400, body: { error: { message: 'bad model' } } });
  const [bad] = await grade(score, j, ['x']);
  expect(bad.reward).toBeNull();
  expect(bad.error).toMatch(/answered HTTP 400: .*bad model/);
  expect(j.log.length).toBe(4);
});

test('retries give up after maxRetries with the last status in the message', async () => {
  for (let i = 0; i < 3; i++) fake.replies.push({ status: 500, body: { error: 'down' } });
  const j = judge({ maxRetries: 2 });
  const [r] = await grade(score, j, ['x']);
  expect(r.reward).toBeNull();
  expect(r.error).toMatch(/HTTP 500/);
  expect(j.log.length).toBe(3);
});

test('a slow reply times out: reward null, error_kind timeout, and the log says so', async () => {
  fake.replies.push({ content: '1', delayMs: 1500 });
  const j = judge({ timeoutMs: 100 });
  const [r] = await grade(score, j, ['x']);
  expect(r).toMatchObject({ reward: null, error_kind: 'timeout' });
  expect(r.error).toMatch(/gave no answer within 100 ms/);
  expect(j.log[0]).toMatchObject({ status: null, error: expect.stringMatching(/within 100 ms/) });
});

test('concurrency limit: never more requests in flight than allowed', async () => {
  let inFlight = 0;
  let peak = 0;
  const calls: Promise<void>[] = [];
  const j = new HttpJudge({
    baseURL: 'http://127.0.0.1:9/v1',
    apiKey: '',
    concurrency: 2,
    fetch: async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      const p = new Promise<void>((r) => setTimeout(r, 20));
      calls.push(p);
      await p;
      inFlight--;
      return new Response(JSON.stringify({ choices: [{ message: { content: '1' } }] }), { status: 200 });
    },
  });
  const rs = await grade(score, j, ['a', 'b', 'c', 'd', 'e']);
  expect(rs.map((r) => r.reward)).toEqual([1, 1, 1, 1, 1]);
  expect(calls.length).toBe(5);
  expect(peak).toBe(2);
});

test('text_similarity "cosine" embeds both texts through /v1/embeddings', async () => {
  fake.replies.push({ body: { data: [{ embedding: [1, 0, 1] }, { embedding: [1, 1, 0] }] } });
  const spec: GraderSpec = {
    type: 'text_similarity',
    name: 'cos',
    input: '{{ sample.output_text }}',
    reference: '{{ item.reference_answer }}',
    evaluation_metric: 'cosine',
  };
  const [r] = await grade(spec, judge(), ['Paris!']);
  // cos = 1 / (sqrt 2 * sqrt 2) = 0.5, by hand.
  expect(r.reward).toBeCloseTo(0.5, 12);
  expect(fake.requests[0]).toMatchObject({ path: '/v1/embeddings', body: { model: 'text-embedding-3-large', input: ['Paris!', 'Paris'] } });
});

test('without a judge, model graders fail to load with what to set; the env gives one', async () => {
  await expect(tryGrader({ kind: 'spec', spec: score }, [{ sample: 'x', item: {} }])).rejects.toThrow(
    /needs a judge model .*OPENAI_BASE_URL .*OPENAI_API_KEY/,
  );
  expect(httpJudgeConfigFromEnv({})).toBeNull();
  expect(httpJudgeConfigFromEnv({ OPENAI_API_KEY: 'k' })).toMatchObject({ baseURL: 'https://api.openai.com/v1', apiKey: 'k' });
  expect(httpJudgeConfigFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' })).toMatchObject({ apiKey: '' });
});

test('spec errors name the field', async () => {
  const e = (spec: unknown) =>
    tryGrader({ kind: 'spec', spec: spec as GraderSpec }, [{ sample: 'x', item: {} }], undefined, { judge: judge() }); // cast: testing invalid specs
  await expect(e({ ...label, passing_labels: ['happy'] })).rejects.toThrow(/field "passing_labels": "happy" not in labels/);
  await expect(e({ ...score, input: [] })).rejects.toThrow(/field "input": must be a non-empty list of messages/);
  await expect(e({ ...score, input: [{ role: 'user', content: { type: 'input_image', image_url: 'x' } }] })).rejects.toThrow(
    /input\[0\]\.content": .*"input_image" content is not supported/,
  );
  await expect(e({ ...score, range: [1, 0] })).rejects.toThrow(/field "range": must be \[min, max\] with min < max/);
  await expect(e({ ...score, sampling_params: { temp: 1 } })).rejects.toThrow(/sampling_params\.temp": unknown sampling parameter/);
});
