// json_schema (Cherry extra): the input parses as JSON and validates against a JSON Schema (ajv; draft-07
// when the schema's $schema says so, else 2020-12). The schema is compiled once, when the grader loads;
// an invalid schema is a load error. partial_credit: none (1 valid, else 0); parse (0.5 for valid JSON that
// fails the schema); fields (valid -> 1, else the fraction of the top-level `required` properties that are
// present and have no validation error under them).
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Grader } from '../types';
import type { JsonSchemaSpec } from '../spec';
import { Template } from '../template';
import { errorMessage, syncGrader, type Scored } from './base';
import { GraderSpecError, fieldPath } from './errors';
import { findJsonSyntaxError } from '../../util/jsonError';
import type { Fields } from './fields';

export const PARTIAL_CREDIT_MODES = ['none', 'parse', 'fields'] as const;
export const DEFAULT_JSON_INPUT = '{{ sample.output_text }}';

export function validateJsonSchema(f: Fields, name: string): JsonSchemaSpec {
  const spec: JsonSchemaSpec = { type: 'json_schema', name, schema: f.obj('schema') };
  const input = f.optStr('input');
  if (input !== undefined) spec.input = input;
  const partial = f.optOneOf('partial_credit', PARTIAL_CREDIT_MODES);
  if (partial !== undefined) spec.partial_credit = partial;
  return spec;
}

// "format" values Cherry checks (ajv-formats is not a dependency). Close to ajv-formats' "fast" mode; any other
// format name is a load error rather than silently ignored.
const FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  time: /^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(z|[+-]([01]\d|2[0-3]):?[0-5]\d)?$/i,
  'date-time':
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[t\s]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/i,
  email: /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i,
  uri: /^[a-z][a-z0-9+\-.]*:[^\s]*$/i,
  uuid: /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i,
  ipv4: /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
  hostname: /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$/i,
};

function compileSchema(schema: Record<string, unknown>, path: string): ValidateFunction {
  const draft07 = typeof schema.$schema === 'string' && schema.$schema.includes('draft-07');
  // strictSchema: an unknown keyword (a misspelt "requried") is a load error. Type and tuple strictness
  // are off: schemas without "type": "object" next to "properties", or draft-07 tuples, are legitimate.
  const opts = {
    allErrors: true,
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
    formats: FORMATS,
  };
  const ajv = draft07 ? new Ajv(opts) : new Ajv2020(opts);
  try {
    return ajv.compile(schema);
  } catch (e) {
    throw new GraderSpecError(fieldPath(path, 'schema'), `not a valid JSON Schema: ${errorMessage(e)}`);
  }
}

function requiredOf(schema: Record<string, unknown>, path: string): string[] {
  const req = schema.required;
  if (!Array.isArray(req) || req.length === 0 || !req.every((r): r is string => typeof r === 'string')) {
    throw new GraderSpecError(
      fieldPath(path, 'partial_credit'),
      '"fields" gives credit per top-level "required" property, but the schema has no non-empty "required" list',
    );
  }
  return req;
}

const pointerSegment = (s: string): string => s.replaceAll('~', '~0').replaceAll('/', '~1');

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}`);
}

export function createJsonSchema(spec: JsonSchemaSpec, path: string): Grader {
  const input = Template.parse(spec.input ?? DEFAULT_JSON_INPUT, fieldPath(path, 'input'));
  const validate = compileSchema(spec.schema, path);
  const mode = spec.partial_credit ?? 'none';
  const required = mode === 'fields' ? requiredOf(spec.schema, path) : [];
  return syncGrader(spec.name, (sample, item): Scored => {
    const raw = input.value({ sample, item });
    let value: unknown = raw;
    if (typeof raw === 'string') {
      try {
        value = JSON.parse(raw);
      } catch {
        const where = findJsonSyntaxError(raw);
        return {
          score: 0,
          details: { json: false, error: where ? `line ${where.line}, column ${where.column}: ${where.message}` : 'not JSON' },
        };
      }
    }
    if (validate(value)) return { score: 1, details: { json: true, valid: true } };
    const errors = validate.errors ?? [];
    const details = { json: true, valid: false, errors: describeErrors(errors) };
    if (mode === 'none') return { score: 0, details };
    if (mode === 'parse') return { score: 0.5, details };
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { score: 0, details };
    const good = required.filter((p) => {
      if (!Object.prototype.hasOwnProperty.call(value, p)) return false;
      const prefix = `/${pointerSegment(p)}`;
      return !errors.some((e) => e.instancePath === prefix || e.instancePath.startsWith(`${prefix}/`));
    });
    return { score: good.length / required.length, details: { ...details, fields_ok: good, fields_required: required } };
  });
}
