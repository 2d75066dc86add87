// countdown: given 3–4 numbers and a target, write an expression with + - * / and parentheses that
// uses each number at most once and equals the target. Prompt "3 7 12 -> 33:", answer e.g. "3*7+12".
// Every problem is built from a solution (2–3 of the numbers combined left to right), which is the
// reference answer and the SFT label; the grader accepts any correct expression.
import type { Item } from '../graders/types';
import type { Rng } from '../util/rng';
import { generateSplit } from './generate';
import type { Problem } from './generate';
import { strField } from './types';
import type { Split, Task } from './types';

const NAME = 'countdown';
const OPS = ['+', '-', '*'] as const;

function make(rng: Rng): Problem {
  for (;;) {
    const count = rng.range(3, 4);
    const numbers = Array.from({ length: count }, () => rng.range(1, 12));
    const order = rng.shuffle(numbers.map((_, i) => i));
    const used = order.slice(0, rng.range(2, 3)).map((i) => numbers[i]);
    let value = used[0];
    let expr = String(used[0]);
    let lastOp: string | null = null;
    let ok = true;
    for (let k = 1; k < used.length; k++) {
      const op = rng.pick(OPS);
      const x = used[k];
      value = op === '+' ? value + x : op === '-' ? value - x : value * x;
      // Only a product after a sum or difference needs parentheses when read left to right.
      expr = op === '*' && (lastOp === '+' || lastOp === '-') ? `(${expr})*${x}` : `${expr}${op}${x}`;
      lastOp = op;
      if (value <= 0) ok = false;
    }
    // A target that is one of the numbers, or out of range, makes a trivial or awkward problem: draw again.
    if (!ok || value > 200 || numbers.includes(value)) continue;
    const prompt = `${numbers.join(' ')} -> ${value}:`;
    return { prompt, item: { prompt, reference_answer: expr, numbers, target: value } };
  }
}

const GRADER = `// Countdown: the answer must be an expression (+ - * / and parentheses) that uses each given number
// at most once and equals the target. It is parsed by hand (no eval).
// 1: correct. 0.25 to 0.5: well-formed, only allowed numbers, the closer to the target the more.
// 0.1: well-formed but uses a number that is not given (or too often), or divides by zero. 0: not an expression.
function grade(sample, item) {
  const src = sample.output_text.trim();
  let pos = 0;
  const used = [];
  function skip() { while (src[pos] === ' ') pos++; }
  function fail() { throw new Error('not an expression'); }
  function factor() {
    skip();
    if (src[pos] === '(') {
      pos++;
      const v = expr();
      skip();
      if (src[pos] !== ')') fail();
      pos++;
      return v;
    }
    const start = pos;
    while (pos < src.length && src[pos] >= '0' && src[pos] <= '9') pos++;
    if (pos === start) fail();
    const n = Number(src.slice(start, pos));
    used.push(n);
    return n;
  }
  function term() {
    let v = factor();
    for (;;) {
      skip();
      const op = src[pos];
      if (op !== '*' && op !== '/') return v;
      pos++;
      const r = factor();
      v = op === '*' ? v * r : v / r;
    }
  }
  function expr() {
    let v = term();
    for (;;) {
      skip();
      const op = src[pos];
      if (op !== '+' && op !== '-') return v;
      pos++;
      const r = term();
      v = op === '+' ? v + r : v - r;
    }
  }
  let value;
  try {
    value = expr();
    skip();
    if (pos !== src.length) fail();
  } catch (e) {
    return 0;
  }
  const left = item.numbers.slice();
  for (const n of used) {
    const k = left.indexOf(n);
    if (k < 0) return 0.1;
    left.splice(k, 1);
  }
  if (!Number.isFinite(value)) return 0.1;
  if (Math.abs(value - item.target) < 1e-9) return 1;
  return 0.25 + 0.25 * Math.max(0, 1 - Math.abs(value - item.target) / item.target);
}
`;

export const countdown: Task = {
  name: NAME,
  title: 'Countdown: many right answers',
  explanation:
    'Reach a target number from a few given numbers: "3 7 12 -> 33:" can be answered "3*7+12". Each number may ' +
    'be used at most once, with + - * / and parentheses. There are often several correct expressions, and the ' +
    'grader accepts any of them: it parses the answer with a small hand-written parser (no eval) and checks the ' +
    'numbers and the value. Well-formed expressions with allowed numbers get partial credit, more when they land ' +
    'close, so the reward is graded rather than all-or-nothing.',
  items: (split: Split, n: number) => generateSplit(NAME, split, n, make),
  sftTarget: (item: Item) => strField(NAME, item, 'reference_answer'),
  defaultGrader: { kind: 'js', code: GRADER, name: 'countdown expression' },
  maxNewTokens: 16,
  model: 'cherry-countdown',
  rl: true,
};
