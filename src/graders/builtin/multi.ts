// multi (OpenAI): named sub-graders run on the whole batch, then `calculate_output` combines their scores per
// sample (sub-graders cannot be multi graders themselves, as on OpenAI). Every sub-score is reported in sub_rewards. A sub-grader error, or a formula result that is not a
// finite number (division by zero, log or sqrt of a negative), makes the sample's reward null with a message.
import type { GradeRequest, GradeResult, Grader } from '../types';
import type { GraderSpec, MultiSpec } from '../spec';
import { FormulaError, parseFormula } from '../formula';
import { GraderSpecError, fieldPath } from './errors';
import { isObj, type Fields } from './fields';
import { errorMessage } from './base';

export function validateMulti(f: Fields, name: string, validateSub: (raw: unknown, path: string) => GraderSpec): MultiSpec {
  const raw = f.obj('graders');
  const keys = Object.keys(raw);
  if (keys.length === 0) throw new GraderSpecError(f.at('graders'), 'needs at least one named sub-grader');
  const graders: Record<string, GraderSpec> = {};
  for (const key of keys) {
    const sub = raw[key];
    const at = fieldPath(f.at('graders'), key);
    if (!isObj(sub)) throw new GraderSpecError(at, 'must be a grader object ({"type": ..., ...})');
    if (sub.type === 'multi') {
      throw new GraderSpecError(
        fieldPath(at, 'type'),
        'a multi grader cannot contain another multi grader (OpenAI ' +
          'refuses nested multi graders). Move its sub-graders up into this one and combine them in one calculate_output',
      );
    }
    graders[key] = validateSub(sub, at);
  }
  return { type: 'multi', name, graders, calculate_output: f.str('calculate_output') };
}

export async function createMulti(
  spec: MultiSpec,
  path: string,
  build: (spec: GraderSpec, path: string) => Promise<Grader>,
): Promise<Grader> {
  let formula;
  try {
    formula = parseFormula(spec.calculate_output, Object.keys(spec.graders));
  } catch (e) {
    if (e instanceof FormulaError) throw new GraderSpecError(fieldPath(path, 'calculate_output'), e.message);
    throw e;
  }
  const names = Object.keys(spec.graders);
  const subs: Grader[] = [];
  try {
    for (const n of names) subs.push(await build(spec.graders[n], fieldPath(fieldPath(path, 'graders'), n)));
  } catch (e) {
    subs.forEach((g) => g.dispose());
    throw e;
  }
  return {
    name: spec.name,
    async gradeBatch(requests: GradeRequest[]): Promise<GradeResult[]> {
      const t0 = performance.now();
      // A sub-grader whose whole batch fails (e.g. its worker died) fails each sample, not the call.
      const perSub = await Promise.all(
        subs.map((g, k) =>
          g.gradeBatch(requests).catch((e: unknown) =>
            requests.map((): GradeResult => ({
              reward: null,
              sub_rewards: {},
              error: `grader '${names[k]}': batch failed: ${errorMessage(e)}`,
              error_kind: 'error',
              ms: 0,
            })),
          ),
        ),
      );
      // Sub-graders run on the whole batch at once, so each sample is charged the batch time / batch size.
      const ms = (performance.now() - t0) / Math.max(1, requests.length);
      return requests.map((_, i) => {
        const sub_rewards: Record<string, number | null> = {};
        const vars: Record<string, number> = {};
        const errors: string[] = [];
        let timeout = false;
        names.forEach((n, k) => {
          const r = perSub[k][i];
          sub_rewards[n] = r.reward;
          if (r.reward === null) {
            errors.push(`sub-grader '${n}': ${r.error ?? 'no score'}`);
            if (r.error_kind === 'timeout') timeout = true;
          } else vars[n] = r.reward;
        });
        const details = Object.fromEntries(names.map((n, k) => [n, perSub[k][i].details]).filter(([, d]) => d !== undefined));
        const base = { sub_rewards, details: Object.keys(details).length ? details : undefined, ms };
        if (errors.length) {
          return { ...base, reward: null, error: `grader '${spec.name}': ${errors.join('; ')}`, error_kind: timeout ? 'timeout' : 'error' };
        }
        const reward = formula.evaluate(vars);
        if (!Number.isFinite(reward)) {
          return {
            ...base,
            reward: null,
            error_kind: 'error',
            error:
              `grader '${spec.name}': calculate_output "${spec.calculate_output}" gave ${reward} for ` +
              `${JSON.stringify(vars)} (division by zero, or log/sqrt of a negative number?)`,
          };
        }
        return { ...base, reward, error: null, error_kind: null };
      });
    },
    dispose(): void {
      subs.forEach((g) => g.dispose());
    },
  };
}
