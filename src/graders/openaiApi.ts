// The engine side of OpenAI's grader endpoints (https://platform.openai.com/docs/api-reference/graders):
// POST /fine_tuning/alpha/graders/validate takes {"grader": {...}} and answers {"grader": {...}};
// POST /fine_tuning/alpha/graders/run takes {"grader", "item", "model_sample"} and answers
// {"reward", "sub_rewards", "metadata": {...}, "model_grader_token_usage_per_model"}. `cherry validate`
// and `cherry grade --run` mirror them, so a payload written for OpenAI runs here unchanged.
import type { GradeResult, GraderLimits, GraderSource, Item, Sample } from './types';
import type { GraderSpec } from './spec';
import { isObj } from './builtin/fields';
import { parseGraderJson } from './openai';
import { loadGrader, toSample, type LoadOptions } from './index';

/** A graders/run payload: the grader, one dataset item, one model sample. */
export interface RunPayload {
  grader: GraderSpec;
  item: Item;
  /** `model_sample` is a string on OpenAI; an object {output_text, output_tools?, choices?} is accepted too. */
  sample: Sample;
}

/** A run payload that is not valid JSON or misses a field; names the file and the field. */
export class RunPayloadError extends Error {
  override name = 'RunPayloadError';
}

/** Parses a graders/run body. Throws GraderJsonSyntaxError, GraderSpecError (field path under "grader"), RunPayloadError. */
export function parseRunPayload(text: string, source = 'graders/run payload'): RunPayload {
  const grader = parseGraderJson(text, source); // reads the "grader" field of the wrapper, with JSON syntax errors located
  const raw: unknown = JSON.parse(text);
  if (!isObj(raw) || !isObj(raw.grader))
    throw new RunPayloadError(`${source}: needs {"grader": {...}, "item": {...}, "model_sample": "..."}`);
  const item = raw.item ?? {};
  if (!isObj(item))
    throw new RunPayloadError(`${source}, field "item": must be a JSON object (the dataset row), got ${JSON.stringify(item)}`);
  const ms = raw.model_sample;
  let sample: Sample;
  if (typeof ms === 'string') sample = toSample(ms);
  else if (isObj(ms) && typeof ms.output_text === 'string') {
    sample = toSample({
      output_text: ms.output_text,
      ...(Array.isArray(ms.output_tools) ? { output_tools: ms.output_tools } : {}),
      ...(Array.isArray(ms.choices) ? { choices: ms.choices } : {}),
      ...(ms.output_json !== undefined ? { output_json: ms.output_json } : {}),
    });
  } else {
    throw new RunPayloadError(
      `${source}, field "model_sample": must be the model's output as a string (output_json is parsed from it when it is JSON)`,
    );
  }
  for (const k of Object.keys(raw)) {
    if (k !== 'grader' && k !== 'item' && k !== 'model_sample') {
      throw new RunPayloadError(`${source}, field "${k}": unknown; a graders/run payload has grader, item and model_sample`);
    }
  }
  return { grader, item, sample };
}

/** The error flags of OpenAI's GraderRunResponse metadata that Cherry can tell apart. */
export interface RunErrors {
  formula_parse_error: boolean;
  sample_parse_error: boolean;
  python_grader_runtime_error: boolean;
  python_grader_runtime_error_details: string | null;
  model_grader_server_error: boolean;
  model_grader_server_error_details: string | null;
  unresponsive_reward_error: boolean;
  other_error: boolean;
}

/** OpenAI's GraderRunResponse, with Cherry's message in `metadata.error` (null when the sample was scored). */
export interface RunResponse {
  reward: number | null;
  sub_rewards: Record<string, number | null>;
  metadata: {
    name: string;
    type: string;
    errors: RunErrors;
    execution_time: number;
    scores: Record<string, number | null>;
    token_usage: null;
    sampled_model_name: null;
    error: string | null;
  };
  model_grader_token_usage_per_model: Record<string, never>;
}

function errorsOf(spec: GraderSpec, r: GradeResult): RunErrors {
  const failed = r.error !== null;
  const timeout = failed && r.error_kind === 'timeout';
  const judge = failed && !timeout && (spec.type === 'score_model' || spec.type === 'label_model');
  const python = failed && !timeout && spec.type === 'python';
  return {
    formula_parse_error: false,
    sample_parse_error: false,
    python_grader_runtime_error: python,
    python_grader_runtime_error_details: python ? r.error : null,
    model_grader_server_error: judge,
    model_grader_server_error_details: judge ? r.error : null,
    unresponsive_reward_error: timeout,
    other_error: failed && !timeout && !judge && !python,
  };
}

/** Runs a graders/run payload: loads the grader, grades the one sample, answers as OpenAI does. */
export async function runPayload(p: RunPayload, limits?: Partial<GraderLimits>, opts: LoadOptions = {}): Promise<RunResponse> {
  const grader = await loadGrader({ kind: 'spec', spec: p.grader }, limits, opts);
  let r: GradeResult;
  try {
    [r] = await grader.gradeBatch([{ sample: p.sample, item: p.item }]);
  } finally {
    grader.dispose();
  }
  return {
    reward: r.reward,
    sub_rewards: r.sub_rewards,
    metadata: {
      name: p.grader.name,
      type: p.grader.type,
      errors: errorsOf(p.grader, r),
      execution_time: r.ms / 1000,
      scores: Object.keys(r.sub_rewards).length ? r.sub_rewards : { [p.grader.name]: r.reward },
      token_usage: null,
      sampled_model_name: null,
      error: r.error,
    },
    model_grader_token_usage_per_model: {},
  };
}

/**
 * graders/validate: checks every field (GraderSpecError names the path) and builds the grader once, so
 * templates, formulas, regexes and Python syntax are checked too (GraderLoadError with line and column).
 * Answers {"grader": <the checked spec>}.
 */
export async function validatePayload(source: GraderSource, opts: LoadOptions = {}): Promise<{ grader: GraderSpec }> {
  const g = await loadGrader(source, undefined, opts);
  g.dispose();
  if (source.kind === 'spec') return { grader: source.spec };
  if (source.kind === 'python') return { grader: { type: 'python', name: source.name ?? 'grader', source: source.code } };
  return { grader: { type: 'javascript', name: source.name ?? 'grader', source: source.code, language: source.kind } };
}
