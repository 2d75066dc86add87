// Real config.json files (test/fixtures/configs, from the Hub) parse into the right shapes, and
// countParams gives each model's exact size, derived here by hand from the architecture.
import { test, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { countParams, parseHFConfig, toHFConfig } from '../../src/model';
import { ropeInvFreq } from '../../src/model/rope';

const DIR = fileURLToPath(new URL('../fixtures/configs/', import.meta.url));
const load = (name: string) => parseHFConfig(JSON.parse(readFileSync(DIR + name, 'utf8')), name);

/** Llama-family count: embeddings, per layer (q, k, v, o [+ q/k/v bias] [+ q/k norm] + 3 MLP + 2 norms), final norm. */
function llamaCount(o: {
  V: number;
  D: number;
  F: number;
  L: number;
  H: number;
  kv: number;
  hd: number;
  bias?: boolean;
  qkNorm?: boolean;
  tied: boolean;
}): number {
  const q = o.H * o.hd;
  const k = o.kv * o.hd;
  const layer = o.D * q + 2 * o.D * k + q * o.D + (o.bias ? q + 2 * k : 0) + (o.qkNorm ? 2 * o.hd : 0) + 3 * o.D * o.F + 2 * o.D;
  return o.V * o.D * (o.tied ? 1 : 2) + o.L * layer + o.D;
}

test('SmolLM2-135M(-Instruct): 134,515,008 parameters (tied head counted once)', () => {
  for (const f of ['SmolLM2-135M.json', 'SmolLM2-135M-Instruct.json']) {
    const c = load(f);
    expect(c).toMatchObject({
      architecture: 'LlamaForCausalLM',
      headDim: 64,
      numKVHeads: 3,
      ropeTheta: 100000,
      ropeScaling: null,
      tieWordEmbeddings: true,
      attentionBias: false,
    });
    expect(countParams(c)).toBe(134_515_008);
    expect(countParams(c)).toBe(llamaCount({ V: 49152, D: 576, F: 1536, L: 30, H: 9, kv: 3, hd: 64, tied: true }));
  }
  expect(load('SmolLM2-135M-Instruct.json').eosTokenIds).toEqual([2]);
});

test('Qwen2.5-0.5B-Instruct: q/k/v biases, 494,032,768 parameters', () => {
  const c = load('Qwen2.5-0.5B-Instruct.json');
  expect(c).toMatchObject({ architecture: 'Qwen2ForCausalLM', attentionBias: true, outputBias: false, headDim: 64, eosTokenIds: [151645] });
  expect(countParams(c)).toBe(llamaCount({ V: 151936, D: 896, F: 4864, L: 24, H: 14, kv: 2, hd: 64, bias: true, tied: true }));
  expect(countParams(c)).toBe(494_032_768);
});

test('Qwen3-0.6B: explicit head_dim 128 (q is 2048 wide on a 1024 residual), q/k norms, 596,049,920 parameters', () => {
  const c = load('Qwen3-0.6B.json');
  expect(c).toMatchObject({
    architecture: 'Qwen3ForCausalLM',
    headDim: 128,
    numHeads: 16,
    numKVHeads: 8,
    attentionBias: false,
    outputBias: false,
  });
  expect(countParams(c)).toBe(llamaCount({ V: 151936, D: 1024, F: 3072, L: 28, H: 16, kv: 8, hd: 128, qkNorm: true, tied: true }));
  expect(countParams(c)).toBe(596_049_920);
  expect(parseHFConfig(toHFConfig(c), 'again')).toEqual(c);
  const biased = parseHFConfig({ ...JSON.parse(readFileSync(DIR + 'Qwen3-0.6B.json', 'utf8')), attention_bias: true }, 'q.json');
  expect([biased.attentionBias, biased.outputBias]).toEqual([true, true]); // Qwen3Attention puts attention_bias on q, k, v and o
  expect(countParams(biased) - countParams(c)).toBe(28 * (2048 + 1024 + 1024 + 1024));
});

test('GPT-2: 124,439,808 parameters (wte + wpe + 12 × (2 LayerNorms, c_attn, c_proj, c_fc, c_proj with biases) + ln_f)', () => {
  const c = load('gpt2.json');
  expect(c).toMatchObject({
    architecture: 'GPT2LMHeadModel',
    hiddenSize: 768,
    intermediateSize: 3072,
    numHeads: 12,
    numKVHeads: 12,
    headDim: 64,
    maxPositionEmbeddings: 1024,
    rmsNormEps: 1e-5,
    tieWordEmbeddings: true,
    eosTokenIds: [50256],
  });
  const D = 768;
  const layer = 2 * 2 * D + (D * 3 * D + 3 * D) + (D * D + D) + (D * 4 * D + 4 * D) + (4 * D * D + D);
  expect(countParams(c)).toBe(50257 * D + 1024 * D + 12 * layer + 2 * D);
  expect(countParams(c)).toBe(124_439_808);
  expect(parseHFConfig(toHFConfig(c), 'again')).toEqual(c);
});

test('Llama-3.2-1B-Instruct: llama3 rope_scaling, three EOS ids, 1,235,814,400 parameters', () => {
  const c = load('Llama-3.2-1B-Instruct.json');
  expect(c.ropeScaling).toEqual({ type: 'llama3', factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192 });
  expect(c.eosTokenIds).toEqual([128001, 128008, 128009]);
  expect(countParams(c)).toBe(llamaCount({ V: 128256, D: 2048, F: 8192, L: 16, H: 32, kv: 8, hd: 64, tied: true }));
  expect(countParams(c)).toBe(1_235_814_400);
  expect(parseHFConfig(toHFConfig(c), 'again')).toEqual(c);
});

test('rope_scaling: llama3 keeps high frequencies, divides low ones by factor, interpolates between; linear divides all', () => {
  // θ = 500000, hd = 64: inv_freq[i] = θ^(-i/32). Wavelength 2π/f against 8192/4 = 2048 (high) and 8192/1 (low).
  const plain = ropeInvFreq(64, 500000);
  const l3 = ropeInvFreq(64, 500000, {
    type: 'llama3',
    factor: 32,
    lowFreqFactor: 1,
    highFreqFactor: 4,
    originalMaxPositionEmbeddings: 8192,
  });
  for (let i = 0; i < 32; i++) {
    const f = Math.pow(500000, -i / 32);
    const wl = (2 * Math.PI) / f;
    expect(plain[i]).toBeCloseTo(f, 15);
    if (wl < 2048) expect(l3[i]).toBe(plain[i]);
    else if (wl > 8192) expect(l3[i]).toBeCloseTo(f / 32, 15);
    else {
      const s = (8192 / wl - 1) / (4 - 1);
      expect(l3[i]).toBeCloseTo(((1 - s) * f) / 32 + s * f, 15);
    }
  }
  // i = 0 (wavelength 2π) is kept; i = 31 (wavelength ~2.3e6) is divided by 32; some i fall in between.
  expect(l3[0]).toBe(1);
  expect(l3[31] / plain[31]).toBeCloseTo(1 / 32, 12);
  expect(ropeInvFreq(8, 10000, { type: 'linear', factor: 4 })).toEqual(ropeInvFreq(8, 10000).map((f) => f / 4));
});

test('rope_scaling types Cherry cannot run are refused by name', () => {
  const base = JSON.parse(readFileSync(DIR + 'Llama-3.2-1B-Instruct.json', 'utf8')) as Record<string, unknown>;
  expect(() => parseHFConfig({ ...base, rope_scaling: { rope_type: 'yarn', factor: 4 } }, 'c.json')).toThrow(
    /c\.json: field "rope_scaling\.rope_type" is the string "yarn"; supported: "linear", "llama3"/,
  );
  expect(() => parseHFConfig({ ...base, rope_scaling: { type: 'linear' } }, 'c.json')).toThrow(
    /field "rope_scaling\.factor" must be a positive number, got missing/,
  );
  expect(parseHFConfig({ ...base, rope_scaling: { type: 'linear', factor: 2 } }, 'c.json').ropeScaling).toEqual({
    type: 'linear',
    factor: 2,
  });
});
