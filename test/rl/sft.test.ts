// SFT batches and steps on a tiny random Llama with the built-in char tokenizer. The packed layout is
// checked against ids computed by hand from the tokenizer's documented id layout ("0" = 21, "+" = 16,
// "=" = 34, <bos> = 1, <eos> = 2, <pad> = 0).
import { describe, test, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initLlama, type LlamaConfig } from '../../src/model';
import { loadCherryTokenizer, type Tokenizer } from '../../src/tokenizer';
import { AdamW } from '../../src/rl/optim';
import { sftBatch, sftEvalLoss, sftStep, textBatch } from '../../src/rl/sft';
import { BatchLayoutError } from '../../src/rl/batch';
import { BACKENDS, useBackend } from './backends';

const CONFIG: LlamaConfig = {
  architecture: 'LlamaForCausalLM',
  vocabSize: 100,
  hiddenSize: 16,
  intermediateSize: 32,
  numLayers: 2,
  numHeads: 4,
  numKVHeads: 2,
  headDim: 4,
  maxPositionEmbeddings: 32,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  tieWordEmbeddings: true,
  attentionBias: false,
  bosTokenId: 1,
  eosTokenIds: [2],
};

let tok: Tokenizer;
beforeAll(async () => {
  tok = await loadCherryTokenizer();
});

test('sftBatch: <bos> prompt label <eos>, right-padded to the bucket, mask on label tokens only', () => {
  const b = sftBatch(tok, [{ prompt: '12+3=' }, { prompt: '9=' }], () => '15', 8);
  // "1"=22 "2"=23 "+"=16 "3"=24 "="=34 "5"=26 "9"=30
  expect(b.ids).toEqual(
    [
      [1, 22, 23, 16, 24, 34, 22, 26, 2, 0, 0, 0, 0, 0, 0, 0],
      [1, 30, 34, 22, 26, 2, 0, 0],
    ].map((r) => [...r, ...new Array<number>(16 - r.length).fill(0)]),
  );
  expect(b.attentionMask[1]).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  // log-prob t predicts token t+1: row 0 predicts "1","5",<eos> at t = 5, 6, 7
  expect(b.mask[0]).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  expect(b.mask[1]).toEqual([0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  expect(b.tokens).toBe(6);
});

test('textBatch: every text token and the EOS are predicted from <bos>', () => {
  const b = textBatch(tok, ['ab'], 4);
  expect(b.ids).toEqual([[1, 70, 71, 2]]);
  expect(b.mask).toEqual([[1, 1, 1]]);
});

test('a row longer than the model takes is refused with its row number', () => {
  expect(() => sftBatch(tok, [{ prompt: 'x' }, { prompt: 'y'.repeat(40) }], () => '1', 8, 32)).toThrow(/row 1: .* at most 32/);
  expect(() => sftBatch(tok, [{ q: 1 }], () => '1')).toThrow(BatchLayoutError);
});

describe.each(BACKENDS)('sftStep (%s)', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  test('lowers the label NLL on a fixed batch and leaks no tensors', async () => {
    const model = initLlama(CONFIG, 7, 0.1);
    const opt = new AdamW(model.params, { beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0, maxGradNorm: 1 });
    const batch = sftBatch(tok, [{ prompt: '12+3=' }, { prompt: '40+2=' }, { prompt: '7-7=' }], (it) =>
      it.prompt === '7-7=' ? '0' : '42',
    );
    const n0 = tf.memory().numTensors;
    const first = await sftStep(model, opt, batch, 1e-2);
    expect(tf.memory().numTensors).toBe(n0);
    // a near-uniform 100-way model starts close to ln 100 = 4.61 nats per token
    expect(first.loss).toBeGreaterThan(4.2);
    expect(first.loss).toBeLessThan(5);
    expect(first.applied).toBe(true);
    expect(first.gradNorm).toBeGreaterThan(0);
    expect(first.tokens).toBe(8);
    let last = first.loss;
    for (let i = 0; i < 25; i++) last = (await sftStep(model, opt, batch, 1e-2)).loss;
    expect(tf.memory().numTensors).toBe(n0);
    const evalLoss = await sftEvalLoss(model, batch);
    expect(tf.memory().numTensors).toBe(n0);
    expect(last).toBeLessThan(1.5);
    expect(evalLoss).toBeLessThan(last + 0.3);
    opt.dispose();
    model.dispose();
  });
});
