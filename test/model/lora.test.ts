// LoRA adapters on Llama-family and GPT-2 models: a fresh adapter changes nothing, the adapter layer
// computes base + s·x·Aᵀ·Bᵀ (checked by hand-written loops), merging keeps the function, switching
// off gives the base, and only the adapter weights get gradients.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initLlama, type LlamaConfig } from '../../src/model';
import { attachLora, defaultLoraConfig, LoraConfigError, loraOf, loraScale, LoraLinear, loraSettings } from '../../src/model/lora';
import { tokenLogprobs } from '../../src/model';
import { tinyConfig, useBackend } from './helpers';

const GPT2: LlamaConfig = {
  architecture: 'GPT2LMHeadModel',
  vocabSize: 23,
  hiddenSize: 16,
  intermediateSize: 32,
  numLayers: 2,
  numHeads: 4,
  numKVHeads: 4,
  headDim: 4,
  maxPositionEmbeddings: 32,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  tieWordEmbeddings: true,
  attentionBias: true,
  outputBias: true,
  bosTokenId: null,
  eosTokenIds: [2],
};
const IDS = [
  [1, 5, 9, 3, 7, 11],
  [1, 4, 4, 8, 2, 6],
];

async function logits(m: ReturnType<typeof initLlama>): Promise<Float32Array> {
  const t = m.forward(IDS);
  const d = await t.data();
  t.dispose();
  return Float32Array.from(d);
}

/** Gives every B a random value so the adapter actually changes the model. */
function randomiseB(m: ReturnType<typeof initLlama>, seed: number): void {
  const a = loraOf(m);
  if (!a) throw new Error('no adapter');
  let i = 0;
  for (const [k, v] of a.params)
    if (k.endsWith('lora_B.weight')) tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.05, 'float32', seed + i++)));
}

function maxDiff(x: Float32Array, y: Float32Array): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
}

beforeAll(async () => {
  await useBackend('cpu');
});
afterAll(() => {
  tf.disposeVariables();
});

describe.each([
  ['Llama (GQA)', tinyConfig(), ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']],
  ['Qwen2 (q/k/v bias)', tinyConfig({ attentionBias: true }), ['q_proj', 'v_proj', 'down_proj']],
  ['GPT-2 (Conv1D, in-out)', GPT2, ['c_attn', 'c_proj', 'c_fc']],
])('%s', (_name, config, targets) => {
  test('a fresh adapter (B = 0) leaves the logits unchanged; the adapter changes them once B moves; off = base', async () => {
    const m = initLlama(config, 3);
    const base = await logits(m);
    const n0 = tf.memory().numTensors;
    const a = attachLora(m, defaultLoraConfig(4, { targets }), 7);
    expect(await logits(m)).toEqual(base);
    randomiseB(m, 11);
    const adapted = await logits(m);
    expect(maxDiff(adapted, base)).toBeGreaterThan(1e-3);
    const off = await a.withDisabled(() => logits(m));
    expect(maxDiff(off, base)).toBe(0);
    expect(a.enabled).toBe(true);
    a.dispose();
    expect(await logits(m)).toEqual(base);
    expect(tf.memory().numTensors).toBe(n0);
    m.dispose();
  });

  test('merging into the base weights gives the adapted logits (1e-5) and frees the adapter', async () => {
    const m = initLlama(config, 4);
    attachLora(m, defaultLoraConfig(2, { targets, alpha: 5, rslora: true }), 1);
    randomiseB(m, 3);
    const adapted = await logits(m);
    loraOf(m)?.merge();
    expect(loraOf(m)).toBeNull();
    expect(maxDiff(await logits(m), adapted)).toBeLessThan(1e-5);
    m.dispose();
  });

  test('gradients reach only the adapter weights, A and B of every targeted layer', () => {
    const m = initLlama(config, 5);
    const a = attachLora(m, defaultLoraConfig(2, { targets }), 2);
    randomiseB(m, 9);
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(m.forward(IDS))) as tf.Scalar, [...a.params.values()]);
    const names = new Set(Object.keys(grads));
    expect(names.size).toBe(a.params.size);
    for (const v of a.params.values()) expect(names.has(v.name)).toBe(true);
    for (const v of m.params.values()) expect(names.has(v.name)).toBe(false);
    // GPT-2's c_proj names two layers per block (attention and MLP output), as PEFT's suffix match does.
    const perBlock = targets.length + (targets.includes('c_proj') ? 1 : 0);
    expect(a.modulePaths.length).toBe(perBlock * config.numLayers);
    tf.dispose([value, ...Object.values(grads)]);
    a.dispose();
    m.dispose();
  });

  test("frozen base path (no weight gradient, nothing on the tape) gives the plain path's adapter gradients (1e-5)", async () => {
    const m = initLlama(config, 6);
    const a = attachLora(m, defaultLoraConfig(3, { targets }), 4);
    randomiseB(m, 5);
    const coef = tf.tensor2d(IDS.map((r, i) => r.slice(1).map((_, t) => (i === 0 ? 1 : -0.5) * (t + 1))));
    const grads = async (frozen: boolean): Promise<Float32Array[]> => {
      loraSettings.frozenBase = frozen;
      try {
        const { value, grads: g } = tf.variableGrads(
          () => tf.tidy(() => tf.sum(tf.mul(tokenLogprobs(m, IDS).logprobs, coef)) as tf.Scalar),
          [...a.params.values()],
        ); // rank cast: sum of a 2-D tensor
        const out = await Promise.all([...a.params.values()].map(async (v) => Float32Array.from(await g[v.name].data())));
        tf.dispose([value, ...Object.values(g)]);
        return out;
      } finally {
        loraSettings.frozenBase = true;
      }
    };
    const frozen = await grads(true),
      plain = await grads(false);
    let largest = 0;
    frozen.forEach((g, i) => {
      expect(maxDiff(g, plain[i])).toBeLessThan(1e-5);
      largest = Math.max(largest, ...g.map(Math.abs));
    });
    expect(largest).toBeGreaterThan(1e-3); // the gradients compared are not all zero
    coef.dispose();
    a.dispose();
    m.dispose();
  });
});

