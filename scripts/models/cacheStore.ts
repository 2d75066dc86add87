// Where a model build keeps its resumable checkpoint: a flat folder of named files. The training code
// (train.ts, checkpoint.ts) sees only this interface, so the same code runs in Node (cacheStoreNode.ts:
// files on disk) and in a Chromium page (cacheStoreBrowser.ts: the same files, through functions the
// Node side exposes to the page). No Node or DOM imports here.

/** The files of one model's cache folder. Names are plain file names ("state.json"), no folders. */
export interface CacheStore {
  /** Where the files live, for error messages (e.g. ".cache/models/cherry-arith"). */
  readonly where: string;
  /** The file's bytes, or null when it does not exist. */
  read(name: string): Promise<Uint8Array | null>;
  /** Writes the whole file so that a kill never leaves it half-written (temporary file + rename). */
  write(name: string, data: Uint8Array): Promise<void>;
  /** Deletes the file; no error when it does not exist. */
  remove(name: string): Promise<void>;
}

/** Bytes as base64 (how the browser store ships files to Node: exposed functions carry JSON). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}

/** The inverse of toBase64. */
export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A cache file name must be a plain name: no path separators, not "." or "..". */
export function checkCacheName(name: string): string {
  if (!/^[\w.-]+$/.test(name) || name === '.' || name === '..') {
    throw new Error(`cache file name '${name}' is not a plain file name (letters, digits, '_', '-', '.')`);
  }
  return name;
}
