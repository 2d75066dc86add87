// Where a JSON text is invalid, and why, the same on every JavaScript engine. JSON.parse messages
// differ between V8 versions, Firefox and Safari (some give a position, some do not), so after a
// failed JSON.parse we rescan the text with this small syntax checker to report a 1-based column.

/** The first syntax error in a JSON text. */
export interface JsonSyntaxProblem {
  /** 0-based character offset of the error. */
  offset: number;
  /** 1-based line and column of `offset`. */
  line: number;
  column: number;
  /** What was expected or found, e.g. "expected ',' or '}' after a property value". */
  message: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly why: string,
  ) {
    super(why);
  }
}

/** Returns the first syntax problem of `text`, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | null {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const found = () => (i >= n ? 'the end of the text' : `'${text[i]}'`);
  const fail = (expected: string): never => {
    throw new Stop(i, `expected ${expected}, found ${found()}`);
  };

  const str = () => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 32) throw new Stop(i, 'control character (such as a raw newline or tab) inside a string; escape it');
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i, 'bad \\u escape: needs 4 hex digits');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Stop(i, `bad escape '\\${e ?? ''}' in a string`);
      } else i++;
    }
    throw new Stop(n, 'unterminated string');
  };
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-' || m[0] === '') fail('a value');
    else i += m[0].length;
  };
  const word = (w: string) => {
    if (text.startsWith(w, i)) i += w.length;
    else fail('a value (a string needs "double quotes"; true, false and null are lower case)');
  };
  const value = (depth: number): void => {
    if (depth > 512) throw new Stop(i, 'nested too deeply');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`a property name in "double quotes"`);
        str();
        ws();
        if (text[i] !== ':') fail(`':' after a property name`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`',' or '}' after a property value`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`',' or ']' after a list element`);
      }
    }
    if (c === '"') return str();
    if (c === 't') return word('true');
    if (c === 'f') return word('false');
    if (c === 'n') return word('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return num();
    fail('a value (a string needs "double quotes"; true, false and null are lower case)');
  };

  try {
    value(0);
    ws();
    if (i < n) fail('the end of the text after the JSON value');
    return null;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const before = text.slice(0, e.offset);
    const nl = before.lastIndexOf('\n');
    return { offset: e.offset, line: before.split('\n').length, column: e.offset - nl, message: e.why };
  }
}

/** JSON.parse with an error that says line, column and what is wrong. */
export class JsonParseError extends Error {
  override name = 'JsonParseError';
  constructor(
    readonly source: string,
    readonly problem: JsonSyntaxProblem,
  ) {
    super(`${source}: invalid JSON at line ${problem.line}, column ${problem.column}: ${problem.message}`);
  }
}

/** Parses JSON text; on failure throws JsonParseError naming `source`, the line and the column. */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const p = findJsonSyntaxError(text) ?? { offset: 0, line: 1, column: 1, message: 'not valid JSON' };
    throw new JsonParseError(source, p);
  }
}
