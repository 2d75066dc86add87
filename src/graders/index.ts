// The grader entry point: turn a GraderSource (user code or a JSON spec) into a loaded Grader, and run a
// grader on given outputs without a model (the engine side of OpenAI's POST /graders/run).
import type { GradeRequest, GradeResult, Grader, GraderLimits, GraderSource, Item, Sample } from './types';
import { makeSample } from './types';
import type { JavaScriptSpec, PythonSpec } from './spec';
import { createSpecGrader } from './builtin';
import { createJsGrader, createPythonGrader } from './sandbox';
import { withInvalidReward, type InvalidReward } from './invalidReward';
import type { Judge } from './judge/types';

export { GraderLoadError } from './sandbox';
export { INVALID_REWARD_MODES, applyInvalidReward, withInvalidReward, type InvalidReward } from './invalidReward';

/** How graders load, beside their limits. */
export interface LoadOptions {
  /** What a sample without a valid score is worth: "excluded" (null, the default) or "zero" (OpenAI's rule). */
  invalidReward?: InvalidReward;
  /** The judge of model graders (an OpenAI-compatible endpoint: judge/http.ts, or a local model). */
  judge?: Judge;
}

/** Builds a sandboxed grader for a `javascript` or `python` spec (also used inside `multi`). */
export function createCodeGrader(spec: PythonSpec | JavaScriptSpec, limits?: Partial<GraderLimits>): Promise<Grader> {
  if (spec.type === 'python') return createPythonGrader(spec.source, { name: spec.name, limits });
  return createJsGrader(spec.source, spec.language ?? 'js', { name: spec.name, limits });
}

/**
 * Loads a grader. Code runs in a sandbox worker; a spec is built by the built-in graders, with its
 * python/javascript parts sandboxed. Throws GraderLoadError (code: syntax error with line and column,
 * no `grade`) or GraderSpecError (a spec field is wrong; names the field path).
 */
export async function loadGrader(source: GraderSource, limits?: Partial<GraderLimits>, opts: LoadOptions = {}): Promise<Grader> {
  return withInvalidReward(await loadRaw(source, limits, opts.judge), opts.invalidReward ?? 'excluded');
}

async function loadRaw(source: GraderSource, limits?: Partial<GraderLimits>, judge?: Judge): Promise<Grader> {
  if (source.kind === 'spec') {
    return createSpecGrader(source.spec, { createCodeGrader: (s) => createCodeGrader(s, limits), ...(judge ? { judge } : {}) });
  }
  const name = source.name ?? 'grader';
  if (source.kind === 'python') return createPythonGrader(source.code, { name, limits });
  return createJsGrader(source.code, source.kind, { name, limits });
}

/** One row to try a grader on: the sample as text (or a full Sample) and its dataset item. */
export interface TryRequest {
  sample: string | Sample;
  item: Item;
}

/** Turns a text or a partial sample into a full Sample (output_json parsed, token count estimated). */
export function toSample(s: string | (Partial<Sample> & { output_text: string })): Sample {
  if (typeof s === 'string') return makeSample(s, approxTokens(s));
  const base = makeSample(s.output_text, s.output_tokens ?? approxTokens(s.output_text), s.finish_reason);
  if (s.output_json !== undefined) base.output_json = s.output_json;
  if (s.output_tools !== undefined) base.output_tools = s.output_tools;
  if (s.choices !== undefined) base.choices = s.choices;
  return base;
}

/** Without a tokenizer: whitespace-separated pieces, a rough stand-in for a token count. */
function approxTokens(text: string): number {
  const t = text.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

/**
 * Loads `source`, grades every request in one batch, and frees the grader. Failures of single samples
 * are in the results; only a grader that cannot be loaded throws.
 */
export async function tryGrader(
  source: GraderSource,
  requests: TryRequest[],
  limits?: Partial<GraderLimits>,
  opts: LoadOptions = {},
): Promise<GradeResult[]> {
  const grader = await loadGrader(source, limits, opts);
  try {
    const batch: GradeRequest[] = requests.map((r) => ({ sample: toSample(r.sample), item: r.item }));
    return await grader.gradeBatch(batch);
  } finally {
    grader.dispose();
  }
}

/** Grades one output against one item. */
export async function gradeOnce(
  source: GraderSource,
  sample: string | Sample,
  item: Item,
  limits?: Partial<GraderLimits>,
  opts: LoadOptions = {},
): Promise<GradeResult> {
  const [r] = await tryGrader(source, [{ sample, item }], limits, opts);
  return r;
}
