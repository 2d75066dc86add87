// chat-word-problems: short arithmetic word problems for a small instruct model, answered with a final
// line "Answer: N". Four story shapes (buy and give away, boxes, pages per day, fair shares), numbers
// small enough that a 135M–1B model is sometimes right, which is what RL needs.
import type { Item } from '../graders/types';
import type { Rng } from '../util/rng';
import { chatProblem, CHAT_TASK_MODEL } from './chatItem';
import { generateSplit } from './generate';
import type { Problem } from './generate';
import { intField, strField } from './types';
import type { Split, Task } from './types';

const NAME = 'chat-word-problems';
const PEOPLE = ['Mia', 'Leo', 'Ava', 'Noah', 'Zoe', 'Omar', 'Lena', 'Ravi', 'Ines', 'Tom', 'Yuki', 'Sam'];
const THINGS = ['apples', 'stickers', 'marbles', 'pencils', 'cookies', 'stamps', 'shells', 'cards'];

/** The instruction every problem ends with. */
export const ANSWER_LINE_INSTRUCTION = 'Solve the problem. End your reply with a last line of the form "Answer: <number>".';

interface Story {
  text: string;
  work: string;
  answer: number;
}

const STORIES: ((rng: Rng) => Story)[] = [
  (rng) => {
    const [p, q] = rng.shuffle(PEOPLE.slice()).slice(0, 2);
    const thing = rng.pick(THINGS);
    const a = rng.range(5, 40),
      b = rng.range(2, 30),
      c = rng.range(1, a);
    return {
      text: `${p} has ${a} ${thing}. ${p} buys ${b} more and then gives ${c} to ${q}. How many ${thing} does ${p} have now?`,
      work: `${a} + ${b} - ${c} = ${a + b - c}`,
      answer: a + b - c,
    };
  },
  (rng) => {
    const thing = rng.pick(THINGS);
    const a = rng.range(3, 12),
      b = rng.range(2, 9);
    return { text: `A box holds ${a} ${thing}. How many ${thing} are in ${b} full boxes?`, work: `${a} × ${b} = ${a * b}`, answer: a * b };
  },
  (rng) => {
    const p = rng.pick(PEOPLE);
    const a = rng.range(5, 30),
      b = rng.range(2, 7),
      c = rng.range(1, 20);
    return {
      text: `${p} reads ${a} pages every day for ${b} days, then ${c} more pages. How many pages did ${p} read in total?`,
      work: `${a} × ${b} + ${c} = ${a * b + c}`,
      answer: a * b + c,
    };
  },
  (rng) => {
    const thing = rng.pick(THINGS);
    const k = rng.range(2, 12),
      n = rng.range(2, 8);
    return {
      text: `${k * n} ${thing} are shared equally among ${n} friends. How many ${thing} does each friend get?`,
      work: `${k * n} ÷ ${n} = ${k}`,
      answer: k,
    };
  },
];

function make(rng: Rng): Problem {
  const s = rng.pick(STORIES)(rng);
  return chatProblem(null, `${s.text}\n${ANSWER_LINE_INSTRUCTION}`, { reference_answer: String(s.answer), answer: s.answer, work: s.work });
}

const GRADER = `// Word problems: the reply must end with a line "Answer: N" holding the right number.
// 1: that line is there and N is right (commas in N, like 1,200, are allowed).
// 0.5: no such line, but the last number in the reply is right (right maths, wrong format).
// 0: otherwise.
function grade(sample, item) {
  const text = sample.output_text.trim();
  const want = Number(item.reference_answer);
  const line = text.match(/Answer:\\s*\\**\\s*(-?[\\d,]*\\.?\\d+)\\s*\\**\\s*$/i);
  if (line) return Number(line[1].replace(/,/g, '')) === want ? 1 : 0;
  const numbers = text.match(/-?\\d[\\d,]*(?:\\.\\d+)?/g);
  if (!numbers) return 0;
  return Number(numbers[numbers.length - 1].replace(/,/g, '')) === want ? 0.5 : 0;
}
`;

export const chatWordProblems: Task = {
  name: NAME,
  title: 'Chat: arithmetic word problems',
  explanation:
    'Short word problems (buying and giving away, boxes, pages per day, fair shares) that a small instruct model ' +
    'solves only some of the time, which is exactly where reinforcement learning helps: the grader rewards the ' +
    'right number, so tries that reason correctly are reinforced. The reply must end with "Answer: N": a right ' +
    'number without that line earns half, so you can watch the model learn the format and the maths separately. ' +
    "Each prompt goes through the model's own chat template.",
  items: (split: Split, n: number) => generateSplit(NAME, split, n, make),
  sftTarget(item: Item): string {
    return `${strField(NAME, item, 'work')}\nAnswer: ${intField(NAME, item, 'answer')}`;
  },
  defaultGrader: { kind: 'js', code: GRADER, name: 'final "Answer: N" line is right' },
  maxNewTokens: 192,
  model: CHAT_TASK_MODEL,
  rl: true,
  chat: true,
};
