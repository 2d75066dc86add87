import { test, expect } from 'vitest';
import { findJsonSyntaxError, parseJsonText, JsonParseError } from '../../src/util/jsonError';
import { Rng } from '../../src/util/rng';

test('hand-counted error positions', () => {
  const cases: [string, number, number, RegExp][] = [
    ['{"a": 1,}', 1, 9, /property name/],
    ['{"a" 1}', 1, 6, /':' after a property name/],
    ["{'a': 1}", 1, 2, /property name/],
    ['[1, 2', 1, 6, /',' or '\]'.*end of the text/],
    ['{"a": tru}', 1, 7, /a value/],
    ['{"a": 1} x', 1, 10, /end of the text after/],
    ['{\n  "a": 01\n}', 2, 9, /',' or '}'/],
    ['"ab\tc"', 1, 4, /control character/],
    ['"a\\qb"', 1, 3, /bad escape/],
    ['', 1, 1, /a value/],
  ];
  for (const [text, line, column, re] of cases) {
    const p = findJsonSyntaxError(text);
    expect(p, text).not.toBeNull();
    expect([p?.line, p?.column], text).toEqual([line, column]);
    expect(p?.message ?? '', text).toMatch(re);
  }
});

test('agrees with JSON.parse on which texts are valid (random mutations)', () => {
  const base = '{"a": [1, -2.5e3, true, false, null], "b": {"c": "d\\n\\u00e9"}, "e": ""}';
  const alphabet = '{}[]",:0123456789-+.eE tfnrul\\a';
  const rng = new Rng(11);
  let valid = 0;
  for (let k = 0; k < 3000; k++) {
    const chars = base.split('');
    for (let m = rng.range(1, 2); m > 0; m--) {
      const pos = rng.int(chars.length + 1);
      const op = rng.int(3);
      if (op === 0) chars.splice(pos, 1);
      else if (op === 1) chars.splice(pos, 0, rng.pick(alphabet.split('')));
      else chars[Math.min(pos, chars.length - 1)] = rng.pick(alphabet.split(''));
    }
    const t = chars.join('');
    let ok = true;
    try {
      JSON.parse(t);
    } catch {
      ok = false;
    }
    if (ok) valid++;
    expect(findJsonSyntaxError(t) === null, t).toBe(ok);
  }
  expect(valid).toBeGreaterThan(50); // both outcomes were exercised
});

test('parseJsonText names the file, line and column', () => {
  expect(parseJsonText('{"a": [1]}', 'f.json')).toEqual({ a: [1] });
  expect(() => parseJsonText('{\n"a": }', 'models/m/config.json')).toThrow(JsonParseError);
  expect(() => parseJsonText('{\n"a": }', 'models/m/config.json')).toThrow(
    /models\/m\/config\.json: invalid JSON at line 2, column 6: expected a value/,
  );
});

test('hand-counted line and column of common mistakes', () => {
  const cases: [string, number, number][] = [
    ['{"a": 1,}', 1, 9],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3],
    ["{'a': 1}", 1, 2],
    ['[1, 2', 1, 6],
    ['"abc', 1, 5],
    ['{"a": tru}', 1, 7],
    ['01', 1, 2],
    ['', 1, 1],
    ['{"a": "x\ny"}', 1, 9],
  ];
  for (const [text, line, column] of cases) {
    expect(() => JSON.parse(text), text).toThrow();
    const p = findJsonSyntaxError(text);
    expect([p?.line, p?.column], text).toEqual([line, column]);
  }
});
