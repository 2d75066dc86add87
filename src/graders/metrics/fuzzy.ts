// fuzzy_match: rapidfuzz `fuzz.ratio(a, b) / 100`, i.e. the normalized Indel similarity
// 1 - indel_distance / (len(a) + len(b)) = 2·LCS(a, b) / (len(a) + len(b)) over Unicode code points.
// No preprocessing (rapidfuzz >= 3 applies none by default); two empty strings score 1.
import { lcsLength } from './ngrams';

/** rapidfuzz fuzz.ratio scaled to [0, 1]. */
export function fuzzyRatio(a: string, b: string): number {
  const ca = Array.from(a);
  const cb = Array.from(b);
  const lensum = ca.length + cb.length;
  if (lensum === 0) return 1;
  return (2 * lcsLength(ca, cb)) / lensum;
}
