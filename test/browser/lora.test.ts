// LoRA RFT end to end in Chromium (wasm), on the production build.
// 1. The real Trainer on a page (test-pages/lora.ts), for a tiny checkpoint of every architecture
//    (scripts/fixtures/tinyModels.ts: Llama, Qwen2, Qwen3, GPT-2) and the built-in arithmetic model: GRPO
//    with a rank-4 adapter for 2 steps; only the adapter changed (no base weight moved, the log-probs with
//    the adapter off equal the base model's), and the adapter's PEFT files, loaded in Node with
//    src/model/peft.ts onto the same base, give the page's log-probs.
// 2. The app: LoRA rows from the share link, the memory plan before the run (trainable count by hand),
//    Start, steps advance, the measured peak beside the plan; the run's adapter (PEFT zip) and merged
//    model (HF zip) downloads agree in Node; the adapter loads back to continue; bad adapter files are
//    refused with the field named and the loaded adapter stays; a plan that cannot fit disables Start.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { Page } from 'playwright-core';
import { llamaFromSafetensors, loadCheckpoint, tokenLogprobs, type Llama } from '../../src/model';
import { loadPeftAdapter } from '../../src/model/peft';
import { loadTokenizerText, promptIds } from '../../src/tokenizer';
import { encodeState } from '../../src/export/urlState';
import { resolveConfig, type RLConfig } from '../../src/rl/config';
import { TINY_MODELS, writeTinyModels } from '../../scripts/fixtures/tinyModels';
import { openSession, screenshot, type Session } from './harness';

const ARITH = 'public/models/cherry-arith';
/** wasm in Chromium and in Node: the same kernels; summation order may differ slightly. */
const LP_TOL = 1e-4;

let s: Session;
let root = '';
let dirs = new Map<string, string>();
beforeAll(async () => {
  if (!(await tf.setBackend('wasm'))) throw new Error('Node: the tfjs wasm backend did not start');
  root = mkdtempSync(join(tmpdir(), 'cherry-lora-browser-'));
  dirs = writeTinyModels(root);
  dirs.set('cherry-arith', ARITH);
  s = await openSession();
});
afterAll(async () => {
  await s?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of s.browser.contexts()) await c.close();
});

/** The checkpoint folder `dir` as a model in Node. */
async function nodeModel(dir: string): Promise<Llama> {
  const cp = await loadCheckpoint(
    { read: async (n) => (existsSync(join(dir, n)) ? new Uint8Array(readFileSync(join(dir, n))) : null) },
    dir,
  );
  return llamaFromSafetensors(cp.config, cp.tensors, cp.weightsSource);
}

async function nodeLogprobs(m: Llama, ids: number[]): Promise<number[]> {
  const r = tokenLogprobs(m, [ids]);
  const out = Array.from(await r.logprobs.data());
  r.logprobs.dispose();
  return out;
}

async function seqOf(dir: string): Promise<number[]> {
  const tc = join(dir, 'tokenizer_config.json');
  const tok = await loadTokenizerText(
    readFileSync(join(dir, 'tokenizer.json'), 'utf8'),
    'tokenizer.json',
    existsSync(tc) ? readFileSync(tc, 'utf8') : undefined,
    'tokenizer_config.json',
  );
  return promptIds(tok, '12+34=46 and 7-5=2');
}

const maxDiff = (a: number[], b: number[]): number => Math.max(...a.map((x, i) => Math.abs(x - b[i])));

const MODELS = [...TINY_MODELS.filter((m) => m.shards === 1 && !m.config.rope_scaling).map((m) => m.name), 'cherry-arith'];

