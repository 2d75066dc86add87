// bleu: sacrebleu's sentence_bleu(hypothesis, [reference]) with its defaults, scaled to [0, 1]:
// tokenizer '13a' (mteval-v13a), case-sensitive, max n-gram order 4, smoothing 'exp' (NIST geometric
// sequence: the k-th zero-match order gets precision 1 / (2^k · total)), effective order (orders with no
// hypothesis n-grams are left out of the mean), brevity penalty exp(1 - r/c) when c < r.
// A hypothesis with no matching n-gram at all scores 0 (sacrebleu #141).
import { ngramCounts, overlap, total } from './ngrams';

// 13a: split off ASCII symbols other than ' , - . (ranges { - ~, [ - `, space - &, ( - +, : - @, and /).
const SYMBOLS = /([{-~\[-` -&(-+:-@\/])/g;
const PERIOD_COMMA_AFTER_NON_DIGIT = /([^0-9])([.,])/g;
const PERIOD_COMMA_BEFORE_NON_DIGIT = /([.,])([^0-9])/g;
const DASH_AFTER_DIGIT = /([0-9])(-)/g;

/** sacrebleu's TokenizerV13a: returns the tokens. */
export function tokenize13a(text: string): string[] {
  let line = text.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (line.includes('&')) {
    line = line.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  line = ` ${line} `
    .replace(SYMBOLS, ' $1 ')
    .replace(PERIOD_COMMA_AFTER_NON_DIGIT, '$1 $2 ')
    .replace(PERIOD_COMMA_BEFORE_NON_DIGIT, ' $1 $2')
    .replace(DASH_AFTER_DIGIT, '$1 $2 ');
  return line.split(/\s+/).filter((t) => t.length > 0);
}

const MAX_ORDER = 4;

/** Sentence BLEU in [0, 1] from token lists (one reference). */
export function bleuFromTokens(hyp: readonly string[], ref: readonly string[]): number {
  const correct: number[] = [];
  const totals: number[] = [];
  for (let n = 1; n <= MAX_ORDER; n++) {
    const h = ngramCounts(hyp, n);
    correct.push(overlap(h, ngramCounts(ref, n)));
    totals.push(total(h));
  }
  if (correct.every((c) => c === 0)) return 0;
  let smooth = 1;
  let logSum = 0;
  let order = 0;
  for (let n = 0; n < MAX_ORDER; n++) {
    if (totals[n] === 0) break;
    order = n + 1;
    if (correct[n] === 0) {
      smooth *= 2;
      logSum += Math.log(1 / (smooth * totals[n]));
    } else {
      logSum += Math.log(correct[n] / totals[n]);
    }
  }
  const c = hyp.length;
  const r = ref.length;
  const bp = c < r ? (c > 0 ? Math.exp(1 - r / c) : 0) : 1;
  return bp * Math.exp(logSum / order);
}

/** sacrebleu sentence_bleu(hypothesis, [reference]).score / 100. */
export function sentenceBleu(hypothesis: string, reference: string): number {
  return bleuFromTokens(tokenize13a(hypothesis), tokenize13a(reference));
}
