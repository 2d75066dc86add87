// Where the time of one decoding call or one training step goes (Node, wasm): tf.profile's kernels grouped by
// name (and, with --shapes, BatchMatMul and Transpose by input shapes), after one untimed call. With
// --batched: tfjs wasm's batched matMul against the same FLOPs as one 2-D matMul, the fact behind the chunked
// KV cache (BENCHMARKS.md "Against the backend's limit"); with --transposed: the ways to multiply by a
// weight's transpose (src/model/ops.ts mulTransposed). Kernel times of customGrad scopes ("unnamed scope")
// include the kernels inside them.
//   npx tsx scripts/profileStep.ts scripts/configs/llama-0.8m.json sample 8 32 [--shapes]
//   npx tsx scripts/profileStep.ts scripts/configs/llama-0.8m.json train 8 64 [--shapes]
//   npx tsx scripts/profileStep.ts --batched
//   npx tsx scripts/profileStep.ts --transposed   (x · Wᵀ three ways: fresh transpose of W, (W · xᵀ)ᵀ, a kept Wᵀ)
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { generate, initLlama, parseHFConfig } from '../src/model';
import { benchIds, fullBatch } from '../src/bench/measure';
import { AdamW } from '../src/rl/optim';
import { sftStep } from '../src/rl/sft';

function table(rows: Array<[string, number, number]>, total: number): void {
  for (const [name, n, ms] of rows.sort((a, b) => b[2] - a[2]).slice(0, 25))
    console.log(
      `${name.padEnd(60)} ${String(n).padStart(6)} ${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%`,
    );
}

async function profile(configPath: string, what: string, B: number, N: number, shapes: boolean): Promise<void> {
  const config = parseHFConfig(JSON.parse(readFileSync(configPath, 'utf8')), configPath);
  const m = initLlama(config, 0);
  const opt = new AdamW(m.params, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, maxGradNorm: 1 });
  const prompts = benchIds(B, 4, config.vocabSize);
  const batch = fullBatch(B, N, config.vocabSize);
  const run = async (): Promise<void> => {
    if (what === 'sample') await generate(m, prompts, { maxNewTokens: N, temperature: 0, eosIds: [] });
    else await sftStep(m, opt, batch, 1e-4);
  };
  await run();
  const t0 = performance.now();
  await run();
  console.log(
    `${configPath}, ${what}, B ${B}, ${what === 'sample' ? `${N} new tokens` : `T ${N}`}: ${(performance.now() - t0).toFixed(1)} ms wall`,
  );
  const p = await tf.profile(run);
  const groups = new Map<string, [string, number, number]>();
  let total = 0;
  for (const k of p.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    total += k.name === 'unnamed scope' ? 0 : ms;
    const keys = [k.name];
    if (shapes && (k.name === 'BatchMatMul' || k.name === 'Transpose')) keys.push(`${k.name} ${JSON.stringify(k.inputShapes)}`);
    for (const key of keys) {
      const g = groups.get(key) ?? [key, 0, 0];
      g[1]++;
      g[2] += ms;
      groups.set(key, g);
    }
  }
  console.log(`${p.kernels.length} kernels, ${total.toFixed(1)} ms kernel time (scopes excluded)`);
  table([...groups.values()], total);
  opt.dispose();
  m.dispose();
}

/** Median ms of f over `timed` calls after 2 untimed ones. */
async function ms(f: () => tf.Tensor, timed = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < timed + 2; i++) {
    const t0 = performance.now();
    const r = f();
    await r.data();
    r.dispose();
    if (i >= 2) times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(timed / 2)];
}

/** GFLOP/s of f, from the median of 9 timed calls. */
async function gflops(f: () => tf.Tensor, flops: number): Promise<number> {
  return flops / ((await ms(f, 9)) / 1000) / 1e9;
}

async function batched(): Promise<void> {
  for (const [Bt, M, K, N] of [
    [8, 64, 128, 256],
    [32, 64, 64, 32],
    [24, 3, 64, 256],
    [8, 8, 576, 1536],
  ]) {
    const a = tf.randomNormal([Bt, M, K]);
    const b = tf.randomNormal([Bt, K, N]);
    const a2 = tf.randomNormal([Bt * M, K]);
    const b2 = tf.randomNormal([K, N]);
    const f = 2 * Bt * M * K * N;
    const x = await gflops(() => tf.matMul(a, b), f);
    const y = await gflops(() => tf.matMul(a2, b2), f);
    console.log(
      `${Bt} × [${M}, ${K}]·[${K}, ${N}] batched: ${x.toFixed(2)} GFLOP/s; [${Bt * M}, ${K}]·[${K}, ${N}] 2-D: ${y.toFixed(2)} GFLOP/s`,
    );
    tf.dispose([a, b, a2, b2]);
  }
}

async function transposedProducts(): Promise<void> {
  for (const [N, q, p] of [
    [128, 1536, 576],
    [128, 576, 1536],
    [128, 576, 49152],
    [1024, 576, 1536],
  ]) {
    const x = tf.randomNormal([N, q]);
    const w = tf.randomNormal([p, q]);
    const wT = tf.transpose(w);
    const fresh = await ms(() => tf.tidy(() => tf.matMul(x, tf.transpose(w))));
    const flipped = await ms(() => tf.tidy(() => tf.transpose(tf.matMul(w, tf.transpose(x)))));
    const kept = await ms(() => tf.matMul(x, wT));
    console.log(
      `x [${N}, ${q}] · wᵀ, w [${p}, ${q}]: fresh wᵀ ${fresh.toFixed(1)} ms, (w · xᵀ)ᵀ ${flipped.toFixed(1)} ms, kept wᵀ ${kept.toFixed(1)} ms`,
    );
    tf.dispose([x, w, wT]);
  }
}

async function main(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
  const args = process.argv.slice(2);
  if (args.includes('--batched')) return batched();
  if (args.includes('--transposed')) return transposedProducts();
  const [config, what, B, N] = args.filter((a) => !a.startsWith('--'));
  if (!config || (what !== 'sample' && what !== 'train'))
    throw new Error('usage: profileStep.ts CONFIG.json sample|train B N [--shapes] | --batched | --transposed');
  await profile(config, what, Number(B ?? 8), Number(N ?? 32), args.includes('--shapes'));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
