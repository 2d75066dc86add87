// Porter stemmer with NLTK's default extensions (nltk.stem.porter.PorterStemmer(), mode NLTK_EXTENSIONS),
// which is what rouge-score (use_stemmer=True) and nltk's METEOR use.
// Reference: M. Porter, "An algorithm for suffix stripping", Program 14.3 (1980) 130-137, and the NLTK
// departures from it: an irregular-forms table, words of length <= 2 left alone, 'ies'/'ied' on
// 4-letter words, y->i only after a consonant, extra step-2 rules (alli, fulli, logi), and a 2-letter cvc.
// Input is lowercased first, as NLTK does by default.

const IRREGULAR = new Map<string, string>([
  ['sky', 'sky'],
  ['skies', 'sky'],
  ['dying', 'die'],
  ['lying', 'lie'],
  ['tying', 'tie'],
  ['news', 'news'],
  ['innings', 'inning'],
  ['inning', 'inning'],
  ['outings', 'outing'],
  ['outing', 'outing'],
  ['cannings', 'canning'],
  ['canning', 'canning'],
  ['howe', 'howe'],
  ['proceed', 'proceed'],
  ['exceed', 'exceed'],
  ['succeed', 'succeed'],
]);

function isConsonant(w: string, i: number): boolean {
  const c = w[i];
  if (c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u') return false;
  if (c === 'y') return i === 0 ? true : !isConsonant(w, i - 1);
  return true;
}

/** m: the number of VC sequences in [C](VC)^m[V]. */
function measure(stem: string): number {
  let m = 0;
  let prevVowel = false;
  for (let i = 0; i < stem.length; i++) {
    const cons = isConsonant(stem, i);
    if (cons && prevVowel) m++;
    prevVowel = !cons;
  }
  return m;
}

const positive = (stem: string): boolean => measure(stem) > 0;
const gt1 = (stem: string): boolean => measure(stem) > 1;

function containsVowel(stem: string): boolean {
  for (let i = 0; i < stem.length; i++) if (!isConsonant(stem, i)) return true;
  return false;
}

function endsDoubleConsonant(w: string): boolean {
  return w.length >= 2 && w[w.length - 1] === w[w.length - 2] && isConsonant(w, w.length - 1);
}

function endsCvc(w: string): boolean {
  const n = w.length;
  if (n >= 3 && isConsonant(w, n - 3) && !isConsonant(w, n - 2) && isConsonant(w, n - 1) && !'wxy'.includes(w[n - 1])) return true;
  return n === 2 && !isConsonant(w, 0) && isConsonant(w, 1);
}

/** [suffix, replacement, condition on the stem left after removing the suffix]. */
type Rule = [string, string, ((stem: string) => boolean) | null];

/** Applies the first rule whose suffix matches (even if its condition then fails: NLTK semantics). */
function applyRules(word: string, rules: Rule[]): string {
  for (const [suffix, repl, cond] of rules) {
    if (word.endsWith(suffix)) {
      const stem = word.slice(0, word.length - suffix.length);
      return cond === null || cond(stem) ? stem + repl : word;
    }
  }
  return word;
}

function step1a(w: string): string {
  if (w.endsWith('ies') && w.length === 4) return w.slice(0, -3) + 'ie';
  return applyRules(w, [
    ['sses', 'ss', null],
    ['ies', 'i', null],
    ['ss', 'ss', null],
    ['s', '', null],
  ]);
}

function step1b(w: string): string {
  if (w.endsWith('ied')) return w.length === 4 ? w.slice(0, -3) + 'ie' : w.slice(0, -3) + 'i';
  if (w.endsWith('eed')) {
    const stem = w.slice(0, -3);
    return measure(stem) > 0 ? stem + 'ee' : w;
  }
  let stem: string | null = null;
  for (const suffix of ['ed', 'ing']) {
    if (w.endsWith(suffix)) {
      const s = w.slice(0, w.length - suffix.length);
      if (containsVowel(s)) stem = s;
      break;
    }
  }
  if (stem === null) return w;
  if (stem.endsWith('at') || stem.endsWith('bl') || stem.endsWith('iz')) return stem + 'e';
  if (endsDoubleConsonant(stem)) return 'lsz'.includes(stem[stem.length - 1]) ? stem : stem.slice(0, -1);
  return measure(stem) === 1 && endsCvc(stem) ? stem + 'e' : stem;
}

function step1c(w: string): string {
  if (w.endsWith('y')) {
    const stem = w.slice(0, -1);
    if (stem.length > 1 && isConsonant(stem, stem.length - 1)) return stem + 'i';
  }
  return w;
}

const STEP2: Rule[] = [
  ['ational', 'ate', positive],
  ['tional', 'tion', positive],
  ['enci', 'ence', positive],
  ['anci', 'ance', positive],
  ['izer', 'ize', positive],
  ['bli', 'ble', positive],
  ['alli', 'al', positive],
  ['entli', 'ent', positive],
  ['eli', 'e', positive],
  ['ousli', 'ous', positive],
  ['ization', 'ize', positive],
  ['ation', 'ate', positive],
  ['ator', 'ate', positive],
  ['alism', 'al', positive],
  ['iveness', 'ive', positive],
  ['fulness', 'ful', positive],
  ['ousness', 'ous', positive],
  ['aliti', 'al', positive],
  ['iviti', 'ive', positive],
  ['biliti', 'ble', positive],
  ['fulli', 'ful', positive],
];

function step2(w: string): string {
  if (w.endsWith('alli') && positive(w.slice(0, -4))) return step2(w.slice(0, -4) + 'al');
  // 'logi' -> 'log' keeps the 'l' with the stem for the measure test (NLTK extension).
  const rules: Rule[] = [...STEP2, ['logi', 'log', () => positive(w.slice(0, -3))]];
  return applyRules(w, rules);
}

const STEP3: Rule[] = [
  ['icate', 'ic', positive],
  ['ative', '', positive],
  ['alize', 'al', positive],
  ['iciti', 'ic', positive],
  ['ical', 'ic', positive],
  ['ful', '', positive],
  ['ness', '', positive],
];

const STEP4: Rule[] = [
  ['al', '', gt1],
  ['ance', '', gt1],
  ['ence', '', gt1],
  ['er', '', gt1],
  ['ic', '', gt1],
  ['able', '', gt1],
  ['ible', '', gt1],
  ['ant', '', gt1],
  ['ement', '', gt1],
  ['ment', '', gt1],
  ['ent', '', gt1],
  ['ion', '', (s) => gt1(s) && (s.endsWith('s') || s.endsWith('t'))],
  ['ou', '', gt1],
  ['ism', '', gt1],
  ['ate', '', gt1],
  ['iti', '', gt1],
  ['ous', '', gt1],
  ['ive', '', gt1],
  ['ize', '', gt1],
];

function step5a(w: string): string {
  if (!w.endsWith('e')) return w;
  const stem = w.slice(0, -1);
  const m = measure(stem);
  return m > 1 || (m === 1 && !endsCvc(stem)) ? stem : w;
}

function step5b(w: string): string {
  return w.endsWith('ll') && measure(w.slice(0, -1)) > 1 ? w.slice(0, -1) : w;
}

// Stems repeat a lot across a step's samples (METEOR and stemmed ROUGE call this per word): memoize, bounded.
const CACHE = new Map<string, string>();
const CACHE_LIMIT = 50_000;

/** Stems one word like nltk's PorterStemmer().stem(word). */
export function porterStem(word: string): string {
  const hit = CACHE.get(word);
  if (hit !== undefined) return hit;
  if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
  const stem = stemUncached(word);
  CACHE.set(word, stem);
  return stem;
}

function stemUncached(word: string): string {
  const w = word.toLowerCase();
  const irregular = IRREGULAR.get(w);
  if (irregular !== undefined) return irregular;
  if (w.length <= 2) return w;
  return step5b(step5a(applyRules(applyRules(step2(step1c(step1b(step1a(w)))), STEP3), STEP4)));
}
