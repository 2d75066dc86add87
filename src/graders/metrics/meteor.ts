// meteor: nltk.translate.meteor_score.single_meteor_score(reference, hypothesis) with alpha=0.9, beta=3,
// gamma=0.5, preprocess=str.lower, on whitespace-split tokens.
//
// How Cherry differs from nltk: nltk aligns words in three stages (exact, Porter stem, WordNet synonym).
// Cherry runs the first two stages exactly as nltk does (same greedy right-to-left matching, same
// stemmer with NLTK extensions) and has NO synonym stage, because WordNet cannot ship in the browser.
// Scores are identical whenever no unmatched hypothesis word is a WordNet synonym of an unmatched
// reference word; otherwise Cherry's score is lower (fewer matches) than nltk's.
import { porterStem } from './porter';
import { whitespaceTokens } from './gleu';

export interface MeteorOptions {
  /** Weight of precision vs recall in the harmonic mean (nltk default 0.9). */
  alpha: number;
  /** Shape of the fragmentation penalty (nltk default 3). */
  beta: number;
  /** Relative weight of the fragmentation penalty (nltk default 0.5). */
  gamma: number;
}

export const METEOR_DEFAULTS: MeteorOptions = { alpha: 0.9, beta: 3, gamma: 0.5 };

type Enum = [index: number, word: string];

/** nltk `_match_enums`: for each hypothesis word from the last, pairs it with the last equal reference word. */
function matchEnums(hyp: Enum[], ref: Enum[]): [number, number][] {
  const matches: [number, number][] = [];
  for (let i = hyp.length - 1; i >= 0; i--) {
    for (let j = ref.length - 1; j >= 0; j--) {
      if (hyp[i][1] === ref[j][1]) {
        matches.push([hyp[i][0], ref[j][0]]);
        hyp.splice(i, 1);
        ref.splice(j, 1);
        break;
      }
    }
  }
  return matches;
}

/** Fewest chunks of adjacent matches (matches sorted by hypothesis index). */
function countChunks(matches: [number, number][]): number {
  let chunks = 1;
  for (let i = 0; i < matches.length - 1; i++) {
    const adjacent = matches[i + 1][0] === matches[i][0] + 1 && matches[i + 1][1] === matches[i][1] + 1;
    if (!adjacent) chunks++;
  }
  return chunks;
}

/** METEOR in [0, 1] from token lists. */
export function meteorFromTokens(
  hypTokens: readonly string[],
  refTokens: readonly string[],
  opts: MeteorOptions = METEOR_DEFAULTS,
): number {
  let hyp: Enum[] = hypTokens.map((w, i) => [i, w.toLowerCase()]);
  let ref: Enum[] = refTokens.map((w, i) => [i, w.toLowerCase()]);
  const exact = matchEnums(hyp, ref);
  hyp = hyp.map(([i, w]) => [i, porterStem(w)]);
  ref = ref.map(([i, w]) => [i, porterStem(w)]);
  const stemmed = matchEnums(hyp, ref);
  const matches = [...exact, ...stemmed].sort((a, b) => a[0] - b[0]);
  const m = matches.length;
  if (m === 0 || hypTokens.length === 0 || refTokens.length === 0) return 0;
  const precision = m / hypTokens.length;
  const recall = m / refTokens.length;
  const fmean = (precision * recall) / (opts.alpha * precision + (1 - opts.alpha) * recall);
  const penalty = opts.gamma * (countChunks(matches) / m) ** opts.beta;
  return (1 - penalty) * fmean;
}

/** single_meteor_score(reference.split(), hypothesis.split()) without the WordNet stage. */
export function meteor(hypothesis: string, reference: string, opts: MeteorOptions = METEOR_DEFAULTS): number {
  return meteorFromTokens(whitespaceTokens(hypothesis), whitespaceTokens(reference), opts);
}
