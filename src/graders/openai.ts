// Import and export of OpenAI grader JSON (the objects of OpenAI's RFT/graders API, plus Cherry's extras in
// the same style). Accepts a bare grader object or the {"grader": {...}} wrapper of POST /graders/run
// (its other fields, such as "item" and "model_sample", are ignored here).
import type { GraderSpec } from './spec';
import { GraderSpecError } from './builtin/errors';
import { isObj } from './builtin/fields';
import { findJsonSyntaxError } from '../util/jsonError';
import { validateGraderSpec } from './builtin/registry';

/** Grader JSON that is not valid JSON: where (line, column) and what was expected. */
export class GraderJsonSyntaxError extends Error {
  override name = 'GraderJsonSyntaxError';
  constructor(
    readonly line: number,
    readonly column: number,
    detail: string,
    source = 'grader JSON',
  ) {
    super(`${source}, line ${line}, column ${column}: ${detail}`);
  }
}

/**
 * Parses grader JSON into a checked spec. `source` names the file in messages.
 * Throws GraderJsonSyntaxError (bad JSON) or GraderSpecError (a field is wrong; names the field path).
 */
export function parseGraderJson(text: string, source = 'grader JSON'): GraderSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const where = findJsonSyntaxError(text);
    if (where) throw new GraderJsonSyntaxError(where.line, where.column, where.message, source);
    throw new GraderJsonSyntaxError(1, 1, e instanceof Error ? e.message : String(e), source);
  }
  if (isObj(raw) && !Object.prototype.hasOwnProperty.call(raw, 'type') && Object.prototype.hasOwnProperty.call(raw, 'grader')) {
    if (!isObj(raw.grader)) throw new GraderSpecError('grader', 'must be a grader object such as {"type": "string_check", ...}');
    return validateGraderSpec(raw.grader, 'grader');
  }
  return validateGraderSpec(raw);
}

/** Serializes a spec as OpenAI-style grader JSON (2-space indented). */
export function exportGraderJson(spec: GraderSpec): string {
  return JSON.stringify(spec, null, 2);
}
