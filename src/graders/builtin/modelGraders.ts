// score_model and label_model (OpenAI): a judge model reads the `input` messages (templates filled in from
// the sample and the item) and answers a score in `range` or one of `labels`. The judge is injected (an
// OpenAI-compatible endpoint or a local model, see ../judge); without one, loading fails with what to set.
// A judge that fails, times out or answers something unreadable gives reward null with the reason.
import type { GradeRequest, GradeResult, Grader } from '../types';
import type { JudgeMessage, JudgeSamplingParams, LabelModelSpec, ScoreModelSpec, TextPart } from '../spec';
import { Template } from '../template';
import { GraderSpecError, fieldPath } from './errors';
import { isObj, type Fields } from './fields';
import { errorMessage } from './base';
import { JudgeTimeoutError, type ChatMessage, type Judge, type JudgeRequest } from '../judge/types';
import { SCORE_SCHEMA, labelSchema, readLabel, readScore } from '../judge/answer';

const ROLES = ['system', 'developer', 'user', 'assistant'] as const;
const EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;

function validatePart(v: unknown, at: string): TextPart {
  if (!isObj(v) || (v.type !== 'input_text' && v.type !== 'output_text') || typeof v.text !== 'string') {
    const kind = isObj(v) && typeof v.type === 'string' ? ` ("${v.type}" content is not supported in Cherry: text only)` : '';
    throw new GraderSpecError(at, `must be a string or {"type": "input_text", "text": "..."}${kind}`);
  }
  return { type: v.type, text: v.text };
}

function validateMessages(f: Fields): JudgeMessage[] {
  const raw = f.optRaw('input');
  const at = f.at('input');
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new GraderSpecError(
      at,
      'must be a non-empty list of messages such as [{"role": "user", "content": "Grade {{ sample.output_text }}"}]',
    );
  }
  return raw.map((m: unknown, i): JudgeMessage => {
    const mAt = `${at}[${i}]`;
    if (!isObj(m)) throw new GraderSpecError(mAt, 'must be a message {"role": ..., "content": ...}');
    const role = ROLES.find((r) => r === m.role);
    if (role === undefined) throw new GraderSpecError(fieldPath(mAt, 'role'), `must be one of: ${ROLES.join(', ')}`);
    for (const k of Object.keys(m)) {
      if (k !== 'role' && k !== 'content' && k !== 'type')
        throw new GraderSpecError(fieldPath(mAt, k), 'unknown field of a message; known: role, content, type');
    }
    if (m.type !== undefined && m.type !== 'message') throw new GraderSpecError(fieldPath(mAt, 'type'), 'must be "message" when given');
    const c = m.content;
    const cAt = fieldPath(mAt, 'content');
    const content =
      typeof c === 'string' ? c : Array.isArray(c) ? c.map((p: unknown, j) => validatePart(p, `${cAt}[${j}]`)) : validatePart(c, cAt);
    return m.type === 'message' ? { role, content, type: 'message' } : { role, content };
  });
}

function validateSampling(f: Fields): JudgeSamplingParams | undefined {
  const raw = f.optRaw('sampling_params');
  if (raw === undefined || raw === null) return undefined;
  const at = f.at('sampling_params');
  if (!isObj(raw)) throw new GraderSpecError(at, 'must be an object such as {"temperature": 0, "seed": 42}');
  const out: JudgeSamplingParams = {};
  for (const [k, v] of Object.entries(raw)) {
    const kAt = fieldPath(at, k);
    if (v === null) continue;
    if (k === 'reasoning_effort') {
      const e = EFFORTS.find((x) => x === v);
      if (e === undefined) throw new GraderSpecError(kAt, `must be one of: ${EFFORTS.join(', ')}`);
      out.reasoning_effort = e;
    } else if (k === 'temperature' || k === 'top_p' || k === 'seed' || k === 'max_completions_tokens') {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new GraderSpecError(kAt, 'must be a number');
      out[k] = v;
    } else
      throw new GraderSpecError(
        kAt,
        'unknown sampling parameter; known: temperature, top_p, seed, max_completions_tokens, reasoning_effort',
      );
  }
  return out;
}

function validateLabels(f: Fields, name: string): string[] {
  const v = f.optRaw(name);
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string')) {
    throw new GraderSpecError(f.at(name), 'must be a non-empty list of strings');
  }
  return v;
}

