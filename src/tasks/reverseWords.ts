// reverse-words: write a list of 3–5 short words in reverse order. Prompt "reverse cat dog owl:",
// answer "owl dog cat". Graded by text_similarity (fuzzy_match), so a half-right answer earns part
// of the reward: the reward is smooth rather than pass/fail.
import type { Item } from '../graders/types';
import type { Rng } from '../util/rng';
import { generateSplit } from './generate';
import type { Problem } from './generate';
import { strField } from './types';
import type { Split, Task } from './types';

const NAME = 'reverse-words';

const WORDS = [
  'cat',
  'dog',
  'owl',
  'fox',
  'bee',
  'ant',
  'elk',
  'yak',
  'cow',
  'pig',
  'hen',
  'bat',
  'ram',
  'emu',
  'eel',
  'red',
  'blue',
  'gold',
  'pink',
  'gray',
  'sun',
  'moon',
  'star',
  'rain',
  'snow',
  'wind',
  'tree',
  'leaf',
  'rock',
  'sand',
  'milk',
  'tea',
  'jam',
  'pie',
  'bun',
  'cup',
  'pen',
  'box',
  'map',
  'key',
];

function make(rng: Rng): Problem {
  const words = rng.shuffle(WORDS).slice(0, rng.range(3, 5));
  const prompt = `reverse ${words.join(' ')}:`;
  return { prompt, item: { prompt, reference_answer: words.slice().reverse().join(' '), words } };
}

export const reverseWords: Task = {
  name: NAME,
  title: 'Reverse words: partial credit',
  explanation:
    'Write the given words in reverse order: "reverse cat dog owl:" should give "owl dog cat". The grader is a ' +
    'text_similarity grader (fuzzy match) rather than an exact check, so an answer with one word out of place ' +
    'still earns most of the reward. A smooth reward gives RL a signal even before the model gets anything ' +
    'exactly right, and the groups of samples rarely all score the same. Compare the reward curve with the ' +
    'exact-match rate to see the difference.',
  items: (split: Split, n: number) => generateSplit(NAME, split, n, make),
  sftTarget: (item: Item) => strField(NAME, item, 'reference_answer'),
  defaultGrader: {
    kind: 'spec',
    spec: {
      type: 'text_similarity',
      name: 'reversed words',
      input: '{{ sample.output_text }}',
      reference: '{{ item.reference_answer }}',
      evaluation_metric: 'fuzzy_match',
    },
  },
  maxNewTokens: 28,
  model: 'cherry-reverse',
  rl: true,
};
