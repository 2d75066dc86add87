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
    const logits = model.forward(ids, { attentionMask: opts.attentionMask }); // [B, T, V]
    const V = logits.shape[2];
    const lp = tf.logSoftmax(tf.slice(logits, [0, 0, 0], [-1, T - 1, -1])); // [B, T-1, V]
    const targets = tf.tensor2d(ids.map((r) => r.slice(1)), undefined, 'int32'); // [B, T-1]
    // Picking with a one-hot product keeps the gradient free of gather (no gather gradient on wasm).
    const logprobs = tf.sum(tf.mul(lp, oneHotF32(targets, V)), -1) as tf.Tensor2D; // rank cast: tfjs ops are typed Tensor<Rank>
    if (!opts.entropy) return { logprobs };
    const entropy = tf.neg(tf.sum(tf.mul(tf.exp(lp), lp), -1)) as tf.Tensor2D; // rank cast: tfjs ops are typed Tensor<Rank>
    return { logprobs, entropy };
  });
}

/**
 * A 0/1 loss mask [B][T-1] aligned with tokenLogprobs for right-padded rows: entry t is 1 when
 * token t+1 is a completion token (promptLens[b] <= t+1 < lengths[b]).
 */
export function lossMask(promptLens: number[], lengths: number[], T: number): number[][] {
  return promptLens.map((p, b) => Array.from({ length: T - 1 }, (_, t) => (t + 1 >= p && t + 1 < lengths[b] ? 1 : 0)));
}