export function validateScoreModel(f: Fields, name: string): ScoreModelSpec {
  const spec: ScoreModelSpec = { type: 'score_model', name, model: f.str('model'), input: validateMessages(f) };
  const range = f.optRaw('range');
  if (range !== undefined) {
    if (
      !Array.isArray(range) ||
      range.length !== 2 ||
      typeof range[0] !== 'number' ||
      typeof range[1] !== 'number' ||
      !(range[0] < range[1])
    ) {
      throw new GraderSpecError(f.at('range'), 'must be [min, max] with min < max, e.g. [0, 1]');
    }
    spec.range = [range[0], range[1]];
  }
  const sampling = validateSampling(f);
  if (sampling !== undefined) spec.sampling_params = sampling;
  const t = f.optNum('pass_threshold');
  if (t !== undefined) spec.pass_threshold = t;
  return spec;
}

export function validateLabelModel(f: Fields, name: string): LabelModelSpec {
  const labels = validateLabels(f, 'labels');
  const passing = validateLabels(f, 'passing_labels');
  const stray = passing.filter((p) => !labels.includes(p));
  if (stray.length)
    throw new GraderSpecError(
      f.at('passing_labels'),
      `${stray.map((s) => JSON.stringify(s)).join(', ')} not in labels (${labels.join(', ')})`,
    );
  const spec: LabelModelSpec = {
    type: 'label_model',
    name,
    model: f.str('model'),
    input: validateMessages(f),
    labels,
    passing_labels: passing,
  };
  const sampling = validateSampling(f);
  if (sampling !== undefined) spec.sampling_params = sampling;
  return spec;
}

/** The load error for a model grader without a judge: what to set. */
export function noJudgeError(path: string, what: string): GraderSpecError {
  return new GraderSpecError(
    fieldPath(path, 'type'),
    `${what} needs a judge model and none is set up. In the CLI set ` +
      'OPENAI_BASE_URL (any OpenAI-compatible /v1 endpoint) and OPENAI_API_KEY; in the page, set the judge endpoint ' +
      'and key under "Judge for model graders" in the Grader panel',
  );
}

type Compiled = (req: GradeRequest) => ChatMessage[];

function compileMessages(input: JudgeMessage[], path: string): Compiled {
  const parts = input.map((m, i) => {
    const texts = typeof m.content === 'string' ? [m.content] : Array.isArray(m.content) ? m.content.map((p) => p.text) : [m.content.text];
    return { role: m.role, templates: texts.map((t) => Template.parse(t, `${fieldPath(path, 'input')}[${i}].content`)) };
  });
  return (req) => parts.map((p) => ({ role: p.role, content: p.templates.map((t) => t.render(req)).join('\n') }));
}

/** A Grader that asks the judge once per sample; `read` turns the answer into a score and details. */
function judgeGrader(
  name: string,
  judge: Judge,
  messages: Compiled,
  ask: (msgs: ChatMessage[]) => JudgeRequest,
  read: (answer: string) => { score: number; details: unknown },
): Grader {
  const one = async (req: GradeRequest): Promise<GradeResult> => {
    const t0 = performance.now();
    try {
      const answer = await judge.complete(ask(messages(req)));
      const { score, details } = read(answer);
      return { reward: score, sub_rewards: {}, details, error: null, error_kind: null, ms: performance.now() - t0 };
    } catch (e) {
      return {
        reward: null,
        sub_rewards: {},
        error: `grader '${name}': ${errorMessage(e)}`,
        error_kind: e instanceof JudgeTimeoutError ? 'timeout' : 'error',
        ms: performance.now() - t0,
      };
    }
  };
  return { name, gradeBatch: (requests) => Promise.all(requests.map(one)), dispose: () => {} };
}

export function createScoreModel(spec: ScoreModelSpec, path: string, judge: Judge | null): Grader {
  if (judge === null) throw noJudgeError(path, 'a score_model grader');
  const range = spec.range ?? [0, 1];
  const t = spec.pass_threshold;
  return judgeGrader(
    spec.name,
    judge,
    compileMessages(spec.input, path),
    (messages) => ({ model: spec.model, messages, sampling: spec.sampling_params, schema: SCORE_SCHEMA }),
    (answer) => {
      const { score, steps } = readScore(answer, range);
      return {
        score,
        details: { ...(steps !== undefined ? { steps } : {}), ...(t !== undefined ? { passed: score >= t, pass_threshold: t } : {}) },
      };
    },
  );
}

export function createLabelModel(spec: LabelModelSpec, path: string, judge: Judge | null): Grader {
  if (judge === null) throw noJudgeError(path, 'a label_model grader');
  return judgeGrader(
    spec.name,
    judge,
    compileMessages(spec.input, path),
    (messages) => ({ model: spec.model, messages, sampling: spec.sampling_params, schema: labelSchema(spec.labels) }),
    (answer) => {
      const label = readLabel(answer, spec.labels);
      const passed = spec.passing_labels.includes(label);
      return { score: passed ? 1 : 0, details: { label, passed } };
    },
  );
}
