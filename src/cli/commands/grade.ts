// `cherry grade`: run a grader on given outputs without a model. `--run payload.json` takes the body of
// OpenAI's POST /fine_tuning/alpha/graders/run ({"grader", "item", "model_sample"}) and answers as it does.
// Model graders use the judge of judgeFlags.ts (OPENAI_BASE_URL, OPENAI_API_KEY, --judge-*). Exit 0 even when single samples
// fail (the failure is in the result); non-zero only when the grader cannot be loaded, with a message
// naming the file, line and column.
import { readFileSync } from 'node:fs';
import { bool, num, str, UsageError, type Args } from '../args';
import { tryGrader, GraderLoadError, type TryRequest } from '../../graders';
import { parseRunPayload, runPayload } from '../../graders/openaiApi';
import { JUDGE_HELP, loadOptions } from '../judgeFlags';
import { graderFromFile } from '../graderFile';
import type { GraderLimits, Sample } from '../../graders/types';

export const help =
  'run a grader on outputs: --grader <file.js|.ts|.py|.json> (--sample TEXT [--item JSON] | --input rows.jsonl) ' +
  '| --run payload.json (OpenAI graders/run body); [--timeout-ms N] [--step-timeout-ms N] [--json] ' +
  JUDGE_HELP +
  '. rows.jsonl: one {"sample": "text" or {"output_text": ...}, "item": {...}} per line';

/** The grader file could not be loaded (syntax error, no grade function, bad spec). */
export class GraderFileError extends Error {
  override name = 'GraderFileError';
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Turns load failures into GraderFileError naming the file (and line:column for code). */
export async function withFileErrors<T>(file: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof GraderLoadError) {
      const where = e.line !== null ? `${file}:${e.line}${e.column !== null ? `:${e.column}` : ''}` : file;
      throw new GraderFileError(`${where}: ${e.message}`);
    }
    if (e instanceof Error && ['GraderSpecError', 'GraderJsonSyntaxError', 'RunPayloadError', 'JudgeError'].includes(e.name)) {
      throw new GraderFileError(e.message.startsWith(file) ? e.message : `${file}: ${e.message}`);
    }
    throw e;
  }
}

function parseSample(v: unknown, where: string): string | Sample {
  if (typeof v === 'string') return v;
  if (isObj(v) && typeof v.output_text === 'string') {
    const tokens = typeof v.output_tokens === 'number' ? v.output_tokens : undefined;
    const finish = v.finish_reason === 'stop' || v.finish_reason === 'length' ? v.finish_reason : undefined;
    const s: Sample = {
      output_text: v.output_text,
      output_json: null,
      output_tokens: tokens ?? v.output_text.trim().split(/\s+/).filter(Boolean).length,
      finish_reason: finish,
    };
    if (v.output_json !== undefined) s.output_json = v.output_json;
    else {
      try {
        s.output_json = JSON.parse(v.output_text.trim());
      } catch {
        s.output_json = null;
      }
    }
    return s;
  }
  throw new UsageError(`${where}: "sample" must be a string or an object with a string "output_text"`);
}

function parseItem(v: unknown, where: string): Record<string, unknown> {
  if (v === undefined) return {};
  if (isObj(v)) return v;
  throw new UsageError(`${where}: "item" must be a JSON object`);
}

function readRows(file: string): TryRequest[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --input ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const rows: TryRequest[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new UsageError(`${where}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!isObj(v)) throw new UsageError(`${where}: each line must be an object {"sample": ..., "item": {...}}`);
    rows.push({ sample: parseSample(v.sample, where), item: parseItem(v.item, where) });
  });
  if (rows.length === 0) throw new UsageError(`--input ${file} has no rows`);
  return rows;
}

function limitsOf(args: Args): Partial<GraderLimits> {
  const timeout = num(args, 'timeout-ms');
  const step = num(args, 'step-timeout-ms');
  return { ...(timeout !== undefined ? { sampleTimeoutMs: timeout } : {}), ...(step !== undefined ? { stepTimeoutMs: step } : {}) };
}

/** --run payload.json: OpenAI's graders/run body in, its GraderRunResponse out (as JSON, always). */
async function runOpenAIPayload(file: string, args: Args): Promise<void> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --run ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const opts = await loadOptions(args);
  const response = await withFileErrors(file, async () => runPayload(parseRunPayload(text, file), limitsOf(args), opts));
  console.log(JSON.stringify(response));
}

export async function run(args: Args): Promise<void> {
  const payload = str(args, 'run');
  if (payload !== undefined) return runOpenAIPayload(payload, args);
  const file = str(args, 'grader');
  if (!file) throw new UsageError('--grader <file.js|file.ts|file.py|file.json> (or --run payload.json) is required');
  const input = str(args, 'input');
  const sampleText = str(args, 'sample');
  if ((input === undefined) === (sampleText === undefined))
    throw new UsageError('give either --sample TEXT (with --item JSON) or --input rows.jsonl');
  let requests: TryRequest[];
  if (input !== undefined) requests = readRows(input);
  else {
    const itemText = str(args, 'item');
    let item: unknown = {};
    if (itemText !== undefined) {
      try {
        item = JSON.parse(itemText);
      } catch {
        throw new UsageError(`--item must be a JSON object, got '${itemText}'`);
      }
    }
    requests = [{ sample: sampleText ?? '', item: parseItem(item, '--item') }];
  }
  const opts = await loadOptions(args);
  const results = await withFileErrors(file, async () => tryGrader(graderFromFile(file), requests, limitsOf(args), opts));
  const out = results.map((r) => ({
    reward: r.reward,
    sub_rewards: r.sub_rewards,
    error: r.error,
    ms: Math.round(r.ms * 1000) / 1000,
    ...(r.invalid ? { invalid: true } : {}),
    ...(r.details !== undefined && r.details !== null ? { details: r.details } : {}),
  }));
  if (bool(args, 'json')) {
    console.log(JSON.stringify({ results: out }));
    return;
  }
  out.forEach((r, i) => {
    const subs = Object.entries(r.sub_rewards)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    console.log(`#${i} reward=${r.reward}${subs ? ` (${subs})` : ''} ${r.ms} ms${r.error ? `  ERROR: ${r.error}` : ''}`);
  });
}
