// The tensor half of an RL step: given packed rows, a loss mask and one advantage per row, run
// `numIterations` passes of tf.variableGrads(policyLoss) and guarded AdamW updates. Old log-probs
// (the sampling policy) are computed once, without gradient, only when numIterations > 1; reference
// log-probs only when a reference model is given and beta > 0. All math lives in loss.ts / optim.ts.
import * as tf from '@tensorflow/tfjs';
import { tokenLogprobs, type Llama } from '../model';
import { metricTensors, policyLoss, readLossMetrics, type LossMetricValues, type PolicyLossMetrics, type PolicyLossOptions } from './loss';
import type { AdamW, StepReport } from './optim';

export interface UpdateBatch {
  /** [B][W] prompt + completion ids, right-padded. */
  ids: number[][];
  /** [B][W] 1 on real tokens. */
  attentionMask: number[][];
  /** [B][W − 1] 1 on the completion tokens that train. */
  mask: number[][];
  /** [B] one advantage per row. */
  advantages: number[];
}

export interface UpdateOptions {
  /** Optimisation passes over the batch (μ). */
  numIterations: number;
  /** Loss aggregation, clip range, beta, dr_grpo length. */
  loss: PolicyLossOptions;
  /** Learning rate of every pass. */
  lr: number;
  /** Frozen reference model, or null (then beta must be 0). */
  reference: Llama | null;
  /** Called before each update whose loss is finite (the trainer snapshots the weights that gave it). */
  beforeApply?: (loss: number) => void;
}

export interface UpdateResult {
  /** Loss metrics of each pass. */
  passes: LossMetricValues[];
  /** The optimizer's report of the last pass. */
  report: StepReport;
  /** Tokens the loss covered (Σ mask). */
  tokens: number;
}

/** Log-probs of the rows under `model`, no gradient kept. [B, W − 1] */
function frozenLogprobs(model: Llama, b: UpdateBatch): tf.Tensor2D {
  return tf.tidy(() => tokenLogprobs(model, b.ids, { attentionMask: b.attentionMask }).logprobs);
}

/** Runs the passes; leaves no tensors behind. */
export async function policyUpdate(model: Llama, opt: AdamW, b: UpdateBatch, o: UpdateOptions): Promise<UpdateResult> {
  const mask = tf.tensor2d(b.mask, undefined, 'float32');
  const old = o.numIterations > 1 ? frozenLogprobs(model, b) : null;
  const ref = o.reference && o.loss.beta > 0 ? frozenLogprobs(o.reference, b) : null;
  const passes: LossMetricValues[] = [];
  let report: StepReport | null = null;
  try {
    for (let pass = 0; pass < o.numIterations; pass++) {
      const box: { m: PolicyLossMetrics | null } = { m: null }; // filled inside variableGrads
      const { value, grads } = tf.variableGrads(() => {
        const lp = tokenLogprobs(model, b.ids, { attentionMask: b.attentionMask, entropy: true });
        const out = policyLoss({ logp: lp.logprobs, oldLogp: old, refLogp: ref, advantages: b.advantages, mask, entropy: lp.entropy }, o.loss);
        box.m = out.metrics;
        metricTensors(out.metrics).forEach((t) => tf.keep(t));
        return out.loss;
      });
      try {
        if (!box.m) throw new Error('policyLoss returned no metrics'); // cannot happen: set synchronously above
        passes.push(await readLossMetrics(box.m));
        const loss = (await value.data())[0];
        if (Number.isFinite(loss)) o.beforeApply?.(loss);
        report = await opt.apply(grads, o.lr, loss);
      } finally {
        tf.dispose([value, ...Object.values(grads)]);
      }
    }
  } finally {
    tf.dispose([mask, ...(old ? [old] : []), ...(ref ? [ref] : [])]);
  }
  if (!report) throw new RangeError(`numIterations must be at least 1, got ${o.numIterations}.`);
  const tokens = b.mask.reduce((s, row) => s + row.reduce((a, x) => a + x, 0), 0);
  return { passes, report, tokens };
}
