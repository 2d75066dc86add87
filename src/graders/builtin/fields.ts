// Typed reading of one JSON object's fields, with errors naming the field path. Unknown fields are errors
// too (a misspelt "refrence" should not be silently ignored).
import { GraderSpecError, fieldPath } from './errors';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? `the string ${JSON.stringify(v)}` : `${typeof v} ${JSON.stringify(v)}`;
}

/** Reads the fields of `obj` (found at `path`); call finish() to reject fields nobody read. */
export class Fields {
  private readonly seen = new Set<string>(['type']);
  constructor(
    readonly raw: Obj,
    readonly path: string,
    private readonly type: string,
  ) {}

  at(name: string): string {
    return fieldPath(this.path, name);
  }

  private get(name: string, required: boolean): unknown {
    this.seen.add(name);
    const v = this.raw[name];
    if (Object.prototype.hasOwnProperty.call(this.raw, name) && v !== undefined) return v;
    if (required) throw new GraderSpecError(this.at(name), `missing; a ${this.type} grader needs "${name}"`);
    return undefined;
  }

  str(name: string): string {
    const v = this.get(name, true);
    if (typeof v !== 'string') throw new GraderSpecError(this.at(name), `must be a string, got ${describe(v)}`);
    return v;
  }

  optStr(name: string): string | undefined {
    const v = this.get(name, false);
    if (v !== undefined && typeof v !== 'string') throw new GraderSpecError(this.at(name), `must be a string, got ${describe(v)}`);
    return v;
  }

  optNum(name: string): number | undefined {
    const v = this.get(name, false);
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new GraderSpecError(this.at(name), `must be a finite number, got ${describe(v)}`);
    }
    return v;
  }

  oneOf<V extends string>(name: string, values: readonly V[]): V {
    const v = this.str(name);
    const found = values.find((x) => x === v);
    if (found === undefined) {
      throw new GraderSpecError(this.at(name), `${JSON.stringify(v)} is not one of: ${values.join(', ')}`);
    }
    return found;
  }

  optOneOf<V extends string>(name: string, values: readonly V[]): V | undefined {
    return this.get(name, false) === undefined ? undefined : this.oneOf(name, values);
  }

  obj(name: string): Obj {
    const v = this.get(name, true);
    if (!isObj(v)) throw new GraderSpecError(this.at(name), `must be a JSON object, got ${describe(v)}`);
    return v;
  }

  /** A raw optional value (the caller checks its type). */
  optRaw(name: string): unknown {
    return this.get(name, false);
  }

  finish(): void {
    for (const k of Object.keys(this.raw)) {
      if (!this.seen.has(k)) {
        throw new GraderSpecError(
          this.at(k),
          `unknown field for a ${this.type} grader; known fields: ` + `${[...this.seen].join(', ')}. Remove it or fix its spelling`,
        );
      }
    }
  }
}
