// What the grader editor holds, from its text alone (cheap: no grader code is loaded to decide).
import { TS_DIRECTIVE } from './templates';

/** True when the editor holds grader JSON rather than code. */
export function isGraderJson(text: string): boolean {
  return text.trimStart().startsWith('{');
}

/** Code whose first non-blank line is the TypeScript directive is TypeScript. */
export function isTypeScript(text: string): boolean {
  return text.trimStart().startsWith(TS_DIRECTIVE);
}
