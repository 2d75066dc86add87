// The browser CacheStore: the page of a `--device browser` build (test-pages/build.ts) reads and writes
// the checkpoint files of the Node side's cache folder through one function that scripts/models/
// browserBuild.ts exposes with page.exposeFunction. Bytes travel as base64 (exposed functions carry
// JSON). No Node imports: this file is bundled into the page.
import { checkCacheName, fromBase64, toBase64, type CacheStore } from './cacheStore';

/** Name of the exposed function on `window`. */
export const CACHE_BINDING = 'cherryBuildCache';

/** One request to the Node side: read → base64 or null; write/remove → null. */
export type CacheCall =
  | { op: 'read'; model: string; name: string }
  | { op: 'write'; model: string; name: string; base64: string }
  | { op: 'remove'; model: string; name: string };

/** The exposed function as the page sees it. */
export type CacheBinding = (call: CacheCall) => Promise<string | null>;

/** A CacheStore for model `model` that calls `binding` (window[CACHE_BINDING] on the page). */
export function browserCacheStore(model: string, binding: CacheBinding): CacheStore {
  return {
    where: `the Node build's cache folder of ${model} (via ${CACHE_BINDING})`,
    async read(name) {
      const b = await binding({ op: 'read', model, name: checkCacheName(name) });
      return b === null ? null : fromBase64(b);
    },
    async write(name, data) {
      await binding({ op: 'write', model, name: checkCacheName(name), base64: toBase64(data) });
    },
    async remove(name) {
      await binding({ op: 'remove', model, name: checkCacheName(name) });
    },
  };
}
