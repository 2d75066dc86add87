// The RL math end to end on a toy policy: a context-free "model" whose logits θ [T=3, V=4] pick each
// of three tokens independently; the reward is the fraction of tokens equal to 2. Starting from the
// uniform policy (p(2) = 0.25) every algorithm must drive p(2) above 0.9 within a bounded number of
// steps: a wrong sign, a broken baseline or a detached gradient anywhere would fail this.
import { describe, test, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/util/rng';
import { resolveConfig, advantageKind, type Algo } from '../../src/rl/config';
import { computeAdvantages } from '../../src/rl/advantages';
import { policyLoss, readLossMetrics, metricTensors, type PolicyLossOptions, type PolicyLossMetrics } from '../../src/rl/loss';
import { AdamW } from '../../src/rl/optim';
import { BACKENDS, useBackend } from './backends';

const T = 3,
  V = 4,
  TARGET = 2;

/** Per-token log-probs [B, T] of the sampled tokens under θ. */
function logProbs(theta: tf.Tensor, tokens: number[][]): tf.Tensor {
  return tf.tidy(() => {
    const lsm = tf.logSoftmax(theta); // [T,V]
    const oh = tf.cast(tf.oneHot(tf.tensor2d(tokens, undefined, 'int32'), V), 'float32'); // [B,T,V]
    return tf.sum(tf.mul(oh, tf.expandDims(lsm, 0)), -1); // [B,T]
  });
}

function sample(probs: Float32Array, n: number, rng: Rng): number[][] {
  return Array.from({ length: n }, () =>
    Array.from({ length: T }, (_, t) => {
      let u = rng.next(),
        k = 0;
      while (k < V - 1 && u >= probs[t * V + k]) {
        u -= probs[t * V + k];
        k++;
      }
      return k;
    }),
  );
}

async function train(algo: Algo, maxSteps: number, mu = 1) {
  const cfg = resolveConfig({
    algo,
    learning_rate: 0.1,
    num_generations: 4,
    batch_prompts: 8,
    num_iterations: mu,
    max_completion_length: T,
  });
  const theta = tf.variable(tf.zeros([T, V]));
  const opt = new AdamW(new Map([['theta', theta]]), {
    beta1: cfg.adam_beta1,
    beta2: cfg.adam_beta2,
    epsilon: cfg.adam_epsilon,
    weightDecay: cfg.weight_decay,
    maxGradNorm: cfg.max_grad_norm,
  });
  const lossOpts: PolicyLossOptions = {
    lossType: cfg.loss_type,
    epsilon: cfg.epsilon,
    epsilonHigh: cfg.epsilon_high,
    beta: 0,
    maxCompletionLength: T,
  };
  const kind = advantageKind(cfg.algo);
  if (kind === 'none') throw new Error('not an RL algo');
  const rng = new Rng(cfg.seed);
  const pTarget = async () => {
    const p = tf.softmax(theta);
    const d = await p.data();
    p.dispose();
    return [0, 1, 2].reduce((s, t) => s + d[t * V + TARGET], 0) / T;
  };
  const start = await pTarget();
  const mask = tf.ones([cfg.batch_prompts * cfg.num_generations, T]);
  const tensorsAtStart = tf.memory().numTensors;
  const ratioMeans: number[] = [];
  let steps = 0;
  for (; steps < maxSteps && (await pTarget()) < 0.9; steps++) {
    const probs = tf.softmax(theta);
    const tokens = sample((await probs.data()) as Float32Array, cfg.batch_prompts * cfg.num_generations, rng); // softmax of float32 is float32
    probs.dispose();
    const rewards = tokens.map((row) => row.filter((x) => x === TARGET).length / T);
    const { advantages } = computeAdvantages(rewards, { kind, groupSize: cfg.num_generations, scaleRewards: cfg.scale_rewards });
    const oldLogp = cfg.num_iterations > 1 ? logProbs(theta, tokens) : null;
    for (let it = 0; it < cfg.num_iterations; it++) {
      const box: { m: PolicyLossMetrics | null } = { m: null }; // filled inside variableGrads
      const { value, grads } = tf.variableGrads(() => {
        const out = policyLoss({ logp: logProbs(theta, tokens), oldLogp, advantages, mask }, lossOpts);
        box.m = out.metrics;
        metricTensors(out.metrics).forEach((t) => tf.keep(t));
        return out.loss;
      });
      if (!box.m) throw new Error('policyLoss returned no metrics');
      ratioMeans.push((await readLossMetrics(box.m)).ratio_mean);
      const report = await opt.apply(grads, cfg.learning_rate, (await value.data())[0]);
      expect(report.applied).toBe(true);
      tf.dispose([value, ...Object.values(grads)]);
    }
    oldLogp?.dispose();
  }
  const leaked = tf.memory().numTensors - tensorsAtStart;
  const end = await pTarget();
  mask.dispose();
  opt.dispose();
  theta.dispose();
  return { start, end, steps, leaked, ratioMeans };
}

describe.each(BACKENDS)('on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  test.each(['grpo', 'dr_grpo', 'dapo', 'rloo', 'reinforce'] as const)(
    '%s raises p(target) from 0.25 to > 0.9 within 60 steps, no leaks',
    async (algo) => {
      const r = await train(algo, 60);
      expect(r.start).toBeCloseTo(0.25, 6);
      expect(r.end).toBeGreaterThan(0.9);
      expect(r.steps).toBeLessThan(60);
      expect(r.leaked).toBe(0);
      expect(r.ratioMeans.every((x) => Math.abs(x - 1) < 1e-6)).toBe(true); // mu = 1: ratio exactly 1
    },
  );

  test('mu = 2: the second pass sees ratios against the old log-probs', async () => {
    const r = await train('grpo', 5, 2);
    // passes alternate: first pass of a batch has ratio 1, the second has moved away from it
    const first = r.ratioMeans.filter((_, i) => i % 2 === 0),
      second = r.ratioMeans.filter((_, i) => i % 2 === 1);
    expect(first.every((x) => Math.abs(x - 1) < 1e-6)).toBe(true);
    expect(second.some((x) => Math.abs(x - 1) > 1e-3)).toBe(true);
    expect(r.leaked).toBe(0);
  });
});
