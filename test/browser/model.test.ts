// The same checkpoint gives the same greedy ids (and log-probs of a fixed sequence, to 1e-4) in Chromium on
// webgpu and on wasm, and those equal what Node (wasm) gives and an independent float64 reference. The real stories260k fixture is served
// to test-pages/model.html from disk through page.route (nothing is fetched from the internet). The tiny
// checkpoints of every architecture (scripts/fixtures/tinyModels.ts) are served the same way and their
// log-probs checked against the NumPy reference (scripts/reference/forward.py).
// On this machine webgpu is SwiftShader's software adapter (~0.45 GFLOP/s): the continuation is kept short.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { Page } from 'playwright-core';
import { generate, llamaFromSafetensors, parseHFConfig, tokenLogprobs } from '../../src/model';
import { FIXTURE_DIR } from '../model/helpers';
import { readF32Safetensors, refGreedy, refLogprobs, type RefConfig } from '../model/reference/llama64';
import { reference } from '../model/reference/numpy';
import { loadTokenizerText, promptIds } from '../../src/tokenizer';
import { TINY_MODELS, writeTinyModels } from '../../scripts/fixtures/tinyModels';
import { openSession, type Session } from './harness';

/** New tokens after [BOS]. On the software WebGPU adapter the whole webgpu test takes ~15-30 s, mostly compiling shaders. */
const N = 16;
const PROMPT = [1];
/**
 * Log-probs of SEQ (between -17.4 and -5.5) may differ by float32 summation order only: measured here, Chromium
 * wasm = Node wasm bit for bit, webgpu (SwiftShader) within 1.8e-5.
 */
const LP_TOL = 1e-4;
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
let nodeLp: number[] = [];
/** A fixed sequence that is not the model's greedy path, so its log-probs are spread out (as in test/model/fixture.test.ts). */
const SEQ = [1, 403, 407, 261, 378, 395, 259, 280, 45, 13, 2, 1, 300, 511, 0, 77, 260, 261, 262, 410];
beforeAll(async () => {
  const ok = await tf.setBackend('wasm');
  if (!ok || tf.getBackend() !== 'wasm') throw new Error('Node: the tfjs wasm backend did not start');
  const m = llamaFromSafetensors(parseHFConfig(configJson, 'config.json'), bytes, 'model.safetensors');
  nodeIds = (await generate(m, [PROMPT], { maxNewTokens: N, temperature: 0, eosIds: [] })).ids[0];
  const lp = tokenLogprobs(m, [SEQ]);
  nodeLp = Array.from(await lp.logprobs.data());
  lp.logprobs.dispose();
  m.dispose();
  s = await openSession();
});
afterAll(async () => {
  await s?.close();
});
afterEach(async () => {
  for (const c of s.browser.contexts()) await c.close();
}); // also after a failure

