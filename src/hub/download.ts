// downloadModel: fills a ModelStore with one model, checking before any weight byte that config.json is a
// supported architecture (parseHFConfig), that the model fits the byte budget (from the safetensors
// headers, read with Range requests) and that the store has room. A cached entry is returned without any
// network request. Order: config.json → weight headers → generation_config.json, tokenizer.json,
// tokenizer_config.json, chat_template.jinja → model.safetensors or the index and its shards.
import { parseHFConfig } from '../schema/modelConfig';
import {
  concat,
  countedBody,
  contentLength,
  DownloadCancelledError,
  getFile,
  HubDownloadError,
  remoteSafetensorsInfo,
  type FetchFn,
  type RequestContext,
} from './http';
import { formatBytes, ProgressTracker, type ProgressListener } from './progress';
import { fileUrl, parseModelSource, refName, repoKey, safeSegment, sourceText, type ModelSource } from './source';
import type { CachedFile, CachedModel, EntryWriter, ModelStore } from './store';

/** Options of downloadModel. */
export interface DownloadOptions {
  /** Where the files are cached. */
  store: ModelStore;
  /** Hub for `hf:` ids (HF_ENDPOINT in Node, the page's "Hub endpoint" setting); default https://huggingface.co. */
  endpoint?: string;
  /** fetch to use; default globalThis.fetch. */
  fetch?: FetchFn;
  /** Cancels the download; the store is left as it was. */
  signal?: AbortSignal;
  /** Receives byte-level progress. */
  onProgress?: ProgressListener;
  /** Minimum interval between two progress events, ms (the last event of each file always comes); default 100. */
  progressEveryMs?: number;
  /** Largest model accepted, in bytes of float32 weights (4 × parameters); default no limit. */
  maxFloat32Bytes?: number;
}

/** What downloadModel returns. */
export interface DownloadResult {
  /** The cache entry (complete). */
  manifest: CachedModel;
  /** True when it was already cached (no network request was made). */
  fromCache: boolean;
}

/** The model needs more float32 memory than the budget allows. */
export class ModelTooLargeError extends Error {
  override name = 'ModelTooLargeError';
}

/** The cache has less room than the download needs. */
export class CacheQuotaError extends Error {
  override name = 'CacheQuotaError';
}

/** Files fetched after config.json, in order; `required` ones fail the download when absent. */
const SMALL_FILES: Array<{ name: string; required: boolean }> = [
  { name: 'generation_config.json', required: false },
  { name: 'tokenizer.json', required: true },
  { name: 'tokenizer_config.json', required: false },
  { name: 'chat_template.jinja', required: false },
];
const SINGLE = 'model.safetensors';
const INDEX = 'model.safetensors.index.json';
const SHARD_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.safetensors$/;
const COMMIT = /^[0-9a-f]{40}$/;

