// The lessons table: each guided lesson as plain data (task, phases, locked controls, chart marks) and
// its verdict function. The page (src/ui/lessons) follows the phases through its own controls.
import { arithmetic, arithmeticLabelAccuracy, rewardHacking } from '../tasks';
import type { Lesson } from './types';
import { cakeVerdict, graderVerdict, groupSizeVerdict, hackingVerdict, noSignalVerdict } from './verdicts';

/** Train items measured for the arithmetic labels' accuracy (the task's items are deterministic). */
const LABEL_SAMPLE = 2000;

/** How often the arithmetic SFT labels are right (the cap SFT cannot pass). */
export const ARITH_LABEL_ACCURACY = arithmeticLabelAccuracy(arithmetic.items('train', LABEL_SAMPLE)).overall;

/** Reward 1 only for a×b, which the addition/subtraction model never writes. */
const IMPOSSIBLE_GRADER = `// Asks for the product a×b: this model only ever learned sums and differences.
function grade(sample, item) {
  return sample.output_text.trim() === String(item.a * item.b) ? 1 : 0;
}
`;

/** The grader lesson's example: exact answers score 1, near misses some credit, malformed ones throw (unscorable). */
const PROTOTYPE_GRADER = `// A grader to try before training: exact = 1, off by up to 10 = 0.5, else 0.
// Output that is not a number cannot be scored: the error shows instead of a reward.
function grade(sample, item) {
  const text = sample.output_text.trim();
  if (!/^-?\\d+$/.test(text)) throw new Error('not a number: "' + text + '"');
  const diff = Math.abs(Number(text) - Number(item.reference_answer));
  return diff === 0 ? 1 : diff <= 10 ? 0.5 : 0;
}
`;

/** Validation before the first step and every 10 steps (the held-out lines of the charts and verdicts). */
const EVAL = { eval_interval: 10 } as const;

/**
 * The hacking lesson's two runs: answers are up to 40 tokens, so steps cost more than arithmetic's; its
 * chart and verdict read training rewards only, so no validation passes (60 steps each with them ran
 * past 5 minutes here).
 */
const HACKING_RUN = { algo: 'grpo', max_steps: 40, learning_rate: 5e-4, seed: 1, eval_interval: 0 } as const;