async function openModelPage(): Promise<Page> {
  const page = await s.newPage();
  await page.route(`**${BASE}*`, async (route) => {
    const name = new URL(route.request().url()).pathname.slice(BASE.length);
    const type = FILES[name];
    if (!type) {
      await route.fulfill({ status: 404, body: `no fixture file ${name}` });
      return;
    }
    await route.fulfill({ status: 200, contentType: type, body: readFileSync(FIXTURE_DIR + name) });
  });
  await page.goto(`${s.url}test-pages/model.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  return page;
}

/** Picks `backend` on a fresh page, loads the fixture there and greedy-decodes N tokens after PROMPT. */
async function greedyIn(backend: 'webgpu' | 'wasm'): Promise<{
  got: { ids: number[]; backend: string };
  lp: { logprobs: number[]; backend: string };
  chosen: string;
  active: string;
  leaked: number;
}> {
  const page = await openModelPage();
  const choice = await page.evaluate((b) => window.cherryModel!.useBackend(b), backend); // the page sets cherryModel before `ready`
  const before = await page.evaluate(() => window.cherryModel!.numTensors());
  const params = await page.evaluate((base) => window.cherryModel!.loadModel(base), BASE);
  expect(params).toBe(STORIES260K_PARAMS);
  const got = await page.evaluate(([p, n]) => window.cherryModel!.greedy(p, n), [PROMPT, N] as const);
  const lp = await page.evaluate((ids) => window.cherryModel!.logprobs(ids), SEQ);
  await page.evaluate(() => window.cherryModel!.unload());
  const leaked = (await page.evaluate(() => window.cherryModel!.numTensors())) - before;
  await page.close();
  return { got, lp, chosen: choice.backend, active: choice.active, leaked };
}

test(`Node wasm greedy ids for [1] (${N} tokens) and log-probs of a fixed sequence equal the float64 reference`, () => {
  const ref: RefConfig = {
    vocab: 512,
    dim: 64,
    hidden: 172,
    layers: 5,
    heads: 8,
    kvHeads: 4,
    headDim: 8,
    eps: 1e-5,
    theta: 10000,
    tied: true,
    bias: false,
  };
  const w = readF32Safetensors(bytes);
  expect(nodeIds).toEqual(refGreedy(ref, w, PROMPT, N));
  expect(nodeIds.length).toBe(N);
  const refLp = refLogprobs(ref, w, SEQ);
  expect(nodeLp.length).toBe(SEQ.length - 1);
  for (let i = 0; i < nodeLp.length; i++) expect(Math.abs(nodeLp[i] - refLp[i])).toBeLessThan(LP_TOL);
});

for (const backend of ['wasm', 'webgpu'] as const) {
  test(`Chromium ${backend}: stories260k greedy ids and log-probs equal Node's, on ${backend} (no fallback), no leaked tensors`, async () => {
    const r = await greedyIn(backend);
    expect(r.chosen).toBe(backend);
    expect(r.active).toBe(backend);
    expect(r.got.backend).toBe(backend);
    expect(r.got.ids).toEqual(nodeIds);
    expect(r.lp.backend).toBe(backend);
    expect(r.lp.logprobs.length).toBe(SEQ.length - 1);
    const diff = Math.max(...r.lp.logprobs.map((x, i) => Math.abs(x - nodeLp[i])));
    console.log(`${backend}: max |log-prob - Node wasm| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(LP_TOL);
    expect(r.leaked).toBe(0);
    expect(s.errors).toEqual([]);
  });
}

test('Chromium wasm: every tiny architecture (F32/F16/BF16, sharded, rope_scaling, GPT-2) served over HTTP gives the NumPy reference log-probs', async () => {
  const root = mkdtempSync(join(tmpdir(), 'cherry-tiny-browser-'));
  try {
    const dirs = writeTinyModels(root);
    const page = await s.newPage();
    await page.route('**/__tiny__/**', async (route) => {
      const [name, file] = new URL(route.request().url()).pathname.split('/__tiny__/')[1].split('/');
      const path = join(dirs.get(name) ?? '/nonexistent', file);
      if (!existsSync(path)) {
        await route.fulfill({ status: 404, body: `no file ${name}/${file}` });
        return;
      }
      await route.fulfill({ status: 200, contentType: 'application/octet-stream', body: readFileSync(path) });
    });
    await page.goto(`${s.url}test-pages/model.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    expect((await page.evaluate(() => window.cherryModel!.useBackend('wasm'))).active).toBe('wasm');
    for (const m of TINY_MODELS) {
      const dir = dirs.get(m.name)!;
      const tok = await loadTokenizerText(
        readFileSync(join(dir, 'tokenizer.json'), 'utf8'),
        'tokenizer.json',
        readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'),
        'tokenizer_config.json',
      );
      const seqs = ['Once upon a time, there was a little dog.', 'Hello world! 123 + 45 = 168'].map((t) => promptIds(tok, t));
      const want = reference(dir, seqs).logprobs;
      await page.evaluate((base) => window.cherryModel!.loadModel(base), `/__tiny__/${m.name}/`);
      const got = await page.evaluate((x) => window.cherryModel!.logprobsBatch(x), seqs);
      seqs.forEach((_, b) => {
        expect(got[b]).toHaveLength(want[b].length);
        got[b].forEach((v, t) => expect(Math.abs(v - want[b][t]), `${m.name} row ${b} token ${t + 1}`).toBeLessThan(LP_TOL));
      });
    }
    await page.evaluate(() => window.cherryModel!.unload());
    // The only console error: Chromium logging the 404 of model.safetensors probed before the sharded index.
    expect(s.errors).toEqual([expect.stringMatching(/404/)]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}, 300_000);
