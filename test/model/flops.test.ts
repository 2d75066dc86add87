// Parameter and FLOP counts of the benchmarks (src/model/flops.ts) against hand counts.
import { test, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { initLlama, parseHFConfig } from '../../src/model';
import { flopsPerToken, paramCountOf } from '../../src/model/flops';

const load = (name: string) =>
  parseHFConfig(JSON.parse(readFileSync(new URL(`../../scripts/configs/${name}`, import.meta.url), 'utf8')), name);

test('SmolLM2-135M: 134,515,008 parameters, the tied table once', () => {
  // embed 49152·576 = 28,311,552; per layer q 576·576 + k,v 2·(192·576) + o 576·576 = 884,736,
  // MLP 3·576·1536 = 2,654,208, norms 2·576 → 3,540,096 × 30 = 106,202,880; final norm 576.
  expect(paramCountOf(load('smollm2-135m.json'))).toBe(28_311_552 + 106_202_880 + 576);
});

test('the 0.8M Llama: parameter count and FLOPs per token at T = 64', () => {
  const c = load('llama-0.8m.json');
  // embed 100·128 = 12,800; per layer 4·128·128 + 3·128·344 + 2·128 = 197,888 × 4 = 791,552; norm 128.
  const N = 12_800 + 791_552 + 128;
  expect(paramCountOf(c)).toBe(N);
  expect(flopsPerToken(c, 'sample', 64)).toBe(1_608_960); // 2N
  expect(flopsPerToken(c, 'train', 64)).toBe(4_826_880 + 196_608); // 6N + 6·4·128·64
  expect(flopsPerToken(c, 'lora-train', 64)).toBe(3_217_920 + 131_072); // 4N + 4·4·128·64
});

test('an untied head is counted; q/k/v biases (Qwen2) are counted', () => {
  const c = load('tiny.json');
  // embed 20·16 = 320; per layer q 16·16 + k,v 2·(8·16) + o 16·16 = 768, MLP 3·16·24 = 1152, norms 32
  // → 1952 × 2 = 3904; final norm 16; lm_head 320.
  expect(paramCountOf(c)).toBe(4560);
  expect(paramCountOf({ ...c, architecture: 'Qwen2ForCausalLM', attentionBias: true })).toBe(4560 + 2 * (16 + 8 + 8));
});

test('the count agrees with the weights initLlama creates', () => {
  for (const c of [
    load('tiny.json'),
    load('llama-0.8m.json'),
    { ...load('tiny.json'), attentionBias: true, architecture: 'Qwen2ForCausalLM' as const },
  ]) {
    const m = initLlama(c, 0);
    expect(paramCountOf(c)).toBe(m.paramCount());
    m.dispose();
  }
});
