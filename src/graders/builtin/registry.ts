// The built-in grader types: one file each, one table here. Each entry reads and checks its spec fields
// (load time) and builds a Grader; code graders (python, javascript) are built by the injected sandbox factory.
import type { Grader } from '../types';
import type { GraderSpec, GraderType, JavaScriptSpec, PythonSpec } from '../spec';
import { GraderSpecError } from './errors';
import { Fields, isObj } from './fields';
import { createStringCheck, validateStringCheck } from './stringCheck';
import { createTextSimilarity, validateTextSimilarity } from './textSimilarity';
import { createRegex, validateRegex } from './regex';
import { createJsonSchema, validateJsonSchema } from './jsonSchema';
import { createMulti, validateMulti } from './multi';
import { createLabelModel, createScoreModel, validateLabelModel, validateScoreModel } from './modelGraders';
import type { Judge } from '../judge/types';

type SpecOf<T extends GraderType> = Extract<GraderSpec, { type: T }>;

/** What a factory gets besides its spec. */
export interface BuildContext {
  /** Field path of this spec inside the top-level spec ('' at the top, 'graders.exact' in a multi). */
  path: string;
  /** Builds python/javascript graders (the sandbox). */
  createCodeGrader: (spec: PythonSpec | JavaScriptSpec) => Promise<Grader>;
  /** The judge of model graders (score_model, label_model, text_similarity "cosine"); null when none is set up. */
  judge: Judge | null;
  /** Builds a nested spec (multi's sub-graders). */
  build: (spec: GraderSpec, path: string) => Promise<Grader>;
}

interface Entry<T extends GraderType> {
  /** Reads the fields of a raw spec object (the `type` and `name` fields are read already). */
  validate(f: Fields, name: string, validateSub: (raw: unknown, path: string) => GraderSpec): SpecOf<T>;
  create(spec: SpecOf<T>, ctx: BuildContext): Grader | Promise<Grader>;
}

type Registry = { [T in GraderType]: Entry<T> };

export const GRADER_REGISTRY: Registry = {
  string_check: { validate: validateStringCheck, create: (s, ctx) => createStringCheck(s, ctx.path) },
  text_similarity: { validate: validateTextSimilarity, create: (s, ctx) => createTextSimilarity(s, ctx.path, ctx.judge) },
  score_model: { validate: validateScoreModel, create: (s, ctx) => createScoreModel(s, ctx.path, ctx.judge) },
  label_model: { validate: validateLabelModel, create: (s, ctx) => createLabelModel(s, ctx.path, ctx.judge) },
  regex: { validate: validateRegex, create: (s, ctx) => createRegex(s, ctx.path) },
  json_schema: { validate: validateJsonSchema, create: (s, ctx) => createJsonSchema(s, ctx.path) },
  multi: { validate: validateMulti, create: (s, ctx) => createMulti(s, ctx.path, ctx.build) },
  python: {
    validate: (f, name) => {
      const spec: PythonSpec = { type: 'python', name, source: f.str('source') };
      const tag = f.optStr('image_tag');
      if (tag !== undefined) spec.image_tag = tag;
      return spec;
    },
    create: (s, ctx) => ctx.createCodeGrader(s),
  },
  javascript: {
    validate: (f, name) => {
      const spec: JavaScriptSpec = { type: 'javascript', name, source: f.str('source') };
      const language = f.optOneOf('language', ['js', 'ts'] as const);
      if (language !== undefined) spec.language = language;
      return spec;
    },
    create: (s, ctx) => ctx.createCodeGrader(s),
  },
};

export const GRADER_TYPES = Object.keys(GRADER_REGISTRY) as GraderType[]; // keys of a Record<GraderType, …>

/** OpenAI grader types Cherry cannot run, with the reason. */
const UNSUPPORTED: Record<string, string> = {
  endpoint: 'it calls a remote endpoint, and graders in Cherry have no network access',
};

function isGraderType(t: string): t is GraderType {
  return Object.prototype.hasOwnProperty.call(GRADER_REGISTRY, t);
}

function validateEntry<T extends GraderType>(type: T, f: Fields, name: string): SpecOf<T> {
  const entry: Entry<T> = GRADER_REGISTRY[type];
  return entry.validate(f, name, validateGraderSpec);
}

/** Checks a raw (parsed JSON) spec and returns it typed; throws GraderSpecError naming the field path. */
export function validateGraderSpec(raw: unknown, path = ''): GraderSpec {
  if (!isObj(raw)) throw new GraderSpecError(path, 'a grader must be a JSON object such as {"type": "string_check", ...}');
  const type = raw.type;
  const typePath = path ? `${path}.type` : 'type';
  if (typeof type !== 'string') {
    throw new GraderSpecError(typePath, `missing or not a string; one of: ${GRADER_TYPES.join(', ')}`);
  }
  const why = Object.prototype.hasOwnProperty.call(UNSUPPORTED, type) ? UNSUPPORTED[type] : undefined;
  if (why !== undefined) throw new GraderSpecError(typePath, `"${type}" is not supported in Cherry: ${why}`);
  if (!isGraderType(type)) throw new GraderSpecError(typePath, `unknown grader type "${type}"; one of: ${GRADER_TYPES.join(', ')}`);
  const f = new Fields(raw, path, type);
  const name = f.str('name');
  const spec = validateEntry(type, f, name);
  f.finish();
  return spec;
}

function createEntry<T extends GraderType>(type: T, spec: SpecOf<T>, ctx: BuildContext): Grader | Promise<Grader> {
  const entry: Entry<T> = GRADER_REGISTRY[type];
  return entry.create(spec, ctx);
}

/** Builds a Grader from a spec that validateGraderSpec accepted. */
export async function buildGrader(spec: GraderSpec, ctx: BuildContext): Promise<Grader> {
  return createEntry(spec.type, spec, ctx);
}
