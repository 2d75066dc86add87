// Policy-gradient losses as tensors-in, scalar-out: synchronous and tidy-safe, so a trainer can call
// them inside tf.variableGrads. References: DeepSeekMath (GRPO), DAPO (clip-higher, token-level loss),
// Dr. GRPO ("Understanding R1-Zero-Like Training"), TRL GRPOTrainer._compute_loss (metric names),
// Schulman's "Approximating KL divergence" (k3 estimator).
//
// Per token t of sequence b, with r = exp(logp − old_logp) and A = advantages[b]:
//   policy term  = −min(r·A, clip(r, 1 − epsilon, 1 + epsilon_high)·A)
//   KL term      = beta · (exp(ref − logp) − (ref − logp) − 1)            (only when beta > 0)
//   loss         = aggregate(policy term + KL term) over the mask, per loss_type:
//     grpo          mean over sequences of (sum over the sequence's tokens / its token count)
//     dapo, bnpo    sum over all tokens / number of tokens in the batch
//     dr_grpo       sum over all tokens / (B × max_completion_length)
// A row whose mask is all zero (a null reward, a masked truncation) adds 0 and, for grpo and
// dr_grpo, still counts in B, as in TRL.
import * as tf from '@tensorflow/tfjs';
import type { LossType } from './config';
import type { LossMetricValues } from '../schema/metrics';

export type { LossMetricValues };

/** Tensors and arrays given to the loss had inconsistent shapes or missing parts. */
export class LossInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LossInputError';
  }
}

/** Identity whose gradient is zero: the value of x, treated as a constant (torch's .detach()). */
const detach = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = inputs[0];
  if (!(x instanceof tf.Tensor)) throw new LossInputError('stopGradient expects a tensor.');
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor) => [tf.zerosLike(dy)] };
});
export function stopGradient(x: tf.Tensor): tf.Tensor {
  return detach(x);
}

export interface PolicyLossInputs {
  /** [B, T] log-prob of each sampled token under the policy being trained (carries the gradient). */
  logp: tf.Tensor;
  /** [B, T] log-probs under the policy that sampled the batch (needed when num_iterations > 1).
   *  Omitted or null: the detached `logp`, so every ratio is exactly 1. */
  oldLogp?: tf.Tensor | null;
  /** [B, T] log-probs under the frozen reference model; required when beta > 0. */
  refLogp?: tf.Tensor | null;
  /** [B] one advantage per sequence. */
  advantages: tf.Tensor | readonly number[];
  /** [B, T] 1 on completion tokens that train, 0 on prompt, padding and masked-out sequences. */
  mask: tf.Tensor;
  /** [B, T] per-token entropy of the policy's distribution, for the entropy metric only. */
  entropy?: tf.Tensor | null;
}

export interface PolicyLossOptions {
  /** How per-token losses are averaged (see the header). */
  lossType: LossType;
  /** Lower clip: the ratio is clipped at 1 − epsilon. */
  epsilon: number;
  /** Upper clip: the ratio is clipped at 1 + epsilonHigh. */
  epsilonHigh: number;
  /** KL penalty weight; 0 leaves the KL out of the loss. */
  beta: number;
  /** Denominator length for dr_grpo. */
  maxCompletionLength: number;
}

/** Scalars the trainer reports; token-level masked means unless said otherwise. */
export interface PolicyLossMetrics {
  /** The aggregated policy term alone (the loss without the KL term). */
  policyLoss: tf.Scalar;
  /** Mean k3 KL to the reference, or null when no reference log-probs were given. */
  kl: tf.Scalar | null;
  /** Fraction of tokens with r < 1 − epsilon and A < 0 (TRL clip_ratio/low_mean). */
  clipLow: tf.Scalar;
  /** Fraction of tokens with r > 1 + epsilon_high and A > 0 (TRL clip_ratio/high_mean). */
  clipHigh: tf.Scalar;
  /** Fraction of tokens clipped either way (TRL clip_ratio/region_mean). */
  clipRegion: tf.Scalar;
  /** Mean importance ratio r. */
  ratioMean: tf.Scalar;
  /** Mean per-token entropy, or null when no entropies were given. */
  entropy: tf.Scalar | null;
}

export interface PolicyLossOutput {
  /** The scalar to differentiate. */
  loss: tf.Scalar;
  metrics: PolicyLossMetrics;
}

function sameShape(name: string, t: tf.Tensor, shape: number[]): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new LossInputError(`${name} has shape [${t.shape.join(', ')}]; expected [${shape.join(', ')}] like the mask.`);
  }
}

/** Σ(x·mask) / max(Σmask, 1): a mean over the tokens the mask selects. */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.div(tf.sum(tf.mul(x, mask)), tf.maximum(tf.sum(mask), 1));
}

