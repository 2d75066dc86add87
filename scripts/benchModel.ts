// Model-core benchmark on the wasm backend in Node: sampling tokens/s at batch 64 with and without
// the KV cache, and one training step (forward + backward + Adam) of a ~1M-parameter Llama, with
// Cherry's explicit-transpose matMul gradient and with tfjs's built-in one, and with rotate_half as a
// ±1 matMul or as split/concat. Configs and loops are shared with the Chromium benchmark
// (scripts/benchModelCore.ts). Writes "## Model core (Node, wasm)" in BENCHMARKS.md.
//   npx tsx scripts/benchModel.ts
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { benchParamCount, samplingTokensPerSecond, trainStepMs, BENCH_CONFIG as C, SAMPLING, TRAINING } from './benchModelCore';
import { writeBenchmarkSection } from './benchmarksFile';

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
    `| training step (fwd+bwd+Adam), batch ${TRAINING.batch} x ${TRAINING.seqLen} tokens, explicit-transpose matMul gradient (used), median of ${TRAINING.repeats} | ${stepExplicit.toFixed(0)} ms |`,
    `| same, tfjs built-in matMul gradient | ${stepBuiltin.toFixed(0)} ms |`,
    `| explicit-transpose gradient speed-up | ${(stepBuiltin / stepExplicit).toFixed(2)}x |`,
    `| same as the first, rotate_half by split/concat instead of a ±1 matMul | ${stepSplit.toFixed(0)} ms |`,
    `| ±1 matMul rotate_half speed-up | ${(stepSplit / stepExplicit).toFixed(2)}x |`,
    '',
  ].join('\n');
  console.log(section);
  writeBenchmarkSection('Model core (Node, wasm)', section);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
