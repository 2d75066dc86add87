// chat-answer-tags: the answer-format lesson. A system message asks for the final answer inside
// <answer></answer>; the questions (largest number, letters in a word, next in a sequence, a word
// backwards) have one short exact answer. Graded 30% for the format and 70% for the content.
import type { GraderSpec } from '../graders/spec';
import type { Item } from '../graders/types';
import type { Rng } from '../util/rng';
import { chatProblem, CHAT_TASK_MODEL } from './chatItem';
import { generateSplit } from './generate';
import type { Problem } from './generate';
import { strField } from './types';
import type { Split, Task } from './types';

const NAME = 'chat-answer-tags';

/** The system message of every problem. */
export const ANSWER_TAGS_SYSTEM =
  'You may think briefly first. Then give only your final answer inside <answer></answer> tags, for example <answer>12</answer>.';

const WORDS = [
  'banana',
  'planet',
  'garden',
  'rocket',
  'window',
  'pencil',
  'silver',
  'orange',
  'castle',
  'jungle',
  'puzzle',
  'marble',
  'turtle',
  'candle',
  'forest',
  'bridge',
];

const QUESTIONS: ((rng: Rng) => { q: string; a: string })[] = [
  (rng) => {
    const nums = rng.shuffle(Array.from({ length: 60 }, (_, i) => i + 3)).slice(0, rng.range(3, 5));
    return { q: `Which number is the largest: ${nums.join(', ')}?`, a: String(Math.max(...nums)) };
  },
  (rng) => {
    const w = rng.pick(WORDS);
    const letter = rng.pick([...new Set(w)]);
    return {
      q: `How many times does the letter "${letter}" appear in the word "${w}"?`,
      a: String([...w].filter((c) => c === letter).length),
    };
  },
  (rng) => {
    const start = rng.range(1, 20),
      step = rng.range(2, 9);
    const seq = Array.from({ length: 4 }, (_, i) => start + i * step);
    return { q: `What number comes next: ${seq.join(', ')}, ...?`, a: String(start + 4 * step) };
  },
  (rng) => {
    const w = rng.pick(WORDS);
    return { q: `Write the word "${w}" backwards.`, a: [...w].reverse().join('') };
  },
];

function make(rng: Rng): Problem {
  const { q, a } = rng.pick(QUESTIONS)(rng);
  return chatProblem(ANSWER_TAGS_SYSTEM, q, { reference_answer: a });
}

/** Format: exactly one <answer>…</answer> pair. Content: what is inside (spaces trimmed) equals the reference. */
export const ANSWER_TAGS_GRADER: GraderSpec = {
  type: 'multi',
  name: 'answer-tags',
  graders: {
    format: {
      type: 'regex',
      name: 'one <answer> block',
      input: '{{ sample.output_text }}',
      pattern: '^(?:(?!<answer>)[\\s\\S])*<answer>(?:(?!<\\/?answer>)[\\s\\S])*<\\/answer>(?:(?!<\\/?answer>)[\\s\\S])*$',
      mode: 'full_match',
    },
    content: {
      type: 'regex',
      name: 'answer is right',
      input: '{{ sample.output_text }}',
      pattern: '<answer>\\s*([\\s\\S]*?)\\s*<\\/answer>',
      mode: 'capture',
      reference: '{{ item.reference_answer }}',
    },
  },
  calculate_output: '0.3 * format + 0.7 * content',
};

export const chatAnswerTags: Task = {
  name: NAME,
  title: 'Chat: answer inside <answer> tags',
  explanation:
    'Teaches an output format, the first thing RL usually fixes. A system message asks the model to put its final ' +
    'answer inside <answer></answer>; the questions (largest number, letter counts, next in a sequence, a word ' +
    'backwards) each have one exact answer. The grader gives 30% for exactly one answer block and 70% for the ' +
    'right content in it (the first block), so a model that already knows the answers but ignores the format ' +
    'climbs fast, and you can see the two parts separately in the per-part rewards.',
  items: (split: Split, n: number) => generateSplit(NAME, split, n, make),
  sftTarget: (item: Item) => `<answer>${strField(NAME, item, 'reference_answer')}</answer>`,
  defaultGrader: { kind: 'spec', spec: ANSWER_TAGS_GRADER },
  maxNewTokens: 128,
  model: CHAT_TASK_MODEL,
  rl: true,
  chat: true,
};
