// Browser-test page for src/hub: downloads through Chromium's real fetch into its real Cache Storage and
// reports what a page would show (files with sizes and SHA-256, progress summary, errors by name).
import {
  CACHE_NAME,
  CacheStorageStore,
  deleteCachedModel,
  fetchModelFiles,
  listCachedModels,
  type CachedModel,
  type DownloadProgress,
} from '../src/hub';

/** What one load reports back to the test. */
export interface LoadReport {
  fromCache: boolean;
  manifest: CachedModel;
  /** Every file read back from the cache, with its SHA-256 (hex). */
  files: Array<{ name: string; size: number; sha256: string }>;
  /** Progress events seen. */
  events: DownloadProgress[];
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(bytes))); // a copy: digest wants an ArrayBuffer-backed view
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

const store = new CacheStorageStore();

/**
 * Loads `source` (downloading when not cached); a failure comes back as {name, message}. With
 * `cancelAt`, the download is cancelled through its AbortSignal once bytes of that file arrive.
 */
async function load(source: string, endpoint: string, cancelAt?: string): Promise<LoadReport | { name: string; message: string }> {
  const events: DownloadProgress[] = [];
  const ac = new AbortController();
  const onProgress = (p: DownloadProgress): void => {
    events.push(p);
    if (p.file === cancelAt && p.fileBytes > 0) ac.abort();
  };
  try {
    const m = await fetchModelFiles(source, { store, endpoint, progressEveryMs: 0, onProgress, signal: ac.signal });
    const files = [];
    for (const f of m.manifest.files) {
      const bytes = await m.read(f.name);
      if (bytes === null) throw new Error(`${f.name} listed but not readable`);
      files.push({ name: f.name, size: bytes.byteLength, sha256: await sha256(bytes) });
    }
    return { fromCache: m.fromCache, manifest: m.manifest, files, events };
  } catch (e) {
    return e instanceof Error ? { name: e.name, message: e.message } : { name: 'unknown', message: String(e) };
  }
}

/** Every URL stored in Cherry's cache (to check that a failed download left nothing). */
async function cacheKeys(): Promise<string[]> {
  return (await (await caches.open(CACHE_NAME)).keys()).map((r) => r.url);
}

const api = {
  load,
  cacheKeys,
  list: () => listCachedModels(store),
  remove: (repo: string, commit: string) => deleteCachedModel(store, repo, commit),
  clear: () => caches.delete(CACHE_NAME),
  available: () => store.available(),
};
export type HubPageApi = typeof api;

declare global {
  interface Window {
    cherryHub?: HubPageApi;
  }
}
window.cherryHub = api;
document.body.dataset.ready = 'true';
