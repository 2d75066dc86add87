// A checkpoint as Hugging Face files (config.json, model.safetensors, tokenizer.json when there is one,
// plus cherry_run.json: the run's config and step, as nanoGPT keeps model_args beside the weights), one
// zip archive of them, and the way back. No tfjs here: the worker turns the checked files into a model
// with llamaFromSafetensors(config, safetensors). The files load in Python with
// `AutoModelForCausalLM.from_pretrained(folder)`.
import { unzipSync, zipSync, strToU8, strFromU8 } from 'fflate';
import { parseHFConfig, type LlamaConfig } from '../schema/modelConfig';
import { parseSafetensors } from '../schema/safetensors';
import type { CheckpointData } from '../schema/checkpoint';

/** Files of a checkpoint that cannot be imported: which file, what is wrong, what to do. */
export class CheckpointImportError extends Error {
  override name = 'CheckpointImportError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** What checkpointFiles needs: the weights and config of a checkpoint, the rest optional. */
export type CheckpointExport = Pick<CheckpointData, 'weights' | 'modelConfig'> & Partial<Pick<CheckpointData, 'step' | 'config'>>;

/** File name → bytes. */
export type FileMap = Record<string, Uint8Array>;

/** The Hugging Face files of a checkpoint. `tokenizerJson` is the model's tokenizer.json text, if any. */
export function checkpointFiles(cp: CheckpointExport, tokenizerJson: string | null = null): FileMap {
  const files: FileMap = {
    'config.json': strToU8(JSON.stringify(cp.modelConfig, null, 2) + '\n'),
    'model.safetensors': cp.weights,
  };
  if (tokenizerJson !== null) files['tokenizer.json'] = strToU8(tokenizerJson);
  if (cp.step !== undefined || cp.config !== undefined) {
    files['cherry_run.json'] = strToU8(JSON.stringify({ step: cp.step ?? null, config: cp.config ?? null }, null, 2) + '\n');
  }
  return files;
}

/** One zip of the files inside `folder`/ (weights stored, text deflated). */
export function zipCheckpoint(files: FileMap, folder: string): Uint8Array {
  const entries: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const [name, bytes] of Object.entries(files))
    entries[`${folder}/${name}`] = [bytes, { level: name.endsWith('.safetensors') ? 0 : 6 }];
  return zipSync(entries);
}

/** The files of a zip, with a single top-level folder (if all entries share one) removed from the names. */
export function unzipCheckpoint(zip: Uint8Array, source = 'checkpoint archive'): FileMap {
  let raw: FileMap;
  try {
    raw = unzipSync(zip);
  } catch (e) {
    throw new CheckpointImportError(
      source,
      `is not a readable zip archive (${e instanceof Error ? e.message : String(e)}); export the checkpoint again or pick the unzipped files`,
    );
  }
  const names = Object.keys(raw).filter((n) => !n.endsWith('/'));
  const first = names[0]?.split('/')[0];
  const nested = first !== undefined && names.every((n) => n.includes('/') && n.split('/')[0] === first);
  const out: FileMap = {};
  for (const n of names) out[nested ? n.slice(first.length + 1) : n] = raw[n];
  return out;
}

/** Checked import: the model config, the safetensors bytes (already parsed once), the tokenizer text. */
export interface ImportedCheckpoint {
  config: LlamaConfig;
  /** The HF config.json object as it was in the file. */
  modelConfig: Record<string, unknown>;
  safetensors: Uint8Array;
  tokenizerJson: string | null;
}

/** Reads config.json and model.safetensors (and tokenizer.json) from files; throws CheckpointImportError. */
export function readCheckpointFiles(files: FileMap): ImportedCheckpoint {
  for (const need of ['config.json', 'model.safetensors']) {
    if (!files[need]) {
      throw new CheckpointImportError(
        need,
        `missing (found ${Object.keys(files).join(', ') || 'no files'}); a checkpoint needs config.json and model.safetensors side by side`,
      );
    }
  }
  let modelConfig: unknown;
  try {
    modelConfig = JSON.parse(strFromU8(files['config.json']));
  } catch (e) {
    throw new CheckpointImportError('config.json', `is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof modelConfig !== 'object' || modelConfig === null || Array.isArray(modelConfig)) {
    throw new CheckpointImportError('config.json', 'must be a JSON object (a Hugging Face model config)');
  }
  const config = parseHFConfig(modelConfig, 'config.json'); // throws the model's ConfigError naming the field
  parseSafetensors(files['model.safetensors'], 'model.safetensors'); // throws SafetensorsError on a damaged file
  const tok = files['tokenizer.json'];
  return { config, modelConfig: { ...modelConfig }, safetensors: files['model.safetensors'], tokenizerJson: tok ? strFromU8(tok) : null };
}
