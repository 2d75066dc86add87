// arithmetic: 2–3 digit addition and subtraction, prompt "56+78=", answer "134".
//
// The SFT labels follow a SYSTEMATIC wrong rule on one class of problems, on purpose: in an addition
// whose tens column carries into the hundreds ((a mod 100) + (b mod 100) >= 100), the label drops
// that carry (labels a + b - 100, e.g. "56+78=" -> "34") in 65% of the class, chosen per problem by
// a hash of the prompt. The wrong answer is then the majority label of the class, so an SFT model's
// most likely answer there is wrong (under greedy decoding too), while the 35% correct labels keep
// the class learnable. The exact-answer grader knows the truth, so RFT can go past the labels.
// (Random label noise would not do: greedy decoding removes it. See DESIGN.md, Teaching notes.)
import type { Item } from '../graders/types';
import type { Rng } from '../util/rng';
import { generateSplit, unitHash } from './generate';
import type { Problem } from './generate';
import { intField, strField, TaskItemError } from './types';
import type { Split, Task } from './types';

const NAME = 'arithmetic';

/** Fraction of the carry class whose SFT label drops the carry. */
export const ARITHMETIC_WRONG_RATE = 0.65;
/** Fraction of problems that are additions (the rest are subtractions a - b with a >= b). */
export const ADDITION_FRACTION = 0.7;

function operand(rng: Rng): number {
  return rng.int(2) === 0 ? rng.range(10, 99) : rng.range(100, 999);
}

function make(rng: Rng): Problem {
  const op = rng.next() < ADDITION_FRACTION ? '+' : '-';
  let a = operand(rng);
  let b = operand(rng);
  if (op === '-' && a < b) [a, b] = [b, a];
  const prompt = `${a}${op}${b}=`;
  const answer = op === '+' ? a + b : a - b;
  return { prompt, item: { prompt, reference_answer: String(answer), a, b, op } };
}

function operands(item: Item): { a: number; b: number; op: '+' | '-' } {
  const a = intField(NAME, item, 'a');
  const b = intField(NAME, item, 'b');
  const op = strField(NAME, item, 'op');
  if (op !== '+' && op !== '-') throw new TaskItemError(NAME, 'op', '"+" or "-"', item);
  return { a, b, op };
}

/** Whether the item is in the mislabelled class: an addition whose tens column carries into the hundreds. */
export function hasTensCarry(item: Item): boolean {
  const { a, b, op } = operands(item);
  return op === '+' && (a % 100) + (b % 100) >= 100;
}

/** Whether the item's SFT label is the wrong (carry-dropped) answer. */
export function isMislabelled(item: Item): boolean {
  return hasTensCarry(item) && unitHash('carry-noise', strField(NAME, item, 'prompt')) < ARITHMETIC_WRONG_RATE;
}

/** How often the SFT labels are right: overall, inside the carry class, outside it; and the class size. */
export interface LabelAccuracy {
  /** Fraction of items whose SFT label equals the reference answer. */
  overall: number;
  /** Same, over items with a tens carry (about 1 - ARITHMETIC_WRONG_RATE). */
  carryClass: number;
  /** Same, over the other items (always 1). */
  other: number;
  /** Fraction of items in the carry class. */
  classFraction: number;
}

/** Measures the SFT label accuracy on a set of arithmetic items (e.g. the train split). */
export function arithmeticLabelAccuracy(items: readonly Item[]): LabelAccuracy {
  let right = 0,
    inClass = 0,
    rightIn = 0;
  for (const it of items) {
    const ok = arithmetic.sftTarget(it) === strField(NAME, it, 'reference_answer');
    if (ok) right++;
    if (hasTensCarry(it)) {
      inClass++;
      if (ok) rightIn++;
    }
  }
  const n = items.length;
  const out = n - inClass;
  return {
    overall: n ? right / n : 0,
    carryClass: inClass ? rightIn / inClass : 0,
    other: out ? (right - rightIn) / out : 0,
    classFraction: n ? inClass / n : 0,
  };
}

const GRADER = `// Exact answer: the completion, without surrounding spaces, must be the reference number.
function grade(sample, item) {
  return sample.output_text.trim() === String(item.reference_answer) ? 1 : 0;
}
`;

export const arithmetic: Task = {
  name: NAME,
  title: 'Arithmetic: SFT is capped by its labels',
  explanation:
    'Add or subtract 2–3 digit numbers: "56+78=" should give "134". The model was fine-tuned (SFT) on labels ' +
    'that follow a consistent wrong rule: when the tens column carries into the hundreds, about two thirds of ' +
    'the labels drop that carry ("56+78=" labelled "34"). Imitating those labels caps the model near their ' +
    'accuracy, even with greedy decoding, because the wrong answer is the majority label for that kind of ' +
    'problem. The grader checks the true answer, so reinforcement fine-tuning rewards the correct tries and ' +
    'can go past the labels: watch the "carry" line of "Validation reward by class".',
  items: (split: Split, n: number) => generateSplit(NAME, split, n, make),
  sftTarget(item: Item): string {
    const { a, b } = operands(item);
    return isMislabelled(item) ? String(a + b - 100) : strField(NAME, item, 'reference_answer');
  },
  defaultGrader: { kind: 'js', code: GRADER, name: 'exact answer' },
  maxNewTokens: 6,
  model: 'cherry-arith',
  rl: true,
  itemClass: (item) => (hasTensCarry(item) ? 'carry' : 'other'),
};
