// "Real models: load and sampling" (issue 12): a SmolLM2-135M-shaped checkpoint (its real config.json,
// scripts/configs/smollm2-135m.json; random BF16 weights written by this script) against the built-in
// cherry-arith model, in one run, tfjs wasm:
//  - Node: load time (loadModelDir: config.json, safetensors parse + BF16→F32, tensors → model,
//    tokenizer) and greedy sampling tokens/s (batch 1, KV cache);
//  - Chromium (production build): the page loads each from the loopback Hub (test/helpers/hubServer.ts)
//    as a person does, `hf:` id → Load → "ready": download + Cache Storage + build, then again after a
//    reload from the cache; greedy sampling tokens/s of the same shapes in a Web Worker of
//    test-pages/bench.html (src/bench/run.ts, as the app's train worker runs tfjs).
//   npx vite build && npx tsx scripts/benchRealModel.ts      (prints the BENCHMARKS.md rows)
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { generate, paramShapes, parseHFConfig } from '../src/model';
import { loadModelDir } from '../src/cli/modelDir';
import { encodeSafetensors } from './fixtures/tinyModels';
import { chromium } from 'playwright-core';
import { preview } from 'vite';
import { FLAGS } from '../test/browser/harness';
import { fakeCommit, startHubServer } from '../test/helpers/hubServer';
import type { BenchWorkerRequest } from '../test-pages/bench';

const CONFIG = 'scripts/configs/smollm2-135m.json';
const BUILTIN = 'public/models/cherry-arith';
const PROMPT = 16,
  NEW_TOKENS = 32;

/** A folder with CONFIG's shape, random BF16 weights (std 0.02) and the built-in model's tokenizer (ids < its vocab). */
function writeRandomModel(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cherry-bench-smollm2-'));
  const json = JSON.parse(readFileSync(CONFIG, 'utf8'));
  const config = parseHFConfig(json, CONFIG);
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, shape] of paramShapes(config)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name.endsWith('norm.weight')) data.fill(1);
    else for (let i = 0; i < data.length; i++) data[i] = rand() * 0.07; // uniform, std ≈ 0.02
    tensors.set(name, { shape, data });
  }
  writeFileSync(join(dir, 'config.json'), JSON.stringify(json));
  writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(tensors, 'BF16'));
  copyFileSync(join(BUILTIN, 'tokenizer.json'), join(dir, 'tokenizer.json'));
  return dir;
}

async function measure(dir: string): Promise<{ loadS: number; tokS: number; params: number }> {
  const t0 = performance.now();
  const { model } = await loadModelDir(dir);
  const loadS = (performance.now() - t0) / 1000;
  const prompt = Array.from({ length: PROMPT }, (_, i) => 3 + i);
  await generate(model, [prompt], { maxNewTokens: 2, temperature: 0, seed: 1, eosIds: [] }); // warm-up
  const t1 = performance.now();
  await generate(model, [prompt], { maxNewTokens: NEW_TOKENS, temperature: 0, seed: 1, eosIds: [] });
  const tokS = NEW_TOKENS / ((performance.now() - t1) / 1000);
  const params = model.paramCount();
  model.dispose();
  return { loadS, tokS, params };
}

interface Measured {
  loadS: number;
  tokS: number;
  params: number;
}

