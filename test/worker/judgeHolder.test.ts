// The worker's page judge (setJudge / judgeLog / tryGrader with it) against an OpenAI-compatible server the
// test starts on 127.0.0.1: a score_model grader gets the judge's score, the log records each attempt
// (status, duration, error), a 500 and an unreadable answer become null rewards with a clear message, the
// key is sent as a Bearer token but appears in no log entry, and removing the judge removes it.
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { tryGrader } from '../../src/graders';
import type { ScoreModelSpec } from '../../src/graders/spec';
import { JudgeHolder } from '../../src/worker/judgeHolder';
import { startFakeOpenAI, type FakeOpenAI } from '../graders/judge/server';

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

const KEY = 'sk-page-secret-91';
const spec: ScoreModelSpec = {
  type: 'score_model',
  name: 'judge',
  model: 'gpt-4o-mini',
  range: [0, 1],
  input: [{ role: 'user', content: 'Score {{ sample.output_text }} against {{ item.reference_answer }}' }],
};
const grade = (h: JudgeHolder, texts: string[]) =>
  tryGrader(
    { kind: 'spec', spec },
    texts.map((t) => ({ sample: t, item: { reference_answer: '4' } })),
    undefined,
    h.loadOptions(),
  );

test('scores come from the judge; the log has one entry per attempt and never the key; the model override is sent', async () => {
  const h = new JudgeHolder();
  h.set({ baseURL: fake.baseURL + '/', apiKey: KEY, model: 'local-judge' });
  fake.replies.push({ content: '{"result": 0.75, "steps": []}' }, { content: '0.5' });
  const r = await grade(h, ['4', 'four']);
  expect(r.map((x) => x.reward).sort()).toEqual([0.5, 0.75]);
  expect(fake.requests.map((q) => [q.auth, q.body.model])).toEqual([
    [`Bearer ${KEY}`, 'local-judge'],
    [`Bearer ${KEY}`, 'local-judge'],
  ]);
  const log = h.log(0);
  expect(log.map((e) => [e.path, e.status, e.error])).toEqual([
    ['/chat/completions', 200, null],
    ['/chat/completions', 200, null],
  ]);
  expect(log.every((e) => e.ms >= 0)).toBe(true);
  expect(JSON.stringify(log)).not.toContain(KEY);
  expect(h.log(1)).toHaveLength(1);
});

test('a 500 (after its retries) and an unreadable answer are null rewards with messages; the holder keeps working', async () => {
  const h = new JudgeHolder();
  h.set({ baseURL: fake.baseURL, apiKey: '', model: '' });
  fake.fallback = () => ({ status: 500, body: { error: 'down' } });
  const [down] = await grade(h, ['4']);
  expect(down.reward).toBeNull();
  expect(down.error).toMatch(/500/);
  expect(h.log(0).map((e) => e.status)).toEqual([500, 500, 500, 500]); // the first try and 3 retries
  fake.fallback = () => ({ content: 'I think it is quite good' });
  const [bad] = await grade(h, ['4']);
  expect(bad.reward).toBeNull();
  expect(bad.error).toContain('I think it is quite good');
  fake.fallback = () => ({ content: '1' });
  expect((await grade(h, ['4']))[0].reward).toBe(1);
  expect(fake.requests.every((q) => q.auth === undefined)).toBe(true); // an empty key sends no header
});

test('no judge: a model grader fails to load with what to set; a bad URL is refused when set', async () => {
  const h = new JudgeHolder();
  h.set({ baseURL: fake.baseURL, apiKey: KEY, model: '' });
  h.set(null);
  await expect(grade(h, ['4'])).rejects.toThrow(/needs a judge/);
  expect(h.log(0)).toEqual([]);
  expect(() => h.set({ baseURL: 'ftp://x', apiKey: '', model: '' })).toThrow(/must start with http:\/\/ or https:\/\//);
});

test('a local judge replaces the endpoint and is freed when an endpoint or nothing replaces it', () => {
  const h = new JudgeHolder();
  h.set({ baseURL: fake.baseURL, apiKey: '', model: '' });
  const freed: string[] = [];
  const local = (name: string) => ({ judge: { label: name, complete: async () => '1' }, dispose: () => freed.push(name) });
  h.setLocal(local('a'));
  expect(h.isLocal).toBe(true);
  expect(h.loadOptions().judge?.label).toBe('a');
  expect(h.log(0)).toEqual([]); // a local model makes no HTTP requests
  h.setLocal(local('b'));
  expect(freed).toEqual(['a']);
  h.set({ baseURL: fake.baseURL, apiKey: '', model: '' });
  expect(freed).toEqual(['a', 'b']);
  expect(h.isLocal).toBe(false);
  expect(h.loadOptions().judge?.label).toBe(fake.baseURL);
  h.setLocal(local('c'));
  h.set(null);
  expect(freed).toEqual(['a', 'b', 'c']);
  expect(h.loadOptions().judge).toBeUndefined();
});
