// "Graduate to production", OpenAI side: the grader as an OpenAI grader object, the dataset as OpenAI
// RFT JSONL, and a fine-tuning job spec (method: reinforcement) with a response_format when the grader
// reads output_json. Built-in types that OpenAI has (string_check, text_similarity, python, multi,
// score_model, label_model) map 1:1; Python source becomes a `python` grader;
// JavaScript/TypeScript and Cherry's own extras (regex, json_schema) cannot run there, and the
// exporter says why and what to do instead.
import type { GraderSource, Item } from '../graders/types';
import type { GraderSpec } from '../graders/spec';
import type { RLConfig } from '../schema/settings';
import { deriveResponseFormat, type ResponseFormat } from './responseFormat';

/** A grader that has no OpenAI form; the message says why and what to do. */
export class GraderExportError extends Error {
  override name = 'GraderExportError';
  constructor(
    readonly grader: string,
    readonly reason: string,
    readonly advice: string,
  ) {
    super(`grader '${grader}' cannot be exported: ${reason}. What to do: ${advice}`);
  }
}

const OPENAI_TYPES = new Set(['string_check', 'text_similarity', 'python', 'multi', 'score_model', 'label_model']);

const WHY_NOT: Record<string, { reason: string; advice: string }> = {
  javascript: {
    reason: 'OpenAI graders run Python (type "python"), never JavaScript or TypeScript, and TRL reward functions are Python too',
    advice:
      'port grade(sample, item) to Python in the grader editor (same arguments: sample["output_text"], item["reference_answer"]) and try it on a few samples in Cherry, or express it as a built-in type (string_check, text_similarity, multi) — both export directly',
  },
  regex: {
    reason: '"regex" is a Cherry extra; OpenAI has no regex grader',
    advice:
      'write it as a python grader using re.search (check the pattern: Python and JavaScript regex syntax differ, e.g. (?<name>...) is (?P<name>...) in Python)',
  },
  json_schema: {
    reason: '"json_schema" is a Cherry extra; OpenAI has no JSON Schema grader',
    advice: 'write it as a python grader that json.loads the output and checks the fields you need',
  },
};

/** Throws the GraderExportError for a grader type that has no OpenAI (or Python) form. */
export function refuseExport(name: string, kind: string): never {
  const w = WHY_NOT[kind] ?? {
    reason: `type "${kind}" is not an OpenAI grader type`,
    advice: 'use string_check, text_similarity, python or multi',
  };
  throw new GraderExportError(name, w.reason, w.advice);
}

/** Checks that a spec (and every sub-grader) is an OpenAI type; throws GraderExportError naming the first that is not. */
function checkSpec(spec: GraderSpec, path: string): void {
  if (!OPENAI_TYPES.has(spec.type)) refuseExport(path, spec.type);
  if (spec.type === 'multi') for (const [k, g] of Object.entries(spec.graders)) checkSpec(g, `${path}.graders.${k}`);
}

/** The grader as an OpenAI grader object (a GraderSpec of an OpenAI type); throws GraderExportError. */
export function graderToOpenAI(source: GraderSource): GraderSpec {
  if (source.kind === 'spec') {
    checkSpec(source.spec, source.spec.name);
    return source.spec;
  }
  const name = source.name ?? 'grader';
  if (source.kind === 'python') return { type: 'python', name, source: source.code };
  return refuseExport(name, 'javascript');
}

/** Either the OpenAI grader or the explanation, for a UI that shows one or the other. */
export function tryGraderToOpenAI(source: GraderSource): { ok: true; grader: GraderSpec } | { ok: false; error: GraderExportError } {
  try {
    return { ok: true, grader: graderToOpenAI(source) };
  } catch (e) {
    if (e instanceof GraderExportError) return { ok: false, error: e };
    throw e;
  }
}

/** A dataset row that cannot become an RFT row. */
export class RftDatasetError extends Error {
  override name = 'RftDatasetError';
}

function isMessage(m: unknown): m is { role: string; content: unknown } {
  return typeof m === 'object' && m !== null && 'role' in m && typeof m.role === 'string' && 'content' in m;
}

/**
 * One RFT row: `{"messages": [...], ...reference fields}`. A row with `messages` keeps them (a trailing
 * assistant answer is dropped: RFT rows end with the prompt); otherwise `prompt` becomes one user
 * message. Every other field (reference_answer, a, b, ...) is kept for the grader's `item.*`.
 */
export function itemToRftRow(item: Item, index = 0): Record<string, unknown> {
  const { prompt, messages, ...rest } = item;
  if (Array.isArray(messages) && messages.length > 0 && messages.every(isMessage)) {
    const msgs = messages[messages.length - 1].role === 'assistant' ? messages.slice(0, -1) : messages;
    if (msgs.length > 0) return { messages: msgs, ...rest };
  }
  if (typeof prompt !== 'string' || prompt === '') {
    throw new RftDatasetError(
      `dataset row ${index + 1}: needs a non-empty "prompt" string or a "messages" list ending with a user message`,
    );
  }
  return { messages: [{ role: 'user', content: prompt }], ...rest };
}

/** Rows as OpenAI RFT JSONL (one object per line, "\n" after each). */
export function itemsToRftJsonl(items: readonly Item[]): string {
  return items.map((it, i) => JSON.stringify(itemToRftRow(it, i)) + '\n').join('');
}

