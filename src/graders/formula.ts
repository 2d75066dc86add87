// The `calculate_output` formula of a multi grader, e.g. "0.5 * exact + 0.5 * min(1, fuzzy ^ 2)".
// A recursive-descent parser (no eval, no Function) builds a small tree once; evaluating it is a walk.
//
// Grammar (whitespace between tokens is ignored):
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*
//   unary   := ('-' | '+') unary | power
//   power   := primary ('^' unary)?          right-associative: 2^3^2 = 2^9; -2^2 = -(2^2)
//   primary := number | name | func '(' expr (',' expr)* ')' | '(' expr ')'
//   func    := min | max (one or more arguments) | abs | floor | ceil | exp | sqrt | log (one argument)
// `name` is a sub-grader name. log is the natural logarithm. Division by zero or log of a negative number
// gives a non-finite value; the multi grader reports it as an error, never as a silent 0.

/** A formula outside the grammar, with the 1-based column where it went wrong. */
export class FormulaError extends Error {
  override name = 'FormulaError';
  constructor(
    message: string,
    readonly column: number,
    readonly formula: string,
  ) {
    super(`calculate_output, column ${column}: ${message}\n  ${formula}\n  ${' '.repeat(Math.max(0, column - 1))}^`);
  }
}

type Node =
  | { k: 'num'; v: number }
  | { k: 'var'; name: string }
  | { k: 'neg'; a: Node }
  | { k: 'bin'; op: '+' | '-' | '*' | '/' | '^'; a: Node; b: Node }
  | { k: 'call'; fn: FnName; args: Node[] };

const UNARY_FNS = { abs: Math.abs, floor: Math.floor, ceil: Math.ceil, exp: Math.exp, sqrt: Math.sqrt, log: Math.log };
type FnName = keyof typeof UNARY_FNS | 'min' | 'max';
const FN_NAMES: readonly string[] = ['min', 'max', ...Object.keys(UNARY_FNS)];

function isFnName(s: string): s is FnName {
  return FN_NAMES.includes(s);
}

