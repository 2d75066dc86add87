// The real stories260k checkpoint against an independent float64 reference (test/model/reference).
import { test, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { generate, llamaFromSafetensors, parseHFConfig, tokenLogprobs } from '../../src/model';
import { readF32Safetensors, refGreedy, refLogprobs, type RefConfig } from './reference/llama64';
import { FIXTURE_DIR, useBackend } from './helpers';

const bytes = new Uint8Array(readFileSync(FIXTURE_DIR + 'model.safetensors'));
const configJson: unknown = JSON.parse(readFileSync(FIXTURE_DIR + 'config.json', 'utf8'));
const ref: RefConfig = {
  vocab: 512,
  dim: 64,
  hidden: 172,
  layers: 5,
  heads: 8,
  kvHeads: 4,
  headDim: 8,
  eps: 1e-5,
  theta: 10000,
  tied: true,
  bias: false,
};
const refW = readF32Safetensors(bytes);
const refIds = refGreedy(ref, refW, [1], 32);
// A fixed sequence that is not the model's own greedy path (so log-probs are spread out).
const seq = [1, 403, 407, 261, 378, 395, 259, 280, 45, 13, 2, 1, 300, 511, 0, 77, 260, 261, 262, 410];
const refLp = refLogprobs(ref, refW, seq);

test('reference config matches the fixture config.json', () => {
  const c = parseHFConfig(configJson, 'config.json');
  expect([c.vocabSize, c.hiddenSize, c.intermediateSize, c.numLayers, c.numHeads, c.numKVHeads, c.headDim, c.tieWordEmbeddings]).toEqual([
    ref.vocab,
    ref.dim,
    ref.hidden,
    ref.layers,
    ref.heads,
    ref.kvHeads,
    ref.headDim,
    ref.tied,
  ]);
});

for (const backend of ['cpu', 'wasm'] as const) {
  test(`stories260k on ${backend}: greedy 32 ids and log-probs match the float64 reference`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const m = llamaFromSafetensors(parseHFConfig(configJson, 'config.json'), bytes, 'model.safetensors');
    const r = await generate(m, [[1]], { maxNewTokens: 32, temperature: 0, eosIds: [] });
    expect(r.ids[0]).toEqual(refIds);
    expect(r.finishReasons).toEqual(['length']);
    const lp = tokenLogprobs(m, [seq]);
    const got = Array.from(await lp.logprobs.data());
    lp.logprobs.dispose();
    expect(got.length).toBe(seq.length - 1);
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - refLp[i])).toBeLessThan(1e-4);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
}
