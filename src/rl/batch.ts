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
    throw new BatchLayoutError(`starts (${starts.length}), lengths (${lengths.length}) and keep (${keep?.length}) must have one entry per row.`);
  }
  return starts.map((s, b) => {
    const n = lengths[b];
    if (!Number.isInteger(s) || s < 1) throw new BatchLayoutError(`row ${b}: completion starts at ${s}; it must start at 1 or later, after at least one prompt token.`);
    if (!Number.isInteger(n) || n < 0 || s + n - 1 > width) {
      throw new BatchLayoutError(`row ${b}: a completion of ${n} tokens from ${s} does not fit log-probs of width ${width} (ids width ${width + 1}).`);
    }
    const row = new Array<number>(width).fill(0);
    if (keep && !keep[b]) return row;
    for (let t = s - 1; t < s - 1 + n; t++) row[t] = 1;
    return row;
  });
}

/** Rows that train: a non-null reward, and not truncated when mask_truncated_completions is on. */
export function rowsToKeep(valid: readonly boolean[], truncated: readonly boolean[], maskTruncated: boolean): boolean[] {
  if (valid.length !== truncated.length) throw new BatchLayoutError(`valid (${valid.length}) and truncated (${truncated.length}) differ in length.`);
  return valid.map((v, i) => v && !(maskTruncated && truncated[i]));
}

/** DAPO dynamic sampling: indices of the groups that carry a learning signal (not zeroStd). */
export function informativeGroups(groups: readonly GroupStats[]): number[] {
  const out: number[] = [];
  groups.forEach((g, i) => { if (!g.zeroStd) out.push(i); });
  return out;
}
