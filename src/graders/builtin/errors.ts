// Load-time errors of built-in grader specs.

/** A grader spec that cannot be loaded: names the field path (e.g. "graders.exact.operation") and the fix. */
export class GraderSpecError extends Error {
  override name = 'GraderSpecError';
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(path ? `grader spec, field "${path}": ${detail}` : `grader spec: ${detail}`);
  }
}

/** Joins a parent path and a field name: ("graders.a", "input") -> "graders.a.input". */
export function fieldPath(parent: string, field: string): string {
  return parent ? `${parent}.${field}` : field;
}
