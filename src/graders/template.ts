// Grader templates: "{{ sample.output_text }}", "{{ item.reference_answer }}", "{{ sample.output_json.a.b }}".
// A template is parsed once (when the grader loads) and rendered per sample. Paths start at `sample` or
// `item` and descend with `.key`; `[n]` or `.n` selects an array element (`sample.output_tools[0].function.name`,
// `item.choices.0`). Strings render as they are, other values as JSON. A missing `item.` path is an error naming the path (a dataset bug, never
// "undefined"); a missing `sample.` path (the output is not JSON, or lacks a field) renders as "" and has
// the value null: for RL that is a wrong answer that scores 0, not an unscorable sample.
import type { Item, Sample } from './types';

/** A template that cannot be parsed (at load time) or whose path is missing from a sample (at grading time). */
export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** What a template can see. */
export interface TemplateContext {
  sample: Sample;
  item: Item;
}

/** What a missing `sample.` path looks up to. */
const MISSING: unique symbol = Symbol('missing');

type Part = { kind: 'text'; text: string } | { kind: 'path'; path: string[]; source: string };

const SEGMENT = /^[A-Za-z0-9_$-]+$/;

/** A parsed template. */
export class Template {
  private constructor(
    readonly source: string,
    private readonly parts: Part[],
    private readonly field: string,
  ) {}

  /** Parses `source`; `field` names where it came from in messages (e.g. "graders.exact.input"). */
  static parse(source: string, field = 'template'): Template {
    const parts: Part[] = [];
    let pos = 0;
    while (pos < source.length) {
      const open = source.indexOf('{{', pos);
      if (open < 0) {
        parts.push({ kind: 'text', text: source.slice(pos) });
        break;
      }
      if (open > pos) parts.push({ kind: 'text', text: source.slice(pos, open) });
      const close = source.indexOf('}}', open + 2);
      if (close < 0) {
        throw new TemplateError(`${field}: "{{" at column ${open + 1} has no closing "}}"`, field);
      }
      const expr = source.slice(open + 2, close).trim();
      parts.push({ kind: 'path', path: parsePath(expr, field, open + 1), source: expr });
      pos = close + 2;
    }
    return new Template(source, parts, field);
  }

  /** The paths this template reads, e.g. ["sample.output_text"]. */
  get paths(): string[] {
    return this.parts.flatMap((p) => (p.kind === 'path' ? [p.source] : []));
  }

  /** The same paths split into segments, indices as digit strings: "sample.a[0].b" gives ["sample", "a", "0", "b"]. */
  get segments(): string[][] {
    return this.parts.flatMap((p) => (p.kind === 'path' ? [p.path] : []));
  }

  /** Renders to a string: strings as they are, other values as JSON. */
  render(ctx: TemplateContext): string {
    let out = '';
    for (const part of this.parts) {
      if (part.kind === 'text') out += part.text;
      else {
        const v = this.lookup(part, ctx);
        out += v === MISSING ? '' : stringify(v);
      }
    }
    return out;
  }

  /**
   * The raw value when the template is exactly one "{{ path }}" (so "{{ sample.output_json }}" gives the
   * object itself); otherwise the rendered string.
   */
  value(ctx: TemplateContext): unknown {
    if (this.parts.length === 1 && this.parts[0].kind === 'path') {
      const v = this.lookup(this.parts[0], ctx);
      return v === MISSING ? null : v;
    }
    return this.render(ctx);
  }

  private lookup(part: Part & { kind: 'path' }, ctx: TemplateContext): unknown {
    const [root, ...rest] = part.path;
    try {
      return this.walk(part, root, rest, ctx);
    } catch (e) {
      if (e instanceof TemplateError && root === 'sample') return MISSING;
      throw e;
    }
  }

  private walk(part: Part & { kind: 'path' }, root: string, rest: string[], ctx: TemplateContext): unknown {
    let cur: unknown = root === 'sample' ? ctx.sample : ctx.item;
    let walked = root;
    for (const key of rest) {
      if (cur === null || typeof cur !== 'object') {
        const why = cur === null && walked === 'sample.output_json' ? ' (the output is not valid JSON)' : '';
        throw new TemplateError(
          `${this.field}: {{ ${part.source} }}: ${walked} is ${cur === null ? 'null' : typeof cur}${why}, ` + `so it has no field "${key}"`,
          this.field,
        );
      }
      if (!Object.prototype.hasOwnProperty.call(cur, key)) {
        const keys = Array.isArray(cur) ? `an array of length ${cur.length}` : `fields: ${Object.keys(cur).join(', ') || '(none)'}`;
        throw new TemplateError(`${this.field}: {{ ${part.source} }}: ${walked} has no field "${key}" (${keys})`, this.field);
      }
      cur = (cur as Record<string, unknown>)[key]; // own property checked just above
      walked += `.${key}`;
    }
    if (cur === undefined) {
      throw new TemplateError(`${this.field}: {{ ${part.source} }} is undefined`, this.field);
    }
    return cur;
  }
}

function parsePath(expr: string, field: string, column: number): string[] {
  if (expr === '') throw new TemplateError(`${field}: empty "{{ }}" at column ${column}`, field);
  // "a.b[0].c" (OpenAI's JSON-path-like syntax) is the same path as "a.b.0.c".
  const segs: string[] = [];
  for (const dotted of expr.split('.').map((s) => s.trim())) {
    const m = /^([^[\]]*)((?:\[\s*\d+\s*\])*)$/.exec(dotted);
    if (m === null || (m[1] === '' && (m[2] === '' || segs.length === 0))) {
      throw new TemplateError(
        `${field}: {{ ${expr} }} at column ${column}: "${dotted}" is not a field name ` +
          '(use letters, digits, _ or -, separated by dots; [n] selects element n of an array)',
        field,
      );
    }
    if (m[1] !== '') segs.push(m[1]);
    for (const idx of m[2].matchAll(/\d+/g)) segs.push(idx[0]);
  }
  const [root] = segs;
  if (root !== 'sample' && root !== 'item') {
    throw new TemplateError(
      `${field}: {{ ${expr} }} at column ${column} must start with "sample." or "item." ` +
        '(e.g. {{ sample.output_text }}, {{ item.reference_answer }})',
      field,
    );
  }
  for (const s of segs) {
    if (!SEGMENT.test(s)) {
      throw new TemplateError(
        `${field}: {{ ${expr} }} at column ${column}: "${s}" is not a field name ` +
          '(use letters, digits, _ or -, separated by dots; [n] selects element n of an array)',
        field,
      );
    }
  }
  return segs;
}

function stringify(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** True when `text` contains template syntax. */
export function isTemplate(text: string): boolean {
  return text.includes('{{');
}
