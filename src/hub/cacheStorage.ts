// Browser side of the cache: a ModelStore in Cache Storage (works in pages and workers). Each file is one
// response under a synthetic https URL; the entry's manifest is put last, so an entry without a manifest
// (an interrupted download) is absent to readers and is removed by abort(). Room is checked with
// navigator.storage.estimate().
import { safeSegment } from './source';
import { MANIFEST, parseManifest, type CachedModel, type EntryWriter, type ModelStore } from './store';

/** The Cache Storage cache Cherry's models live in. */
export const CACHE_NAME = 'cherry-models-v1';
const BASE = 'https://cherry-cache.invalid/';

function entryPrefix(repo: string, commit: string): string {
  return `${BASE}models/${safeSegment(repo)}@${safeSegment(commit)}/`;
}

function refUrl(repo: string, revision: string): string {
  return `${BASE}refs/${safeSegment(repo)}/${encodeURIComponent(revision)}`;
}

/**
 * A readable stream over an async iterable (ReadableStream.from is not in every browser yet). When the
 * iterable throws, the stream errors (so cache.put rejects, with a generic "network error") and the
 * original error is kept in `failure` for the caller to rethrow.
 */
function toStream(chunks: AsyncIterable<Uint8Array>): { stream: ReadableStream<Uint8Array>; failure: () => unknown } {
  const it = chunks[Symbol.asyncIterator]();
  let failure: unknown = null;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let step: IteratorResult<Uint8Array>;
      try {
        step = await it.next();
      } catch (e) {
        failure = e;
        throw e;
      }
      if (step.done) controller.close();
      else controller.enqueue(step.value);
    },
    async cancel() {
      await it.return?.();
    },
  });
  return { stream, failure: () => failure };
}

/** A ModelStore in Cache Storage. */
export class CacheStorageStore implements ModelStore {
  readonly where: string;

  constructor(
    /** Cache Storage cache name. */
    readonly cacheName: string = CACHE_NAME,
  ) {
    this.where = `the browser's Cache Storage ('${cacheName}')`;
  }

  private open(): Promise<Cache> {
    return caches.open(this.cacheName);
  }

  async readRef(repo: string, revision: string): Promise<string | null> {
    const r = await (await this.open()).match(refUrl(repo, revision));
    return r ? (await r.text()).trim() : null;
  }

  async writeRef(repo: string, revision: string, commit: string): Promise<void> {
    await (await this.open()).put(refUrl(repo, revision), new Response(commit));
  }

  async manifest(repo: string, commit: string): Promise<CachedModel | null> {
    const r = await (await this.open()).match(entryPrefix(repo, commit) + MANIFEST);
    return r ? parseManifest(await r.text()) : null;
  }

  async read(repo: string, commit: string, name: string): Promise<Uint8Array | null> {
    if (!(await this.manifest(repo, commit))) return null;
    const r = await (await this.open()).match(entryPrefix(repo, commit) + encodeURIComponent(name));
    return r ? new Uint8Array(await r.arrayBuffer()) : null;
  }

  async begin(repo: string, commit: string): Promise<EntryWriter> {
    const cache = await this.open();
    const prefix = entryPrefix(repo, commit);
    const written: string[] = [];
    return {
      async write(name, chunks) {
        const url = prefix + encodeURIComponent(name);
        written.push(url);
        const { stream, failure } = toStream(chunks);
        try {
          await cache.put(url, new Response(stream, { headers: { 'Content-Type': 'application/octet-stream' } }));
        } catch (e) {
          throw failure() ?? e; // the download's own error (which file, why) rather than put's "network error"
        }
      },
      async commit(manifest) {
        await cache.put(prefix + MANIFEST, new Response(JSON.stringify(manifest), { headers: { 'Content-Type': 'application/json' } }));
      },
      async abort() {
        await Promise.all(written.map((u) => cache.delete(u)));
      },
    };
  }

  async list(): Promise<CachedModel[]> {
    const cache = await this.open();
    const out: CachedModel[] = [];
    for (const req of await cache.keys()) {
      if (!req.url.startsWith(`${BASE}models/`) || !req.url.endsWith(`/${MANIFEST}`)) continue;
      const r = await cache.match(req);
      const m = r ? parseManifest(await r.text()) : null;
      if (m) out.push(m);
    }
    return out.sort((a, b) => a.source.localeCompare(b.source));
  }

  async delete(repo: string, commit: string): Promise<boolean> {
    const cache = await this.open();
    const prefix = entryPrefix(repo, commit);
    const refs = `${BASE}refs/${safeSegment(repo)}/`;
    let had = false;
    for (const req of await cache.keys()) {
      if (req.url === prefix + MANIFEST) had = true;
      if (req.url.startsWith(prefix)) await cache.delete(req);
      else if (req.url.startsWith(refs)) {
        const r = await cache.match(req);
        if (r && (await r.text()).trim() === commit) await cache.delete(req);
      }
    }
    return had;
  }

  async available(): Promise<number | null> {
    if (typeof navigator === 'undefined' || !navigator.storage?.estimate) return null;
    const { quota, usage } = await navigator.storage.estimate();
    return quota === undefined ? null : quota - (usage ?? 0);
  }
}
