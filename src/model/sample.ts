// Batched generation with a KV cache, and next-token sampling on device.
// Only the sampled ids ([B] int32) are read back per token, never the vocabulary.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../util/rng';
import { KVCache } from './kvcache';
import { MASKED, trainingMask, type Llama } from './llama';
import { oneHotF32 } from './ops';

export interface SampleOptions {
  /** Most tokens to generate per row (the EOS/stop token included). */
  maxNewTokens: number;
  /** Softmax temperature; 0 = greedy (argmax). Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens; 0 or absent = no limit. */
  topK?: number;
  /** Nucleus sampling: keep the smallest set of tokens whose probability reaches p; 1 or absent = off. */
  topP?: number;
  /** Seed of the sampling RNG: same seed, model and prompts → same output. Default 0. */
  seed?: number;
  /** Ids that end a row (kept as its last generated id). Default: the model config's eos ids. */
  eosIds?: number[];
  /** Strings that end a row once decode(generated ids) contains one; needs `decode`. */
  stop?: string[];
  /** Turns a row's generated ids into text, for `stop`. */
  decode?: (ids: number[]) => string;
  /** Default true. false recomputes the whole forward pass for every token (for benchmarks). */
  useKVCache?: boolean;
}

export type FinishReason = 'stop' | 'length';

export interface GenerateResult {
  /** Generated ids only (no prompt), per row; ends with the EOS id when that stopped the row. */
  ids: number[][];
  /** 'stop' for an EOS id or a stop string, 'length' when maxNewTokens ran out. */
  finishReasons: FinishReason[];
}

/**
 * Next ids from last-position logits [B, V] → int32 [B]. `u` holds one uniform number in [0, 1) per
 * row (ignored when greedy): the id is the first whose cumulative probability exceeds u.
 */
export function sampleLogits(logits: tf.Tensor2D, u: number[], opts: Pick<SampleOptions, 'temperature' | 'topK' | 'topP'>): tf.Tensor1D {
  return tf.tidy(() => {
    const temp = opts.temperature ?? 1;
    if (temp === 0) return tf.cast(tf.argMax(logits, -1), 'int32') as tf.Tensor1D; // rank cast: tfjs ops are typed Tensor<Rank>
    const V = logits.shape[1];
    let x: tf.Tensor = tf.div(logits, temp);
    const masked = tf.fill(x.shape, MASKED);
    const k = opts.topK ?? 0;
    if (k > 0 && k < V) {
      const kth = tf.slice(tf.topk(x, k).values, [0, k - 1], [-1, 1]); // [B, 1]
      x = tf.where(tf.less(x, kth), masked, x);
    }
    const p = opts.topP ?? 1;
    if (p < 1) {
      const sorted = tf.topk(x, V).values; // [B, V] descending
      const probs = tf.softmax(sorted);
      const before = tf.sub(tf.cumsum(probs, 1), probs); // mass strictly before each token
      const nKeep = tf.sum(tf.cast(tf.less(before, p), 'int32'), -1); // >= 1
      const last = tf.sum(tf.mul(sorted, oneHotF32(tf.sub(nKeep, 1), V)), -1, true); // [B, 1]
      x = tf.where(tf.less(x, last), masked, x);
    }
    const cdf = tf.cumsum(tf.softmax(x), 1); // [B, V]
    // Scale u by the row's total so rounding (total slightly under 1) can never pick a masked tail id.
    const total = tf.slice(cdf, [0, V - 1], [-1, 1]); // [B, 1]
    const below = tf.sum(tf.cast(tf.less(cdf, tf.mul(tf.tensor2d(u, [u.length, 1]), total)), 'int32'), -1);
    return tf.minimum(below, tf.scalar(V - 1, 'int32')) as tf.Tensor1D; // rank cast: tfjs ops are typed Tensor<Rank>
  });
}

/** Switches for benchmarks (scripts/benchLevers.ts) comparing a lever with the plain path. */
export const sampleSettings = {
  /** true: identical prompts are prefilled once and their KV-cache rows copied; false: every row prefilled. */
  sharePrefill: true,
};

/** The distinct prompts (index of each one's first row) and, per row, the index of its distinct prompt. */
export function promptGroups(prompts: readonly (readonly number[])[]): { first: number[]; of: number[] } {
  const seen = new Map<string, number>();
  const first: number[] = [];
  const of = prompts.map((p, b) => {
    const key = p.join(',');
    let u = seen.get(key);
    if (u === undefined) {
      u = first.length;
      seen.set(key, u);
      first.push(b);
    }
    return u;
  });
  return { first, of };
}

