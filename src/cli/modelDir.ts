// Node-only: read a Hugging Face model folder (config.json + model.safetensors or a sharded index with
// its shards [+ tokenizer.json and its chat template / generation_config.json]) from disk into a model, and pick the tfjs backend for the CLI.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { llamaFromSafetensors, loadCheckpoint, type CheckpointFiles, type Llama } from '../model';
import type { Tokenizer } from '../tokenizer';
import { loadTokenizerDir } from './tokenizerDir';
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

/** A folder as CheckpointFiles: a file that does not exist reads as null. */
export function folderFiles(dir: string): CheckpointFiles {
  return {
    read: async (name) => {
      const p = join(dir, name);
      return existsSync(p) && statSync(p).isFile() ? new Uint8Array(await readFile(p)) : null;
    },
  };
}

/** Loads the checkpoint in `dir` (config.json first, then one or several safetensors files) and tokenizer.json when present. */
export async function loadModelDir(dir: string): Promise<ModelDir> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ModelDirError(`${dir}: no such folder; pass --model <folder with config.json and model.safetensors>`);
  const cp = await loadCheckpoint(folderFiles(dir), dir.endsWith('/') ? dir : `${dir}/`);
  const tokenizer = existsSync(join(dir, 'tokenizer.json')) ? await loadTokenizerDir(dir) : null;
  return { model: llamaFromSafetensors(cp.config, cp.tensors, cp.weightsSource), tokenizer };
}

/** Switches tfjs to `name` (wasm or cpu) and fails loudly if it did not happen. */
export async function useBackend(name: string): Promise<string> {
  if (name !== 'wasm' && name !== 'cpu') throw new UsageError(`--backend must be wasm or cpu in Node, got '${name}'`);
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`could not start the tfjs ${name} backend`);
  return name;
}
