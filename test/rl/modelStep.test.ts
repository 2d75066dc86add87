// One RL step on a real (tiny, random) Llama from src/model, wired the way the trainer will wire it:
// pack prompt + completion rows, mask completion tokens, log-probs inside variableGrads, the clipped
// loss, a guarded AdamW update. Checks what a user would notice: every parameter moves, nothing
// leaks, and at the first step the policy equals the reference (KL 0, ratio 1).
import { describe, test, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initLlama, tokenLogprobs, type Llama, type LlamaConfig } from '../../src/model';
import { packSequences, completionMask } from '../../src/rl/batch';
import { computeAdvantages } from '../../src/rl/advantages';
import { policyLoss, sftLoss, readLossMetrics, metricTensors, type PolicyLossMetrics } from '../../src/rl/loss';
import { AdamW } from '../../src/rl/optim';
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

// Two prompts, four completions each (G = 4), of different lengths so padding is exercised.
const PROMPTS = [
  [1, 5, 6],
  [1, 7],
];
const COMPLETIONS = [[3, 4, 2], [3, 2], [9, 9, 9, 9], [4, 2], [8, 2], [8, 8, 2], [5], [6, 6, 6, 2]];
const REWARDS = [1, 0, 0, 1, 0, 0, 0, 1];

const PACKED = packSequences(
  PROMPTS.flatMap((p) => [p, p, p, p]),
  COMPLETIONS,
  0,
  4,
);

/** The frozen reference: log-probs of the starting model, computed once, outside any gradient. */
function referenceLogprobs(model: Llama): tf.Tensor {
  return tokenLogprobs(model, PACKED.ids, { attentionMask: PACKED.attentionMask }).logprobs;
}

async function rlStep(model: Llama, opt: AdamW, beta: number, ref: tf.Tensor | null) {
  const packed = PACKED;
  const W = packed.ids[0].length;
  const mask = tf.tensor2d(completionMask({ starts: packed.starts, lengths: packed.lengths, width: W - 1 }));
  const { advantages } = computeAdvantages(REWARDS, { kind: 'grpo', groupSize: 4, scaleRewards: 'group' });
  const box: { m: PolicyLossMetrics | null } = { m: null }; // filled inside variableGrads
  const { value, grads } = tf.variableGrads(() => {
    const { logprobs } = tokenLogprobs(model, packed.ids, { attentionMask: packed.attentionMask });
    const out = policyLoss(
      { logp: logprobs, refLogp: ref, advantages, mask },
      {
        lossType: 'dapo',
        epsilon: 0.2,
        epsilonHigh: 0.28,
        beta,
        maxCompletionLength: 4,
      },
    );
    box.m = out.metrics;
    metricTensors(out.metrics).forEach((t) => tf.keep(t));
    return out.loss;
  });
  if (!box.m) throw new Error('no metrics');
  const metrics = await readLossMetrics(box.m);
  const report = await opt.apply(grads, 1e-3, (await value.data())[0]);
  tf.dispose([value, mask, ...Object.values(grads)]);
  return { metrics, report };
}

describe.each(BACKENDS)('an RL step on a tiny Llama (%s)', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  test('changes every parameter, leaks nothing; at step 0 KL is 0 and the ratio is 1', async () => {
    const model = initLlama(CONFIG, 3, 0.3);
    const opt = new AdamW(model.params, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, maxGradNorm: 1 });
    const before = new Map([...model.params].map(([k, v]) => [k, Float32Array.from(v.dataSync())]));
    const ref = referenceLogprobs(model);
    const n0 = tf.memory().numTensors;
    const { metrics, report } = await rlStep(model, opt, 0.04, ref);
    expect(tf.memory().numTensors).toBe(n0);
    expect(report.applied).toBe(true);
    expect(report.gradNorm).toBeGreaterThan(0);
    expect(metrics.kl).toBeCloseTo(0, 6);
    expect(metrics.ratio_mean).toBeCloseTo(1, 6);
    const unchanged = [...model.params]
      .filter(([k, v]) => {
        const a = before.get(k),
          b = v.dataSync();
        return !a || a.every((x, i) => x === b[i]);
      })
      .map(([k]) => k);
    expect(unchanged).toEqual([]);
    // a second step: the policy has moved away from the reference, so KL > 0
    const second = await rlStep(model, opt, 0.04, ref);
    expect(second.metrics.kl).toBeGreaterThan(1e-9);
    expect(tf.memory().numTensors).toBe(n0);
    ref.dispose();
    opt.dispose();
    model.dispose();
  });

  test('SFT steps on the reference answers lower the NLL of those answers', async () => {
    const model = initLlama(CONFIG, 4, 0.3);
    const opt = new AdamW(model.params, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, maxGradNorm: 1 });
    const mask = tf.tensor2d(completionMask({ starts: PACKED.starts, lengths: PACKED.lengths, width: PACKED.ids[0].length - 1 }));
    const losses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const { value, grads } = tf.variableGrads(() =>
        sftLoss(tokenLogprobs(model, PACKED.ids, { attentionMask: PACKED.attentionMask }).logprobs, mask),
      );
      const loss = (await value.data())[0];
      losses.push(loss);
      await opt.apply(grads, 1e-2, loss);
      tf.dispose([value, ...Object.values(grads)]);
    }
    // a random 16-token model starts near ln 16 = 2.77 nats per token; ten steps must cut that clearly
    expect(losses[0]).toBeGreaterThan(1.5);
    expect(losses[9]).toBeLessThan(losses[0] - 0.5);
    mask.dispose();
    opt.dispose();
    model.dispose();
  });
});
