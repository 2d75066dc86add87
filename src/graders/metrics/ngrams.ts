// Shared helpers for the similarity metrics: n-gram counting and longest common subsequence.

/** Counts the n-grams of `tokens` (keys are the tokens joined by U+0001, which no tokenizer emits). */
export function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = n === 1 ? tokens[i] : tokens.slice(i, i + n).join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Sum over keys of min(a[k], b[k]): the clipped overlap of two multisets. */
export function overlap(a: Map<string, number>, b: Map<string, number>): number {
  let total = 0;
  for (const [k, ca] of a) {
    const cb = b.get(k);
    if (cb !== undefined) total += Math.min(ca, cb);
  }
  return total;
}

/** Total count of a multiset. */
export function total(counts: Map<string, number>): number {
  let t = 0;
  for (const c of counts.values()) t += c;
  return t;
}

/**
 * Length of the longest common subsequence of two sequences, bit-parallel (Allison-Dix / Hyyrö): one
 * bit per element of `a` in 32-bit words, O(|a|/32 · |b|) word operations. For each element c of `b`:
 * U = V & match(c); V = (V + U) | (V - U), where V - U = V & ~U because U is a subset of V. The LCS length
 * is the number of zero bits of V.
 */
export function lcsLength<T>(a: readonly T[], b: readonly T[]): number {
  const m = a.length;
  if (m === 0 || b.length === 0) return 0;
  const words = (m + 31) >>> 5;
  const match = new Map<T, Uint32Array>();
  for (let i = 0; i < m; i++) {
    let bits = match.get(a[i]);
    if (!bits) {
      bits = new Uint32Array(words);
      match.set(a[i], bits);
    }
    bits[i >>> 5] |= 1 << (i & 31);
  }
  const v = new Uint32Array(words).fill(0xffffffff);
  for (const c of b) {
    const pm = match.get(c);
    if (!pm) continue; // U = 0 leaves V unchanged
    let carry = 0;
    for (let w = 0; w < words; w++) {
      const vw = v[w];
      const u = vw & pm[w];
      const sum = vw + (u >>> 0) + carry; // exact in a double: at most 2^33
      carry = sum > 0xffffffff ? 1 : 0;
      v[w] = ((sum >>> 0) | (vw & ~u)) >>> 0;
    }
  }
  let ones = 0;
  for (let w = 0; w < words; w++) {
    let x = w === words - 1 && (m & 31) !== 0 ? v[w] & ((1 << (m & 31)) - 1) : v[w];
    while (x !== 0) {
      x &= x - 1;
      ones++;
    }
  }
  return m - ones;
}

/** 2·p·r / (p + r), or 0 when both are 0. */
export function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}
