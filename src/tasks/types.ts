// The shape of a built-in task: a seeded generator of problems with reference fields, fixed
// train / validation / test splits, the label an SFT run trains on, and a default grader written
// exactly as a user would write it in the grader editor.
import type { GraderSource, Item } from '../graders/types';

/** Which split of a task's problems. */
export type Split = 'train' | 'validation' | 'test';

export interface Task {
  /** Registry key and CLI name, e.g. "arithmetic". */
  name: string;
  /** Short human title for the UI, e.g. "Arithmetic (with bad labels)". */
  title: string;
  /** What the task teaches, 3–6 sentences, shown in the UI beside the task picker. */
  explanation: string;
  /**
   * The first `n` problems of a split (fewer only when the task has fewer distinct problems).
   * Deterministic: the same call always gives the same items, and a smaller `n` gives a prefix.
   * The splits never share a prompt. Each item has `prompt` and `reference_answer` (strings) plus
   * task-specific reference fields.
   */
  items(split: Split, n: number): Item[];
  /** The completion an SFT run trains on for `item` (for `arithmetic`, sometimes wrong on purpose). */
  sftTarget(item: Item): string;
  /** The grader the task starts with, in the same format a user writes (JS source or a JSON spec). */
  defaultGrader: GraderSource;
  /** For the reward-hacking lesson: the grader that should have been written, shown beside the default. */
  fixedGrader?: GraderSource;
  /** Generation budget per completion, in tokens of the task's model (characters for the built-in ones), EOS included. */
  maxNewTokens: number;
  /** Name of the built-in model (public/models/<model>/) that serves this task; for chat tasks an `hf:` id. */
  model: string;
  /** Whether the task is meant for RL from the built-in model (the baseline band applies); false for lessons like reward hacking. */
  rl: boolean;
  /**
   * The class of an item, for evaluation by class (`eval_reward/<class>` on validation steps): where a lesson
   * lives in one kind of problem (arithmetic: the carry class, whose SFT labels are mostly wrong). Absent: one class.
   */
  itemClass?: (item: Item) => string;
  /**
   * A chat task: items carry OpenAI-style `messages`, rendered with the model's chat template, and `model` is a
   * Hub instruct model (an `hf:` id), not a built-in one. Absent: a plain-prompt task for the built-in models.
   */
  chat?: boolean;
}

/** An item that lacks a field a task needs (e.g. a JSONL row given to a built-in task's sftTarget). */
export class TaskItemError extends Error {
  override name = 'TaskItemError';
  constructor(task: string, field: string, expected: string, item: Item) {
    super(
      `task '${task}': item field "${field}" must be ${expected}; got ${JSON.stringify(item[field]) ?? 'nothing'} ` +
        `in item with prompt ${JSON.stringify(item.prompt) ?? '(none)'}. Use items from this task's generator.`,
    );
  }
}

/** Reads a string field or throws TaskItemError. */
export function strField(task: string, item: Item, field: string): string {
  const v = item[field];
  if (typeof v !== 'string') throw new TaskItemError(task, field, 'a string', item);
  return v;
}

/** Reads an integer field or throws TaskItemError. */
export function intField(task: string, item: Item, field: string): number {
  const v = item[field];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TaskItemError(task, field, 'an integer', item);
  return v;
}
