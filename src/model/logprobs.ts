// Per-token log-probabilities of given token ids: what RL losses need (GRPO/PPO ratios, KL).
// Differentiable: call it inside tf.grad / tf.variableGrads / optimizer.minimize.
import * as tf from '@tensorflow/tfjs';
import type { Llama } from './llama';
import { oneHotF32 } from './ops';

export interface LogprobOptions {
  /**
   * 1 for real tokens, 0 for padding (same shape as ids). Padding may be on either side; positions
   * count real tokens only. Entries of the result whose target ids[b][t+1] is padding are
   * meaningless: the caller masks them (e.g. with `lossMask`, below, or its own mask).
   */
  attentionMask?: number[][];
  /** Also return the entropy of each predictive distribution, [B, T-1]. */
  entropy?: boolean;
}

export interface LogprobResult {
  /** log p(ids[b][t+1] | ids[b][..t]). [B, T-1] */
  logprobs: tf.Tensor2D;
  /** Entropy (nats) of p(· | ids[b][..t]) when requested. [B, T-1] */
  entropy?: tf.Tensor2D;
}

/**
 * Log-probabilities of each next token. ids: B rows of T >= 2 ids (same length; pad + attentionMask).
 * → logprobs [B, T-1]. To exclude prompt and padding tokens from a loss, multiply by a 0/1 mask of
 * shape [B, T-1] where entry t covers token ids[b][t+1] — `lossMask(promptLens, lengths, T)` builds it
 * for right-padded rows. The caller disposes the returned tensors.
 */
export function tokenLogprobs(model: Llama, ids: number[][], opts: LogprobOptions = {}): LogprobResult {
  return tf.tidy(() => {
    const T = ids[0]?.length ?? 0;
    if (T < 2) throw new RangeError('tokenLogprobs: each row needs at least 2 ids (a context and a target)');
    const B = ids.length;
    const logits = model.forward(ids, { attentionMask: opts.attentionMask }); // [B, T, V]
    const V = logits.shape[2];
    // Position T-1 has no target: it gets id 0 and its result is dropped (cheaper than slicing [B, T, V]).
    const targets = tf.tensor1d(
      ids.flatMap((r) => [...r.slice(1), 0]),
      'int32',
    ); // [B·T]
    const both = tf.reshape(pickLogprobs(tf.reshape(logits, [B * T, V]), targets, opts.entropy === true), [B, T, 2]);
    const part = (k: number): tf.Tensor2D => tf.reshape(tf.slice(both, [0, 0, k], [B, T - 1, 1]), [B, T - 1]);
    return opts.entropy ? { logprobs: part(0), entropy: part(1) } : { logprobs: part(0) };
  });
}

/**
 * log p(target) and (when asked, else 0) the entropy of each row of logits, as one customGrad so the
 * gradient tape keeps only the logits: tfjs's own ops would keep the log-softmax, the one-hot, p and their
 * products, each [N, V] (5 × 25 MB per 128-token row at SmolLM2's 49,152-token vocabulary). The backward
 * recomputes log-softmax: d logp/dx = onehot − p, d H/dx = −p ⊙ (log p + H).
 * One-hot products instead of gather keep it free of gather (no gather gradient on wasm).
 * logits [N, V], targets int32 [N] → [N, 2] (log-prob, entropy)
 */
function pickLogprobs(logits: tf.Tensor, targets: tf.Tensor, withEntropy: boolean): tf.Tensor {
  const V = logits.shape[1] ?? 0;
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = args;
    if (!(x instanceof tf.Tensor) || typeof save !== 'function') throw new TypeError('pickLogprobs: bad customGrad arguments');
    save([x, targets]); // targets too: the caller's tidy frees its own copy before the backward runs
    const value = tf.tidy(() => {
      const lsm = tf.logSoftmax(x); // [N, V]
      const lp = tf.sum(tf.mul(lsm, oneHotF32(targets, V)), -1); // [N]
      const ent = withEntropy ? tf.neg(tf.sum(tf.mul(tf.exp(lsm), lsm), -1)) : tf.zerosLike(lp); // [N]
      return tf.stack([lp, ent], 1); // [N, 2]
    });
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [xs, ts] = saved;
          const lsm = tf.logSoftmax(xs);
          const p = tf.exp(lsm);
          const N = dy.shape[0];
          const dlp = tf.slice(dy, [0, 0], [N, 1]); // [N, 1]
          let dx = tf.mul(tf.sub(oneHotF32(ts, V), p), dlp);
          if (withEntropy) {
            const h = tf.neg(tf.sum(tf.mul(p, lsm), -1, true)); // [N, 1]
            dx = tf.sub(dx, tf.mul(tf.mul(p, tf.add(lsm, h)), tf.slice(dy, [0, 1], [N, 1])));
          }
          return [dx];
        }),
    };
  });
  return f(logits);
}

/**
 * A 0/1 loss mask [B][T-1] aligned with tokenLogprobs for right-padded rows: entry t is 1 when
 * token t+1 is a completion token (promptLens[b] <= t+1 < lengths[b]).
 */
export function lossMask(promptLens: number[], lengths: number[], T: number): number[][] {
  return promptLens.map((p, b) => Array.from({ length: T - 1 }, (_, t) => (t + 1 >= p && t + 1 < lengths[b] ? 1 : 0)));
}