test('LoraLinear computes base + (α/r)·x·Aᵀ·Bᵀ, checked against plain loops (both weight layouts)', async () => {
  for (const config of [tinyConfig(), GPT2]) {
    const m = initLlama(config, 8);
    const targets = config.architecture === 'GPT2LMHeadModel' ? ['c_fc'] : ['up_proj'];
    const a = attachLora(m, defaultLoraConfig(3, { targets, alpha: 6 }), 5);
    randomiseB(m, 1);
    const mlp = m.modules.blocks[0].mlp;
    const layer = 'up' in mlp ? mlp.up : mlp.cFc;
    if (!(layer instanceof LoraLinear)) throw new Error('not wrapped');
    const D = config.hiddenSize,
      F = config.intermediateSize,
      r = 3;
    const x = Float32Array.from({ length: 2 * D }, (_, i) => Math.sin(i + 1));
    const got = await layer.apply(tf.tensor2d(x, [2, D])).data();
    const W = await layer.base.weight.data(),
      A = await layer.a.data(),
      B = await layer.b.data();
    const bias = layer.base.bias ? await layer.base.bias.data() : new Float32Array(F);
    const s = loraScale(a.config);
    expect(s).toBe(2);
    for (let n = 0; n < 2; n++) {
      for (let o = 0; o < F; o++) {
        let y = bias[o];
        for (let i = 0; i < D; i++) y += x[n * D + i] * W[i * F + o]; // W held [in, out]
        for (let k = 0; k < r; k++) {
          let ax = 0;
          for (let i = 0; i < D; i++) ax += A[k * D + i] * x[n * D + i];
          y += s * B[o * r + k] * ax;
        }
        expect(got[n * F + o]).toBeCloseTo(y, 5);
      }
    }
    // A ~ kaiming_uniform(a=√5): U(−1/√in, 1/√in), so every value lies inside the bound.
    expect(Math.max(...Array.from(A, Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(D));
    a.dispose();
    m.dispose();
  }
});

test('rsLoRA scales α/√r; dropout applies only while training and is seeded', async () => {
  expect(loraScale(defaultLoraConfig(16, { alpha: 32 }))).toBe(2);
  expect(loraScale(defaultLoraConfig(16, { alpha: 32, rslora: true }))).toBe(8);
  const run = async (): Promise<Float32Array[]> => {
    const m = initLlama(tinyConfig(), 2);
    const base = await logits(m);
    const a = attachLora(m, defaultLoraConfig(4, { targets: ['q_proj', 'up_proj'], dropout: 0.5 }), 3);
    a.training = true;
    expect(await logits(m)).toEqual(base); // B = 0: dropout touches the adapter's input, never the base layer's
    a.training = false;
    randomiseB(m, 4);
    const evalA = await logits(m);
    a.training = true;
    const trainA = await logits(m);
    const trainB = await logits(m);
    a.dispose();
    m.dispose();
    return [evalA, trainA, trainB];
  };
  const [evalA, trainA, trainB] = await run();
  expect(maxDiff(trainA, evalA)).toBeGreaterThan(1e-4); // dropout changed the adapter's input
  expect(maxDiff(trainA, trainB)).toBeGreaterThan(1e-6); // a new mask per call
  const again = await run();
  expect(again[1]).toEqual(trainA); // same seed, same masks
});

test('bad LoRA settings are refused by name', () => {
  const m = initLlama(tinyConfig(), 1);
  expect(() => attachLora(m, defaultLoraConfig(0), 1)).toThrow(LoraConfigError);
  expect(() => attachLora(m, defaultLoraConfig(4, { targets: ['c_attn'] }), 1)).toThrow(
    /"c_attn" does not exist in LlamaForCausalLM; choose among q_proj, k_proj/,
  );
  expect(() => attachLora(m, defaultLoraConfig(4, { targets: [] }), 1)).toThrow(/at least one target module/);
  expect(() => attachLora(m, defaultLoraConfig(4, { dropout: 1 }), 1)).toThrow(/dropout must be in \[0, 1\), got 1/);
  const a = attachLora(m, defaultLoraConfig(2), 1);
  expect(() => attachLora(m, defaultLoraConfig(2), 1)).toThrow(/already has a LoRA adapter/);
  a.dispose();
  m.dispose();
});