/** In Chromium: seconds from Load to "ready" (downloaded, then from the cache after a reload), and sampling tokens/s. */
async function measureChromium(dirs: {
  builtin: string;
  real: string;
}): Promise<{ builtin: Measured & { cachedS: number }; real: Measured & { cachedS: number } }> {
  const files = (dir: string): Record<string, Uint8Array> =>
    Object.fromEntries(
      readdirSync(dir)
        .filter((f) => !f.startsWith('.'))
        .map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]),
    );
  const hub = await startHubServer({
    'bench/cherry-arith': { files: files(dirs.builtin), commit: fakeCommit('cherry-arith') },
    'bench/smollm2-135m-shape': { files: files(dirs.real), commit: fakeCommit('smollm2') },
  });
  // A persistent profile, as a person's browser has: in a fresh (incognito-like) context Chromium keeps
  // Cache Storage in memory, and putting the 270 MB weight file there fails ("Unexpected internal error").
  const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL; was `vite build` run first?');
  const profile = mkdtempSync(join(tmpdir(), 'cherry-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
  });
  const s = { url };
  try {
    const page = await context.newPage();
    const ready = async (): Promise<void> => {
      for (let t = Date.now(); (await page.getByTestId('model-status').textContent()) !== 'ready';) {
        const status = await page.getByTestId('model-status').textContent();
        if (status?.startsWith('error')) throw new Error(status);
        if (Date.now() - t > 600_000) throw new Error(`no model after 10 minutes: ${status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const open = async (): Promise<void> => {
      await page.goto(`${s.url}?backend=wasm`);
      await ready(); // the page's own built-in model first
      await page.getByText('Hub endpoint').click();
      await page.getByTestId('hub-endpoint').fill(hub.url);
    };
    const load = async (id: string): Promise<number> => {
      await page.getByTestId('hub-source').fill(`hf:bench/${id}`);
      // counts the status's changes, so a load that is over before the first poll is still seen
      await page.evaluate(() => {
        const el = document.querySelector('[data-testid="model-status"]');
        const w = window as unknown as { statusChanges: number };
        w.statusChanges = 0;
        if (el !== null) new MutationObserver(() => w.statusChanges++).observe(el, { childList: true, characterData: true, subtree: true });
      });
      const t0 = performance.now();
      await page.getByTestId('hub-load').click();
      await page.waitForFunction(() => (window as unknown as { statusChanges: number }).statusChanges > 0, undefined, { timeout: 60_000 });
      await ready();
      return (performance.now() - t0) / 1000;
    };
    await open();
    const first = { builtin: await load('cherry-arith'), real: await load('smollm2-135m-shape') };
    await open(); // a reload: the next loads read Cache Storage
    const cached = { builtin: await load('cherry-arith'), real: await load('smollm2-135m-shape') };
    await page.goto(`${s.url}test-pages/bench.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const sample = async (dir: string): Promise<{ tokS: number; params: number }> => {
      const req: BenchWorkerRequest = {
        backend: 'wasm',
        threads: null,
        config: JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')),
        configName: join(dir, 'config.json'),
        options: { batch: 1, seq: NEW_TOKENS, prompt: PROMPT, trainRepeats: 1, skip: ['nokv', 'train'], warmup: 'small', matmulN: 256 },
      };
      const d = await page.evaluate((q) => window.cherryBench!.run(q), req);
      return { tokS: d.result.sample_tok_s, params: d.result.params };
    };
    const sb = await sample(dirs.builtin),
      sr = await sample(dirs.real);
    return {
      builtin: { loadS: first.builtin, cachedS: cached.builtin, ...sb },
      real: { loadS: first.real, cachedS: cached.real, ...sr },
    };
  } finally {
    await context.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    await hub.stop();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
  const dir = writeRandomModel();
  try {
    const small = await measure(BUILTIN);
    const real = await measure(dir);
    const web = await measureChromium({ builtin: BUILTIN, real: dir });
    console.log(
      `npx vite build && npx tsx scripts/benchRealModel.ts, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, tfjs wasm, load average ${loadavg()[0].toFixed(1)}; prompt ${PROMPT} tokens, ${NEW_TOKENS} new, batch 1, greedy, KV cache`,
    );
    console.log('| where | model | params | load (s) | sampling tokens/s |');
    console.log('|---|---|---|---|---|');
    console.log(
      `| Node | built-in cherry-arith | ${(small.params / 1e6).toFixed(2)}M | ${small.loadS.toFixed(2)} | ${small.tokS.toFixed(1)} |`,
    );
    console.log(
      `| Node | SmolLM2-135M shape, random BF16 | ${(real.params / 1e6).toFixed(1)}M | ${real.loadS.toFixed(2)} (${(real.loadS / small.loadS).toFixed(0)}× built-in) | ${real.tokS.toFixed(2)} (1/${(small.tokS / real.tokS).toFixed(0)} of built-in) |`,
    );
    const w = web.builtin,
      r = web.real;
    console.log(
      `| Chromium | built-in cherry-arith, from the loopback Hub | ${(w.params / 1e6).toFixed(2)}M | ${w.loadS.toFixed(2)} downloaded, ${w.cachedS.toFixed(2)} cached | ${w.tokS.toFixed(1)} |`,
    );
    console.log(
      `| Chromium | SmolLM2-135M shape, random BF16, from the loopback Hub | ${(r.params / 1e6).toFixed(1)}M | ${r.loadS.toFixed(2)} downloaded, ${r.cachedS.toFixed(2)} cached (${(r.cachedS / w.cachedS).toFixed(0)}× built-in) | ${r.tokS.toFixed(2)} (1/${(w.tokS / r.tokS).toFixed(0)} of built-in) |`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
