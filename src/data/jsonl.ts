// User datasets from JSONL, one row per line, in either form:
//   OpenAI RFT:  {"messages": [{"role": "user", "content": "..."}], "reference_answer": "...", ...}
//   simple:      {"prompt": "...", "reference_answer": "...", ...}
// Every row becomes an Item with all its fields plus a `prompt` string (for `messages` rows, the
// built-in prompt format of src/tokenizer/prompt: contents joined by "\n", leaving out a trailing
// assistant message, which is the answer). `messages` is kept: a model with a chat template renders
// the prompt from it (src/tokenizer/prompt itemPromptIds). Bad lines are reported one by one (1-based line, what is wrong) and
// skipped; blank lines are ignored. The input is streamed: see ./lines.
import type { Item } from '../graders/types';
import { formatMessages, promptMessages } from '../tokenizer/prompt';
import { checkMessages, kindOf } from '../tokenizer/messages';
import { findJsonSyntaxError } from '../util/jsonError';
import { readLines } from './lines';
import type { TextSource } from './lines';

/** Options of parseJsonl. */
export interface JsonlOptions {
  /** The file name used in messages (e.g. "my-data.jsonl"). */
  source: string;
  /** Keep at most this many line errors (all are counted in the summary). Default 200. */
  maxErrors?: number;
}

/** One rejected line. */
export interface JsonlLineError {
  /** 1-based line number in the file. */
  line: number;
  /** 1-based column of a JSON syntax error; absent for other problems. */
  column?: number;
  /** What is wrong and what to do, e.g. `"messages[1].content" must be a string`. */
  message: string;
}

/** What was accepted. */
export interface JsonlSummary {
  /** The file name. */
  source: string;
  /** Non-blank lines read. */
  lines: number;
  /** Blank lines skipped. */
  blank: number;
  /** Rows turned into items. */
  accepted: number;
  /** Lines rejected (each has an error, up to maxErrors). */
  rejected: number;
  /** Accepted rows per form. */
  formats: { messages: number; prompt: number };
  /** For each field other than prompt/messages: how many accepted rows have it. */
  fields: Record<string, number>;
  /** One line for the UI, e.g. "data.jsonl: 98 of 100 rows accepted (2 rejected); fields: answer (98)". */
  text: string;
}

export interface JsonlResult {
  items: Item[];
  errors: JsonlLineError[];
  summary: JsonlSummary;
}

/** The dataset cannot be used at all (e.g. the file is empty). */
export class DatasetError extends Error {
  override name = 'DatasetError';
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Turns one parsed row into an Item, or says what is wrong with it. */
export function rowToItem(row: unknown): { item: Item; format: 'messages' | 'prompt' } | string {
  if (!isObject(row)) return `each line must be a JSON object {"prompt": ...} or {"messages": [...]}, got ${kindOf(row)}`;
  if ('messages' in row) {
    const msgs = checkMessages(row.messages);
    if (typeof msgs === 'string') return msgs;
    if (row.prompt !== undefined && typeof row.prompt !== 'string') return `"prompt" must be a string, got ${kindOf(row.prompt)}`;
    const promptMsgs = promptMessages(msgs);
    if (promptMsgs.length === 0 && typeof row.prompt !== 'string')
      return '"messages" holds only an assistant answer; add the user message before it';
    const prompt = typeof row.prompt === 'string' ? row.prompt : formatMessages(promptMsgs);
    return { item: { ...row, prompt }, format: 'messages' };
  }
  if (!('prompt' in row)) {
    const keys = Object.keys(row)
      .slice(0, 6)
      .map((k) => `"${k}"`)
      .join(', ');
    return `no "prompt" or "messages" field (found ${keys || 'no fields'}); add {"prompt": "..."} or {"messages": [{"role": "user", "content": "..."}]}`;
  }
  if (typeof row.prompt !== 'string') return `"prompt" must be a string, got ${kindOf(row.prompt)}`;
  if (row.prompt.length === 0) return '"prompt" is empty';
  return { item: { ...row }, format: 'prompt' };
}

/** Reads a JSONL dataset, streaming. Throws DatasetError when the file has no non-blank line. */
export async function parseJsonl(source: TextSource, opts: JsonlOptions): Promise<JsonlResult> {
  const maxErrors = opts.maxErrors ?? 200;
  const items: Item[] = [];
  const errors: JsonlLineError[] = [];
  const formats = { messages: 0, prompt: 0 };
  const fields = new Map<string, number>();
  let lines = 0;
  let blank = 0;
  let rejected = 0;
  const reject = (e: JsonlLineError) => {
    rejected++;
    if (errors.length < maxErrors) errors.push(e);
  };

  for await (const { line, text } of readLines(source)) {
    if (text.trim() === '') {
      blank++;
      continue;
    }
    lines++;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch {
      const p = findJsonSyntaxError(text);
      reject(
        p ? { line, column: p.column, message: `invalid JSON at column ${p.column}: ${p.message}` } : { line, message: 'invalid JSON' },
      );
      continue;
    }
    const r = rowToItem(row);
    if (typeof r === 'string') {
      reject({ line, message: r });
      continue;
    }
    items.push(r.item);
    formats[r.format]++;
    for (const k of Object.keys(r.item)) if (k !== 'prompt' && k !== 'messages') fields.set(k, (fields.get(k) ?? 0) + 1);
  }

  if (lines === 0) {
    throw new DatasetError(
      `${opts.source}: the file is empty${blank > 0 ? ` (${blank} blank lines)` : ''}. ` +
        'A dataset has one JSON object per line, e.g. {"prompt": "2+2=", "reference_answer": "4"}.',
    );
  }
  const fieldList = [...fields.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const fieldText = fieldList.length ? fieldList.map(([k, c]) => `${k} (${c})`).join(', ') : 'none besides the prompt';
  const summary: JsonlSummary = {
    source: opts.source,
    lines,
    blank,
    accepted: items.length,
    rejected,
    formats,
    fields: Object.fromEntries(fieldList),
    text:
      `${opts.source}: ${items.length} of ${lines} rows accepted` +
      (rejected ? ` (${rejected} rejected, first at line ${errors[0]?.line ?? '?'})` : '') +
      `; fields: ${fieldText}`,
  };
  return { items, errors, summary };
}
