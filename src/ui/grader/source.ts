// The editor's text as a grader: grader JSON (text starting with "{") or JavaScript / TypeScript code;
// and import/export of OpenAI grader JSON (pure; unit-tested). It loads the built-in graders' validators,
// so the page imports it on demand (GraderToolbar), keeping them out of the first load.
import { exportGraderJson, GraderJsonSyntaxError, parseGraderJson } from '../../graders/openai';
import { GraderSpecError } from '../../graders/builtin/errors';
import type { GraderSource } from '../../graders/types';
import type { Problem } from './tryInputs';
import { TS_DIRECTIVE } from './templates';
import { isGraderJson, isTypeScript } from './lang';

export { isGraderJson, isTypeScript };

/**
 * What to send the engine for the editor's text. Throws GraderJsonSyntaxError (line, column) or
 * GraderSpecError (field path) for grader JSON that cannot be used.
 */
export function graderSourceFromText(text: string, name = 'grader'): GraderSource {
  if (isGraderJson(text)) return { kind: 'spec', spec: parseGraderJson(text, 'the grader editor') };
  return { kind: isTypeScript(text) ? 'ts' : 'js', code: text, name };
}

/**
 * Editor text for an imported grader JSON file: a javascript spec becomes its code (TypeScript marked
 * with the directive), any other spec its formatted JSON. Throws like parseGraderJson, naming the file.
 */
export function importGraderText(fileText: string, fileName: string): string {
  const spec = parseGraderJson(fileText, fileName);
  if (spec.type !== 'javascript') return `${exportGraderJson(spec)}\n`;
  return spec.language === 'ts' && !isTypeScript(spec.source) ? `${TS_DIRECTIVE}\n${spec.source}` : spec.source;
}

/** OpenAI-style grader JSON for the editor's text (code becomes a Cherry "javascript" grader). */
export function exportGraderText(text: string, name = 'grader'): string {
  if (isGraderJson(text)) return exportGraderJson(parseGraderJson(text, 'the grader editor'));
  return exportGraderJson(
    isTypeScript(text) ? { type: 'javascript', name, source: text, language: 'ts' } : { type: 'javascript', name, source: text },
  );
}

/** A message for an import/export failure, and where to underline it when the JSON is in the editor. */
export function describeGraderError(e: unknown): { message: string; problem: Problem | null } {
  if (e instanceof GraderJsonSyntaxError) return { message: e.message, problem: { line: e.line, column: e.column, message: e.message } };
  if (e instanceof GraderSpecError) return { message: e.message, problem: null };
  return { message: e instanceof Error ? e.message : String(e), problem: null };
}