/** Options of openAIJobSpec. */
export interface JobSpecOptions {
  /** Base model to fine-tune (an OpenAI reasoning model that supports RFT). */
  model: string;
  /** File id (or a placeholder) of the uploaded training JSONL. */
  trainingFile: string;
  /** File id (or placeholder) of the validation JSONL, if any. */
  validationFile?: string;
  /** Number of training rows, to turn max_steps into epochs. */
  trainRows: number;
  /** Suffix of the fine-tuned model's name. */
  suffix?: string;
  /**
   * Structured output for graders that read sample.output_json. Derived from the grader's templates when
   * not given; required when it cannot be derived (a python grader reading output_json).
   */
  responseFormat?: ResponseFormat;
}

/** The response_format a job needs for `grader` (null: none); throws GraderExportError when it must be given. */
export function jobResponseFormat(grader: GraderSpec, given?: ResponseFormat): ResponseFormat | null {
  if (given !== undefined) return given;
  const d = deriveResponseFormat(grader);
  if (d.ok) return d.format;
  throw new GraderExportError(
    grader.name,
    `OpenAI fills sample.output_json only when the job sets a response_format, and ${d.reason}`,
    "give the JSON Schema of the output you expect (the job's response_format), or read the fields through templates such as {{ sample.output_json.answer }}",
  );
}

/** What OpenAI does with a sample whose grader gives no valid score (written into job exports beside the spec). */
export const OPENAI_INVALID_REWARD =
  'OpenAI RFT counts invalid grader output (an error, a timeout, no number) as reward 0; ' +
  'Cherry\'s default excludes such samples (invalid_reward "excluded"): train in Cherry with invalid_reward "zero" to match.';

/**
 * The body of POST /v1/fine_tuning/jobs for a reinforcement job; hyperparameters as in HYPERPARAM_MAP,
 * response_format inside `reinforcement` as in OpenAI's RFT guide. Throws GraderExportError.
 */
export function openAIJobSpec(grader: GraderSpec, config: RLConfig, opts: JobSpecOptions): Record<string, unknown> {
  checkSpec(grader, grader.name);
  const responseFormat = jobResponseFormat(grader, opts.responseFormat);
  const epochs = Math.max(1, Math.ceil((config.max_steps * config.batch_prompts) / Math.max(1, opts.trainRows)));
  const hyperparameters: Record<string, number | string> = {
    n_epochs: epochs,
    batch_size: config.batch_prompts,
    eval_interval: config.eval_interval > 0 ? config.eval_interval : 'auto',
  };
  const job: Record<string, unknown> = {
    model: opts.model,
    training_file: opts.trainingFile,
    ...(opts.validationFile ? { validation_file: opts.validationFile } : {}),
    ...(opts.suffix ? { suffix: opts.suffix } : {}),
    seed: config.seed,
    method: {
      type: 'reinforcement',
      reinforcement: { grader, ...(responseFormat ? { response_format: responseFormat } : {}), hyperparameters },
    },
  };
  return job;
}

/** Options of openAIJobFiles: the job's, without the file ids (placeholders are written). */
export interface JobFilesOptions extends Omit<JobSpecOptions, 'trainingFile' | 'validationFile' | 'trainRows'> {
  /** File names stem, e.g. "arithmetic" gives arithmetic-train.jsonl, arithmetic-valid.jsonl, arithmetic-job.json. */
  stem: string;
  trainItems: readonly Item[];
  /** Validation rows (OpenAI evaluates on them every eval_interval steps); none: no validation file. */
  validItems: readonly Item[];
}

/** Placeholders for the ids OpenAI gives the uploaded files. */
export const TRAIN_FILE_PLACEHOLDER = 'file-REPLACE_WITH_TRAIN_FILE_ID';
export const VALID_FILE_PLACEHOLDER = 'file-REPLACE_WITH_VALID_FILE_ID';

/**
 * Everything an OpenAI RFT job needs, as files: training and validation JSONL and the job body (with
 * placeholder file ids and a `_cherry_notes` list to read and delete before posting). Throws GraderExportError.
 */
export function openAIJobFiles(grader: GraderSpec, config: RLConfig, opts: JobFilesOptions): { name: string; data: string }[] {
  const { stem, trainItems, validItems, ...rest } = opts;
  const job = openAIJobSpec(grader, config, {
    ...rest,
    trainingFile: TRAIN_FILE_PLACEHOLDER,
    trainRows: trainItems.length,
    ...(validItems.length ? { validationFile: VALID_FILE_PLACEHOLDER } : {}),
  });
  const notes = [
    `Upload ${stem}-train.jsonl${validItems.length ? ` and ${stem}-valid.jsonl` : ''} (purpose "fine-tune") and put their file ids in place of the placeholders; delete this _cherry_notes field before posting.`,
    OPENAI_INVALID_REWARD,
  ];
  const files = [{ name: `${stem}-train.jsonl`, data: itemsToRftJsonl(trainItems) }];
  if (validItems.length) files.push({ name: `${stem}-valid.jsonl`, data: itemsToRftJsonl(validItems) });
  files.push({ name: `${stem}-job.json`, data: JSON.stringify({ ...job, _cherry_notes: notes }, null, 2) + '\n' });
  return files;
}