interface Token {
  kind: 'num' | 'name' | 'op' | 'end';
  text: string;
  col: number;
}

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const num = NUMBER.exec(rest);
    if (num) {
      out.push({ kind: 'num', text: num[0], col: i + 1 });
      i += num[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      out.push({ kind: 'name', text: name[0], col: i + 1 });
      i += name[0].length;
      continue;
    }
    if ('+-*/^(),'.includes(c)) {
      out.push({ kind: 'op', text: c, col: i + 1 });
      i++;
      continue;
    }
    throw new FormulaError(
      `unexpected character "${c}"; expected a number, a name, an operator (+ - * / ^), ` + 'a parenthesis or a comma',
      i + 1,
      src,
    );
  }
  out.push({ kind: 'end', text: '', col: src.length + 1 });
  return out;
}

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly toks: Token[],
    private readonly known: ReadonlySet<string>,
  ) {}

  parse(): Node {
    if (this.peek().kind === 'end') throw this.fail('the formula is empty; expected an expression such as "a + b"');
    const node = this.expr();
    const t = this.peek();
    if (t.kind !== 'end') throw this.fail(`unexpected "${t.text}"; expected an operator (+ - * / ^) or the end`);
    return node;
  }

  private peek(): Token {
    return this.toks[this.i];
  }
  private next(): Token {
    return this.toks[this.i++];
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  private fail(msg: string, col = this.peek().col): FormulaError {
    return new FormulaError(msg, col, this.src);
  }

  private expr(): Node {
    let a = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text === '+' ? '+' : '-';
      a = { k: 'bin', op, a, b: this.term() };
    }
    return a;
  }

  private term(): Node {
    let a = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.next().text === '*' ? '*' : '/';
      a = { k: 'bin', op, a, b: this.unary() };
    }
    return a;
  }

  private unary(): Node {
    if (this.isOp('-')) {
      this.next();
      return { k: 'neg', a: this.unary() };
    }
    if (this.isOp('+')) {
      this.next();
      return this.unary();
    }
    const base = this.primary();
    if (this.isOp('^')) {
      this.next();
      return { k: 'bin', op: '^', a: base, b: this.unary() };
    }
    return base;
  }

  private primary(): Node {
    const t = this.peek();
    if (t.kind === 'num') {
      this.next();
      return { k: 'num', v: Number(t.text) };
    }
    if (t.kind === 'op' && t.text === '(') {
      this.next();
      const e = this.expr();
      if (!this.isOp(')')) throw this.fail(`expected ")" to close the "(" at column ${t.col}`);
      this.next();
      return e;
    }
    if (t.kind === 'name') {
      this.next();
      if (this.isOp('(')) return this.call(t);
      if (this.known.has(t.text)) return { k: 'var', name: t.text };
      const hint = isFnName(t.text) ? `; "${t.text}" is a function: write ${t.text}(...)` : '';
      throw this.fail(`unknown name "${t.text}"${hint}; known sub-graders: ${[...this.known].join(', ') || '(none)'}`, t.col);
    }
    if (t.kind === 'end') throw this.fail('the formula ends too early; expected a number, a name or "("');
    throw this.fail(`unexpected "${t.text}"; expected a number, a name or "("`);
  }

  private call(nameTok: Token): Node {
    const fn = nameTok.text;
    if (!isFnName(fn)) {
      throw this.fail(`unknown function "${fn}"; functions: ${FN_NAMES.join(', ')}`, nameTok.col);
    }
    this.next(); // '('
    if (this.isOp(')')) throw this.fail(`${fn}() needs an argument`);
    const args = [this.expr()];
    while (this.isOp(',')) {
      this.next();
      args.push(this.expr());
    }
    if (!this.isOp(')')) throw this.fail(`expected "," or ")" in the arguments of ${fn}(`);
    this.next();
    if (fn !== 'min' && fn !== 'max' && args.length !== 1) {
      throw this.fail(`${fn}() takes exactly one argument, got ${args.length}`, nameTok.col);
    }
    return { k: 'call', fn, args };
  }
}

function evaluate(n: Node, vars: Readonly<Record<string, number>>): number {
  switch (n.k) {
    case 'num':
      return n.v;
    case 'var':
      return vars[n.name] ?? NaN;
    case 'neg':
      return -evaluate(n.a, vars);
    case 'bin': {
      const a = evaluate(n.a, vars);
      const b = evaluate(n.b, vars);
      switch (n.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        case '^':
          return a ** b;
      }
      break;
    }
    case 'call': {
      const args = n.args.map((x) => evaluate(x, vars));
      if (n.fn === 'min') return Math.min(...args);
      if (n.fn === 'max') return Math.max(...args);
      return UNARY_FNS[n.fn](args[0]);
    }
  }
  throw new Error('unreachable formula node');
}

/** A parsed formula. */
export interface Formula {
  readonly source: string;
  /** The sub-grader names the formula reads. */
  readonly names: readonly string[];
  /** Evaluates with the given variable values; may return NaN or ±Infinity (the caller reports it). */
  evaluate(vars: Readonly<Record<string, number>>): number;
}

/** Parses `source` against the known sub-grader names; throws FormulaError with a column. */
export function parseFormula(source: string, knownNames: Iterable<string>): Formula {
  const known = new Set(knownNames);
  const root = new Parser(source, lex(source), known).parse();
  const names = new Set<string>();
  const walk = (n: Node): void => {
    if (n.k === 'var') names.add(n.name);
    else if (n.k === 'neg') walk(n.a);
    else if (n.k === 'bin') {
      walk(n.a);
      walk(n.b);
    } else if (n.k === 'call') n.args.forEach(walk);
  };
  walk(root);
  return { source, names: [...names], evaluate: (vars) => evaluate(root, vars) };
}
