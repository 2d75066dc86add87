// The built-in task registry: one file per task, one table here.
import { arithmetic } from './arithmetic';
import { chatAnswerTags } from './chatAnswerTags';
import { chatWordLimit } from './chatWordLimit';
import { chatWordProblems } from './chatWordProblems';
import { countdown } from './countdown';
import { jsonExtract } from './jsonExtract';
import { reverseWords } from './reverseWords';
import { rewardHacking } from './rewardHacking';
import type { Task } from './types';

/** Every built-in task, in the order the UI lists them. */
export const TASKS: readonly Task[] = [arithmetic, countdown, jsonExtract, reverseWords, rewardHacking];

/**
 * The built-in chat tasks, for small Hub instruct models (their items carry `messages`, rendered with the
 * model's chat template). Kept apart from TASKS, which the page lists with the built-in models.
 */
export const CHAT_TASKS: readonly Task[] = [chatWordProblems, chatAnswerTags, chatWordLimit];

/** A task name that is not in the registry. */
export class UnknownTaskError extends Error {
  override name = 'UnknownTaskError';
  constructor(readonly task: string) {
    super(
      `Unknown task '${task}'. Built-in tasks: ${TASKS.map((t) => t.name).join(', ')}; chat tasks (for Hub instruct models): ` +
        `${CHAT_TASKS.map((t) => t.name).join(', ')}; or give a .jsonl dataset file.`,
    );
  }
}

/** The built-in task (plain or chat) called `name`; throws UnknownTaskError. */
export function getTask(name: string): Task {
  const t = TASKS.find((x) => x.name === name) ?? CHAT_TASKS.find((x) => x.name === name);
  if (!t) throw new UnknownTaskError(name);
  return t;
}

export type { Task, Split } from './types';
export { TaskItemError } from './types';
export { splitOf, TEST_FRACTION, VALIDATION_FRACTION } from './generate';
export { arithmetic, hasTensCarry, isMislabelled, arithmeticLabelAccuracy, ARITHMETIC_WRONG_RATE, ADDITION_FRACTION } from './arithmetic';
export type { LabelAccuracy } from './arithmetic';
export { countdown } from './countdown';
export { jsonExtract, JSON_EXTRACT_GRADER, JSON_EXTRACT_KEYS } from './jsonExtract';
export { reverseWords } from './reverseWords';
export { rewardHacking } from './rewardHacking';
export { chatWordProblems, ANSWER_LINE_INSTRUCTION } from './chatWordProblems';
export { chatAnswerTags, ANSWER_TAGS_GRADER, ANSWER_TAGS_SYSTEM } from './chatAnswerTags';
export { chatWordLimit } from './chatWordLimit';
export { CHAT_TASK_MODEL } from './chatItem';
export { datasetTask, datasetLabel, EXACT_REFERENCE_GRADER } from './dataset';
export type { DatasetTaskOptions } from './dataset';
