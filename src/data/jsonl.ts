// User datasets from JSONL, one row per line, in either form:
//   OpenAI RFT:  {"messages": [{"role": "user", "content": "..."}], "reference_answer": "...", ...}
//   simple:      {"prompt": "...", "reference_answer": "...", ...}
// Every row becomes an Item with all its fields plus a `prompt` string (for `messages` rows, the
// built-in prompt format of src/tokenizer/prompt: contents joined by "\n", leaving out a trailing
// assistant message, which is the answer; `messages` is kept for models with a chat template). Bad lines are reported one by one (1-based line, what is wrong) and
// skipped; blank lines are ignored. The input is streamed: see ./lines.
import type { Item } from '../graders/types';
import { formatMessages } from '../tokenizer/prompt';
import type { ChatMessage } from '../tokenizer/prompt';
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

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function kindOf(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  return typeof x === 'object' ? 'an object' : `a ${typeof x}`;
}

/** Validates `messages`; returns the messages or a problem description. */
function checkMessages(m: unknown): ChatMessage[] | string {
  if (!Array.isArray(m)) return `"messages" must be a list of {"role", "content"} objects, got ${kindOf(m)}`;
  if (m.length === 0) return '"messages" is an empty list; it needs at least one {"role": "user", "content": "..."}';
  const out: ChatMessage[] = [];
  for (let k = 0; k < m.length; k++) {
    const msg: unknown = m[k];
    if (!isObject(msg)) return `"messages[${k}]" must be an object {"role", "content"}, got ${kindOf(msg)}`;
    const { role, content } = msg;
    if (typeof role !== 'string') return `"messages[${k}].role" must be a string, got ${kindOf(role)}`;
    if (!ROLES.has(role)) return `"messages[${k}].role" is "${role}"; use one of ${[...ROLES].join(', ')}`;
    if (typeof content === 'string') { out.push({ role, content }); continue; }
    if (!Array.isArray(content)) return `"messages[${k}].content" must be a string or a list of parts, got ${kindOf(content)}`;
    const parts: { type: string; text?: string }[] = [];
    for (let p = 0; p < content.length; p++) {
      const part: unknown = content[p];
      if (!isObject(part) || typeof part.type !== 'string') return `"messages[${k}].content[${p}]" must be an object with a string "type"`;
      parts.push(typeof part.text === 'string' ? { type: part.type, text: part.text } : { type: part.type });
    }
    out.push({ role, content: parts });
  }
  return out;
}

/** Turns one parsed row into an Item, or says what is wrong with it. */
export function rowToItem(row: unknown): { item: Item; format: 'messages' | 'prompt' } | string {
  if (!isObject(row)) return `each line must be a JSON object {"prompt": ...} or {"messages": [...]}, got ${kindOf(row)}`;
  if ('messages' in row) {
    const msgs = checkMessages(row.messages);
    if (typeof msgs === 'string') return msgs;
    if (row.prompt !== undefined && typeof row.prompt !== 'string') return `"prompt" must be a string, got ${kindOf(row.prompt)}`;
    // A trailing assistant message is the answer (an SFT label), not part of the prompt.
    const promptMsgs = msgs[msgs.length - 1].role === 'assistant' ? msgs.slice(0, -1) : msgs;
    if (promptMsgs.length === 0 && typeof row.prompt !== 'string') return '"messages" holds only an assistant answer; add the user message before it';
    const prompt = typeof row.prompt === 'string' ? row.prompt : formatMessages(promptMsgs);
    return { item: { ...row, prompt }, format: 'messages' };
  }
  if (!('prompt' in row)) {
    const keys = Object.keys(row).slice(0, 6).map((k) => `"${k}"`).join(', ');
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
  const reject = (e: JsonlLineError) => { rejected++; if (errors.length < maxErrors) errors.push(e); };

  for await (const { line, text } of readLines(source)) {
    if (text.trim() === '') { blank++; continue; }
    lines++;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch {
      const p = findJsonSyntaxError(text);
      reject(p ? { line, column: p.column, message: `invalid JSON at column ${p.column}: ${p.message}` }
        : { line, message: 'invalid JSON' });
      continue;
    }
    const r = rowToItem(row);
    if (typeof r === 'string') { reject({ line, message: r }); continue; }
    items.push(r.item);
    formats[r.format]++;
    for (const k of Object.keys(r.item)) if (k !== 'prompt' && k !== 'messages') fields.set(k, (fields.get(k) ?? 0) + 1);
  }

  if (lines === 0) {
    throw new DatasetError(`${opts.source}: the file is empty${blank > 0 ? ` (${blank} blank lines)` : ''}. ` +
      'A dataset has one JSON object per line, e.g. {"prompt": "2+2=", "reference_answer": "4"}.');
  }
  const fieldList = [...fields.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const fieldText = fieldList.length ? fieldList.map(([k, c]) => `${k} (${c})`).join(', ') : 'none besides the prompt';
  const summary: JsonlSummary = {
    source: opts.source, lines, blank, accepted: items.length, rejected, formats,
    fields: Object.fromEntries(fieldList),
    text: `${opts.source}: ${items.length} of ${lines} rows accepted` +
      (rejected ? ` (${rejected} rejected, first at line ${errors[0]?.line ?? '?'})` : '') + `; fields: ${fieldText}`,
  };
  return { items, errors, summary };
}
