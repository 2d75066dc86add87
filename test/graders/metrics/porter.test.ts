import { test, expect } from 'vitest';
import { porterStem } from '../../../src/graders/metrics/porter';

test("Porter stemmer (NLTK extensions) matches nltk's documented examples", () => {
  // Source: nltk howto "stem.doctest" (PorterStemmer, default NLTK_EXTENSIONS mode):
  // plurals = ['caresses', 'flies', 'dies', 'mules', 'denied', 'died', 'agreed', 'owned', 'humbled', 'sized',
  //   'meeting', 'stating', 'siezing', 'itemization', 'sensational', 'traditional', 'reference', 'colonizer',
  //   'plotted'] -> 'caress fli die mule deni die agre own humbl size meet state siez item sensat tradit refer
  //   colon plot'
  const words = [
    'caresses',
    'flies',
    'dies',
    'mules',
    'denied',
    'died',
    'agreed',
    'owned',
    'humbled',
    'sized',
    'meeting',
    'stating',
    'siezing',
    'itemization',
    'sensational',
    'traditional',
    'reference',
    'colonizer',
    'plotted',
  ];
  expect(words.map(porterStem).join(' ')).toBe(
    'caress fli die mule deni die agre own humbl size meet state siez item sensat tradit refer colon plot',
  );
});

test('Porter stemmer: step examples from Porter (1980) carried through all steps, by hand', () => {
  // Paper step-1 examples; the later steps leave these unchanged (checked by hand: no step 2-5 suffix applies,
  // except 'happy' -> 'happi' (1c) and 'hopping' -> 'hop' (1b, double consonant)).
  expect(porterStem('ponies')).toBe('poni');
  expect(porterStem('cats')).toBe('cat');
  expect(porterStem('hopping')).toBe('hop');
  expect(porterStem('falling')).toBe('fall');
  expect(porterStem('filing')).toBe('file');
  expect(porterStem('happy')).toBe('happi');
  // NLTK departures: irregular forms, words of <= 2 letters untouched, 4-letter 'ies', y after a vowel.
  expect(porterStem('dying')).toBe('die');
  expect(porterStem('skies')).toBe('sky');
  expect(porterStem('is')).toBe('is');
  expect(porterStem('ties')).toBe('tie');
  expect(porterStem('enjoy')).toBe('enjoy');
  // Step 2 + 4 by hand: 'relational' -ational->-ate 'relate' (m('rel')=1>0); step 4 '-ate' needs m>1: m('rel')=1 -> keep;
  // step 5a: 'relate' -> stem 'relat' m=2>1 -> 'relat'.
  expect(porterStem('relational')).toBe('relat');
  // 'generously': 1c y -> i ('generousli'), step 2 -ousli -> -ous (m('gener') = 2), step 4 -ous (m = 2 > 1).
  expect(porterStem('generously')).toBe('gener');
  // 'running': -ing -> 'runn', double n -> 'run'.
  expect(porterStem('running')).toBe('run');
  // Uppercase is folded like nltk's default to_lowercase=True.
  expect(porterStem('Running')).toBe('run');
  // An Object.prototype key must not be mistaken for an irregular form.
  expect(porterStem('constructor')).toBe('constructor');
});
