// The memory plan: exact parameter counts of real configs (hand-derived, and equal to weights.ts
// countParams), LoRA's trainable count by hand, refusal of full fine-tuning of Qwen2.5-0.5B in wasm's
// 4 GiB with its numbers and what to change, WebGPU's binding limit on a large embedding table, and the
// fitted activation model against a peak measured on wasm.
import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { countParams, initLlama, parseHFConfig, type LlamaConfig } from '../../src/model';
import { loraStep } from '../../src/bench/loraStep';
import { useBackend } from './helpers';
import { assertFits, loraParams, MemoryPlanError, planMemory, planParams, WASM_LIMITS, webgpuLimits } from '../../src/model/memoryPlan';

const DIR = fileURLToPath(new URL('../fixtures/configs/', import.meta.url));
const load = (name: string) => parseHFConfig(JSON.parse(readFileSync(DIR + name, 'utf8')), name);
const ALL = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];

test('exact parameter counts of the real configs, without building a model', () => {
  expect(planParams(load('SmolLM2-135M.json'))).toBe(134_515_008);
  expect(planParams(load('Qwen2.5-0.5B-Instruct.json'))).toBe(494_032_768);
  for (const f of ['SmolLM2-135M-Instruct.json', 'Qwen3-0.6B.json', 'gpt2.json', 'Llama-3.2-1B-Instruct.json']) {
    expect(planParams(load(f)), f).toBe(countParams(load(f)));
  }
});

test('LoRA trainable parameters: r × (in + out) per adapted layer, by hand for SmolLM2-135M', () => {
  // D 576, q 9×64 = 576, k/v 3×64 = 192, F 1536, 30 layers; r = 16 on q and v: 16·(576+576) + 16·(576+192) per layer.
  expect(loraParams(load('SmolLM2-135M.json'), 16, ['q_proj', 'v_proj'])).toBe(30 * (16 * 1152 + 16 * 768));
  // all seven: q 1152, k 768, v 768, o 1152, gate 2112, up 2112, down 2112 → 10176 × 16 × 30
  expect(loraParams(load('SmolLM2-135M.json'), 16, ALL)).toBe(30 * 16 * 10176);
  // GPT-2 c_proj names two layers (attention 768→768 and MLP 3072→768)
  expect(loraParams(load('gpt2.json'), 8, ['c_proj'])).toBe(12 * 8 * (1536 + 3840));
});

test("full fine-tuning of Qwen2.5-0.5B is refused in wasm's 4 GiB, with the numbers and what to change", () => {
  const c = load('Qwen2.5-0.5B-Instruct.json');
  const plan = planMemory(c, { lora: null, group: 8, batchPrompts: 1, maxLen: 128, klReference: false }, WASM_LIMITS);
  expect(plan.weightBytes).toBe(4 * 494_032_768);
  expect(plan.optimizerBytes).toBe(8 * 494_032_768); // Adam: two float32 moments
  expect(plan.trainableParams).toBe(494_032_768);
  expect(plan.totalBytes).toBeGreaterThan(16 * 494_032_768); // weights + moments + gradients + snapshot, before activations
  expect(() => assertFits(plan)).toThrow(MemoryPlanError);
  let message = '';
  try {
    assertFits(plan);
  } catch (e) {
    message = e instanceof Error ? e.message : '';
  }
  expect(message).toMatch(/does not fit wasm memory: the estimated peak [\d.]+ GiB exceeds the 4\.00 GiB available/);
  expect(message).toContain('494,032,768 parameters = 1.84 GiB of weights');
  expect(message).toContain('optimizer 3.68 GiB');
  expect(message).toMatch(/train a LoRA adapter \(--lora-rank 16 on q_proj, .*\): 8,798,208 trainable parameters/);
  expect(message).toMatch(/a smaller micro-batch/);
  // With LoRA the optimizer state is 8 bytes per adapter weight only.
  const lora = planMemory(
    c,
    { lora: { rank: 16, targets: ALL }, group: 8, batchPrompts: 1, maxLen: 128, microBatchRows: 1, klReference: true },
    WASM_LIMITS,
  );
  expect(lora.trainableParams).toBe(8_798_208);
  expect(lora.optimizerBytes).toBe(8 * 8_798_208);
  expect(lora.referenceBytes).toBe(0); // the reference is the adapter switched off
  const fullKl = planMemory(c, { lora: null, group: 8, batchPrompts: 1, maxLen: 128, klReference: true });
  expect(fullKl.referenceBytes).toBe(plan.weightBytes);
});

test('KV cache and largest buffer by hand; WebGPU binding limit asks for a vocabulary-chunked head', () => {
  const c = load('SmolLM2-135M.json');
  const plan = planMemory(
    c,
    { lora: { rank: 16, targets: ALL }, group: 8, batchPrompts: 1, maxLen: 128, microBatchRows: 2, klReference: false },
    webgpuLimits(2 ** 30, 2 ** 27, 2 ** 33),
  );
  expect(plan.kvCacheBytes).toBe(2 * 30 * 8 * 3 * 128 * 64 * 4); // K and V, 30 layers, 8 rows, 3 kv heads, 128 slots, 64 wide
  // the tied 49152 × 576 table is 108 MiB, under 128 MiB; the logits of 2 rows × 128 × 49152 are 48 MiB
  expect(plan.largestBuffer).toEqual({ name: 'embedding table (tied head)', bytes: 49152 * 576 * 4 });
  const qwen = planMemory(
    load('Qwen2.5-0.5B-Instruct.json'),
    { lora: { rank: 16, targets: ALL }, group: 4, batchPrompts: 1, maxLen: 64, microBatchRows: 1, klReference: false },
    webgpuLimits(2 ** 30, 2 ** 27, 2 ** 33),
  );
  expect(qwen.problems.join(' ')).toContain('embedding table (tied head) (519.31 MiB) exceeds maxStorageBufferBindingSize (128.00 MiB)');
  expect(qwen.advice.join(' ')).toContain('vocabulary-chunked output head');
});

test('wasm: the plan of a LoRA GRPO step is within 1.5× of the peak measured during it (a shape the fit did not see)', async () => {
  await useBackend('wasm');
  const c: LlamaConfig = {
    architecture: 'LlamaForCausalLM',
    vocabSize: 500,
    hiddenSize: 96,
    intermediateSize: 256,
    numLayers: 3,
    numHeads: 4,
    numKVHeads: 2,
    headDim: 24,
    maxPositionEmbeddings: 128,
    rmsNormEps: 1e-5,
    ropeTheta: 10000,
    tieWordEmbeddings: true,
    attentionBias: false,
    bosTokenId: 1,
    eosTokenIds: [],
  };
  const rows = 4,
    T = 48;
  const plan = planMemory(c, {
    lora: { rank: 8, targets: ALL },
    group: rows,
    batchPrompts: 1,
    maxLen: T,
    microBatchRows: rows,
    klReference: false,
  });
  const m = initLlama(c, 0);
  const before = tf.memory().numBytes;
  const { peakBytes } = await loraStep(m, 8, { batch: rows, seqLen: T, repeats: 1 }, rows);
  m.dispose();
  expect(tf.memory().numBytes).toBeLessThan(before); // the model's weights are gone, and nothing of the step is left
  const ratio = plan.totalBytes / (peakBytes ?? NaN);
  expect(ratio, `planned ${plan.totalBytes} B, measured ${peakBytes} B`).toBeGreaterThan(1 / 1.5);
  expect(ratio, `planned ${plan.totalBytes} B, measured ${peakBytes} B`).toBeLessThan(1.5);
}, 120_000);
