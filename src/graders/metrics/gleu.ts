// gleu: nltk.translate.gleu_score.sentence_gleu([reference], hypothesis) with min_len=1, max_len=4.
// All 1- to 4-grams of each side are counted together; GLEU = matches / max(hyp n-grams, ref n-grams)
// = min(precision, recall). Tokens are whitespace-separated and case-sensitive (nltk does no
// preprocessing; callers of nltk usually `.split()` the strings). Empty on both sides scores 0.
import { ngramCounts, overlap, total } from './ngrams';

/** Sentence GLEU in [0, 1] from token lists. */
export function gleuFromTokens(hyp: readonly string[], ref: readonly string[], minLen = 1, maxLen = 4): number {
  let tp = 0;
  let tpfp = 0;
  let tpfn = 0;
  for (let n = minLen; n <= maxLen; n++) {
    const h = ngramCounts(hyp, n);
    const r = ngramCounts(ref, n);
    tp += overlap(h, r);
    tpfp += total(h);
    tpfn += total(r);
  }
  const nAll = Math.max(tpfp, tpfn);
  return nAll === 0 ? 0 : tp / nAll;
}

export function whitespaceTokens(text: string): string[] {
  return text.split(/\s+/).filter((t) => t.length > 0);
}

/** sentence_gleu([reference.split()], hypothesis.split()). */
export function sentenceGleu(hypothesis: string, reference: string): number {
  return gleuFromTokens(whitespaceTokens(hypothesis), whitespaceTokens(reference));
}
