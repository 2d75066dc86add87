// Pure helpers that turn a sampled batch into what the loss needs: which log-prob positions are
// completion tokens, which rows train at all, and (DAPO dynamic sampling) which groups carry signal.
//
// Layout: token ids are [B, W]; log-probs are [B, W − 1], where logp[b][t] is the log-prob of
// ids[b][t + 1] given ids[b][0..t]. A completion occupying ids[b][s .. s + n − 1] therefore occupies
// logp[b][s − 1 .. s + n − 2]. Prompts may be left-padded and completions right-padded: only `start`
// and `length` per row matter.
import type { GroupStats } from './advantages';

/** A batch layout that cannot be right (a completion outside the row, a start at 0). */
export class BatchLayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchLayoutError';
  }
}

export interface MaskSpec {
  /** Per row, the index in the token ids of the first completion token (>= 1: it needs a prefix). */
  starts: readonly number[];
  /** Per row, the number of completion tokens (including the EOS token when one was generated). */
  lengths: readonly number[];
  /** Width of the log-prob matrix, W − 1. */
  width: number;
  /** Per row, false to leave the whole row out of the loss (null reward, masked truncation). */
  keep?: readonly boolean[];
}

/** [B][width] of 0/1: 1 where a kept row's log-prob is the prediction of one of its completion tokens. */
export function completionMask(spec: MaskSpec): number[][] {
  const { starts, lengths, width, keep } = spec;
  if (lengths.length !== starts.length || (keep && keep.length !== starts.length)) {
    throw new BatchLayoutError(
      `starts (${starts.length}), lengths (${lengths.length}) and keep (${keep?.length}) must have one entry per row.`,
    );
  }
  return starts.map((s, b) => {
    const n = lengths[b];
    if (!Number.isInteger(s) || s < 1)
      throw new BatchLayoutError(`row ${b}: completion starts at ${s}; it must start at 1 or later, after at least one prompt token.`);
    if (!Number.isInteger(n) || n < 0 || s + n - 1 > width) {
      throw new BatchLayoutError(
        `row ${b}: a completion of ${n} tokens from ${s} does not fit log-probs of width ${width} (ids width ${width + 1}).`,
      );
    }
    const row = new Array<number>(width).fill(0);
    if (keep && !keep[b]) return row;
    for (let t = s - 1; t < s - 1 + n; t++) row[t] = 1;
    return row;
  });
}

/** Rows that train: a non-null reward, and not truncated when mask_truncated_completions is on. */
export function rowsToKeep(valid: readonly boolean[], truncated: readonly boolean[], maskTruncated: boolean): boolean[] {
  if (valid.length !== truncated.length)
    throw new BatchLayoutError(`valid (${valid.length}) and truncated (${truncated.length}) differ in length.`);
  return valid.map((v, i) => v && !(maskTruncated && truncated[i]));
}

/** DAPO dynamic sampling: indices of the groups that carry a learning signal (not zeroStd). */
export function informativeGroups(groups: readonly GroupStats[]): number[] {
  const out: number[] = [];
  groups.forEach((g, i) => {
    if (!g.zeroStd) out.push(i);
  });
  return out;
}

/** Prompt + completion rows packed side by side for one forward pass. */
export interface PackedBatch {
  /** [B][W] prompt ids, then completion ids, then `padId` up to the common width W. */
  ids: number[][];
  /** [B][W] 1 on real tokens, 0 on padding. */
  attentionMask: number[][];
  /** Per row, index of the first completion token (= the prompt length). */
  starts: number[];
  /** Per row, number of completion tokens. */
  lengths: number[];
}

/**
 * Packs prompts and their completions (sampled ones for RL, reference answers for SFT) into
 * right-padded rows. `bucket` rounds the width up to a multiple of itself, so the backends see only a
 * few distinct shapes (WebGPU buffer pools are keyed by size). W is at least 2 (tokenLogprobs needs a
 * context and a target). The loss mask is `completionMask({ starts, lengths, width: W − 1, keep })`.
 */
export function packSequences(
  prompts: readonly (readonly number[])[],
  completions: readonly (readonly number[])[],
  padId: number,
  bucket = 1,
): PackedBatch {
  if (prompts.length !== completions.length) {
    throw new BatchLayoutError(
      `${prompts.length} prompts but ${completions.length} completions; pass one completion per prompt row (repeat each prompt G times).`,
    );
  }
  if (!Number.isInteger(bucket) || bucket < 1) throw new BatchLayoutError(`bucket must be a positive integer, got ${bucket}.`);
  prompts.forEach((p, b) => {
    if (p.length < 1) throw new BatchLayoutError(`row ${b}: empty prompt; a prompt needs at least one token (e.g. BOS).`);
  });
  const longest = Math.max(2, ...prompts.map((p, b) => p.length + completions[b].length));
  const W = Math.ceil(longest / bucket) * bucket;
  const ids: number[][] = [],
    attentionMask: number[][] = [];
  prompts.forEach((p, b) => {
    const real = [...p, ...completions[b]];
    ids.push([...real, ...new Array<number>(W - real.length).fill(padId)]);
    attentionMask.push(Array.from({ length: W }, (_, t) => (t < real.length ? 1 : 0)));
  });
  return { ids, attentionMask, starts: prompts.map((p) => p.length), lengths: completions.map((c) => c.length) };
}
