// rouge_1 … rouge_5 and rouge_l: the F-measure of Google's rouge-score package
// (rouge_scorer.RougeScorer([...]).score(target=reference, prediction=input)[...].fmeasure).
// Tokenizer (rouge_score/tokenize.py): lowercase, every run of characters outside [a-z0-9] becomes a
// space, split on whitespace; with the stemmer, tokens longer than 3 characters go through the Porter
// stemmer (NLTK extensions). Cherry's choice: NO stemming by default, matching RougeScorer's own default
// (use_stemmer=False); OpenAI's grader documentation does not mention stemming. `useStemmer` turns it on.
import { porterStem } from './porter';
import { fmeasure, lcsLength, ngramCounts, overlap, total } from './ngrams';

export interface RougeOptions {
  /** Porter-stem tokens longer than 3 characters (rouge-score use_stemmer). Default false. */
  useStemmer: boolean;
}

export const ROUGE_DEFAULTS: RougeOptions = { useStemmer: false };

/** rouge_score.tokenize.tokenize(text, stemmer). */
export function rougeTokenize(text: string, useStemmer = false): string[] {
  const tokens = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(/\s+/)
    .filter((t) => t.length > 0);
  return useStemmer ? tokens.map((t) => (t.length > 3 ? porterStem(t) : t)) : tokens;
}

export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

/** ROUGE-N of a prediction against a target (token lists). */
export function rougeNTokens(target: readonly string[], prediction: readonly string[], n: number): RougeScore {
  const t = ngramCounts(target, n);
  const p = ngramCounts(prediction, n);
  const hits = overlap(t, p);
  const precision = hits / Math.max(total(p), 1);
  const recall = hits / Math.max(total(t), 1);
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** ROUGE-L (sentence-level LCS) of a prediction against a target (token lists). */
export function rougeLTokens(target: readonly string[], prediction: readonly string[]): RougeScore {
  if (target.length === 0 || prediction.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const lcs = lcsLength(target, prediction);
  const precision = lcs / prediction.length;
  const recall = lcs / target.length;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** ROUGE-N scores (n = 1…9) for strings. */
export function rougeN(target: string, prediction: string, n: number, opts: RougeOptions = ROUGE_DEFAULTS): RougeScore {
  return rougeNTokens(rougeTokenize(target, opts.useStemmer), rougeTokenize(prediction, opts.useStemmer), n);
}

/** ROUGE-L scores for strings. */
export function rougeL(target: string, prediction: string, opts: RougeOptions = ROUGE_DEFAULTS): RougeScore {
  return rougeLTokens(rougeTokenize(target, opts.useStemmer), rougeTokenize(prediction, opts.useStemmer));
}
