// A grader file given on the command line (.js/.ts/.py code, or an OpenAI/Cherry .json spec) as a
// GraderSource. Shared by `grade`, `eval` and `train`; imports no tfjs.
import { existsSync, readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parseGraderJson } from '../graders/openai';
import type { GraderSource } from '../graders/types';
import { UsageError } from './args';

/** Throws UsageError for a missing file or an unknown extension; a bad .json spec throws its parse error. */
export function graderFromFile(file: string): GraderSource {
  if (!existsSync(file)) throw new UsageError(`--grader ${file}: no such file`);
  const text = readFileSync(file, 'utf8');
  const name = basename(file);
  const ext = extname(file).toLowerCase();
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return { kind: 'js', code: text, name };
  if (ext === '.ts' || ext === '.mts') return { kind: 'ts', code: text, name };
  if (ext === '.py') return { kind: 'python', code: text, name };
  if (ext === '.json') return { kind: 'spec', spec: parseGraderJson(text, file) };
  throw new UsageError(`--grader ${file}: unknown extension '${ext}'; use .js, .ts, .py or .json`);
}
