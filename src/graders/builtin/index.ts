// Built-in graders: string_check, text_similarity, multi (OpenAI) and regex, json_schema (Cherry extras).
// createSpecGrader checks a spec, compiles everything it can once (templates, regexes, schemas, formulas) and
// returns a Grader; python/javascript graders are delegated to the sandbox factory passed in.
import type { Grader } from '../types';
import type { GraderSpec, JavaScriptSpec, PythonSpec } from '../spec';
import { TemplateError } from '../template';
import { GraderSpecError } from './errors';
import { buildGrader, validateGraderSpec, type BuildContext } from './registry';
import type { Judge } from '../judge/types';

export { GraderSpecError } from './errors';
export { validateGraderSpec, GRADER_TYPES, GRADER_REGISTRY } from './registry';

export interface SpecGraderOptions {
  /** Builds python and javascript graders (including those inside a multi): the sandbox's factory. */
  createCodeGrader: (spec: PythonSpec | JavaScriptSpec) => Promise<Grader>;
  /** The judge of model graders; without one, score_model / label_model / cosine fail to load with what to set. */
  judge?: Judge;
}

/** Builds a Grader from a spec; throws GraderSpecError (with the field path) when it cannot be loaded. */
export async function createSpecGrader(spec: GraderSpec, opts: SpecGraderOptions): Promise<Grader> {
  const checked = validateGraderSpec(spec);
  const build = async (s: GraderSpec, path: string): Promise<Grader> => {
    const ctx: BuildContext = { path, createCodeGrader: opts.createCodeGrader, judge: opts.judge ?? null, build };
    try {
      return await buildGrader(s, ctx);
    } catch (e) {
      if (e instanceof TemplateError) throw new GraderSpecError(e.field, e.message.replace(`${e.field}: `, ''));
      throw e;
    }
  };
  return build(checked, '');
}
