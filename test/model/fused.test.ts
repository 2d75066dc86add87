// Fused projections while decoding (withInferenceWeights): q|k|v as one product with RoPE on the query and
// key heads together, gate|up as one product. The fused forward must give the plain forward's logits, use
// fewer matMuls where it applies, and fall back to the plain layers where it must (Qwen3's per-head norms
// before RoPE, a LoRA adapter on a projection, a gradient being recorded).
import { test, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initLlama, type Llama, type LlamaConfig } from '../../src/model';
import { attachLora, defaultLoraConfig } from '../../src/model/lora';
import { withInferenceWeights } from '../../src/model/ops';
import { tinyConfig, useBackend } from './helpers';

const IDS = [
  [1, 5, 9, 3, 4, 17],
  [1, 2, 8, 8, 2, 11],
];

/** Logits and the number of BatchMatMul kernels of one forward pass. */
async function forwardOf(m: Llama): Promise<{ logits: number[]; matmuls: number }> {
  let logits: number[] = [];
  const p = await tf.profile(() => {
    const y = m.forward(IDS);
    logits = Array.from(y.dataSync());
    y.dispose();
  });
  return { logits, matmuls: p.kernels.filter((k) => k.name === 'BatchMatMul').length };
}

function maxAbsDiff(a: number[], b: number[]): number {
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
}

const CASES: Array<{ name: string; config: Partial<LlamaConfig>; fewer: number }> = [
  { name: 'Llama (GQA)', config: {}, fewer: 4 }, // per layer: q|k|v 3 → 1, RoPE 2 → 1, gate|up 2 → 1
  { name: 'Qwen2 (q/k/v biases)', config: { attentionBias: true }, fewer: 4 },
  { name: 'Qwen3 (per-head q/k norms)', config: { architecture: 'Qwen3ForCausalLM' }, fewer: 1 }, // gate|up only
];

for (const backend of ['cpu', 'wasm'] as const) {
  for (const c of CASES) {
    test(`${backend}, ${c.name}: the fused forward gives the plain logits (1e-5) with ${c.fewer} fewer matMuls per layer`, async () => {
      await useBackend(backend);
      const m = initLlama(tinyConfig(c.config), 3, 0.3);
      for (const [n, v] of m.params) if (n.endsWith('.bias')) v.assign(tf.randomNormal(v.shape, 0, 0.3, 'float32', 5));
      const plain = await forwardOf(m);
      const before = tf.memory().numTensors;
      const fused = await withInferenceWeights(async () => forwardOf(m));
      expect(tf.memory().numTensors).toBe(before);
      expect(maxAbsDiff(fused.logits, plain.logits)).toBeLessThan(1e-5);
      expect(plain.matmuls - fused.matmuls).toBe(c.fewer * m.config.numLayers);
      m.dispose();
    });
  }
}

test('an adapter on q_proj keeps q|k|v unfused (its update counts), gate|up still fuse; a recorded gradient fuses nothing', async () => {
  await useBackend('cpu');
  const m = initLlama(tinyConfig(), 4, 0.3);
  const a = attachLora(m, defaultLoraConfig(2, { targets: ['q_proj'] }), 1);
  for (const [k, v] of a.params) if (k.endsWith('lora_B.weight')) v.assign(tf.randomNormal(v.shape, 0, 0.5, 'float32', 2));
  const plain = await forwardOf(m);
  const fused = await withInferenceWeights(async () => forwardOf(m));
  expect(maxAbsDiff(fused.logits, plain.logits)).toBeLessThan(1e-5);
  expect(plain.matmuls - fused.matmuls).toBe(1 * m.config.numLayers);
  a.dispose();
  const x = m.params.get('model.layers.0.mlp.up_proj.weight')!;
  const grads = await withInferenceWeights(async () => tf.variableGrads(() => tf.sum(m.forward(IDS)) as tf.Scalar, [x])); // rank cast: tfjs ops are typed Tensor<Rank>
  expect(grads.grads[x.name].shape).toEqual(x.shape); // the weight is on the tape: not hidden behind a cached concatenation
  expect(Math.max(...Array.from(grads.grads[x.name].dataSync()).map(Math.abs))).toBeGreaterThan(0);
  tf.dispose([grads.value, grads.grads[x.name]]);
  m.dispose();
});
