// Issue 12's done-when on the production build, as a person does it: paste an `hf:` id of a tiny
// checkpoint served by the loopback Hub (with its real Qwen2.5 tokenizer and chat template), watch the
// download progress, load it; a model with an unsupported architecture fails with its message while the
// loaded one stays; reload the page, stop the server, load the same model again from Cache Storage; pick
// a chat task (listed because the model has a chat template) and run 3 GRPO steps. The page's built-in
// model is a small random Llama served in place of public/models/<model>/ (as in run.test.ts).
// Needs `npx vite build` first (the harness serves dist/).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { Page } from 'playwright-core';
import { openSession, screenshot, type Session } from './harness';
import { modelFiles } from '../worker/modelFiles';
import { getTask } from '../../src/tasks';
import { TINY_MODELS, writeTinyModel } from '../../scripts/fixtures/tinyModels';
import { fakeCommit, startHubServer, type HubServer } from '../helpers/hubServer';

let s: Session;
let server: HubServer;
let builtin: Map<string, Uint8Array>;
const MODEL = getTask('arithmetic').model;

function tinyFolder(name: string): Record<string, Uint8Array> {
  const m = TINY_MODELS.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no tiny model ${name}`);
  const dir = mkdtempSync(join(tmpdir(), 'cherry-hubpage-'));
  writeTinyModel(m, dir);
  return Object.fromEntries(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  builtin = await modelFiles();
  const qwen = tinyFolder('qwen2-bf16');
  const mistral = {
    ...qwen,
    'config.json': new TextEncoder().encode(
      JSON.stringify({
        ...JSON.parse(new TextDecoder().decode(qwen['config.json'])),
        architectures: ['MistralForCausalLM'],
        model_type: 'mistral',
      }),
    ),
  };
  server = await startHubServer({
    'org/tiny-chat': { files: qwen, commit: fakeCommit('tiny-chat') },
    'org/mistral': { files: mistral, commit: fakeCommit('mistral') },
  });
  s = await openSession();
});
afterAll(async () => {
  await server?.stop();
  await s?.close();
});

/** Opens (or reloads) the page with the built-in model served, and waits for it to be ready. */
async function ready(page: Page, reload: boolean): Promise<void> {
  if (reload) await page.reload();
  else await page.goto(`${s.url}?backend=wasm`);
  await page.waitForFunction(() => document.querySelector('[data-testid="backend-badge"]')?.textContent?.startsWith('wasm'), undefined, {
    timeout: 90_000,
  });
  await expect.poll(() => page.getByTestId('model-status').textContent(), { timeout: 60_000 }).toBe('ready');
}

/** Records every text the model status shows from now on (progress lines pass quickly). */
async function recordStatus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="model-status"]');
    const seen: string[] = [];
    Object.assign(window, { statusSeen: seen });
    if (el !== null)
      new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
  });
}

async function loadHub(page: Page, source: string): Promise<void> {
  await page.getByTestId('hub-source').fill(source);
  await page.getByTestId('hub-load').click();
}

test('paste a Hub id, watch progress, reload, load from the cache with the server stopped, 3 GRPO steps of a chat task', async () => {
  const page = await s.newPage();
  await page.context().route(`**/models/${MODEL}/*`, async (route) => {
    const body = builtin.get(new URL(route.request().url()).pathname.split('/').pop() ?? '');
    await route.fulfill(
      body === undefined
        ? { status: 404, body: 'not found' }
        : {
            status: 200,
            body: Buffer.from(body),
            headers: { 'content-type': 'application/octet-stream', 'cross-origin-resource-policy': 'same-origin' },
          },
    );
  });
  await ready(page, false);
  expect(await page.getByTestId('task-select').locator('option[value="chat-word-problems"]').count()).toBe(0); // no chat template yet

  await page.getByText('Hub endpoint').click();
  await page.getByTestId('hub-endpoint').fill(server.url);
  await recordStatus(page);
  await loadHub(page, 'hf:org/tiny-chat');
  await expect.poll(() => page.getByTestId('model-status').textContent(), { timeout: 60_000 }).toBe('ready');
  const seen = await page.evaluate(() => (window as unknown as { statusSeen: string[] }).statusSeen); // set by recordStatus
  expect(seen.some((t) => /^loading hf:org\/tiny-chat… .*\d+(\.\d+)? (kB|MB) of \d+(\.\d+)? (kB|MB)/.test(t))).toBe(true);
  await expect.poll(() => page.getByTestId('model-facts').textContent(), { timeout: 10_000 }).toContain('Qwen2ForCausalLM');
  await expect.poll(() => page.getByTestId('model-facts').textContent(), { timeout: 10_000 }).toContain('yes: the chat tasks');
  await page.getByTestId('model-cache').locator('summary').click();
  await expect.poll(() => page.getByTestId('cached-model').textContent(), { timeout: 10_000 }).toContain('/org/tiny-chat'); // a non-default endpoint: the cache names the source by its URL

  // bad input: refused with its message, and the loaded model stays
  await loadHub(page, 'hf:org/mistral');
  await expect
    .poll(() => page.getByTestId('model-status').textContent(), { timeout: 30_000 })
    .toMatch(/^error: .*MistralForCausalLM.* — still using hf:org\/tiny-chat$/);
  await expect.poll(() => page.getByTestId('model-facts').textContent(), { timeout: 10_000 }).toContain('Qwen2ForCausalLM');
  await screenshot(page, 'hub-page-bad-architecture');

  // reload: the built-in model loads again; with the server stopped the Hub model comes from the cache
  await ready(page, true);
  await server.stop();
  expect(await page.getByTestId('hub-source').inputValue()).toBe('hf:org/mistral'); // the last source is remembered
  await loadHub(page, 'hf:org/tiny-chat');
  await expect.poll(() => page.getByTestId('model-status').textContent(), { timeout: 60_000 }).toBe('ready');
  await expect.poll(() => page.getByTestId('model-facts').textContent(), { timeout: 10_000 }).toContain('Qwen2ForCausalLM');

  await page.getByTestId('task-select').selectOption('chat-word-problems');
  await page.getByText('Hyperparameters').click();
  for (const [k, v] of Object.entries({ batch_prompts: 1, num_generations: 2, max_completion_length: 4, eval_interval: 0 })) {
    await page.getByRole('spinbutton', { name: new RegExp(`^${k}\\b`) }).fill(String(v));
  }
  for (let i = 1; i <= 3; i++) {
    await expect.poll(() => page.getByTestId('run-step').isEnabled(), { timeout: 120_000 }).toBe(true);
    await page.getByTestId('run-step').click();
    await expect.poll(() => page.getByTestId('step-counter').textContent(), { timeout: 120_000 }).toBe(String(i));
  }
  await screenshot(page, 'hub-page-chat-grpo');
  expect(s.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
}, 600_000);
