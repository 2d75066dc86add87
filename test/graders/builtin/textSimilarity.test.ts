import { test, expect } from 'vitest';
import { gradeText } from './helpers';
import type { TextSimilaritySpec, SimilarityMetric } from '../../../src/graders/spec';

const spec = (evaluation_metric: SimilarityMetric, pass_threshold?: number): TextSimilaritySpec => ({
  type: 'text_similarity',
  name: 'sim',
  input: '{{ sample.output_text }}',
  reference: '{{ item.reference }}',
  evaluation_metric,
  ...(pass_threshold === undefined ? {} : { pass_threshold }),
});

test('text_similarity returns the metric (published reference values)', async () => {
  // rapidfuzz docs: fuzz.ratio("this is a test", "this is a test!") = 96.55...
  const fuzzy = await gradeText(spec('fuzzy_match'), 'this is a test', { reference: 'this is a test!' });
  expect(fuzzy.reward).toBeCloseTo(0.965517, 6);
  // rouge_scorer_test.py testRouge1: score("testing one two", "testing") -> F = 1/2 (target = reference).
  const r1 = await gradeText(spec('rouge_1'), 'testing', { reference: 'testing one two' });
  expect(r1.reward).toBeCloseTo(0.5, 12);
  // rouge_scorer_test.py testRougeLNonConsecutive: F = 4/5.
  const rl = await gradeText(spec('rouge_l'), 'testing two', { reference: 'testing one two' });
  expect(rl.reward).toBeCloseTo(0.8, 12);
  // nltk sentence_gleu docstring: 0.0909...
  const gleu = await gradeText(spec('gleu'), 'the the the the the the the', { reference: 'the cat is on the mat' });
  expect(gleu.reward).toBeCloseTo(0.0909, 4);
});

test('pass_threshold never changes the score: it only marks details.passed (OpenAI semantics)', async () => {
  // Graders guide (https://platform.openai.com/docs/guides/graders): the score is the metric value;
  // pass_threshold marks pass/fail. 2*LCS/(len sum): "abcd" vs "acbd" = 6/8 = 0.75 (by hand).
  const pass = await gradeText(spec('fuzzy_match', 0.75), 'abcd', { reference: 'acbd' });
  expect(pass.reward).toBe(0.75);
  expect(pass.details).toEqual({ passed: true, pass_threshold: 0.75 });
  const fail = await gradeText(spec('fuzzy_match', 0.8), 'abcd', { reference: 'acbd' });
  expect(fail.reward).toBe(0.75);
  expect(fail.details).toEqual({ passed: false, pass_threshold: 0.8 });
});
