import { test, expect } from 'vitest';
import { locateJsonError } from '../../../src/graders/builtin/jsonSyntax';

test('valid JSON gives null; invalid JSON gives the 1-based line and column (hand-counted)', () => {
  for (const ok of ['{}', '[]', ' 1 ', '"a\\u00e9\\n"', '{"a": [1, -2.5e3, true, false, null, {"b": "c"}]}']) {
    expect(locateJsonError(ok), ok).toBeNull();
    expect(() => JSON.parse(ok)).not.toThrow();
  }
  const cases: [string, number, number, RegExp][] = [
    ['{"a": 1,}', 1, 9, /expected a property name/],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, /expected "," or "}"/],
    ["{'a': 1}", 1, 2, /property name in double quotes/],
    ['[1, 2', 1, 6, /expected "," or "\]"/],
    ['"abc', 1, 5, /unterminated string/],
    ['{"a": tru}', 1, 7, /expected a value/],
    ['01', 1, 2, /after the end/],
    ['', 1, 1, /expected a value/],
    ['{"a": "x\ny"}', 1, 9, /control character/],
  ];
  for (const [text, line, column, msg] of cases) {
    expect(() => JSON.parse(text), text).toThrow();
    const r = locateJsonError(text);
    expect(r, text).not.toBeNull();
    expect([r?.line, r?.column], text).toEqual([line, column]);
    expect(r?.message, text).toMatch(msg);
  }
});
