// src/hub — models from the Hugging Face Hub or any URL: source parsing, streamed downloads with
// progress and cancellation, and a cache keyed by repository, commit and file. Framework-free; this file
// and everything it exports run in a page or a Web Worker (no Node imports; Node lives in ./node.ts).
//
// Sources (parseModelSource(text, endpoint)):
//   hf:ORG/NAME[@REVISION]                      → {endpoint}/ORG/NAME/resolve/{REVISION|main}/{file}
//   https://huggingface.co/ORG/NAME[/tree/REV | /blob/REV/FILE | /resolve/REV]   (any host in that layout,
//                                                   or any URL under `endpoint`, counts as a Hub)
//   any other http(s) base URL                  → {base}/{file}
//   anything else                               → ModelSourceError listing the accepted forms
//
// Files, in order: config.json (checked with parseHFConfig before anything else: an unsupported
// architecture throws its ConfigError), the safetensors headers of the weights (Range requests: size,
// parameter count → ModelTooLargeError against maxFloat32Bytes, CacheQuotaError against the store's free
// room), generation_config.json?, tokenizer.json, tokenizer_config.json?, chat_template.jinja?, then
// model.safetensors, or model.safetensors.index.json and the shards its weight_map names. `?` = optional
// (404 = absent). Failures: HubDownloadError (names file, URL, reason: 404, broken connection, short body),
// DownloadCancelledError (the AbortSignal fired). Either way the cache is left as it was.
//
// Cache: an entry is one repository at one commit (X-Repo-Commit; the ETag of config.json stands in for
// servers without it), visible only once complete; refs map a revision (`main`) to the commit, so a second
// load of the same source makes no network request at all. To pick up a newer `main`, delete the entry.
//
// ── Page / worker wiring ────────────────────────────────────────────────────────────────────────────
//   const store = new CacheStorageStore();                  // Cache Storage 'cherry-models-v1'
//   const ac = new AbortController();                        // "Cancel" button → ac.abort()
//   const model = await fetchModelFiles(text, { store, endpoint: settings.hubEndpoint, signal: ac.signal,
//     maxFloat32Bytes: deviceBudget, onProgress: (p) => post({ kind: 'progress', text: formatProgress(p), p }) });
//   model.manifest.files / model.fromCache; await model.read('config.json') → Uint8Array | null
//   (`model` has the `read(name)` shape of src/model's CheckpointFiles: hand it to loadCheckpoint)
//   Cache manager: await listCachedModels(store) → CachedModel[] (source, commit, files, totalBytes,
//   createdAt); await deleteCachedModel(store, m.repo, m.commit). Sizes: formatBytes(m.totalBytes).
// ── Node / CLI ───────────────────────────────────────────────────────────────────────────────────────
//   import { ensureLocalModel } from '../hub/node';
//   const dir = await ensureLocalModel(arg, { cacheDir?, endpoint?, onProgress?, signal?, fetch? });
//   // a local path comes back unchanged; hf:/URL → $CHERRY_CACHE/models/<repo>@<commit>/ (loadModelDir(dir))
//   `cherry download hf:ORG/NAME[@REV] [--json]` fills the cache; every --model flag takes these sources.
import { downloadModel, type DownloadOptions } from './download';
import type { CachedModel, ModelStore } from './store';

export {
  parseModelSource,
  fileUrl,
  sourceText,
  repoKey,
  isRemoteSource,
  DEFAULT_ENDPOINT,
  ModelSourceError,
  type ModelSource,
  type HubSource,
  type UrlSource,
} from './source';
export { downloadModel, ModelTooLargeError, CacheQuotaError, type DownloadOptions, type DownloadResult } from './download';
export { HubDownloadError, DownloadCancelledError, type FetchFn } from './http';
export { formatBytes, formatProgress, type DownloadProgress, type ProgressListener } from './progress';
export { CacheStorageStore, CACHE_NAME } from './cacheStorage';
export type { CachedModel, CachedFile, ModelStore, EntryWriter } from './store';

/** A downloaded (or cached) model whose files are read from the store on demand. */
export interface ModelFiles {
  /** The cache entry: source, commit, files with sizes. */
  manifest: CachedModel;
  /** True when no network request was needed. */
  fromCache: boolean;
  /** A file's bytes, or null when the model has no such file (e.g. no chat_template.jinja). */
  read(name: string): Promise<Uint8Array | null>;
}

/** Downloads `source` into `opts.store` (or finds it there) and returns a reader over its files. */
export async function fetchModelFiles(source: string, opts: DownloadOptions): Promise<ModelFiles> {
  const { manifest, fromCache } = await downloadModel(source, opts);
  const { store } = opts;
  return { manifest, fromCache, read: (name) => store.read(manifest.repo, manifest.commit, name) };
}

/** Every complete cached model, for a cache manager. */
export function listCachedModels(store: ModelStore): Promise<CachedModel[]> {
  return store.list();
}

/** Deletes a cached model (and the revisions that pointed at it); false when it was not cached. */
export function deleteCachedModel(store: ModelStore, repo: string, commit: string): Promise<boolean> {
  return store.delete(repo, commit);
}