/** Last-position logits of one step, [B, V]. */
function lastLogits(model: Llama, h: tf.Tensor3D): tf.Tensor2D {
  const [B, T, D] = h.shape;
  const lastH = tf.slice(h, [0, T - 1, 0], [B, 1, D]);
  return tf.reshape(model.logits(lastH), [B, -1]) as tf.Tensor2D; // rank cast: tfjs ops are typed Tensor<Rank>
}

/**
 * Generates up to opts.maxNewTokens ids after each prompt (prompts may differ in length; they are
 * left-padded internally). Rows that hit an EOS id or a stop string stop growing. Leaves no tensors.
 */
export async function generate(model: Llama, prompts: number[][], opts: SampleOptions): Promise<GenerateResult> {
  const B = prompts.length;
  if (B === 0) return { ids: [], finishReasons: [] };
  if (prompts.some((p) => p.length === 0)) throw new RangeError('generate: every prompt needs at least one id (e.g. BOS)');
  const V = model.config.vocabSize;
  for (const p of prompts)
    for (const id of p)
      if (!Number.isInteger(id) || id < 0 || id >= V) throw new RangeError(`generate: prompt id ${id} is outside the vocabulary [0, ${V})`);
  const P = Math.max(...prompts.map((p) => p.length));
  const total = P + opts.maxNewTokens;
  if (total > model.config.maxPositionEmbeddings) {
    throw new RangeError(
      `generate: prompt (${P}) + maxNewTokens (${opts.maxNewTokens}) = ${total} exceeds the model's max_position_embeddings (${model.config.maxPositionEmbeddings})`,
    );
  }
  const rng = new Rng(opts.seed ?? 0);
  const eos = new Set(opts.eosIds ?? model.config.eosTokenIds);
  const leftPad = prompts.map((p) => P - p.length);
  const rows = prompts.map((p, b) => [...Array<number>(leftPad[b]).fill(0), ...p]);
  const out: number[][] = prompts.map(() => []);
  const reasons: FinishReason[] = prompts.map(() => 'length');
  const done = prompts.map(() => false);
  const useCache = opts.useKVCache ?? true;
  // Identical prompts (a GRPO group's G samples) are prefilled once and their cache rows copied.
  const groups = promptGroups(prompts);
  const share = useCache && sampleSettings.sharePrefill && groups.first.length < B;
  let cache = useCache ? new KVCache(model.config, share ? groups.first.map((i) => leftPad[i]) : leftPad) : null;
  try {
    let fresh = rows; // ids to feed this step: the padded prompts, then one id per row
    for (let step = 0; step < opts.maxNewTokens; step++) {
      const u = prompts.map(() => rng.next());
      const pos = step === 0 ? 0 : P + step - 1; // slot of fresh[.][0]
      const prefillShared = step === 0 && share;
      const next = tf.tidy(() => {
        let logits: tf.Tensor2D;
        if (cache) {
          const feed = prefillShared ? groups.first.map((i) => rows[i]) : fresh; // [U or B][T]
          const T = feed[0].length;
          const r = model.stack({
            ids: tf.tensor2d(feed, undefined, 'int32'),
            positions: cache.positions(pos, T),
            mask: cache.mask(pos, T),
            cache: { layers: cache.layers, writePos: pos },
          });
          cache.update(r.kv);
          logits = lastLogits(model, r.h);
          if (prefillShared) logits = tf.gather(logits, groups.of); // [U, V] → [B, V]
        } else {
          const am = rows.map((r, b) => r.map((_, t) => (t < leftPad[b] ? 0 : 1)));
          const { positions, mask } = trainingMask(rows, am);
          logits = lastLogits(model, model.stack({ ids: tf.tensor2d(rows, undefined, 'int32'), positions, mask }).h);
        }
        return sampleLogits(logits, u, opts);
      });
      if (prefillShared && cache) {
        const perRow = cache.expand(model.config, groups.of);
        cache.dispose();
        cache = perRow;
      }
      const ids = Array.from(await next.data());
      next.dispose();
      for (let b = 0; b < B; b++) {
        rows[b].push(ids[b]);
        if (done[b]) continue;
        out[b].push(ids[b]);
        if (eos.has(ids[b])) {
          done[b] = true;
          reasons[b] = 'stop';
          continue;
        }
        if (opts.stop && opts.stop.length > 0 && opts.decode) {
          const text = opts.decode(out[b]);
          if (opts.stop.some((s) => s.length > 0 && text.includes(s))) {
            done[b] = true;
            reasons[b] = 'stop';
          }
        }
      }
      if (done.every(Boolean)) break;
      fresh = ids.map((id) => [id]);
    }
  } finally {
    cache?.dispose();
  }
  return { ids: out, finishReasons: reasons };
}
