// A user's JSONL dataset seen as a Task, so the CLI and the UI treat it like a built-in task
// (`cherry eval --task my.jsonl`). User datasets have two splits (train and validation, by content
// hash: see src/data/split); the 'test' split is the validation split.
import type { GraderSource, Item } from '../graders/types';
import type { Dataset } from '../data/dataset';
import { messageText } from '../tokenizer/prompt';
import { TaskItemError } from './types';
import type { Split, Task } from './types';

/** Options of datasetTask. */
export interface DatasetTaskOptions {
  /** Task name shown in the UI and in results (e.g. the file name). */
  name: string;
  /** Grader to use; default: exact match of the completion with the row's `reference_answer`. */
  grader?: GraderSource;
  /** Built-in model to serve it (default 'cherry-json', the built-in model pretrained on the most general prose). */
  model?: string;
  /** Generation budget per completion (default 64). */
  maxNewTokens?: number;
}

/** The grader a dataset gets when none is given: the completion equals `reference_answer`. */
export const EXACT_REFERENCE_GRADER: GraderSource = {
  kind: 'spec',
  spec: {
    type: 'string_check',
    name: 'exact reference_answer',
    input: '{{ sample.output_text }}',
    reference: '{{ item.reference_answer }}',
    operation: 'eq',
  },
};

/** The SFT label of a dataset row: `reference_answer` (a string), else the last message when it is the assistant's. */
export function datasetLabel(task: string, item: Item): string {
  const ref = item.reference_answer;
  if (typeof ref === 'string') return ref;
  if (typeof ref === 'number' || typeof ref === 'boolean') return String(ref);
  const msgs = item.messages;
  if (Array.isArray(msgs) && msgs.length > 0) {
    const last: unknown = msgs[msgs.length - 1];
    if (typeof last === 'object' && last !== null && 'role' in last && last.role === 'assistant' && 'content' in last) {
      const c = last.content;
      if (typeof c === 'string') return c;
      if (Array.isArray(c))
        return messageText(
          c.filter((p): p is { type: string; text?: string } => typeof p === 'object' && p !== null && typeof p.type === 'string'),
        );
    }
  }
  throw new TaskItemError(task, 'reference_answer', "a string (or the last message must be the assistant's answer) to train SFT on", item);
}

/** Wraps a loaded dataset as a Task. */
export function datasetTask(ds: Dataset, opts: DatasetTaskOptions): Task {
  const pick = (split: Split): Item[] => (split === 'train' ? ds.train : ds.validation);
  return {
    name: opts.name,
    title: opts.name,
    explanation:
      `Your dataset: ${ds.summary.text}. ` +
      `It is split by content into ${ds.train.length} training and ${ds.validation.length} validation rows; ` +
      'evaluation on "test" uses the validation rows. ' +
      (opts.grader
        ? 'It is graded by your grader.'
        : "The default grader checks that the completion equals the row's reference_answer exactly; write your own for anything else."),
    items: (split: Split, n: number) => pick(split).slice(0, Math.max(0, n)),
    sftTarget: (item: Item) => datasetLabel(opts.name, item),
    defaultGrader: opts.grader ?? EXACT_REFERENCE_GRADER,
    maxNewTokens: opts.maxNewTokens ?? 64,
    model: opts.model ?? 'cherry-json',
    rl: true,
  };
}
