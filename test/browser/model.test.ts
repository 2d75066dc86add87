// The same checkpoint gives the same greedy ids in Chromium on webgpu and on wasm, and those equal the
// ids Node (wasm) gives and an independent float64 reference. The real stories260k fixture is served
// to test-pages/model.html from disk through page.route (nothing is fetched from the internet).
// On this machine webgpu is SwiftShader's software adapter (~0.45 GFLOP/s): the continuation is kept short.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { Page } from 'playwright-core';
import { generate, llamaFromSafetensors, parseHFConfig } from '../../src/model';
import { FIXTURE_DIR } from '../model/helpers';
import { readF32Safetensors, refGreedy, type RefConfig } from '../model/reference/llama64';
import { openSession, type Session } from './harness';

/** New tokens after [BOS]: 16 takes a few seconds on the software WebGPU adapter (see the report in BENCHMARKS.md). */
const N = 16;
const PROMPT = [1];
const FILES: Record<string, string> = { 'config.json': 'application/json', 'model.safetensors': 'application/octet-stream' };
/** Same-origin path the page fetches the fixture from; page.route answers it from FIXTURE_DIR. */
const BASE = '/__fixture__/stories260k/';

/**
 * stories260k's parameters, from its config.json: tied embedding 512·64 = 32768; per layer two norms 2·64,
 * q and o 2·64·64, k and v 2·64·32, SwiGLU 3·64·172 → 45440, ×5 layers = 227200; final norm 64. Sum 260032.
 */
const STORIES260K_PARAMS = 260032;

const bytes = new Uint8Array(readFileSync(FIXTURE_DIR + 'model.safetensors'));
const configJson: unknown = JSON.parse(readFileSync(FIXTURE_DIR + 'config.json', 'utf8'));

let s: Session;
let nodeIds: number[] = [];
beforeAll(async () => {
  const ok = await tf.setBackend('wasm');
  if (!ok || tf.getBackend() !== 'wasm') throw new Error('Node: the tfjs wasm backend did not start');
  const m = llamaFromSafetensors(parseHFConfig(configJson, 'config.json'), bytes, 'model.safetensors');
  nodeIds = (await generate(m, [PROMPT], { maxNewTokens: N, temperature: 0, eosIds: [] })).ids[0];
  m.dispose();
  s = await openSession();
});
afterAll(async () => { await s?.close(); });
afterEach(async () => { for (const c of s.browser.contexts()) await c.close(); }); // also after a failure

async function openModelPage(): Promise<Page> {
  const page = await s.newPage();
  await page.route(`**${BASE}*`, async (route) => {
    const name = new URL(route.request().url()).pathname.slice(BASE.length);
    const type = FILES[name];
    if (!type) { await route.fulfill({ status: 404, body: `no fixture file ${name}` }); return; }
    await route.fulfill({ status: 200, contentType: type, body: readFileSync(FIXTURE_DIR + name) });
  });
  await page.goto(`${s.url}test-pages/model.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  return page;
}

/** Picks `backend` on a fresh page, loads the fixture there and greedy-decodes N tokens after PROMPT. */
async function greedyIn(backend: 'webgpu' | 'wasm'): Promise<{ got: { ids: number[]; backend: string }; chosen: string; active: string; leaked: number }> {
  const page = await openModelPage();
  const choice = await page.evaluate((b) => window.cherryModel!.useBackend(b), backend); // the page sets cherryModel before `ready`
  const before = await page.evaluate(() => window.cherryModel!.numTensors());
  const params = await page.evaluate((base) => window.cherryModel!.loadModel(base), BASE);
  expect(params).toBe(STORIES260K_PARAMS);
  const got = await page.evaluate(([p, n]) => window.cherryModel!.greedy(p, n), [PROMPT, N] as const);
  await page.evaluate(() => window.cherryModel!.unload());
  const leaked = (await page.evaluate(() => window.cherryModel!.numTensors())) - before;
  await page.close();
  return { got, chosen: choice.backend, active: choice.active, leaked };
}

test(`Node wasm greedy ids for [1] (${N} tokens) equal the float64 reference`, () => {
  const ref: RefConfig = { vocab: 512, dim: 64, hidden: 172, layers: 5, heads: 8, kvHeads: 4, headDim: 8, eps: 1e-5, theta: 10000, tied: true, bias: false };
  expect(nodeIds).toEqual(refGreedy(ref, readF32Safetensors(bytes), PROMPT, N));
  expect(nodeIds.length).toBe(N);
});

for (const backend of ['wasm', 'webgpu'] as const) {
  test(`Chromium ${backend}: stories260k greedy ids equal Node's, on ${backend} (no fallback), no leaked tensors`, async () => {
    const r = await greedyIn(backend);
    expect(r.chosen).toBe(backend);
    expect(r.active).toBe(backend);
    expect(r.got.backend).toBe(backend);
    expect(r.got.ids).toEqual(nodeIds);
    expect(r.leaked).toBe(0);
    expect(s.errors).toEqual([]);
  });
}