test(`Chromium wasm, the real Trainer: LoRA GRPO on ${MODELS.join(', ')} changes only the adapter, and its PEFT files give the page's log-probs in Node`, async () => {
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
  await page.goto(`${s.url}test-pages/lora.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  expect(await page.evaluate(() => window.cherryLora!.useBackend('wasm'))).toBe('wasm');
  for (const name of MODELS) {
    const dir = dirs.get(name) ?? '';
    const seq = await seqOf(dir);
    const r = await page.evaluate(([base, ids]) => window.cherryLora!.run(base, 2, 4, ids), [`/__tiny__/${name}/`, seq] as const);
    expect(r.backend).toBe('wasm');
    expect(r.steps, name).toBe(2);
    expect(r.baseMaxChange, `${name}: a base weight moved`).toBe(0);
    expect(maxDiff(r.off, r.before), `${name}: adapter off = base`).toBeLessThan(1e-5);
    expect(maxDiff(r.on, r.before), `${name}: the adapter trained`).toBeGreaterThan(1e-4);
    expect(r.leaked, name).toBe(0);
    expect(r.adapterConfig).toMatchObject({ peft_type: 'LORA', task_type: 'CAUSAL_LM', r: 4, lora_alpha: 8 });

    const m = await nodeModel(dir);
    expect(maxDiff(await nodeLogprobs(m, seq), r.before), `${name}: Node base = page base`).toBeLessThan(LP_TOL);
    const adapter = loadPeftAdapter(m, r.adapterConfig, new Uint8Array(r.adapterWeights), `page ${name}`);
    expect(adapter.paramCount()).toBe(r.trainable);
    expect(maxDiff(await nodeLogprobs(m, seq), r.on), `${name}: Node + PEFT files = page`).toBeLessThan(LP_TOL);
    adapter.dispose();
    m.dispose();
  }
  expect(s.errors).toEqual([]);
}, 240_000);

async function openApp(config: Partial<RLConfig>): Promise<Page> {
  s.errors.length = 0;
  const page = await s.newPage();
  await page.goto(`${s.url}?backend=wasm#${encodeState({ task: 'arithmetic', config: resolveConfig(config), grader: null })}`);
  await expect.poll(() => page.getByTestId('model-status').textContent(), { timeout: 60_000 }).toBe('ready');
  return page;
}

async function download(page: Page, kind: string): Promise<Record<string, Uint8Array>> {
  const row = page.getByTestId('runs-list').locator('li[data-run-id]').first();
  if (!(await row.getByTestId(`run-download-${kind}`).isVisible())) await row.getByTestId('run-files').click();
  const [dl] = await Promise.all([page.waitForEvent('download'), row.getByTestId(`run-download-${kind}`).click()]);
  const files: Record<string, Uint8Array> = {};
  for (const [n, b] of Object.entries(unzipSync(new Uint8Array(await readFile(await dl.path()))))) files[n.replace(/^.*\//, '')] = b;
  return files;
}

const LORA: Partial<RLConfig> = {
  lora_rank: 4,
  lora_alpha: 8,
  batch_prompts: 2,
  num_generations: 4,
  max_completion_length: 4,
  eval_interval: 0,
  max_steps: 3,
  learning_rate: 3e-2,
  seed: 3,
};

test('the app: LoRA rows, the memory plan, a run, adapter and merged downloads, continuing from the adapter, bad files refused', async () => {
  const page = await openApp(LORA);
  const cfg = JSON.parse(readFileSync(join(ARITH, 'config.json'), 'utf8'));
  const D = cfg.hidden_size,
    F = cfg.intermediate_size,
    kv = (cfg.num_key_value_heads * D) / cfg.num_attention_heads;
  // r × (in + out) of q, k, v, o, gate, up, down, in every layer
  const trainable = 4 * (2 * (D + D) + 2 * (D + kv) + 2 * (D + F) + (F + D)) * cfg.num_hidden_layers;
  const plan = page.getByTestId('memory-plan');
  await expect.poll(() => plan.getAttribute('data-trainable'), { timeout: 30_000 }).toBe(String(trainable));
  expect(await plan.getAttribute('data-fits')).toBe('true');
  await page.getByText('Hyperparameters').click();
  expect(await page.getByRole('spinbutton', { name: /^lora_rank\b/ }).inputValue()).toBe('4');

  await page.getByTestId('run-start').click();
  await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 90_000 }).toBe('stopped');
  expect(await page.getByTestId('step-counter').textContent()).toBe('3');
  expect(Number(await page.getByTestId('memory-plan-peak').getAttribute('data-bytes'))).toBeGreaterThan(0);
  await screenshot(page, 'lora-plan');

  const peft = await download(page, 'adapter-zip');
  const merged = await download(page, 'merged-zip');
  expect(Object.keys(merged).sort()).toEqual(['cherry_run.json', 'config.json', 'model.safetensors', 'tokenizer.json']);
  const peftCfg = JSON.parse(new TextDecoder().decode(peft['adapter_config.json']));
  expect(peftCfg).toMatchObject({
    peft_type: 'LORA',
    r: 4,
    lora_alpha: 8,
    target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
  });
  const seq = await seqOf(ARITH);
  const base = await nodeModel(ARITH);
  const before = await nodeLogprobs(base, seq);
  const adapter = loadPeftAdapter(base, peftCfg, peft['adapter_model.safetensors'], 'page adapter');
  const withAdapter = await nodeLogprobs(base, seq);
  adapter.dispose();
  base.dispose();
  const m = llamaFromSafetensors(
    (await loadCheckpoint({ read: async (n) => merged[n] ?? null }, 'merged')).config,
    merged['model.safetensors'],
    'merged',
  );
  expect(maxDiff(withAdapter, before)).toBeGreaterThan(1e-4); // the run trained the adapter
  expect(maxDiff(await nodeLogprobs(m, seq), withAdapter)).toBeLessThan(LP_TOL); // merged in the page = base + adapter in Node (float32 order: measured 6e-5 on log-probs near -20)
  m.dispose();

  // Continue from the downloaded adapter; then bad files change nothing.
  const input = page.getByTestId('lora-adapter-input');
  const file = (name: string, b: Uint8Array) => ({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(b) });
  await input.setInputFiles([
    file('adapter_config.json', peft['adapter_config.json']),
    file('adapter_model.safetensors', peft['adapter_model.safetensors']),
  ]);
  await expect.poll(() => page.getByTestId('lora-adapter').getAttribute('data-rank')).toBe('4');
  await input.setInputFiles([
    file('adapter_config.json', new TextEncoder().encode(JSON.stringify({ ...peftCfg, peft_type: 'IA3' }))),
    file('adapter_model.safetensors', peft['adapter_model.safetensors']),
  ]);
  await expect
    .poll(() => page.getByTestId('lora-adapter-error').textContent())
    .toContain('adapter_config.json: field "peft_type" must be "LORA", got "IA3"');
  await input.setInputFiles([file('adapter_model.safetensors', peft['adapter_model.safetensors'])]);
  await expect.poll(() => page.getByTestId('lora-adapter-error').textContent()).toMatch(/adapter_config\.json missing/);
  expect(await page.getByTestId('lora-adapter').getAttribute('data-rank')).toBe('4'); // still the good one

  await page.getByTestId('run-start').click(); // continues the loaded adapter
  await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 90_000 }).toBe('stopped');
  expect(await page.getByTestId('step-counter').textContent()).toBe('3');
}, 240_000);

test('a plan that cannot fit disables Start, with the numbers and what to change', async () => {
  const page = await openApp({ batch_prompts: 4096, num_generations: 1024 });
  const plan = page.getByTestId('memory-plan');
  await expect.poll(() => plan.getAttribute('data-fits'), { timeout: 30_000 }).toBe('false');
  expect(await page.getByTestId('run-start').isDisabled()).toBe(true);
  const text = (await page.getByTestId('memory-plan-problems').textContent()) ?? '';
  expect(text).toMatch(/This run cannot start: the estimated peak [\d.]+ (GiB|TiB) exceeds the 4\.00 GiB available/);
  expect(text).toMatch(/a smaller group/);
});