export const LESSONS: readonly Lesson[] = [
  {
    name: 'cake',
    title: 'The cake: SFT is capped by its labels, RL is not',
    task: arithmetic.name,
    text: [
      `The arithmetic labels are deliberately wrong on one class of problems: when the tens column carries, most labels drop the carry, so only ${Math.round(ARITH_LABEL_ACCURACY * 100)}% of labels are right.`,
      'First SFT trains on those labels, then GRPO starts from the same model and learns only from a grader that checks the true answer.',
      'Watch the dashed line: the label accuracy. SFT can only imitate the labels, so it stays near or under it.',
      'GRPO tries answers and keeps what the grader rewards, so it can climb past the line, most of all on the carry class.',
    ],
    phases: [
      { kind: 'train', id: 'sft', label: 'SFT', config: { algo: 'sft', max_steps: 60, seed: 1, ...EVAL }, grader: { kind: 'default' } },
      {
        kind: 'train',
        id: 'grpo',
        label: 'GRPO',
        config: { algo: 'grpo', max_steps: 60, learning_rate: 2e-4, batch_prompts: 8, num_generations: 8, beta: 0, seed: 1, ...EVAL },
        grader: { kind: 'default' },
      },
    ],
    lock: ['algo', 'max_steps', 'learning_rate', 'batch_prompts', 'num_generations', 'beta', 'seed', 'eval_interval'],
    marks: [{ y: ARITH_LABEL_ACCURACY, label: 'label accuracy' }],
    chart: 'validation',
    verdict: (r) => cakeVerdict(r, ARITH_LABEL_ACCURACY),
  },
  {
    name: 'no-signal',
    title: 'No signal: a task the model never solves teaches nothing',
    task: arithmetic.name,
    text: [
      'GRPO learns from differences inside a group: some answers to the same prompt score better than others.',
      'The first run asks for the product of the two numbers, which this model never writes, so every answer scores 0.',
      'Watch the dead-group line sit at 100%: every group has zero spread, every advantage is 0, and the reward stays flat.',
      'The second run asks for the sum or difference itself, which the model gets right some of the time: answers to the same prompt now differ in reward, the dead groups drop and the reward climbs.',
    ],
    phases: [
      {
        kind: 'train',
        id: 'impossible',
        label: 'impossible grader',
        config: { algo: 'grpo', max_steps: 20, seed: 1, ...EVAL },
        grader: { kind: 'code', code: IMPOSSIBLE_GRADER },
      },
      {
        kind: 'train',
        id: 'solvable',
        label: 'solvable task',
        config: { algo: 'grpo', max_steps: 40, seed: 1, ...EVAL },
        grader: { kind: 'default' },
      },
    ],
    lock: ['algo', 'max_steps', 'seed'],
    marks: [{ y: 1, label: 'all groups dead' }],
    chart: 'dead-groups',
    verdict: noSignalVerdict,
  },
  {
    name: 'hacking',
    title: 'Reward hacking: the model learns what the grader pays for',
    task: rewardHacking.name,
    text: [
      'The task is to name the opposite of a word; the grader pays for mentioning the right word anywhere plus a bonus for longer answers.',
      'Watch the reward climb while the answers in the completions table get longer and stuffed with words.',
      'When the run ends, the honest grader (exactly the opposite word, nothing else) scores the very same completions.',
      'Then the same run is repeated with the honest grader, so you can compare what it learns.',
    ],
    phases: [
      { kind: 'train', id: 'sloppy', label: 'sloppy grader', config: HACKING_RUN, grader: { kind: 'default' } },
      { kind: 'regrade', id: 'honest', label: 'honest grader on the same completions', of: 'sloppy', grader: { kind: 'fixed' } },
      { kind: 'train', id: 'fixed', label: 'honest grader', config: HACKING_RUN, grader: { kind: 'fixed' } },
    ],
    lock: ['algo', 'max_steps', 'learning_rate', 'seed', 'eval_interval'],
    marks: [],
    chart: 'reward',
    verdict: hackingVerdict,
  },
  {
    name: 'grader',
    title: 'Grader prototyping: look at the rewards before you train',
    task: arithmetic.name,
    text: [
      'A grader is the whole specification of what RL will optimise, so test it on real samples first.',
      'This lesson samples fresh answers from the model, several per prompt, and scores them with the grader in the editor.',
      'Look at the reward histogram, the spread inside each group (zero spread teaches nothing), the best and worst scored answers, and any errors.',
      'Edit the grader and press Run lesson again: nothing is trained.',
    ],
    phases: [
      {
        kind: 'try',
        id: 'try',
        label: 'fresh samples',
        grader: { kind: 'code', code: PROTOTYPE_GRADER },
        prompts: 12,
        samplesPerPrompt: 6,
        seed: 7,
      },
    ],
    lock: [],
    marks: [],
    chart: 'reward',
    verdict: graderVerdict,
  },
  {
    name: 'group-size',
    title: 'Group size: "somewhat good" is measured per group',
    task: arithmetic.name,
    text: [
      'GRPO compares each answer with the other answers to the same prompt: a group where all answers score the same carries no gradient.',
      'Both runs sample the same 32 answers per step: 16 prompts × 2 answers, then 4 prompts × 8 answers.',
      'Watch the dead-group line: with 2 answers a prompt the model gets right half the time still ties often.',
      'With 8 answers almost every group has a winner and a loser, so more of each step teaches.',
    ],
    phases: [
      {
        kind: 'train',
        id: 'g2',
        label: 'G = 2',
        config: { algo: 'grpo', max_steps: 40, batch_prompts: 16, num_generations: 2, seed: 1, ...EVAL },
        grader: { kind: 'default' },
      },
      {
        kind: 'train',
        id: 'g8',
        label: 'G = 8',
        config: { algo: 'grpo', max_steps: 40, batch_prompts: 4, num_generations: 8, seed: 1, ...EVAL },
        grader: { kind: 'default' },
      },
    ],
    lock: ['algo', 'max_steps', 'batch_prompts', 'num_generations', 'seed'],
    marks: [],
    chart: 'dead-groups',
    verdict: groupSizeVerdict,
  },
];

/** A lesson name that is not in the table. */
export class UnknownLessonError extends Error {
  override name = 'UnknownLessonError';
  constructor(readonly lesson: string) {
    super(`Unknown lesson '${lesson}' in the link. Lessons: ${LESSONS.map((l) => l.name).join(', ')}.`);
  }
}

/** The lesson called `name`; throws UnknownLessonError. */
export function getLesson(name: string): Lesson {
  const l = LESSONS.find((x) => x.name === name);
  if (!l) throw new UnknownLessonError(name);
  return l;
}

/**
 * The lesson's phases with every train phase's max_steps set to `steps` (tests: `&lessonSteps=N` in
 * the link makes CI runs short; the lesson's real length is measured by scripts/benchLessons.ts).
 */
export function withSteps(lesson: Lesson, steps: number | null): Lesson {
  if (steps === null) return lesson;
  return { ...lesson, phases: lesson.phases.map((p) => (p.kind === 'train' ? { ...p, config: { ...p.config, max_steps: steps } } : p)) };
}

export type { Lesson, LessonGrader, LessonPhase, LessonRecords, Verdict, VerdictFigure, GradedCompletion } from './types';
