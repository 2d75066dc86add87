// Model-core benchmark on the wasm backend in Node: sampling tokens/s at batch 64 with and without
// the KV cache, and one training step (forward + backward + Adam) of a ~1M-parameter Llama, with
// Cherry's explicit-transpose matMul gradient and with tfjs's built-in one, and with rotate_half as a
// ±1 matMul or as split/concat. Configs and loops are shared with the Chromium benchmark
// (scripts/benchModelCore.ts). Writes "## Model core (Node, wasm)" in BENCHMARKS.md, and
// "## Against the backend's matmul (Node, wasm)": `cherry bench` of the issue-14 0.8M Llama (ratios of
// achieved FLOP/s to the same run's 1024³ matmul).
//   npx tsx scripts/benchModel.ts
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { benchParamCount, samplingTokensPerSecond, trainStepMs, BENCH_CONFIG as C, SAMPLING, TRAINING } from './benchModelCore';
import { parseHFConfig } from '../src/model';
import { runBench } from '../src/bench/run';
import { writeBenchmarkSection } from './benchmarksFile';

const LIMIT_CONFIG = 'scripts/configs/llama-0.8m.json';

/** `cherry bench --config LIMIT_CONFIG --batch 8 --seq 64` in this process, as a BENCHMARKS.md section. */
async function limitSection(): Promise<string> {
  const r = await runBench(parseHFConfig(JSON.parse(readFileSync(LIMIT_CONFIG, 'utf8')), LIMIT_CONFIG), {
    batch: 8,
    seq: 64,
    prompt: 4,
    trainRepeats: 5,
    skip: [],
    warmup: 'small',
  });
  const f = (x: number | null, d: number): string => (x === null ? '—' : x.toFixed(d));
  return [
    "## Against the backend's matmul (Node, wasm)",
    '',
    `\`npx tsx scripts/benchModel.ts\` (the same as \`npm run --silent cherry -- bench --config ${LIMIT_CONFIG} --batch 8 --seq 64 --json\`), ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, tfjs wasm, 1 thread, 1-minute load average ${loadavg()[0].toFixed(1)} (shared machine). ` +
      `${(r.params / 1e6).toFixed(2)}M params. Ratio = achieved FLOP/s ÷ the same run's 1024³ f32 matMul (${f(r.matmul_gflops, 1)} GFLOP/s); FLOPs per token: sampling 2N, training 6N + 6·L·D·T (src/model/flops.ts).`,
    '',
    '| measurement | tokens/s | ratio |',
    '|---|---|---|',
    `| full training step (fwd+bwd+AdamW), batch 8 x 64 | ${f(r.train_tok_s, 0)} | ${f(r.train_ratio, 3)} |`,
    `| sampling, batch 8, 64 new tokens, KV cache, greedy | ${f(r.sample_tok_s, 0)} | ${f(r.sample_ratio, 3)} |`,
    `| same, no KV cache | ${f(r.sample_tok_s_nokv, 0)} | KV speed-up ${f(r.kv_speedup, 2)}x |`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
  const params = benchParamCount();
  const withCache = await samplingTokensPerSecond(true);
  const noCache = await samplingTokensPerSecond(false);
  const stepExplicit = await trainStepMs();
  const stepBuiltin = await trainStepMs({ explicitTransposeGrad: false });
  const stepSplit = await trainStepMs({ rotateHalfAsMatMul: false });
  const cfg = `${(params / 1e6).toFixed(2)}M params (vocab ${C.vocabSize}, d ${C.hiddenSize}, ${C.numLayers} layers, ${C.numHeads} heads / ${C.numKVHeads} kv)`;
  const { batch, prompt, newTokens } = SAMPLING;
  const section = [
    '## Model core (Node, wasm)',
    '',
    `\`npx tsx scripts/benchModel.ts\`, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, tfjs wasm backend, ${cfg}.`,
    'Figures are from one run on a shared 2-core machine; compare ratios within the table.',
    '',
    '| measurement | value |',
    '|---|---|',
    `| sampling, batch ${batch}, prompt ${prompt}, ${newTokens} new tokens, KV cache | ${withCache.toFixed(0)} tokens/s |`,
    `| sampling, same, no KV cache (full forward per token) | ${noCache.toFixed(0)} tokens/s |`,
    `| KV cache speed-up | ${(withCache / noCache).toFixed(2)}x |`,
    `| training step (fwd+bwd+AdamW, src/rl sftStep), batch ${TRAINING.batch} x ${TRAINING.seqLen} tokens, explicit-transpose matMul gradient (used), median of ${TRAINING.repeats} | ${stepExplicit.toFixed(0)} ms |`,
    `| same, tfjs built-in matMul gradient | ${stepBuiltin.toFixed(0)} ms |`,
    `| explicit-transpose gradient speed-up | ${(stepBuiltin / stepExplicit).toFixed(2)}x |`,
    `| same as the first, rotate_half by split/concat instead of a ±1 matMul | ${stepSplit.toFixed(0)} ms |`,
    `| ±1 matMul rotate_half speed-up | ${(stepSplit / stepExplicit).toFixed(2)}x |`,
    '',
  ].join('\n');
  console.log(section);
  writeBenchmarkSection('Model core (Node, wasm)', section);
  const limit = await limitSection();
  console.log(limit);
  writeBenchmarkSection("Against the backend's matmul (Node, wasm)", limit);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
