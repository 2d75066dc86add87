// The tensor half of an RL step: given packed rows, a loss mask and one advantage per row, run
// `numIterations` passes of tf.variableGrads(policyLoss) and guarded AdamW updates. Old log-probs
// (the sampling policy) are computed once, without gradient, only when numIterations > 1; reference
// log-probs only when a reference model is given and beta > 0. All math lives in loss.ts / optim.ts.
//
// Micro-batches: the wasm backend's heap is a 32-bit wasm memory (4 GiB at most) and the gradient tape
// of one forward pass of a 4-layer, width-128 model holds ~15 MB per row, so 256 rows at width 128
// abort ("RuntimeError: Aborted()" / "memory access out of bounds"). Each pass therefore runs
// variableGrads on slices of at most `microBatchRows` rows and sums their gradients. Every loss type
// is a sum over rows divided by a batch-wide count, so slice c's loss weighted by w_c (rows_c/B for
// grpo and dr_grpo, tokens_c/tokens for dapo/bnpo) sums to the whole batch's loss, and its gradients
// to the whole batch's gradients; token-mean metrics are weighted by tokens_c/tokens.
import * as tf from '@tensorflow/tfjs';
import { tokenLogprobs, type Llama } from '../model';
import { inTraining, LoraAdapter } from '../model/lora';
import { metricTensors, policyLoss, readLossMetrics, type LossMetricValues, type PolicyLossMetrics, type PolicyLossOptions } from './loss';
import type { LossType } from './config';
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
  /** The KL reference: a frozen model, or the policy's LoRA adapter (the reference is the policy with it switched off), or null (then beta must be 0). */
  reference: Llama | LoraAdapter | null;
  /** Called before each update whose loss is finite (the trainer snapshots the weights that gave it). */
  beforeApply?: (loss: number) => void;
  /** Rows per gradient micro-batch; default `defaultMicroBatchRows(width)`. */
  microBatchRows?: number;
}

/** Token budget of one micro-batch: 64 rows at width 128 peak near 2 GiB of the 4 GiB wasm heap. */
const MICRO_BATCH_TOKENS = 8192;

/**
 * Rows per micro-batch for rows of `width` ids: MICRO_BATCH_TOKENS tokens, and fewer for wide rows
 * because attention scores grow with width² (64 rows at 128, 128 at 64, 16 at 256, at least 1).
 */
export function defaultMicroBatchRows(width: number): number {
  const w = Math.max(width, 1);
  return Math.max(1, Math.min(Math.floor(MICRO_BATCH_TOKENS / w), Math.floor((MICRO_BATCH_TOKENS * 128) / (w * w))));
}

/** [start, end) row ranges of at most `size` rows covering `n` rows. */
export function microBatches(n: number, size: number): Array<[number, number]> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`microBatchRows must be a positive integer, got ${size}.`);
  const out: Array<[number, number]> = [];
  for (let s = 0; s < n; s += size) out.push([s, Math.min(n, s + size)]);
  return out;
}

/** Weight of a slice's loss in the whole batch's loss (see the header). */
function lossWeight(lossType: LossType, rows: number, totalRows: number, tokens: number, totalTokens: number): number {
  switch (lossType) {
    case 'grpo':
    case 'dr_grpo':
      return rows / totalRows;
    case 'dapo':
    case 'bnpo':
      return tokens / Math.max(totalTokens, 1);
  }
}

function combineMetrics(parts: LossMetricValues[], lossW: number[], tokW: number[]): LossMetricValues {
  const sum = (f: (m: LossMetricValues) => number, w: number[]): number => parts.reduce((a, m, i) => a + w[i] * f(m), 0);
  const sumOrNull = (f: (m: LossMetricValues) => number | null): number | null =>
    parts.some((m) => f(m) === null) ? null : parts.reduce((a, m, i) => a + tokW[i] * (f(m) ?? 0), 0);
  return {
    policy_loss: sum((m) => m.policy_loss, lossW),
    kl: sumOrNull((m) => m.kl),
    clip_ratio_low: sum((m) => m.clip_ratio_low, tokW),
    clip_ratio_high: sum((m) => m.clip_ratio_high, tokW),
    clip_ratio_region: sum((m) => m.clip_ratio_region, tokW),
    ratio_mean: sum((m) => m.ratio_mean, tokW),
    entropy: sumOrNull((m) => m.entropy),
  };
}

export interface UpdateResult {
  /** Loss metrics of each pass. */
  passes: LossMetricValues[];
  /** The optimizer's report of the last pass. */
  report: StepReport;
  /** Tokens the loss covered (Σ mask). */
  tokens: number;
}

