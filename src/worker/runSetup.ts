// Building a run's parts for the TrainSession: the task of a start request, the grader preflight (a
// grader that fails on the first training item refuses the run).
import { makeSample, type Grader, type GraderSource } from '../graders/types';
import { datasetTask, getTask, type Task } from '../tasks';
import type { TaskSpec } from './protocol';

/** The grader loaded but fails on a training item (throws or times out), so a run would learn nothing. */
export class GraderPreflightError extends Error {
  override name = 'GraderPreflightError';
}

/** A request that does not fit the run's state (e.g. start without a model): says what to do instead. */
export class RunStateError extends Error {
  override name = 'RunStateError';
}

/**
 * Grades the first training item's label (or its reference answer) once: a grader that throws or
 * times out on it would fail on every sample, so the run does not start and the message (with the
 * line and column in the user's code) goes back to the editor.
 */
export async function preflight(grader: Grader, task: Task): Promise<void> {
  const [item] = task.items('train', 1);
  if (item === undefined) return; // the Trainer reports a task without training items
  let text: string;
  try {
    text = task.sftTarget(item);
  } catch {
    text = typeof item.reference_answer === 'string' ? item.reference_answer : '';
  }
  const [r] = await grader.gradeBatch([{ sample: makeSample(text, text.length, 'stop'), item }]);
  if (r !== undefined && (r.reward === null || r.invalid === true) && r.error !== null) {
    throw new GraderPreflightError(
      `The grader fails on the first training item (prompt ${JSON.stringify(item.prompt)}, output ${JSON.stringify(text)}): ${r.error}. ` +
        'Fix the grader (try it in the grader panel) and start again.',
    );
  }
}

/** The task of a start request (a dataset task grades with `grader`; null: its default). */
export function taskFrom(spec: TaskSpec, grader: GraderSource | null): Task {
  if (spec.kind === 'builtin') return getTask(spec.name);
  const { name, train, validation } = spec;
  if (train.length === 0) throw new RunStateError(`The dataset '${name}' has no training rows: upload a file with usable rows.`);
  const n = train.length + validation.length;
  const summary = {
    source: name,
    lines: n,
    blank: 0,
    accepted: n,
    rejected: 0,
    formats: { messages: 0, prompt: n },
    fields: {},
    text: `${name}: ${n} rows`,
  };
  return datasetTask({ train, validation, errors: [], summary }, { name, ...(grader === null ? {} : { grader }) });
}
