// Host-side preparation of user grader code: TypeScript → JavaScript with sucrase (which keeps line
// numbers), checks that can be done before any code runs, and the wrapper that turns the user's module
// into a thunk returning its `grade` function. The wrapper adds text only on the user's first line and
// after the last one, so line numbers in errors are the user's own.
import { transform } from 'sucrase';

/** The grader's source could not be loaded: a syntax error, a forbidden construct, or no `grade`. */
export class GraderLoadError extends Error {
  override name = 'GraderLoadError';
  constructor(
    message: string,
    /** 1-based line in the user's source, when known. */
    readonly line: number | null = null,
    /** 1-based column in the user's source, when known. */
    readonly column: number | null = null,
  ) {
    super(message);
  }
}

/** Text placed before the user's code, on the user's first line. */
export const WRAP_PREFIX =
  '(function(){var exports={},module={exports:exports};' +
  'function require(n){throw new Error("require(\'"+n+"\') is not available inside a grader: graders cannot load modules or use the network")}';

/** Text placed after the user's code (on a new line, so a trailing `//` comment cannot swallow it). */
export const WRAP_SUFFIX =
  '\n;var __m=module.exports,__g=typeof grade==="function"?grade:undefined;' +
  'if(!__g&&__m&&typeof __m.grade==="function")__g=__m.grade;' +
  'if(!__g&&__m&&typeof __m.default==="function")__g=__m.default;' +
  'if(!__g&&typeof exports.grade==="function")__g=exports.grade;' +
  'return __g;})';

function position(code: string, offset: number): { line: number; column: number } {
  const before = code.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Rejects a dynamic `import(` anywhere in the source (it could load remote code). A string that merely
 * contains "import(" is rejected too; the message says how to avoid it.
 */
export function checkForbidden(code: string, name: string): void {
  // `import` then '(' with only whitespace or comments between (`import /* x */ (url)` is valid JS too).
  const m = /\bimport(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*\(/.exec(code);
  if (m) {
    const p = position(code, m.index);
    throw new GraderLoadError(
      `grader '${name}': dynamic import() is not allowed in a grader (line ${p.line}, column ${p.column}); ` +
        'graders cannot load code or use the network. Remove it (or split the word if it is inside a string).',
      p.line,
      p.column,
    );
  }
}

/** Returns runnable JavaScript with the same line numbers as `code`. Throws GraderLoadError. */
export function toJavaScript(code: string, lang: 'js' | 'ts', name: string): string {
  checkForbidden(code, name);
  const usesModules = /(^|[\s;])(import|export)\s/m.test(code);
  if (lang === 'js' && !usesModules) return code;
  const transforms: ('typescript' | 'imports')[] = lang === 'ts' ? ['typescript'] : [];
  if (usesModules) transforms.push('imports');
  try {
    return transform(code, { transforms, filePath: `${name}.${lang}` }).code;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const loc = 'loc' in err && typeof err.loc === 'object' && err.loc !== null ? err.loc : null;
    const line = loc && 'line' in loc && typeof loc.line === 'number' ? loc.line : null;
    const col = loc && 'column' in loc && typeof loc.column === 'number' ? loc.column + 1 : null;
    const msg = err.message.replace(/\s*\(\d+:\d+\)\s*$/, '');
    throw new GraderLoadError(`grader '${name}': syntax error${line !== null ? ` at line ${line}, column ${col}` : ''}: ${msg}`, line, col);
  }
}

/**
 * Maps a 1-based column of line `line` in `transformed` (sucrase output, which keeps lines but drops type
 * annotations) back to the column in `original`, by aligning the two lines character by character.
 * Returns the column unchanged when the lines are identical or cannot be aligned.
 */
export function mapColumn(original: string, transformed: string, line: number, column: number): number {
  const a = original.split('\n')[line - 1];
  const b = transformed.split('\n')[line - 1];
  if (a === undefined || b === undefined || a === b) return column;
  let i = 0;
  for (let j = 0; j < b.length && j < column - 1; j++) {
    if (b[j] === ' ' && a[i] !== ' ') continue; // sucrase may leave a space where a type was
    while (i < a.length && a[i] !== b[j]) i++;
    if (i >= a.length) return column;
    i++;
  }
  // Skip what sucrase removed right before the column (e.g. ': number ').
  const target = b[column - 1];
  while (target !== undefined && i < a.length && a[i] !== target) i++;
  return i < a.length ? i + 1 : column;
}

/** Rewrites every "line L, column C" in a message with mapColumn. */
export function remapMessage(msg: string, map: (line: number, column: number) => number): string {
  return msg.replace(/line (\d+), column (\d+)/g, (_m, l: string, c: string) => `line ${l}, column ${map(Number(l), Number(c))}`);
}

/** The user's JavaScript wrapped into an expression that evaluates to a thunk returning `grade`. */
export function wrap(js: string): string {
  return WRAP_PREFIX + js + WRAP_SUFFIX;
}
