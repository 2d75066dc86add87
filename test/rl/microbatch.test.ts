// policyUpdate splits a batch into micro-batches (the wasm heap is at most 4 GiB: 256 rows of width 128
// on the cherry-json model aborted in one variableGrads). Summing the weighted slices must give the
// gradient, loss and metrics of the whole batch for every loss type, with a reference model, μ = 2
// (old log-probs), and a row whose mask is all zero.
import { describe, test, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initLlama, type LlamaConfig } from '../../src/model';
import { packSequences, completionMask } from '../../src/rl/batch';
import { AdamW } from '../../src/rl/optim';
import { policyUpdate, defaultMicroBatchRows, microBatches, type UpdateResult } from '../../src/rl/policyUpdate';
import type { LossType } from '../../src/rl/config';
import { BACKENDS, useBackend } from './backends';

const CONFIG: LlamaConfig = {
  architecture: 'LlamaForCausalLM',
  vocabSize: 16,
  hiddenSize: 16,
  intermediateSize: 24,
  numLayers: 2,
  numHeads: 4,
  numKVHeads: 2,
  headDim: 4,
  maxPositionEmbeddings: 64,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  tieWordEmbeddings: false,
  attentionBias: false,
  bosTokenId: 1,
  eosTokenIds: [2],
};
const PROMPTS = [
  [1, 5, 6],
  [1, 7],
];
const COMPLETIONS = [[3, 4, 2], [3, 2], [9, 9, 9, 9], [4, 2], [8, 2], [8, 8, 2], [5], [6, 6, 6, 2]];
const PACKED = packSequences(
  PROMPTS.flatMap((p) => [p, p, p, p]),
  COMPLETIONS,
  0,
  4,
);
const W = PACKED.ids[0].length;
const MASK = completionMask({ starts: PACKED.starts, lengths: PACKED.lengths, width: W - 1 }).map((row, b) =>
  b === 2 ? row.map(() => 0) : row,
);
const ADV = [1.2, -0.5, 0.7, -1.1, 0.3, -0.2, 0.9, -1.3];

interface Run {
  result: UpdateResult;
  grads: Array<Record<string, number[]>>;
  losses: number[];
}

async function run(lossType: LossType, microBatchRows: number | undefined): Promise<Run> {
  const model = initLlama(CONFIG, 3, 0.3);
  const reference = initLlama(CONFIG, 4, 0.3);
  const opt = new AdamW(model.params, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, maxGradNorm: 1 });
  const grads: Array<Record<string, number[]>> = [];
  const losses: number[] = [];
  const apply = opt.apply.bind(opt);
  opt.apply = async (g, lr, loss) => {
    grads.push(Object.fromEntries(Object.entries(g).map(([k, t]) => [k.replace(/#\d+$/, ''), Array.from(t.dataSync())])));
    losses.push(loss ?? NaN);
    return apply(g, lr, loss);
  };
  const result = await policyUpdate(
    model,
    opt,
    { ids: PACKED.ids, attentionMask: PACKED.attentionMask, mask: MASK, advantages: ADV },
    {
      numIterations: 2,
      lr: 1e-2,
      reference,
      microBatchRows,
      loss: { lossType, epsilon: 0.2, epsilonHigh: 0.28, beta: 0.04, maxCompletionLength: 4 },
    },
  );
  model.dispose();
  reference.dispose();
  opt.dispose();
  return { result, grads, losses };
}

function close(a: number, b: number, tol: number): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

test('micro-batch sizes: 64 rows at width 128 (the json-extract 256-row batch runs as 4), 1 at least', () => {
  expect(defaultMicroBatchRows(128)).toBe(64);
  expect(microBatches(256, defaultMicroBatchRows(128))).toEqual([
    [0, 64],
    [64, 128],
    [128, 192],
    [192, 256],
  ]);
  expect(defaultMicroBatchRows(64)).toBe(128);
  expect(defaultMicroBatchRows(100000)).toBe(1);
  expect(microBatches(8, 3)).toEqual([
    [0, 3],
    [3, 6],
    [6, 8],
  ]);
  expect(() => microBatches(8, 0)).toThrow(RangeError);
});

describe.each(BACKENDS)('policyUpdate in micro-batches equals the whole batch (%s)', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  test.each(['grpo', 'dr_grpo', 'dapo', 'bnpo'] as const)('%s: gradients, loss, metrics of both passes; no leak', async (lossType) => {
    const whole = await run(lossType, undefined);
    const before = tf.memory().numTensors;
    const split = await run(lossType, 3); // slices of 3, 3, 2 rows; row 2 has no trained token
    expect(tf.memory().numTensors).toBe(before);
    expect(split.result.tokens).toBe(whole.result.tokens);
    expect(split.grads).toHaveLength(2);
    for (let pass = 0; pass < 2; pass++) {
      expect(close(split.losses[pass], whole.losses[pass], 1e-4)).toBe(true);
      const g1 = whole.grads[pass];
      const g2 = split.grads[pass];
      expect(Object.keys(g2).sort()).toEqual(Object.keys(g1).sort());
      let maxAbs = 0;
      let maxDiff = 0;
      for (const k of Object.keys(g1)) {
        g1[k].forEach((x, i) => {
          maxAbs = Math.max(maxAbs, Math.abs(x));
          maxDiff = Math.max(maxDiff, Math.abs(x - g2[k][i]));
        });
      }
      expect(maxAbs).toBeGreaterThan(1e-4); // the gradient is not trivially zero
      expect(maxDiff).toBeLessThan(1e-4 * maxAbs);
      const m1 = whole.result.passes[pass];
      const m2 = split.result.passes[pass];
      for (const key of Object.keys(m1) as Array<keyof typeof m1>) {
        const a = m1[key];
        const b = m2[key];
        expect(a === null ? b === null : b !== null && close(a, b, 1e-4)).toBe(true);
      }
    }
    expect(whole.result.passes[1].ratio_mean).not.toBe(1); // pass 2 used old log-probs that differ
  });
});
