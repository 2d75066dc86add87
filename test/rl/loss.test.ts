import { describe, test, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { policyLoss, sftLoss, metricTensors, readLossMetrics, LossInputError, type PolicyLossOptions } from '../../src/rl/loss';
import { BACKENDS, useBackend, arr } from './backends';

const L = Math.log;
const opts = (o: Partial<PolicyLossOptions> = {}): PolicyLossOptions => ({
  lossType: 'grpo',
  epsilon: 0.2,
  epsilonHigh: 0.2,
  beta: 0,
  maxCompletionLength: 4,
  ...o,
});

function close(actual: number[], expected: number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i], digits));
}

describe.each(BACKENDS)('policy loss on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  // Case 1: mu = 1 (no old log-probs), so every ratio is exactly 1 and the per-token loss is −A.
  // B=2, T=3, advantages [1, −0.5], mask [[1,1,0],[1,1,1]] (row 0 padded at t=2).
  //   per-token loss: row0 [−1, −1, (pad)], row1 [0.5, 0.5, 0.5]
  //   grpo:    mean(−2/2, 1.5/3) = mean(−1, 0.5) = −0.25
  //   dapo:    (−2 + 1.5) / 5 tokens = −0.1      (bnpo identical)
  //   dr_grpo: (−0.5) / (B·Lmax = 2·4) = −0.0625
  // Gradient w.r.t. logp (ratio' = ratio = 1, so d(−r·A)/dlogp = −A, times the aggregation weight):
  //   grpo: row0 −1·(1/2)/2 = −0.25 each, pad 0; row1 0.5·(1/3)/2 = 0.0833333
  //   dapo: row0 −1/5 = −0.2, pad 0;             row1 0.5/5 = 0.1
  const logp1 = [
    [-1, -2, -0.5],
    [-0.3, -0.7, -1.2],
  ];
  const mask1 = [
    [1, 1, 0],
    [1, 1, 1],
  ];
  const adv1 = [1, -0.5];
  const cases1: [PolicyLossOptions['lossType'], number, number[]][] = [
    ['grpo', -0.25, [-0.25, -0.25, 0, 1 / 12, 1 / 12, 1 / 12]],
    ['dapo', -0.1, [-0.2, -0.2, 0, 0.1, 0.1, 0.1]],
    ['bnpo', -0.1, [-0.2, -0.2, 0, 0.1, 0.1, 0.1]],
    ['dr_grpo', -0.0625, [-0.125, -0.125, 0, 0.0625, 0.0625, 0.0625]],
  ];
  test.each(cases1)('mu=1, padding: %s loss = %d and its gradient', (lossType, want, wantGrad) => {
    const mask = tf.tensor2d(mask1);
    const f = (lp: tf.Tensor) => policyLoss({ logp: lp, advantages: adv1, mask }, opts({ lossType })).loss;
    const logp = tf.tensor2d(logp1);
    close(arr(f(logp)), [want]);
    close(arr(tf.grad(f)(logp)), wantGrad);
  });

  // Case 2: old log-probs given (mu > 1), clipping on both sides. epsilon 0.2, epsilon_high 0.28.
  // Ratios r = exp(logp − old): row0 (A=+2) [1.5, 0.9, 0.5]; row1 (A=−1) [0.5, 1.1, 1.5].
  //   row0 t0: min(1.5·2=3, 1.28·2=2.56) = 2.56 → −2.56, clipped high (r>1.28, A>0), no gradient
  //   row0 t1: min(1.8, 1.8) → −1.8;  row0 t2: min(0.5·2=1, 0.8·2=1.6) = 1 → −1 (unclipped: A>0, r low)
  //   row1 t0: min(−0.5, 0.8·−1=−0.8) = −0.8 → 0.8, clipped low (r<0.8, A<0), no gradient
  //   row1 t1: −1.1 → 1.1;  row1 t2: min(−1.5, −1.28) = −1.5 → 1.5 (unclipped: A<0, r high)
  //   dapo = (−2.56 −1.8 −1 +0.8 +1.1 +1.5)/6 = −1.96/6 = −0.3266667 (grpo equal: same lengths)
  //   clipLow 1/6, clipHigh 1/6, region 2/6, ratio mean (1.5+.9+.5+.5+1.1+1.5)/6 = 1
  //   grad of −r·A w.r.t. logp = −A·r, /6: row0 [0, −1.8/6=−0.3, −1/6]; row1 [0, 1.1/6, 1.5/6]
  test('old log-probs: clipped at both sides, TRL clip fractions, gradient 0 where clipped', () => {
    const old = [
      [-1, -1, -1],
      [-2, -2, -2],
    ];
    const r = [
      [1.5, 0.9, 0.5],
      [0.5, 1.1, 1.5],
    ];
    const logp = tf.tensor2d(old.map((row, b) => row.map((o, t) => o + L(r[b][t]))));
    const inputs = { oldLogp: tf.tensor2d(old), advantages: [2, -1], mask: tf.ones([2, 3]) };
    for (const lossType of ['dapo', 'grpo'] as const) {
      const o = opts({ lossType, epsilon: 0.2, epsilonHigh: 0.28 });
      const out = policyLoss({ ...inputs, logp }, o);
      close(arr(out.loss), [-1.96 / 6]);
      close(arr(out.metrics.clipLow), [1 / 6]);
      close(arr(out.metrics.clipHigh), [1 / 6]);
      close(arr(out.metrics.clipRegion), [2 / 6]);
      close(arr(out.metrics.ratioMean), [1]);
      expect(out.metrics.kl).toBeNull();
      const g = tf.grad((lp: tf.Tensor) => policyLoss({ ...inputs, logp: lp }, o).loss)(logp);
      close(arr(g), [0, -0.3, -1 / 6, 0, 1.1 / 6, 0.25]);
    }
  });

  // Case 3: beta > 0 with zero advantages: only the KL term moves the policy.
  // logp [−1, −2], ref [−1.5, −1]; d = ref − logp = [−0.5, 1]
  //   k3 = e^d − d − 1 = [e^−0.5 − 0.5 = 0.1065307, e − 2 = 0.7182818]
  //   beta 0.1, grpo: (0.01065307 + 0.07182818)/2 = 0.04124062; kl metric (0.1065307+0.7182818)/2 = 0.4124062
  //   d k3/d logp = 1 − e^d = [0.3934693, −1.7182818]; × beta / 2 tokens = [0.01967347, −0.08591409]
  test('beta > 0: k3 KL to the reference, weighted by beta, with its gradient', () => {
    const ref = tf.tensor2d([[-1.5, -1]]);
    const mask = tf.ones([1, 2]);
    const f = (lp: tf.Tensor) => policyLoss({ logp: lp, refLogp: ref, advantages: [0], mask }, opts({ beta: 0.1 }));
    const logp = tf.tensor2d([[-1, -2]]);
    const out = f(logp);
    close(arr(out.loss), [0.04124062]);
    close(arr(out.metrics.kl as tf.Scalar), [0.4124062]); // non-null: refLogp was given
    close(arr(out.metrics.policyLoss), [0]);
    close(arr(tf.grad((lp: tf.Tensor) => f(lp).loss)(logp)), [0.01967347, -0.08591409]);
  });

  test('beta = 0 with a reference: KL reported but not in the loss', () => {
    const out = policyLoss(
      { logp: tf.tensor2d([[-1, -2]]), refLogp: tf.tensor2d([[-1.5, -1]]), advantages: [0], mask: tf.ones([1, 2]) },
      opts({ beta: 0 }),
    );
    close(arr(out.loss), [0]);
    close(arr(out.metrics.kl as tf.Scalar), [0.4124062]); // non-null: refLogp was given
  });

  // Case 4: a fully masked row (a null reward) adds nothing; grpo still counts it in B (as TRL does).
  //   advantages [1, 5], mask [[1,1],[0,0]]: grpo (−1 + 0)/2 = −0.5; dapo −2/2 = −1; zero gradient on row 1.
  test('a masked-out sequence contributes no loss and no gradient', () => {
    const mask = tf.tensor2d([
      [1, 1],
      [0, 0],
    ]);
    const logp = tf.tensor2d([
      [-1, -1],
      [-1, -1],
    ]);
    const f = (lossType: 'grpo' | 'dapo') => (lp: tf.Tensor) => policyLoss({ logp: lp, advantages: [1, 5], mask }, opts({ lossType })).loss;
    close(arr(f('grpo')(logp)), [-0.5]);
    close(arr(f('dapo')(logp)), [-1]);
    close(arr(tf.grad(f('grpo'))(logp)), [-0.25, -0.25, 0, 0]);
  });

  test('zero advantages and beta 0: loss 0 and gradient 0', () => {
    const logp = tf.tensor2d([
      [-1, -3],
      [-2, -0.1],
    ]);
    const f = (lp: tf.Tensor) => policyLoss({ logp: lp, advantages: [0, 0], mask: tf.ones([2, 2]) }, opts()).loss;
    close(arr(f(logp)), [0]);
    close(arr(tf.grad(f)(logp)), [0, 0, 0, 0]);
  });

  // Entropy metric: token mean over mask1 of [[1,2,3],[4,5,6]] = (1+2+4+5+6)/5 = 3.6
  test('entropy metric is the masked token mean', () => {
    const out = policyLoss(
      {
        logp: tf.tensor2d(logp1),
        advantages: adv1,
        mask: tf.tensor2d(mask1),
        entropy: tf.tensor2d([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      },
      opts(),
    );
    close(arr(out.metrics.entropy as tf.Scalar), [3.6]); // non-null: entropies were given
  });

  // SFT: logp [[−1,−2,−3],[−0.5,−4,−9]], mask [[1,1,0],[1,0,0]] → (1 + 2 + 0.5)/3 = 1.1666667
  test('SFT loss is the masked mean NLL', () => {
    const loss = sftLoss(
      tf.tensor2d([
        [-1, -2, -3],
        [-0.5, -4, -9],
      ]),
      tf.tensor2d([
        [1, 1, 0],
        [1, 0, 0],
      ]),
    );
    close(arr(loss), [3.5 / 3]);
  });

  test('readLossMetrics gives plain numbers under TRL-like names and frees the tensors', async () => {
    const inputs = { logp: tf.tensor2d([[-1, -2]]), refLogp: tf.tensor2d([[-1.5, -1]]), advantages: [0], mask: tf.ones([1, 2]) };
    const out = policyLoss(inputs, opts({ beta: 0.1 }));
    const v = await readLossMetrics(out.metrics);
    expect(v.kl).toBeCloseTo(0.4124062, 5);
    expect(v).toMatchObject({ policy_loss: 0, clip_ratio_low: 0, clip_ratio_high: 0, clip_ratio_region: 0, ratio_mean: 1, entropy: null });
    expect(metricTensors(out.metrics).every((t) => t.isDisposed)).toBe(true);
    close(arr(out.loss), [0.04124062]); // the loss survives disposal of the metrics
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      policyLoss(inputs, opts({ beta: 0.1 }));
    }); // synchronous: nothing escapes tidy
    expect(tf.memory().numTensors).toBe(before);
  });

  test('inside variableGrads: metrics can be kept, and nothing leaks', () => {
    const w = tf.variable(
      tf.tensor2d([
        [-1, -2, -0.5],
        [-0.3, -0.7, -1.2],
      ]),
    );
    const mask = tf.tensor2d(mask1);
    const before = tf.memory().numTensors;
    let kept: tf.Scalar[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const out = policyLoss({ logp: w, advantages: adv1, mask }, opts({ lossType: 'dapo' }));
      kept = metricTensors(out.metrics).map((t) => tf.keep(t));
      return out.loss;
    });
    close(arr(value), [-0.1]);
    close(arr(grads[w.name]), [-0.2, -0.2, 0, 0.1, 0.1, 0.1]);
    expect(kept.length).toBe(5); // policyLoss, clipLow, clipHigh, clipRegion, ratioMean
    close(arr(kept[4]), [1]);
    tf.dispose([value, ...Object.values(grads), ...kept]);
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
    mask.dispose();
  });
});

test('input errors name what is wrong and what to do', () => {
  const m = tf.ones([1, 2]);
  expect(() => policyLoss({ logp: tf.zeros([1, 2]), advantages: [1], mask: m }, opts({ beta: 0.1 }))).toThrow(/refLogp.*set beta to 0/);
  expect(() => policyLoss({ logp: tf.zeros([1, 3]), advantages: [1], mask: m }, opts())).toThrow(LossInputError);
  expect(() => policyLoss({ logp: tf.zeros([1, 2]), advantages: [1, 2], mask: m }, opts())).toThrow(/one per sequence/);
});
