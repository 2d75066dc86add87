// Running a synchronous per-sample grading function as a batch Grader: times each sample, turns a throw or a
// non-finite score into an error on that sample (reward null), never into a silent 0.
import type { GradeRequest, GradeResult, Grader, Item, Sample } from '../types';

export interface Scored {
  score: number;
  details?: unknown;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Grades one sample, catching errors into the result. */
export function gradeOne(name: string, fn: () => Scored): GradeResult {
  const t0 = performance.now();
  try {
    const { score, details } = fn();
    const ms = performance.now() - t0;
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      return {
        reward: null,
        sub_rewards: {},
        details,
        error: `grader '${name}': score is ${String(score)}, not a finite number`,
        error_kind: 'error',
        ms,
      };
    }
    return { reward: score, sub_rewards: {}, details, error: null, error_kind: null, ms };
  } catch (e) {
    return {
      reward: null,
      sub_rewards: {},
      error: `grader '${name}': ${errorMessage(e)}`,
      error_kind: 'error',
      ms: performance.now() - t0,
    };
  }
}

/** A Grader from a pure per-sample function (built-in graders need no worker and nothing to dispose). */
export function syncGrader(name: string, fn: (sample: Sample, item: Item) => Scored): Grader {
  return {
    name,
    gradeBatch: async (requests: GradeRequest[]) => requests.map((r) => gradeOne(name, () => fn(r.sample, r.item))),
    dispose: () => {},
  };
}
