import { test, expect } from 'vitest';
import { fuzzyRatio } from '../../../src/graders/metrics/fuzzy';
import { sentenceBleu, tokenize13a } from '../../../src/graders/metrics/bleu';
import { sentenceGleu } from '../../../src/graders/metrics/gleu';
import { meteor } from '../../../src/graders/metrics/meteor';
import { METRICS } from '../../../src/graders/metrics';

test('fuzzy_match = rapidfuzz fuzz.ratio / 100', () => {
  // rapidfuzz docs (fuzz.ratio): fuzz.ratio("this is a test", "this is a test!") -> 96.55172413793103
  expect(fuzzyRatio('this is a test', 'this is a test!')).toBeCloseTo(0.9655172413793103, 12);
  // By hand: LCS("abcd", "acbd") = 3 -> 2*3/8 = 0.75.
  expect(fuzzyRatio('abcd', 'acbd')).toBe(0.75);
  // rapidfuzz: two empty strings are identical (100); one empty -> 0.
  expect(fuzzyRatio('', '')).toBe(1);
  expect(fuzzyRatio('abc', '')).toBe(0);
  // Code points, not UTF-16 units: "😀a" vs "😀b" has LCS 1 of lengths 2+2 -> 0.5.
  expect(fuzzyRatio('😀a', '😀b')).toBe(0.5);
});

// sacrebleu test/test_sentence_bleu.py (example from sacrebleu issue #98): exp smoothing, 13a -> 8.493.
const SB_REF = 'producţia de zahăr brut se exprimă în zahăr alb;';
const SB_SYS = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';

test('bleu = sacrebleu sentence_bleu / 100', () => {
  expect(Math.abs(sentenceBleu(SB_SYS, SB_REF) - 0.08493)).toBeLessThan(1e-5);
  // sacrebleu test_api_sentence_bleu_zero (issue #141): no matching n-gram -> 0.
  expect(sentenceBleu('this is a cat', 'okay thanks')).toBe(0);
  // Identical sentences -> 1 (all precisions 1, no brevity penalty).
  expect(sentenceBleu('The cat sat on the mat.', 'The cat sat on the mat.')).toBe(1);
  // By hand: hyp "the cat" vs ref "the cat sat": p1 = 2/2, p2 = 1/1, p3/p4 absent (effective order 2);
  // BP = exp(1 - 3/2) = 0.60653.
  expect(sentenceBleu('the cat', 'the cat sat')).toBeCloseTo(Math.exp(-0.5), 12);
  // By hand, exp smoothing: "a b c d" vs "a b x d": p1 = 3/4, p2 = 1/3, p3 has no match (first zero order:
  // 1 / (2 * 2 trigrams) = 1/4), p4 has none (second: 1 / (4 * 1) = 1/4); BLEU = (3/4 * 1/3 * 1/4 * 1/4)^(1/4)
  // = (1/64)^(1/4) = 0.353553.
  expect(sentenceBleu('a b c d', 'a b x d')).toBeCloseTo(Math.pow(1 / 64, 0.25), 12);
});

test('13a tokenizer splits symbols, and periods/commas except inside numbers', () => {
  expect(tokenize13a('Hello, world! It costs $3.50-4, ok.')).toEqual([
    'Hello',
    ',',
    'world',
    '!',
    'It',
    'costs',
    '$',
    '3.50',
    '-',
    '4',
    ',',
    'ok',
    '.',
  ]);
  expect(tokenize13a('a &amp; b &quot;c&quot;')).toEqual(['a', '&', 'b', '"', 'c', '"']);
});

test('gleu = nltk sentence_gleu', () => {
  // nltk gleu_score.sentence_gleu docstring.
  const ref = 'the cat is on the mat';
  expect(sentenceGleu('the the the the the the the', ref)).toBeCloseTo(0.0909, 4);
  const ref1 = 'It is a guide to action that ensures that the military will forever heed Party commands';
  const hyp1 = 'It is a guide to action which ensures that the military always obeys the commands of the party';
  const hyp2 = 'It is to insure the troops forever hearing the activity guidebook that party direct';
  expect(Math.floor(sentenceGleu(hyp1, ref1) * 1e4) / 1e4).toBe(0.4393);
  expect(Math.floor(sentenceGleu(hyp2, ref1) * 1e4) / 1e4).toBe(0.1206);
  expect(sentenceGleu('', '')).toBe(0);
});

test('meteor = nltk single_meteor_score (exact + stem stages)', () => {
  // nltk meteor_score docstring example (hypothesis1/reference1). By hand: 12 exact matches out of 18 hypothesis
  // and 16 reference words, P = 2/3, R = 3/4, Fmean = PR / (0.9P + 0.1R) = 0.74074; the alignment has 6 chunks,
  // penalty = 0.5 * (6/12)^3 = 0.0625 -> 0.74074 * 0.9375 = 0.69444. nltk's single_meteor_score docstring
  // (token-list API) shows round(..., 4) = 0.6944; the docstring of the old string API showed 0.7398.
  const hyp = 'It is a guide to action which ensures that the military always obeys the commands of the party';
  const ref = 'It is a guide to action that ensures that the military will forever heed Party commands';
  expect(meteor(hyp, ref)).toBeCloseTo(0.69444, 4);
  // nltk docstring: no word matches -> 0.
  expect(meteor('non matching hypothesis', 'this is a cat')).toBe(0);
  // Stem stage, by hand: "cats running" vs "cat runs": stems cat/cat and run/run -> m = 2, P = R = 1,
  // Fmean = 1, one chunk -> 1 - 0.5 * (1/2)^3 = 0.9375.
  expect(meteor('cats running', 'cat runs')).toBeCloseTo(0.9375, 12);
});

test('METRICS table: every metric is 1 on identical text and in [0, 1] otherwise', () => {
  const text = 'the quick brown fox jumps over the lazy dog';
  for (const [name, fn] of Object.entries(METRICS)) {
    const same = fn(text, text);
    // METEOR's fragmentation penalty keeps an identical one-chunk match just below 1: 1 - 0.5 * (1/9)^3.
    expect(same, name).toBeCloseTo(name === 'meteor' ? 1 - 0.5 / 729 : 1, 10);
    const other = fn('the quick brown fox jumps high', text);
    expect(other, name).toBeGreaterThan(0);
    expect(other, name).toBeLessThan(1);
  }
});
