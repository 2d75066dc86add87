// Loads a model into the train worker: a built-in one fetched from public/models/<name>/ (with
// progress in bytes), or the files of a local Hugging Face folder the user picked (ArrayBuffers moved
// from the page). Either way: config.json → LlamaConfig, model.safetensors → tensors (kept on the CPU
// so each run can start again from the loaded weights), tokenizer.json (+ tokenizer_config.json when
// present) → Tokenizer. Errors name the file and what to do; src/model's own messages already do.
import { llamaFromSafetensors, parseHFConfig, parseSafetensors, type Llama, type LlamaConfig, type NamedTensor } from '../model';
import { loadTokenizerText, type Tokenizer } from '../tokenizer';
import { parseJsonText } from '../util/jsonError';
import type { ModelInfo, ModelSource } from './protocol';

/** A model folder or download that cannot be used: names the file and what to do. */
export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

/** What loading leaves in the worker: the parsed checkpoint (to rebuild the policy per run) and its tokenizer. */
export interface LoadedModel {
  /** Display name (built-in name, or the folder's name). */
  name: string;
  config: LlamaConfig;
  /** The checkpoint's tensors on the CPU, by Hugging Face name. */
  tensors: Map<string, NamedTensor>;
  /** Where the weights came from, for error messages. */
  weightsSource: string;
  tokenizer: Tokenizer;
}

/** Reports download progress: bytes so far of all files, and their total (0 while unknown). */
export type OnProgress = (loadedBytes: number, totalBytes: number, label: string) => void;

export interface FetchOptions {
  /** The fetch to use (the worker's global fetch). */
  fetch: (url: string) => Promise<Response>;
  /** URL of the folder holding the built-in models, ending in '/', e.g. `${origin}/models/`. */
  modelsBase: string;
}

const REQUIRED = ['config.json', 'model.safetensors', 'tokenizer.json'] as const;
const OPTIONAL = 'tokenizer_config.json';

/** The last path segment of a picked file's name ("my-model/config.json" → "config.json"). */
function baseName(path: string): string {
  return path.replace(/^.*[\\/]/, '');
}

/** Reads a response body chunk by chunk, reporting each chunk's size. */
async function readBody(res: Response, onChunk: (bytes: number) => void): Promise<Uint8Array> {
  if (res.body === null) {
    const buf = new Uint8Array(await res.arrayBuffer());
    onChunk(buf.byteLength);
    return buf;
  }
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    n += value.byteLength;
    onChunk(value.byteLength);
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.byteLength; }
  return out;
}

/** A fetched file that is really there (not a 404, not the page's HTML served as a fallback). */
function present(res: Response): boolean {
  return res.ok && !(res.headers.get('content-type') ?? '').includes('text/html');
}

/** Downloads public/models/<name>/{config.json, model.safetensors, tokenizer.json[, tokenizer_config.json]}. */
export async function fetchBuiltinFiles(name: string, opts: FetchOptions, onProgress: OnProgress): Promise<Map<string, Uint8Array>> {
  if (!/^[\w.-]+$/.test(name)) throw new ModelLoadError(`'${name}' is not a built-in model name (letters, digits, '-', '_' and '.' only).`);
  const url = (f: string) => `${opts.modelsBase}${name}/${f}`;
  const names = [...REQUIRED, OPTIONAL];
  const responses = await Promise.all(names.map(async (f) => {
    try {
      return await opts.fetch(url(f));
    } catch (e) {
      throw new ModelLoadError(`models/${name}/${f}: the download failed (${e instanceof Error ? e.message : String(e)}); check the connection and reload.`);
    }
  }));
  responses.forEach((res, i) => {
    if (i < REQUIRED.length && !present(res)) {
      throw new ModelLoadError(`models/${name}/${names[i]}: not found (HTTP ${res.status}). The built-in model '${name}' is not installed: ` +
        'run `npm run build:models` (or pick a local Hugging Face folder in the Model panel).');
    }
  });
  const lengths = responses.map((r) => (present(r) ? Number(r.headers.get('content-length') ?? 0) : 0));
  const total = lengths.reduce((a, b) => a + b, 0); // a file without content-length counts 0 until read
  let loaded = 0, lastReport = 0;
  const files = new Map<string, Uint8Array>();
  for (let i = 0; i < names.length; i++) {
    if (!present(responses[i])) continue;
    const bytes = await readBody(responses[i], (n) => {
      loaded += n;
      if (loaded - lastReport >= 1 << 16) { lastReport = loaded; onProgress(loaded, Math.max(total, loaded), names[i]); }
    });
    files.set(names[i], bytes);
  }
  onProgress(loaded, Math.max(total, loaded), 'done');
  return files;
}

