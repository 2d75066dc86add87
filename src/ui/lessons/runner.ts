// Follows a lesson's phases through the page's own controls: selects the task (its built-in model loads),
// locks the controls the lesson fixes, puts each phase's grader in the editor, sets its hyperparameters
// and presses Start; waits for the run to finish and keeps its records. Regrade and try phases grade
// through the editor's grader, as the Try panel does. No React: the panel (LessonsPanel) calls it.
import { getTask } from '../../tasks';
import { makeSample, type GradeRequest, type Item } from '../../graders/types';
import type { GradedCompletion, Lesson, LessonGrader, LessonPhase, LessonRecords } from '../../lessons';
import type { EngineController } from '../engine';
import type { Store, UiState } from '../store';
import { defaultGraderText, graderText, taskOption } from '../task/taskOptions';

/** A lesson that could not go on: the phase and what went wrong. */
export class LessonRunError extends Error {
  override name = 'LessonRunError';
  constructor(lesson: string, phase: string, why: string) {
    super(`Lesson '${lesson}', ${phase}: ${why}`);
  }
}

/** Longest wait for the model to load or one phase to finish, ms. */
const WAIT_MS = 10 * 60_000;

/** Resolves with the state once `done(state)` holds; rejects with `fail(state)`'s message or after WAIT_MS. */
function waitFor(store: Store, done: (s: UiState) => boolean, fail: (s: UiState) => string | null): Promise<UiState> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const s = store.getState();
      const why = fail(s);
      if (why !== null) {
        stop();
        reject(new Error(why));
        return true;
      }
      if (done(s)) {
        stop();
        resolve(s);
        return true;
      }
      return false;
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`nothing happened for ${WAIT_MS / 60_000} minutes`));
    }, WAIT_MS);
    const unsubscribe = store.subscribe(() => {
      check();
    });
    function stop() {
      clearTimeout(timer);
      unsubscribe();
    }
    check();
  });
}

/** The editor text of a lesson grader for `task`. */
export function lessonGraderText(task: string, g: LessonGrader): string {
  if (g.kind === 'code') return g.code;
  if (g.kind === 'default') return defaultGraderText(task);
  const fixed = getTask(task).fixedGrader;
  if (fixed === undefined) throw new Error(`task '${task}' has no fixed grader`);
  return graderText(fixed);
}

/** Every item of the task by prompt (to grade a run's completions against their items). */
function itemsByPrompt(task: string): Map<string, Item> {
  const t = getTask(task);
  const all = (['train', 'validation', 'test'] as const).flatMap((split) => t.items(split, 5000));
  return new Map(all.map((it) => [String(it.prompt), it]));
}

/** What the panel is told as the lesson goes. */
export interface LessonProgress {
  /** Index of the phase running (phases.length when done). */
  phase: number;
  /** Records of the phases done so far. */
  records: LessonRecords;
}

/** Runs `lesson` to the end on the page and returns its records; throws LessonRunError. */
export async function runLesson(
  lesson: Lesson,
  store: Store,
  engine: EngineController,
  progress: (p: LessonProgress) => void,
): Promise<LessonRecords> {
  const records: LessonRecords = { train: {}, lastSamples: {}, grades: {} };
  const { dispatch } = store;
  dispatch({ type: 'task/select', task: lesson.task });
  dispatch({ type: 'controls/set', controls: { hide: [], lock: lesson.lock } });
  const model = taskOption(lesson.task)?.model ?? null;
  const fail = (phase: string, e: unknown) => new LessonRunError(lesson.name, phase, e instanceof Error ? e.message : String(e));
  try {
    const s = store.getState();
    if (model !== null && s.model.name !== model && s.model.status !== 'loading' && s.backend.status === 'ready')
      void engine.loadModel({ kind: 'builtin', name: model });
    await waitFor(
      store,
      (x) => x.model.status === 'ready' && (model === null || x.model.name === model),
      (x) =>
        x.model.status === 'error'
          ? `the model did not load: ${x.model.error ?? ''}`
          : x.backend.status === 'error'
            ? 'the backend did not start'
            : null,
    );
  } catch (e) {
    throw fail('loading the model', e);
  }
  for (const [i, phase] of lesson.phases.entries()) {
    progress({ phase: i, records });
    dispatch({ type: 'grader/edit', code: lessonGraderText(lesson.task, phase.grader) });
    try {
      await runPhase(lesson, phase, records, store, engine);
    } catch (e) {
      throw fail(phase.label, e);
    }
  }
  progress({ phase: lesson.phases.length, records });
  return records;
}

async function runPhase(lesson: Lesson, phase: LessonPhase, records: LessonRecords, store: Store, engine: EngineController): Promise<void> {
  if (phase.kind === 'train') {
    store.dispatch({ type: 'run/config', config: phase.config });
    await engine.start();
    const started = store.getState().run.state;
    if (started !== 'running' && started !== 'paused') {
      throw new Error(store.getState().errors.at(-1)?.message ?? `the run did not start (${started})`);
    }
    const end = await waitFor(
      store,
      (x) => x.run.state === 'stopped',
      (x) => (x.run.state === 'error' ? `the run failed: ${x.run.message ?? ''}` : null),
    );
    records.train[phase.id] = end.metrics;
    records.lastSamples[phase.id] = end.samples;
    return;
  }
  let requests: GradeRequest[];
  let groups: { group: number; prompt: string }[];
  if (phase.kind === 'regrade') {
    const samples = records.lastSamples[phase.of] ?? [];
    const items = itemsByPrompt(lesson.task);
    requests = samples.map((s) => {
      const item = items.get(s.prompt);
      if (item === undefined) throw new Error(`no item of task '${lesson.task}' has the prompt "${s.prompt}"`);
      return { sample: makeSample(s.completion, s.length, s.truncated ? 'length' : 'stop'), item };
    });
    groups = samples.map((s) => ({ group: s.group, prompt: s.prompt }));
  } else {
    const got = await engine.sampleForTry({ n: phase.prompts, samplesPerPrompt: phase.samplesPerPrompt, temperature: 1, seed: phase.seed });
    requests = got.completions.flatMap((cs, i) =>
      cs.map((c) => ({ sample: makeSample(c.text, c.tokens, c.finish_reason), item: got.items[i] })),
    );
    groups = got.completions.flatMap((cs, i) => cs.map(() => ({ group: i, prompt: String(got.items[i].prompt) })));
  }
  const results = await engine.tryGrader(requests);
  if (results === null) {
    const tried = store.getState().grader.tryResult;
    throw new Error(tried !== null && 'error' in tried ? tried.error : 'the grader did not score the completions');
  }
  records.grades[phase.id] = results.map((r, k): GradedCompletion => ({
    group: groups[k].group,
    prompt: groups[k].prompt,
    completion: requests[k].sample.output_text,
    reward: r.reward,
    error: r.error,
  }));
}
