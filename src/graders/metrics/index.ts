// The text_similarity metrics by name (OpenAI's evaluation_metric values). Each returns a number in [0, 1].
import type { SimilarityMetric } from '../spec';
import { sentenceBleu } from './bleu';
import { fuzzyRatio } from './fuzzy';
import { sentenceGleu } from './gleu';
import { meteor } from './meteor';
import { rougeL, rougeN } from './rouge';

export { sentenceBleu, tokenize13a } from './bleu';
export { fuzzyRatio } from './fuzzy';
export { sentenceGleu } from './gleu';
export { meteor } from './meteor';
export { rougeL, rougeN, rougeTokenize } from './rouge';
export { porterStem } from './porter';

/** A metric: (input = the graded text, reference) -> score in [0, 1]. */
export type MetricFn = (input: string, reference: string) => number;

export const METRICS: Record<SimilarityMetric, MetricFn> = {
  fuzzy_match: (input, reference) => fuzzyRatio(input, reference),
  bleu: (input, reference) => sentenceBleu(input, reference),
  gleu: (input, reference) => sentenceGleu(input, reference),
  meteor: (input, reference) => meteor(input, reference),
  rouge_1: (input, reference) => rougeN(reference, input, 1).fmeasure,
  rouge_2: (input, reference) => rougeN(reference, input, 2).fmeasure,
  rouge_3: (input, reference) => rougeN(reference, input, 3).fmeasure,
  rouge_4: (input, reference) => rougeN(reference, input, 4).fmeasure,
  rouge_5: (input, reference) => rougeN(reference, input, 5).fmeasure,
  rouge_l: (input, reference) => rougeL(reference, input).fmeasure,
};

export const METRIC_NAMES = Object.keys(METRICS) as SimilarityMetric[]; // keys of a Record<SimilarityMetric, …>

/** True when `name` is one of the text_similarity metrics. */
export function isSimilarityMetric(name: string): name is SimilarityMetric {
  return Object.prototype.hasOwnProperty.call(METRICS, name);
}
