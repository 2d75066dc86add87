// Gradients of a log-prob loss w.r.t. every parameter kind against central finite differences
// (cpu backend, float32, tiny config; the same check on wasm exercises the custom gradients there).
import { test, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initLlama, opsSettings, tokenLogprobs, type Llama } from '../../src/model';
import { Rng } from '../../src/util/rng';
import { tinyConfig, tinyGpt2Config, useBackend } from './helpers';
import type { LlamaConfig } from '../../src/model';

const ids = [
  [1, 4, 9, 16, 2, 7, 0, 0],
  [0, 0, 1, 3, 5, 8, 13, 21],
];
const mask = [
  [1, 1, 1, 1, 1, 1, 0, 0],
  [0, 0, 1, 1, 1, 1, 1, 1],
]; // right- and left-padded rows
const COEF = [
  [0.5, -1, 2, 1, 0.7, 0, 0],
  [0, 0, 1, -0.5, 1.5, 1, 0.8],
]; // 0 on padded targets

function loss(m: Llama): tf.Scalar {
  const r = tokenLogprobs(m, ids, { attentionMask: mask, entropy: true });
  const coef = tf.tensor2d(COEF);
  return tf.add(tf.sum(tf.mul(r.logprobs, coef)), tf.mul(0.3, tf.sum(tf.mul(r.entropy!, coef)))) as tf.Scalar; // rank cast: tfjs ops are typed Tensor<Rank>
}

const LLAMA_KINDS = [
  'embed_tokens.weight',
  'q_proj.weight',
  'q_proj.bias',
  'k_proj.weight',
  'k_proj.bias',
  'v_proj.weight',
  'v_proj.bias',
  'o_proj.weight',
  'input_layernorm.weight',
  'post_attention_layernorm.weight',
  'gate_proj.weight',
  'up_proj.weight',
  'down_proj.weight',
  'model.norm.weight',
  'lm_head.weight',
];

const QWEN3_KINDS = [...LLAMA_KINDS, 'q_norm.weight', 'k_norm.weight', 'o_proj.bias'];
const GPT2_KINDS = [
  'wte.weight',
  'wpe.weight',
  'ln_1.weight',
  'ln_1.bias',
  'c_attn.weight',
  'c_attn.bias',
  'attn.c_proj.weight',
  'attn.c_proj.bias',
  'ln_2.weight',
  'ln_2.bias',
  'c_fc.weight',
  'c_fc.bias',
  'mlp.c_proj.weight',
  'mlp.c_proj.bias',
  'ln_f.weight',
  'ln_f.bias',
];

async function check(
  tied: boolean,
  config: LlamaConfig = tinyConfig({ attentionBias: true, tieWordEmbeddings: tied, numLayers: 2 }),
  KINDS = LLAMA_KINDS,
): Promise<void> {
  const m = initLlama(config, 5, 0.3);
  const rng = new Rng(99);
  for (const [n, v] of m.params) {
    const isNorm = /(norm|ln_[12f])\.weight$/.test(n);
    if (n.endsWith('.bias') || isNorm)
      v.assign(tf.tidy(() => tf.add(isNorm ? 1 : 0, tf.randomNormal(v.shape, 0, 0.3, 'float32', rng.seed()))));
  }
  const { grads, value } = tf.variableGrads(() => loss(m));
  value.dispose();
  const byName = new Map<string, tf.Tensor>();
  for (const [n, v] of m.params) byName.set(n, grads[v.name]);
  let checked = 0;
  for (const kind of KINDS) {
    const names = [...m.params.keys()].filter((n) => n.endsWith(kind));
    if (kind === 'lm_head.weight' && tied) {
      expect(names).toEqual([]);
      continue;
    }
    expect(names.length, kind).toBeGreaterThan(0);
    const name = names[names.length - 1];
    const v = m.params.get(name)!;
    const g = byName.get(name)!.dataSync();
    for (let r = 0; r < 3; r++) {
      const i = rng.int(v.size);
      const orig = v.dataSync().slice();
      const eps = 5e-3;
      const at = (d: number): number => {
        const x = orig.slice();
        x[i] += d;
        v.assign(tf.tensor(x, v.shape));
        return tf.tidy(() => loss(m).dataSync()[0]);
      };
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      v.assign(tf.tensor(orig, v.shape));
      expect(Math.abs(fd - g[i]), `${name}[${i}]: fd ${fd} vs grad ${g[i]}`).toBeLessThan(2e-2 * Math.abs(g[i]) + 3e-3);
      checked++;
    }
  }
  expect(checked).toBeGreaterThanOrEqual(3 * (KINDS.length - (tied ? 1 : 0)));
  for (const t of Object.values(grads)) t.dispose();
  m.dispose();
}

test('cpu: gradient of every parameter kind matches finite differences (untied head)', async () => {
  await useBackend('cpu');
  await check(false);
});

test('cpu: gradient through a tied embedding/head matches finite differences', async () => {
  await useBackend('cpu');
  await check(true);
});

test('wasm: gradient of every parameter kind matches finite differences', async () => {
  await useBackend('wasm');
  await check(false);
});

test('Qwen3 (q/k norms, explicit head_dim, q/k/v/o biases) and GPT-2 (wpe, LayerNorm, gelu_new, fused c_attn): gradients match finite differences', async () => {
  await useBackend('cpu');
  await check(false, tinyConfig({ architecture: 'Qwen3ForCausalLM', headDim: 8, attentionBias: true, outputBias: true }), QWEN3_KINDS);
  await useBackend('wasm');
  await check(true, tinyGpt2Config(), GPT2_KINDS);
});

test('wasm: the benchmark switches (built-in matMul gradient, split/concat rotate_half) give the same loss and gradients', async () => {
  await useBackend('wasm');
  const m = initLlama(tinyConfig({ attentionBias: true }), 8, 0.3);
  const run = (): number[] => {
    const { grads, value } = tf.variableGrads(() => loss(m));
    const out = [value.dataSync()[0], ...[...m.params.values()].flatMap((v) => Array.from(grads[v.name].dataSync()))];
    tf.dispose([value, ...Object.values(grads)]);
    return out;
  };
  const base = run();
  opsSettings.explicitTransposeGrad = false;
  opsSettings.rotateHalfAsMatMul = false;
  try {
    const alt = run();
    expect(alt.length).toBe(base.length);
    let worst = 0;
    alt.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - base[i]) / (1 + Math.abs(base[i])));
    });
    expect(worst).toBeLessThan(1e-4);
  } finally {
    opsSettings.explicitTransposeGrad = true;
    opsSettings.rotateHalfAsMatMul = true;
  }
  m.dispose();
});
