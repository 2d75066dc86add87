// Finds where a JSON text stops being valid, as a 1-based line and column. JSON.parse's own messages
// differ between engines (and some give no position), so Cherry locates the error itself.

export interface JsonSyntaxIssue {
  line: number;
  column: number;
  /** What was expected there. */
  message: string;
}

class Stop { constructor(readonly pos: number, readonly message: string) {} }

/** Returns null when `text` is valid JSON, else where and why it is not. */
export function locateJsonError(text: string): JsonSyntaxIssue | null {
  let i = 0;
  const ws = (): void => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const fail = (message: string): never => { throw new Stop(i, message); };
  const got = (): string => (i < text.length ? `"${text[i]}"` : 'the end of the text');
  const lit = (word: string): void => { if (text.startsWith(word, i)) i += word.length; else fail(`unexpected ${got()}; expected a value`); };
  const str = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail('a control character (such as a newline) inside a string must be escaped');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('\\u must be followed by 4 hex digits'); i += 5; }
        else if (i < text.length && '"\\/bfnrt'.includes(text[i])) i++;
        else fail(`invalid escape "\\${text[i] ?? ''}"`);
      } else i++;
    }
    if (i >= text.length) fail('unterminated string; expected a closing "');
    i++;
  };
  const num = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail(`unexpected ${got()}; expected a value`);
    else i += m[0].length;
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail('nested too deeply');
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`unexpected ${got()}; expected a property name in double quotes`);
        str(); ws();
        if (text[i] !== ':') fail(`unexpected ${got()}; expected ":" after the property name`);
        i++; value(depth + 1); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail(`unexpected ${got()}; expected "," or "}"`);
      }
    } else if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(depth + 1); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail(`unexpected ${got()}; expected "," or "]"`);
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else num();
  };
  try {
    value(0); ws();
    if (i < text.length) fail(`unexpected ${got()} after the end of the JSON value`);
    return null;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const before = text.slice(0, e.pos);
    const line = before.split('\n').length;
    const column = e.pos - (before.lastIndexOf('\n') + 1) + 1;
    return { line, column, message: e.message };
  }
}