/** Log-probs of the rows under `model`, no gradient kept, one micro-batch at a time. [B, W − 1] */
function frozenLogprobs(model: Llama, b: UpdateBatch, chunks: Array<[number, number]>): tf.Tensor2D {
  if (chunks.length === 1) return tf.tidy(() => tokenLogprobs(model, b.ids, { attentionMask: b.attentionMask }).logprobs);
  const parts = chunks.map(([s, e]) =>
    tf.tidy(() => tokenLogprobs(model, b.ids.slice(s, e), { attentionMask: b.attentionMask.slice(s, e) }).logprobs),
  );
  try {
    return tf.concat(parts, 0);
  } finally {
    tf.dispose(parts);
  }
}

/** Rows [s, e) of a [B, ...] tensor. */
function rowsOf(t: tf.Tensor2D, s: number, e: number): tf.Tensor2D {
  return tf.slice(t, [s, 0], [e - s, -1]);
}

/** Runs the passes; leaves no tensors behind. */
export async function policyUpdate(model: Llama, opt: AdamW, b: UpdateBatch, o: UpdateOptions): Promise<UpdateResult> {
  const B = b.ids.length;
  const chunks = microBatches(B, o.microBatchRows ?? defaultMicroBatchRows(b.ids[0]?.length ?? 1));
  const rowTokens = b.mask.map((row) => row.reduce((a, x) => a + x, 0));
  const tokens = rowTokens.reduce((a, x) => a + x, 0);
  const chunkTokens = chunks.map(([s, e]) => rowTokens.slice(s, e).reduce((a, x) => a + x, 0));
  // A single slice keeps weight exactly 1 (and the loss untouched) so small batches run as before.
  const lossW = chunks.length === 1 ? [1] : chunks.map(([s, e], i) => lossWeight(o.loss.lossType, e - s, B, chunkTokens[i], tokens));
  const tokW = chunks.length === 1 ? [1] : chunkTokens.map((t) => t / Math.max(tokens, 1));
  const old = o.numIterations > 1 ? frozenLogprobs(model, b, chunks) : null;
  const reference = o.reference;
  const ref =
    reference === null || o.loss.beta <= 0
      ? null
      : reference instanceof LoraAdapter
        ? reference.withDisabled(() => frozenLogprobs(model, b, chunks))
        : frozenLogprobs(reference, b, chunks);
  const passes: LossMetricValues[] = [];
  let report: StepReport | null = null;
  try {
    for (let pass = 0; pass < o.numIterations; pass++) {
      let sum: tf.NamedTensorMap | null = null;
      let loss = 0;
      const parts: LossMetricValues[] = [];
      try {
        for (let c = 0; c < chunks.length; c++) {
          const [s, e] = chunks[c];
          const w = lossW[c];
          const box: { m: PolicyLossMetrics | null } = { m: null }; // filled inside variableGrads
          const { value, grads } = inTraining(model, () =>
            tf.variableGrads(() => {
              const whole = chunks.length === 1;
              const mask = tf.tensor2d(whole ? b.mask : b.mask.slice(s, e), undefined, 'float32');
              const lp = tokenLogprobs(model, whole ? b.ids : b.ids.slice(s, e), {
                attentionMask: whole ? b.attentionMask : b.attentionMask.slice(s, e),
                entropy: true,
              });
              const out = policyLoss(
                {
                  logp: lp.logprobs,
                  oldLogp: old ? (whole ? old : rowsOf(old, s, e)) : null,
                  refLogp: ref ? (whole ? ref : rowsOf(ref, s, e)) : null,
                  advantages: whole ? b.advantages : b.advantages.slice(s, e),
                  mask,
                  entropy: lp.entropy,
                },
                o.loss,
              );
              box.m = out.metrics;
              metricTensors(out.metrics).forEach((t) => tf.keep(t));
              return whole ? out.loss : tf.mul(out.loss, w);
            }, opt.variables),
          );
          if (sum === null) {
            sum = grads;
          } else {
            const prev: tf.NamedTensorMap = sum;
            sum = Object.fromEntries(Object.entries(prev).map(([k, g]) => [k, tf.add(g, grads[k])]));
            tf.dispose([...Object.values(prev), ...Object.values(grads)]);
          }
          try {
            if (!box.m) throw new Error('policyLoss returned no metrics'); // cannot happen: set synchronously above
            parts.push(await readLossMetrics(box.m));
            loss += (await value.data())[0];
          } finally {
            tf.dispose(value);
          }
        }
        if (sum === null) throw new RangeError('policyUpdate: the batch has no rows.');
        passes.push(parts.length === 1 ? parts[0] : combineMetrics(parts, lossW, tokW));
        if (Number.isFinite(loss)) o.beforeApply?.(loss);
        report = await opt.apply(sum, o.lr, loss);
      } finally {
        if (sum) tf.dispose(Object.values(sum));
      }
    }
  } finally {
    tf.dispose([...(old ? [old] : []), ...(ref ? [ref] : [])]);
  }
  if (!report) throw new RangeError(`numIterations must be at least 1, got ${o.numIterations}.`);
  return { passes, report, tokens };
}
