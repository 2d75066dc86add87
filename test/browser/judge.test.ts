// Issue 15's model graders on the page, against an OpenAI-compatible server the test starts on loopback
// (test/graders/judge/server.ts): a score_model grader without a judge says what to set up; with the
// judge set in the Grader panel, Try sends the grader's messages with the key and shows the judge's
// scores; the request log lists each call; after a reload the judge is remembered and reaches the fresh
// worker; the key is in no share link. Needs `npx vite build` first (the harness serves dist/).
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openSession, screenshot, type Session } from './harness';
import { startFakeOpenAI, type FakeOpenAI } from '../graders/judge/server';
import { decodeState } from '../../src/export/urlState';
import * as tf from '@tensorflow/tfjs';
import { loadModelDir } from '../../src/cli/modelDir';
import { generate } from '../../src/model';
import { promptIds } from '../../src/tokenizer';

let s: Session;
let fake: FakeOpenAI;
beforeAll(async () => {
  await tf.setBackend('cpu');
  fake = await startFakeOpenAI();
  s = await openSession();
});
afterAll(async () => {
  await s?.close();
  await fake?.close();
});
afterEach(async () => {
  for (const c of s.browser.contexts()) await c.close();
});

const GRADER = JSON.stringify(
  {
    type: 'score_model',
    name: 'judge',
    model: 'gpt-4o-mini',
    input: [{ role: 'user', content: 'Score this answer from 0 to 1: {{ sample.output_text }}' }],
    range: [0, 1],
  },
  null,
  2,
);

async function open(page: Page): Promise<void> {
  await page.goto(`${s.url}?backend=wasm`);
  await page.waitForFunction(() => document.querySelector('[data-testid="backend-badge"]')?.textContent?.startsWith('wasm'), undefined, {
    timeout: 90_000,
  });
}

async function tryScores(page: Page): Promise<string[]> {
  await page.getByTestId('grader-try').click();
  const cells = page.getByTestId('grader-try-result').locator('tbody td.num');
  await expect.poll(() => cells.count(), { timeout: 30_000 }).toBeGreaterThan(0);
  return cells.allTextContents();
}

test('a score_model grader on the page: no judge says what to set; a judge set in the Grader panel scores Try, logs each call, and survives a reload', async () => {
  s.errors.length = 0;
  fake.fallback = () => ({ content: '{"steps": [{"description": "fine", "conclusion": "ok"}], "result": 0.75}' });
  const page = await s.newPage();
  await open(page);
  await page.getByTestId('grader-editor').locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(GRADER);

  // no judge yet: the message says where to set one, and no request went out
  await page.getByTestId('grader-try').click();
  await expect
    .poll(() => page.getByTestId('grader-try-result').textContent(), { timeout: 30_000 })
    .toMatch(/a score_model grader needs a judge model and none is set up.*Judge for model graders/);
  expect(fake.requests).toHaveLength(0);

  // a URL that is not http(s) is refused with a message; nothing changes
  await page.getByTestId('judge').locator('summary').click();
  await page.getByTestId('judge-baseURL').fill('ftp://example.com/v1');
  await page.getByTestId('judge-save').click();
  await expect.poll(() => page.getByTestId('judge-message').textContent(), { timeout: 10_000 }).toMatch(/ftp:/);

  await page.getByTestId('judge-baseURL').fill(fake.baseURL);
  await page.getByTestId('judge-apiKey').fill('sk-test-123');
  await page.getByTestId('judge-save').click();
  await expect.poll(() => page.getByTestId('judge-message').textContent(), { timeout: 10_000 }).toBe(`Model graders call ${fake.baseURL}.`);
  const scores = await tryScores(page);
  expect(scores.length).toBeGreaterThan(0);
  expect(new Set(scores)).toEqual(new Set(['0.750']));
  expect(fake.requests).toHaveLength(scores.length); // one judge call per sample
  const first = fake.requests[0];
  expect(first.path).toBe('/v1/chat/completions');
  expect(first.auth).toBe('Bearer sk-test-123');
  expect(first.body.model).toBe('gpt-4o-mini');
  expect(JSON.stringify(first.body.messages)).toMatch(/Score this answer from 0 to 1: /);
  // the request log lists each call with its status
  await expect.poll(() => page.getByTestId('judge-log').locator('tbody tr').count(), { timeout: 10_000 }).toBe(scores.length);
  expect(await page.getByTestId('judge-log').locator('tbody tr').first().textContent()).toMatch(/\/chat\/completions200/);
  await screenshot(page, 'judge-controls');

  // a reload: the judge is remembered in this browser and reaches the fresh worker
  await page.reload();
  await open(page);
  expect(await page.getByTestId('judge-baseURL').inputValue()).toBe(fake.baseURL);
  await page.getByTestId('grader-editor').locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(GRADER);
  const before = fake.requests.length;
  expect(new Set(await tryScores(page))).toEqual(new Set(['0.750']));
  expect(fake.requests.length).toBeGreaterThan(before);
  // the key travels in no share link
  await page.getByTestId('share-link').click();
  const shared = decodeState(new URL(page.url()).hash);
  expect(JSON.stringify(shared.state.grader)).toContain('score_model'); // the link holds the grader…
  expect(JSON.stringify(shared.state)).not.toContain('sk-test-123'); // …and not the key
  expect(s.errors).toEqual([]);
});

test('a built-in model as the judge: loaded in the worker as its own copy, it scores what it would answer itself', async () => {
  s.errors.length = 0;
  // what cherry-arith answers, greedily, to each prompt: computed here in Node from the shipped files
  const { model, tokenizer } = await loadModelDir('public/models/cherry-arith');
  const prompts = ['12+34=', '250+19='];
  const answers: number[] = [];
  for (const p of prompts) {
    if (tokenizer === null) throw new Error('cherry-arith has no tokenizer');
    const {
      ids: [ids],
    } = await generate(model, [promptIds(tokenizer, p)], { maxNewTokens: 16, temperature: 0, seed: 1, eosIds: tokenizer.eosIds });
    answers.push(Number(tokenizer.decode(ids).trim()));
  }
  model.dispose();
  expect(answers.every(Number.isFinite)).toBe(true);

  const page = await s.newPage();
  await open(page);
  await page.getByTestId('grader-editor').locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(
    JSON.stringify({
      type: 'score_model',
      name: 'sum',
      model: 'any',
      input: [{ role: 'user', content: '{{ sample.output_text }}' }],
      range: [0, 1000],
    }),
  );
  await page.getByTestId('grader-try-outputs').fill(prompts.join('\n'));
  await page.getByTestId('judge').locator('summary').click();
  await page.getByTestId('judge-kind').selectOption('cherry-arith');
  await page.getByTestId('judge-save').click();
  await expect
    .poll(() => page.getByTestId('judge-message').textContent(), { timeout: 60_000 })
    .toMatch(/^Model graders ask the built-in model cherry-arith/);
  expect((await tryScores(page)).map(Number)).toEqual(answers);
  expect(s.errors).toEqual([]);
});
