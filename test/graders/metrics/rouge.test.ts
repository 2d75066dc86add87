import { test, expect } from 'vitest';
import { rougeL, rougeN, rougeTokenize } from '../../../src/graders/metrics/rouge';

// google-research/rouge rouge_scorer_test.py: small cases (score(target, prediction)).
test('rouge-score unit cases', () => {
  expect(rougeN('testing one two', 'testing', 1)).toEqual({ precision: 1, recall: 1 / 3, fmeasure: 0.5 });
  const r2 = rougeN('testing one two', 'testing one', 2);
  expect(r2.precision).toBeCloseTo(1, 12);
  expect(r2.recall).toBeCloseTo(1 / 2, 12);
  expect(r2.fmeasure).toBeCloseTo(2 / 3, 12);
  expect(rougeL('testing one two', 'testing two').fmeasure).toBeCloseTo(4 / 5, 12);
  expect(rougeL('testing one two', 'testing one').fmeasure).toBeCloseTo(4 / 5, 12);
  for (const s of [rougeN('testing one two', '', 1), rougeN('testing one two', '', 2), rougeL('testing one two', '')]) {
    expect(s.fmeasure).toBe(0);
  }
});

// rouge/testdata/target.txt and prediction.txt, lines 0 and 1 (random strings built to exercise the tokenizer
// and the stemmer), with the expected values that rouge_scorer_test.py takes from ROUGE-1.5.5.
const TARGETS = [
  "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L\n",
  "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN\n",
];
const PREDICTIONS = [
  "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxi\n",
  "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD\n",
];

test('rouge-score against ROUGE-1.5.5 (rouge_scorer_test.py), without stemming', () => {
  const r1a = rougeN(TARGETS[0], PREDICTIONS[0], 1);
  expect(r1a.recall).toBeCloseTo(0.40741, 5);
  expect(r1a.precision).toBeCloseTo(0.6875, 5);
  expect(r1a.fmeasure).toBeCloseTo(0.51163, 5);
  expect(rougeN(TARGETS[1], PREDICTIONS[1], 1).fmeasure).toBeCloseTo(0.5, 5);
  const r2a = rougeN(TARGETS[0], PREDICTIONS[0], 2);
  expect(r2a.recall).toBeCloseTo(0.30769, 5);
  expect(r2a.precision).toBeCloseTo(0.53333, 5);
  expect(r2a.fmeasure).toBeCloseTo(0.39024, 5);
  expect(rougeN(TARGETS[1], PREDICTIONS[1], 2).fmeasure).toBeCloseTo(0.36364, 5);
  expect(rougeL(TARGETS[0], PREDICTIONS[0]).fmeasure).toBeCloseTo(0.51163, 5);
  const l1 = rougeL(TARGETS[1], PREDICTIONS[1]);
  expect(l1.recall).toBeCloseTo(0.40476, 5);
  expect(l1.precision).toBeCloseTo(0.65385, 5);
  expect(l1.fmeasure).toBeCloseTo(0.5, 5);
});

test('rouge-score against ROUGE-1.5.5 with the Porter stemmer', () => {
  const stem = { useStemmer: true };
  expect(rougeN(TARGETS[0], PREDICTIONS[0], 1, stem).fmeasure).toBeCloseTo(0.51163, 5);
  const r1b = rougeN(TARGETS[1], PREDICTIONS[1], 1, stem);
  expect(r1b.recall).toBeCloseTo(0.42857, 5);
  expect(r1b.precision).toBeCloseTo(0.69231, 5);
  expect(r1b.fmeasure).toBeCloseTo(0.52941, 5);
  expect(rougeN(TARGETS[1], PREDICTIONS[1], 2, stem).fmeasure).toBeCloseTo(0.36364, 5);
});

test('rouge tokenizer lowercases, drops non-alphanumerics, stems only tokens longer than 3', () => {
  expect(rougeTokenize("Hello, World! It's 42.")).toEqual(['hello', 'world', 'it', 's', '42']);
  expect(rougeTokenize('Running cats ran', true)).toEqual(['run', 'cat', 'ran']);
});