/** The picked files by base name; a folder without the required files gets an error listing what is missing. */
export function pickedFiles(files: readonly { name: string; data: ArrayBuffer }[]): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const f of files) out.set(baseName(f.name), new Uint8Array(f.data));
  const missing = REQUIRED.filter((f) => !out.has(f));
  if (missing.length > 0) {
    const sharded = out.has('model.safetensors.index.json') ? ' (sharded checkpoints — model.safetensors.index.json — are not supported; use a model small enough for one file)' : '';
    throw new ModelLoadError(`The picked folder has no ${missing.join(', ')}${sharded}. A Hugging Face model folder needs config.json, model.safetensors and tokenizer.json.`);
  }
  return out;
}

/** Parses the files of a checkpoint folder. `where` prefixes file names in errors (e.g. "models/cherry-arith/"). */
export async function parseModelFiles(name: string, files: Map<string, Uint8Array>, where: string): Promise<LoadedModel> {
  const text = (f: string): string => new TextDecoder().decode(files.get(f));
  const config = parseHFConfig(parseJsonText(text('config.json'), `${where}config.json`), `${where}config.json`);
  const weightsSource = `${where}model.safetensors`;
  const weights = files.get('model.safetensors') ?? new Uint8Array(0); // presence checked by the callers
  const tensors = parseSafetensors(weights, weightsSource);
  const tokenizer = await loadTokenizerText(text('tokenizer.json'), `${where}tokenizer.json`,
    files.has(OPTIONAL) ? text(OPTIONAL) : undefined, `${where}${OPTIONAL}`);
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new ModelLoadError(`${where}tokenizer.json has ${tokenizer.vocabSize} tokens but ${where}config.json's vocab_size is ${config.vocabSize}; ` +
      'the tokenizer does not belong to this model. Put the tokenizer.json saved with this checkpoint beside it.');
  }
  return { name, config, tensors, weightsSource, tokenizer };
}

/** Builds a fresh policy from the loaded checkpoint (throws WeightShapeError naming the tensor). */
export function buildPolicy(m: LoadedModel): Llama {
  return llamaFromSafetensors(m.config, m.tensors, m.weightsSource);
}

/** Sequences decoded at once by a run of `rows` rows (batch_prompts × num_generations). */
export function kvCacheBytes(c: LlamaConfig, rows: number): number {
  // keys and values, every layer, every KV head, the whole context, float32
  return 2 * c.numLayers * c.numKVHeads * c.headDim * c.maxPositionEmbeddings * rows * 4;
}

/** What the page shows: size, memory estimate (weights + grads + 2 Adam moments, plus the KV cache), shape. */
export function modelInfo(m: LoadedModel, parameters: number, rows: number): ModelInfo {
  const kv = kvCacheBytes(m.config, rows);
  return {
    name: m.name,
    parameters,
    memoryBytes: parameters * 4 * (1 + 1 + 2) + kv,
    kvCacheBytes: kv,
    architecture: m.config.architecture,
    vocabSize: m.config.vocabSize,
    layers: m.config.numLayers,
    hiddenSize: m.config.hiddenSize,
  };
}

/** Loads a ModelSource; the returned policy is built once to check every tensor's shape. */
export async function loadModelSource(source: ModelSource, opts: FetchOptions, onProgress: OnProgress): Promise<LoadedModel> {
  if (source.kind === 'builtin') {
    const files = await fetchBuiltinFiles(source.name, opts, onProgress);
    return parseModelFiles(source.name, files, `models/${source.name}/`);
  }
  const files = pickedFiles(source.files);
  const first = source.files[0]?.name ?? '';
  const folder = first.includes('/') ? first.slice(0, first.indexOf('/')) : 'local model';
  const total = source.files.reduce((a, f) => a + f.data.byteLength, 0);
  onProgress(total, total, 'done');
  return parseModelFiles(folder, files, first.includes('/') ? `${folder}/` : '');
}
