// Node-only: read a Hugging Face model folder (config.json + model.safetensors [+ tokenizer.json])
// from disk into a Llama, and pick the tfjs backend for the CLI.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { llamaFromSafetensors, parseHFConfig, parseSafetensors, type Llama } from '../model';
import { loadTokenizerText, type Tokenizer } from '../tokenizer';
import { UsageError } from './args';

/** A model folder that cannot be read: names the folder or file and what to do. */
export class ModelDirError extends Error {
  override name = 'ModelDirError';
}

export interface ModelDir {
  model: Llama;
  /** The folder's tokenizer.json, or null when it has none. */
  tokenizer: Tokenizer | null;
}

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ModelDirError(`${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Loads config.json and model.safetensors (and tokenizer.json when present) from `dir`. */
export async function loadModelDir(dir: string): Promise<ModelDir> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ModelDirError(`${dir}: no such folder; pass --model <folder with config.json and model.safetensors>`);
  const configPath = join(dir, 'config.json');
  const weightsPath = join(dir, 'model.safetensors');
  for (const p of [configPath, weightsPath]) {
    if (!existsSync(p)) throw new ModelDirError(`${p}: file is missing; a model folder needs config.json and model.safetensors (sharded checkpoints are not supported)`);
  }
  const config = parseHFConfig(readJson(configPath), configPath);
  const tensors = parseSafetensors(new Uint8Array(readFileSync(weightsPath)), weightsPath);
  let tokenizer: Tokenizer | null = null;
  const tokPath = join(dir, 'tokenizer.json');
  if (existsSync(tokPath)) {
    const cfgPath = join(dir, 'tokenizer_config.json');
    tokenizer = await loadTokenizerText(readFileSync(tokPath, 'utf8'), tokPath, existsSync(cfgPath) ? readFileSync(cfgPath, 'utf8') : undefined, cfgPath);
  }
  return { model: llamaFromSafetensors(config, tensors, weightsPath), tokenizer };
}

/** Switches tfjs to `name` (wasm or cpu) and fails loudly if it did not happen. */
export async function useBackend(name: string): Promise<string> {
  if (name !== 'wasm' && name !== 'cpu') throw new UsageError(`--backend must be wasm or cpu in Node, got '${name}'`);
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`could not start the tfjs ${name} backend`);
  return name;
}
