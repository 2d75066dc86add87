import { test, expect } from 'vitest';
import { FormulaError, parseFormula } from '../../src/graders/formula';

const ev = (src: string, vars: Record<string, number> = {}): number => parseFormula(src, Object.keys(vars)).evaluate(vars);

test('precedence, associativity and unary minus (hand-computed)', () => {
  expect(ev('1 + 2 * 3')).toBe(7);
  expect(ev('(1 + 2) * 3')).toBe(9);
  expect(ev('10 - 4 - 3')).toBe(3); // left-assoc: (10-4)-3
  expect(ev('8 / 4 / 2')).toBe(1); // left-assoc
  expect(ev('2 ^ 3 ^ 2')).toBe(512); // right-assoc: 2^(3^2)
  expect(ev('-2 ^ 2')).toBe(-4); // -(2^2)
  expect(ev('2 ^ -1')).toBe(0.5);
  expect(ev('--3')).toBe(3);
  expect(ev('1.5e1 + .5')).toBe(15.5);
});

test('functions and sub-grader names', () => {
  const vars = { exact: 1, fuzzy: 0.25, tone: 0.5 };
  expect(ev('0.5 * exact + 0.5 * fuzzy', vars)).toBe(0.625);
  expect(ev('min(exact, fuzzy, tone)', vars)).toBe(0.25);
  expect(ev('max(fuzzy)', vars)).toBe(0.25);
  expect(ev('sqrt(fuzzy) + abs(-tone) + floor(2.7) + ceil(2.1)', vars)).toBe(0.5 + 0.5 + 2 + 3);
  expect(ev('exp(0) + log(1)')).toBe(1);
  expect(ev('log(exp(2))')).toBeCloseTo(2, 12);
  expect(parseFormula('a * b + a', ['a', 'b', 'c']).names).toEqual(['a', 'b']);
});

test('division by zero and log of a negative are non-finite, not 0', () => {
  expect(ev('1 / z', { z: 0 })).toBe(Infinity);
  expect(ev('log(-1)')).toBeNaN();
  expect(ev('sqrt(-1)')).toBeNaN();
});

function errorOf(src: string, names: string[] = ['a', 'b']): FormulaError {
  try {
    parseFormula(src, names);
  } catch (e) {
    if (e instanceof FormulaError) return e;
    throw e;
  }
  throw new Error(`no FormulaError for ${src}`);
}

test('rejects everything outside the grammar with the 1-based column', () => {
  const cases: [string, number, RegExp][] = [
    ['', 1, /empty/],
    ['a +', 4, /ends too early/],
    ['a + * b', 5, /expected a number, a name or "\("/],
    ['a b', 3, /unexpected "b"/],
    ['(a + b', 7, /expected "\)" to close the "\(" at column 1/],
    ['a + b)', 6, /unexpected "\)"/],
    ['a % b', 3, /unexpected character "%"/],
    ['a; b', 2, /unexpected character ";"/],
    ['c + a', 1, /unknown name "c".*known sub-graders: a, b/],
    ['pow(a, 2)', 1, /unknown function "pow".*min, max, abs/],
    ['abs(a, b)', 1, /exactly one argument/],
    ['min()', 5, /needs an argument/],
    ['min(a b)', 7, /expected "," or "\)"/],
    ['a + min', 5, /"min" is a function/],
    ['constructor', 1, /unknown name "constructor"/],
    ['a.b', 2, /unexpected character "\."/],
  ];
  for (const [src, col, msg] of cases) {
    const e = errorOf(src);
    expect(e.column, src).toBe(col);
    expect(e.message, src).toMatch(msg);
  }
});

test('the message shows the formula with a caret under the column', () => {
  expect(errorOf('a + * b').message).toBe(
    'calculate_output, column 5: unexpected "*"; expected a number, a name or "("\n  a + * b\n      ^',
  );
});
