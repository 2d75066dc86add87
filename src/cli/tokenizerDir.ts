// Node-only: a model folder's tokenizer files — tokenizer.json, and when present tokenizer_config.json,
// chat_template.jinja and generation_config.json (its eos_token_id joins the stop ids).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadTokenizerText, type Tokenizer } from '../tokenizer';
import { parseJsonText, JsonParseError } from '../util/jsonError';
import { UsageError } from './args';

function optional(dir: string, file: string): string | undefined {
  const p = join(dir, file);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

/** Loads the tokenizer of `dir`; a folder without tokenizer.json is a UsageError saying what to add. */
export async function loadTokenizerDir(dir: string): Promise<Tokenizer> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`${dir}: no such folder; pass --model <folder with tokenizer.json>`);
  const tokPath = join(dir, 'tokenizer.json');
  if (!existsSync(tokPath))
    throw new UsageError(
      `${tokPath}: file is missing; the folder needs the model's tokenizer.json (and tokenizer_config.json for its chat template)`,
    );
  const genPath = join(dir, 'generation_config.json');
  const genText = optional(dir, 'generation_config.json');
  let generationConfig: unknown;
  try {
    generationConfig = genText === undefined ? undefined : parseJsonText(genText, genPath);
  } catch (e) {
    if (e instanceof JsonParseError)
      throw new UsageError(`${genPath}: invalid JSON at line ${e.problem.line}, column ${e.problem.column}: ${e.problem.message}`);
    throw e;
  }
  return loadTokenizerText(
    readFileSync(tokPath, 'utf8'),
    tokPath,
    optional(dir, 'tokenizer_config.json'),
    join(dir, 'tokenizer_config.json'),
    {
      chatTemplate: optional(dir, 'chat_template.jinja'),
      generationConfig,
    },
  );
}
