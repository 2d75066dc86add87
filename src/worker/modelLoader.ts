// Loads a model into the train worker: a built-in one fetched from public/models/<name>/ (with
// progress in bytes), the files of a local Hugging Face folder the user picked or dropped (ArrayBuffers
// moved from the page), or a Hub id / URL downloaded through src/hub into the cache (Cache Storage in the
// browser; a second load needs no network), cancellable. Every source becomes a CheckpointFiles handed
// to loadCheckpoint (config.json checked first, one or sharded safetensors, F32/F16/BF16, every
// architecture); tensors stay on the CPU so each run can start again from the loaded weights.
// tokenizer.json (+ tokenizer_config.json, chat_template.jinja, generation_config.json) → Tokenizer.
// Errors name the file and what to do; src/model's and src/hub's own messages already do.
import { CacheStorageStore, fetchModelFiles, formatProgress, type FetchFn, type ModelStore } from '../hub';
import { llamaFromSafetensors, loadCheckpoint, type CheckpointFiles, type Llama, type LlamaConfig, type NamedTensor } from '../model';
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
  /** Where Hub/URL downloads are cached; default Cache Storage (needs `caches`, i.e. a page or worker). */
  store?: ModelStore;
  /** fetch for Hub/URL downloads (Range requests, AbortSignal); default globalThis.fetch. */
  hubFetch?: FetchFn;
}

const REQUIRED = ['config.json', 'model.safetensors', 'tokenizer.json'] as const;
const OPTIONAL = 'tokenizer_config.json';
/** Tokenizer companions read when present. */
const CHAT_TEMPLATE = 'chat_template.jinja';
const GENERATION_CONFIG = 'generation_config.json';

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
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
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
  const responses = await Promise.all(
    names.map(async (f) => {
      try {
        return await opts.fetch(url(f));
      } catch (e) {
        throw new ModelLoadError(
          `models/${name}/${f}: the download failed (${e instanceof Error ? e.message : String(e)}); check the connection and reload.`,
        );
      }
    }),
  );
  responses.forEach((res, i) => {
    if (i < REQUIRED.length && !present(res)) {
      throw new ModelLoadError(
        `models/${name}/${names[i]}: not found (HTTP ${res.status}). The built-in model '${name}' is not installed: ` +
          'run `npm run build:models` (or pick a local Hugging Face folder in the Model panel).',
      );
    }
  });
  const lengths = responses.map((r) => (present(r) ? Number(r.headers.get('content-length') ?? 0) : 0));
  const total = lengths.reduce((a, b) => a + b, 0); // a file without content-length counts 0 until read
  let loaded = 0,
    lastReport = 0;
  const files = new Map<string, Uint8Array>();
  for (let i = 0; i < names.length; i++) {
    if (!present(responses[i])) continue;
    const bytes = await readBody(responses[i], (n) => {
      loaded += n;
      if (loaded - lastReport >= 1 << 16) {
        lastReport = loaded;
        onProgress(loaded, Math.max(total, loaded), names[i]);
      }
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
  const sharded = out.has('model.safetensors.index.json');
  const missing = REQUIRED.filter((f) => !out.has(f) && !(sharded && f === 'model.safetensors'));
  if (missing.length > 0) {
    throw new ModelLoadError(
      `The picked files have no ${missing.join(', ')}. A Hugging Face model folder needs config.json, ` +
        'model.safetensors (or model.safetensors.index.json with its shards) and tokenizer.json: pick the whole folder.',
    );
  }
  return out;
}

/** Files in memory as CheckpointFiles. */
function mapFiles(files: Map<string, Uint8Array>): CheckpointFiles {
  return { read: async (name) => files.get(name) ?? null };
}

/**
 * Reads a checkpoint's files: loadCheckpoint (config.json first), then its tokenizer. `where` prefixes
 * file names in errors (e.g. "models/cherry-arith/").
 */
export async function parseModelFiles(name: string, files: CheckpointFiles, where: string): Promise<LoadedModel> {
  const cp = await loadCheckpoint(files, where);
  const text = async (f: string): Promise<string | undefined> => {
    const b = await files.read(f);
    return b === null ? undefined : new TextDecoder().decode(b);
  };
  const tokText = await text('tokenizer.json');
  if (tokText === undefined) {
    throw new ModelLoadError(
      `${where}tokenizer.json is missing: Cherry needs the model's own tokenizer.json beside config.json ` +
        '(and tokenizer_config.json for its chat template). Add it, or pick another model.',
    );
  }
  const gen = await text(GENERATION_CONFIG);
  const tokenizer = await loadTokenizerText(tokText, `${where}tokenizer.json`, await text(OPTIONAL), `${where}${OPTIONAL}`, {
    chatTemplate: await text(CHAT_TEMPLATE),
    generationConfig: gen === undefined ? undefined : parseJsonText(gen, `${where}${GENERATION_CONFIG}`),
  });
  const config = cp.config;
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new ModelLoadError(
      `${where}tokenizer.json has ${tokenizer.vocabSize} tokens but ${where}config.json's vocab_size is ${config.vocabSize}; ` +
        'the tokenizer does not belong to this model. Put the tokenizer.json saved with this checkpoint beside it.',
    );
  }
  return { name, config, tensors: cp.tensors, weightsSource: cp.weightsSource, tokenizer };
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
    chatTemplate: m.tokenizer.chatTemplate !== null,
  };
}

/** Loads a ModelSource; `signal` cancels a Hub/URL download (the cache is left as it was). */
export async function loadModelSource(
  source: ModelSource,
  opts: FetchOptions,
  onProgress: OnProgress,
  signal?: AbortSignal,
): Promise<LoadedModel> {
  if (source.kind === 'builtin') {
    const files = await fetchBuiltinFiles(source.name, opts, onProgress);
    return parseModelFiles(source.name, mapFiles(files), `models/${source.name}/`);
  }
  if (source.kind === 'hub') {
    const store = opts.store ?? new CacheStorageStore();
    const model = await fetchModelFiles(source.source, {
      store,
      endpoint: source.endpoint,
      signal,
      ...(opts.hubFetch === undefined ? {} : { fetch: opts.hubFetch }),
      onProgress: (p) => onProgress(p.bytes, p.total, formatProgress(p)),
    });
    const total = model.manifest.totalBytes;
    onProgress(total, total, model.fromCache ? 'from the cache' : 'done');
    return parseModelFiles(model.manifest.source, model, `${model.manifest.source}/`);
  }
  const files = pickedFiles(source.files);
  const first = source.files[0]?.name ?? '';
  const folder = first.includes('/') ? first.slice(0, first.indexOf('/')) : 'local model';
  const total = source.files.reduce((a, f) => a + f.data.byteLength, 0);
  onProgress(total, total, 'done');
  return parseModelFiles(folder, mapFiles(files), first.includes('/') ? `${folder}/` : '');
}
