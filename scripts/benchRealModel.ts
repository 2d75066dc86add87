// "Real models: load and sampling" (issue 12): a SmolLM2-135M-shaped checkpoint (its real config.json,
// scripts/configs/smollm2-135m.json; random BF16 weights written by this script) against the built-in
// cherry-arith model, in one run, Node, tfjs wasm: load time (loadModelDir: config.json, safetensors
// parse + BF16→F32, tensors → model, tokenizer) and greedy sampling tokens/s (batch 1, KV cache).
//   npx tsx scripts/benchRealModel.ts            (prints the BENCHMARKS.md rows)
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { generate, paramShapes, parseHFConfig } from '../src/model';
import { loadModelDir } from '../src/cli/modelDir';
import { encodeSafetensors } from './fixtures/tinyModels';

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

async function main(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
  const dir = writeRandomModel();
  try {
    const small = await measure(BUILTIN);
    const real = await measure(dir);
    console.log(
      `npx tsx scripts/benchRealModel.ts, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, tfjs wasm, load average ${loadavg()[0].toFixed(1)}; prompt ${PROMPT} tokens, ${NEW_TOKENS} new, batch 1, greedy, KV cache`,
    );
    console.log('| model | params | load (s) | sampling tokens/s |');
    console.log('|---|---|---|---|');
    console.log(`| built-in cherry-arith | ${(small.params / 1e6).toFixed(2)}M | ${small.loadS.toFixed(2)} | ${small.tokS.toFixed(1)} |`);
    console.log(
      `| SmolLM2-135M shape, random BF16 | ${(real.params / 1e6).toFixed(1)}M | ${real.loadS.toFixed(2)} (${(real.loadS / small.loadS).toFixed(0)}× built-in) | ${real.tokS.toFixed(2)} (1/${(small.tokS / real.tokS).toFixed(0)} of built-in) |`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