/** The commit a response names: X-Repo-Commit (the Hub), else a stand-in from the ETag. */
function commitOf(res: Response): string {
  const c = res.headers.get('x-repo-commit');
  if (c !== null && COMMIT.test(c)) return c;
  const etag = res.headers.get('etag');
  return etag === null ? 'unversioned' : `etag-${safeSegment(etag.replace(/^W\//, '').replace(/"/g, ''))}`;
}

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return concat(parts);
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function parseJson(bytes: Uint8Array, file: string, url: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new HubDownloadError(file, url, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The shard names of an index, each checked to be a plain file name. */
function shardNames(json: unknown, url: string): string[] {
  const map: unknown = typeof json === 'object' && json !== null ? Reflect.get(json, 'weight_map') : undefined;
  if (typeof map !== 'object' || map === null) throw new HubDownloadError(INDEX, url, 'has no "weight_map" object');
  const names = [...new Set(Object.values(map))];
  for (const n of names) {
    if (typeof n !== 'string' || !SHARD_NAME.test(n))
      throw new HubDownloadError(INDEX, url, `weight_map names ${JSON.stringify(n)}, which is not a plain .safetensors file name`);
  }
  if (names.length === 0) throw new HubDownloadError(INDEX, url, 'weight_map is empty');
  return names.map(String).sort();
}

/** Streams one response into the entry; returns its manifest line. Store failures name the file. */
async function save(
  writer: EntryWriter,
  store: ModelStore,
  ctx: RequestContext,
  tracker: ProgressTracker,
  name: string,
  url: string,
  res: Response,
  expected: number | null,
): Promise<CachedFile> {
  let size = 0;
  const body = countedBody(ctx, res, url, name, expected, tracker);
  async function* counting(): AsyncGenerator<Uint8Array> {
    for await (const c of body) {
      size += c.byteLength;
      yield c;
    }
  }
  try {
    await writer.write(name, counting());
  } catch (e) {
    if (e instanceof HubDownloadError || e instanceof DownloadCancelledError) throw e;
    throw new HubDownloadError(
      name,
      url,
      `could not be written to the cache in ${store.where} (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  return { name, size, etag: res.headers.get('etag') };
}

/** The weight files with their sizes and parameter count, from their safetensors headers (no weight bytes). */
interface WeightPlan {
  /** Files to download, with the size their header implies. */
  weights: Array<{ name: string; size: number }>;
  /** Parameters over all files. */
  params: number;
  /** model.safetensors.index.json as downloaded (sharded checkpoints), else null. */
  index: { bytes: Uint8Array; etag: string | null } | null;
}

/** model.safetensors when it exists, else the index and the shards it names. */
async function planWeights(ctx: RequestContext, at: (file: string) => string, tracker: ProgressTracker): Promise<WeightPlan> {
  const single = await remoteSafetensorsInfo(ctx, at(SINGLE), SINGLE, true);
  if (single) return { weights: [{ name: SINGLE, size: single.fileSize }], params: single.params, index: null };
  const res = await getFile(ctx, at(INDEX), INDEX, true);
  if (res === null)
    throw new HubDownloadError(
      SINGLE,
      at(SINGLE),
      `not found (HTTP 404), and neither is ${INDEX}; the model needs its weights as safetensors`,
      404,
    );
  const size = contentLength(res);
  tracker.startFile(size, false);
  const bytes = await readAll(countedBody(ctx, res, at(INDEX), INDEX, size, tracker));
  const plan: WeightPlan = { weights: [], params: 0, index: { bytes, etag: res.headers.get('etag') } };
  for (const name of shardNames(parseJson(bytes, INDEX, at(INDEX)), at(INDEX))) {
    const info = await remoteSafetensorsInfo(ctx, at(name), name, false);
    if (info === null) throw new HubDownloadError(name, at(name), 'not found');
    plan.weights.push({ name, size: info.fileSize });
    plan.params += info.params;
  }
  return plan;
}

/** Downloads `source` into `opts.store` (or finds it there) and returns the complete entry. */
export async function downloadModel(source: ModelSource | string, opts: DownloadOptions): Promise<DownloadResult> {
  const src = typeof source === 'string' ? parseModelSource(source, opts.endpoint) : source;
  const { store } = opts;
  const repo = repoKey(src);
  const ref = refName(src);
  const known = COMMIT.test(ref) ? ref : await store.readRef(repo, ref);
  if (known !== null) {
    const cached = await store.manifest(repo, known);
    if (cached) return { manifest: cached, fromCache: true };
  }
  const ctx: RequestContext = { fetch: opts.fetch ?? ((input, init) => globalThis.fetch(input, init)), signal: opts.signal };
  if (opts.signal?.aborted) throw new DownloadCancelledError('config.json');
  const tracker = new ProgressTracker(opts.onProgress, opts.progressEveryMs ?? 100);
  const label = sourceText(src);

  // 1. config.json: names the commit and must parse before anything else is fetched.
  const cfgUrl = fileUrl(src, 'config.json');
  const cfgRes = await getFile(ctx, cfgUrl, 'config.json', false);
  const commit = commitOf(cfgRes);
  const same = commit === known ? null : await store.manifest(repo, commit);
  if (same) {
    await cfgRes.body?.cancel().catch(() => undefined);
    await store.writeRef(repo, ref, commit);
    return { manifest: same, fromCache: true };
  }
  const cfgSize = contentLength(cfgRes);
  tracker.startFile(cfgSize, false);
  const cfgBytes = await readAll(countedBody(ctx, cfgRes, cfgUrl, 'config.json', cfgSize, tracker));
  parseHFConfig(parseJson(cfgBytes, 'config.json', cfgUrl), `${label}/config.json`);
  const files: CachedFile[] = [{ name: 'config.json', size: cfgBytes.byteLength, etag: cfgRes.headers.get('etag') }];

  // 2. Plan the weights from their safetensors headers: size, parameter count, budget, room.
  const at = (f: string): string => fileUrl(src, f, src.kind === 'hub' && COMMIT.test(commit) ? commit : undefined);
  const { weights, params, index } = await planWeights(ctx, at, tracker);
  const f32 = 4 * params;
  if (opts.maxFloat32Bytes !== undefined && f32 > opts.maxFloat32Bytes) {
    throw new ModelTooLargeError(
      `${label}: ${params.toLocaleString('en-US')} parameters need ${formatBytes(f32)} as float32, more than the ${formatBytes(opts.maxFloat32Bytes)} this device allows; pick a smaller model (nothing was downloaded)`,
    );
  }
  const weightBytes = weights.reduce((a, w) => a + w.size, 0);
  const free = await store.available();
  if (free !== null && weightBytes > free) {
    throw new CacheQuotaError(
      `${label}: the weights need ${formatBytes(weightBytes)} but only ${formatBytes(free)} is free in ${store.where}; delete cached models or free space (nothing was downloaded)`,
    );
  }
  tracker.plan(weightBytes);

  // 3. Stream the files into a new entry; any failure removes the entry.
  const writer = await store.begin(repo, commit);
  try {
    await writer.write('config.json', once(cfgBytes));
    if (index) {
      await writer.write(INDEX, once(index.bytes));
      files.push({ name: INDEX, size: index.bytes.byteLength, etag: index.etag });
    }
    for (const f of SMALL_FILES) {
      const res = await getFile(ctx, at(f.name), f.name, !f.required);
      if (res === null) continue;
      const size = contentLength(res);
      tracker.startFile(size, false);
      files.push(await save(writer, store, ctx, tracker, f.name, at(f.name), res, size));
    }
    for (const w of weights) {
      const res = await getFile(ctx, at(w.name), w.name, false);
      const announced = contentLength(res);
      if (announced !== null && announced !== w.size) {
        await res.body?.cancel().catch(() => undefined);
        throw new HubDownloadError(
          w.name,
          at(w.name),
          `the server announces ${announced} bytes but the safetensors header implies ${w.size}`,
        );
      }
      tracker.startFile(w.size, true);
      files.push(await save(writer, store, ctx, tracker, w.name, at(w.name), res, w.size));
    }
    const manifest: CachedModel = {
      source: label,
      repo,
      revision: ref,
      commit,
      files,
      totalBytes: files.reduce((a, f) => a + f.size, 0),
      createdAt: new Date().toISOString(),
    };
    await writer.commit(manifest);
    await store.writeRef(repo, ref, commit);
    return { manifest, fromCache: false };
  } catch (e) {
    await writer.abort();
    throw e;
  }
}
