// Model-core benchmark on the wasm backend in Node: sampling tokens/s at batch 64 with and without
// the KV cache, and one training step (forward + backward + Adam) of a ~1M-parameter Llama, with
// Cherry's explicit-transpose matMul gradient and with tfjs's built-in one, and with rotate_half as a
// ±1 matMul or as split/concat.
// Writes the table under "## Model core (Node, wasm)" in BENCHMARKS.md (other sections untouched).
//   npx tsx scripts/benchModel.ts
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { generate, initLlama, opsSettings, tokenLogprobs, type LlamaConfig } from '../src/model';

const CONFIG: LlamaConfig = {
  architecture: 'LlamaForCausalLM', vocabSize: 256, hiddenSize: 128, intermediateSize: 352, numLayers: 5, numHeads: 4,
  numKVHeads: 2, headDim: 32, maxPositionEmbeddings: 256, rmsNormEps: 1e-5, ropeTheta: 10000, tieWordEmbeddings: true,
  attentionBias: false, bosTokenId: 1, eosTokenIds: [],
};
const BATCH = 64;
const PROMPT = 8;
const NEW = 48;
const TRAIN_B = 8;
const TRAIN_T = 64;

async function sampling(useKVCache: boolean): Promise<number> {
  const m = initLlama(CONFIG, 1);
  const prompts = Array.from({ length: BATCH }, (_, b) => Array.from({ length: PROMPT }, (_, t) => (b * 7 + t * 3) % 256));
  await generate(m, prompts.slice(0, 2), { maxNewTokens: 4, useKVCache }); // warm-up
  const t0 = performance.now();
  await generate(m, prompts, { maxNewTokens: NEW, temperature: 1, seed: 1, useKVCache });
  const s = (performance.now() - t0) / 1000;
  m.dispose();
  return (BATCH * NEW) / s;
}

async function trainStep(explicit: boolean, ropeMatMul = true): Promise<number> {
  opsSettings.explicitTransposeGrad = explicit;
  opsSettings.rotateHalfAsMatMul = ropeMatMul;
  const m = initLlama(CONFIG, 2);
  const opt = tf.train.adam(1e-3);
  const ids = Array.from({ length: TRAIN_B }, (_, b) => Array.from({ length: TRAIN_T }, (_, t) => (b * 13 + t * 5) % 256));
  const step = (): void => {
    const cost = opt.minimize(() => tf.neg(tf.mean(tokenLogprobs(m, ids).logprobs)) as tf.Scalar, true); // rank cast: tfjs ops are typed Tensor<Rank>
    cost?.dataSync();
    cost?.dispose();
  };
  step(); // warm-up (creates Adam slots)
  const times: number[] = []; // median of 5: the machine is shared and noisy
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  const ms = times.sort((a, b) => a - b)[2];
  opt.dispose();
  m.dispose();
  opsSettings.explicitTransposeGrad = true;
  opsSettings.rotateHalfAsMatMul = true;
  return ms;
}

async function main(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
  const params = (() => { const m = initLlama(CONFIG, 0); const n = m.paramCount(); m.dispose(); return n; })();
  const withCache = await sampling(true);
  const noCache = await sampling(false);
  const stepExplicit = await trainStep(true);
  const stepBuiltin = await trainStep(false);
  const stepSplit = await trainStep(true, false);
  const cfg = `${(params / 1e6).toFixed(2)}M params (vocab ${CONFIG.vocabSize}, d ${CONFIG.hiddenSize}, ${CONFIG.numLayers} layers, ${CONFIG.numHeads} heads / ${CONFIG.numKVHeads} kv)`;
  const section = [
    '## Model core (Node, wasm)',
    '',
    `\`npx tsx scripts/benchModel.ts\`, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, tfjs wasm backend, ${cfg}.`,
    'Figures are from one run on a shared 2-core machine; compare ratios within the table.',
    '',
    '| measurement | value |',
    '|---|---|',
    `| sampling, batch ${BATCH}, prompt ${PROMPT}, ${NEW} new tokens, KV cache | ${withCache.toFixed(0)} tokens/s |`,
    `| sampling, same, no KV cache (full forward per token) | ${noCache.toFixed(0)} tokens/s |`,
    `| KV cache speed-up | ${(withCache / noCache).toFixed(2)}x |`,
    `| training step (fwd+bwd+Adam), batch ${TRAIN_B} x ${TRAIN_T} tokens, explicit-transpose matMul gradient (used), median of 5 | ${stepExplicit.toFixed(0)} ms |`,
    `| same, tfjs built-in matMul gradient | ${stepBuiltin.toFixed(0)} ms |`,
    `| explicit-transpose gradient speed-up | ${(stepBuiltin / stepExplicit).toFixed(2)}x |`,
    `| same as the first, rotate_half by split/concat instead of a ±1 matMul | ${stepSplit.toFixed(0)} ms |`,
    `| ±1 matMul rotate_half speed-up | ${(stepSplit / stepExplicit).toFixed(2)}x |`,
    '',
  ].join('\n');
  console.log(section);
  const path = new URL('../BENCHMARKS.md', import.meta.url);
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n\n';
  const start = old.indexOf('## Model core (Node, wasm)');
  let next: string;
  if (start < 0) next = old.trimEnd() + '\n\n' + section;
  else {
    const after = old.indexOf('\n## ', start + 1);
    next = old.slice(0, start) + section + (after < 0 ? '' : '\n' + old.slice(after + 1));
  }
  writeFileSync(path, next);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
