// The Node CacheStore: files in a folder on disk, written to `<name>.tmp` and renamed, so a kill
// never leaves a half-written checkpoint file. Node only (node:fs): the browser page never imports it.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCacheName, type CacheStore } from './cacheStore';

/** A CacheStore on the folder `dir` (created on the first write). */
export function nodeCacheStore(dir: string): CacheStore {
  return {
    where: dir,
    read(name) {
      const p = join(dir, checkCacheName(name));
      return Promise.resolve(existsSync(p) ? new Uint8Array(readFileSync(p)) : null);
    },
    write(name, data) {
      mkdirSync(dir, { recursive: true });
      const p = join(dir, checkCacheName(name));
      writeFileSync(`${p}.tmp`, data);
      renameSync(`${p}.tmp`, p);
      return Promise.resolve();
    },
    remove(name) {
      rmSync(join(dir, checkCacheName(name)), { force: true });
      return Promise.resolve();
    },
  };
}