/** Aggregates a [B, T] per-token loss over the mask according to the loss type. */
export function aggregate(perToken: tf.Tensor, mask: tf.Tensor, lossType: LossType, maxCompletionLength: number): tf.Scalar {
  const masked = tf.mul(perToken, mask);
  switch (lossType) {
    case 'grpo': {
      const perSeq = tf.div(tf.sum(masked, 1), tf.maximum(tf.sum(mask, 1), 1)); // [B]
      return tf.mean(perSeq);
    }
    case 'dapo':
    case 'bnpo':
      return tf.div(tf.sum(masked), tf.maximum(tf.sum(mask), 1));
    case 'dr_grpo':
      return tf.div(tf.sum(masked), perToken.shape[0] * maxCompletionLength);
  }
}

/** The clipped-ratio policy loss with optional KL; see the header for the formulas. */
export function policyLoss(inp: PolicyLossInputs, opt: PolicyLossOptions): PolicyLossOutput {
  const shape = inp.mask.shape;
  const [B] = shape;
  sameShape('logp', inp.logp, shape);
  if (inp.oldLogp) sameShape('oldLogp', inp.oldLogp, shape);
  if (inp.refLogp) sameShape('refLogp', inp.refLogp, shape);
  if (inp.entropy) sameShape('entropy', inp.entropy, shape);
  if (opt.beta > 0 && !inp.refLogp) {
    throw new LossInputError(`beta = ${opt.beta} needs reference log-probs (refLogp); pass them or set beta to 0.`);
  }
  const advT = inp.advantages instanceof tf.Tensor ? inp.advantages : tf.tensor1d(inp.advantages.slice());
  if (advT.shape.length !== 1 || advT.shape[0] !== B) {
    throw new LossInputError(`advantages has shape [${advT.shape.join(', ')}]; expected one per sequence: [${B}].`);
  }

  const mask = tf.cast(inp.mask, 'float32');
  const adv = tf.reshape(tf.cast(advT, 'float32'), [B, 1]); // [B,1]
  const old = inp.oldLogp ?? stopGradient(inp.logp);
  const ratio = tf.exp(tf.sub(inp.logp, old)); // [B,T]
  const clipped = tf.clipByValue(ratio, 1 - opt.epsilon, 1 + opt.epsilonHigh);
  const perTokenPolicy = tf.neg(tf.minimum(tf.mul(ratio, adv), tf.mul(clipped, adv))); // [B,T]
  const policy = aggregate(perTokenPolicy, mask, opt.lossType, opt.maxCompletionLength);

  let kl: tf.Scalar | null = null;
  let loss = policy;
  if (inp.refLogp) {
    const d = tf.sub(inp.refLogp, inp.logp);
    const perTokenKl = tf.sub(tf.sub(tf.exp(d), d), 1); // [B,T], >= 0
    kl = maskedMean(perTokenKl, mask);
    if (opt.beta > 0) {
      loss = aggregate(tf.add(perTokenPolicy, tf.mul(perTokenKl, opt.beta)), mask, opt.lossType, opt.maxCompletionLength);
    }
  }

  const isLow = tf.logicalAnd(tf.less(ratio, 1 - opt.epsilon), tf.less(adv, 0));
  const isHigh = tf.logicalAnd(tf.greater(ratio, 1 + opt.epsilonHigh), tf.greater(adv, 0));
  const metrics: PolicyLossMetrics = {
    policyLoss: tf.clone(policy), // a tensor of its own, so disposing metrics never frees the loss
    kl,
    clipLow: maskedMean(tf.cast(isLow, 'float32'), mask),
    clipHigh: maskedMean(tf.cast(isHigh, 'float32'), mask),
    clipRegion: maskedMean(tf.cast(tf.logicalOr(isLow, isHigh), 'float32'), mask),
    ratioMean: maskedMean(ratio, mask),
    entropy: inp.entropy ? maskedMean(inp.entropy, mask) : null,
  };
  return { loss, metrics };
}

/** SFT: mean negative log-likelihood of the target tokens over the mask. logp, mask: [B, T]. */
export function sftLoss(logp: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  sameShape('logp', logp, mask.shape);
  return tf.neg(maskedMean(logp, tf.cast(mask, 'float32')));
}

/** Every tensor of a metrics object, e.g. to tf.keep them inside variableGrads or dispose them after. */
export function metricTensors(m: PolicyLossMetrics): tf.Scalar[] {
  return [m.policyLoss, m.kl, m.clipLow, m.clipHigh, m.clipRegion, m.ratioMean, m.entropy].filter((t): t is tf.Scalar => t !== null);
}

/** Reads the metric scalars (awaiting the backend, never blocking it) and disposes them. */
export async function readLossMetrics(m: PolicyLossMetrics): Promise<LossMetricValues> {
  const num = async (t: tf.Scalar | null): Promise<number | null> => (t ? (await t.data())[0] : null);
  const out: LossMetricValues = {
    policy_loss: (await m.policyLoss.data())[0],
    kl: await num(m.kl),
    clip_ratio_low: (await m.clipLow.data())[0],
    clip_ratio_high: (await m.clipHigh.data())[0],
    clip_ratio_region: (await m.clipRegion.data())[0],
    ratio_mean: (await m.ratioMean.data())[0],
    entropy: await num(m.entropy),
  };
  tf.dispose(metricTensors(m));
  return out;
}
