// The cache behind downloads: one interface, two stores (a Node folder in ./node.ts, Cache Storage in
// ./cacheStorage.ts). An entry is one repository at one commit; it becomes visible only when complete
// (its manifest is written last), so an interrupted or cancelled download leaves no entry.

/** One file of a cached model. */
export interface CachedFile {
  /** File name inside the model folder, e.g. `model.safetensors`. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** The ETag the server sent for it (the Hub sends the git/LFS hash), or null. */
  etag: string | null;
}

/** The manifest of a complete cache entry (what a cache manager lists). */
export interface CachedModel {
  /** Canonical source text (sourceText), e.g. `hf:HuggingFaceTB/SmolLM2-135M-Instruct`. */
  source: string;
  /** Repository key (repoKey of the source). */
  repo: string;
  /** The revision it was asked for (`main`, a tag, a commit; `url` for plain base URLs). */
  revision: string;
  /** The commit the server named (X-Repo-Commit), or a stand-in from the ETag of config.json. */
  commit: string;
  /** Every file of the entry. */
  files: CachedFile[];
  /** Sum of the file sizes, bytes. */
  totalBytes: number;
  /** When the download finished (ISO 8601). */
  createdAt: string;
}

/** Writes one entry; nothing is visible to readers until commit(). */
export interface EntryWriter {
  /** Streams a file into the entry; rejects (and keeps nothing of the file) when `chunks` throws. */
  write(name: string, chunks: AsyncIterable<Uint8Array>): Promise<void>;
  /** Makes the entry visible with its manifest. */
  commit(manifest: CachedModel): Promise<void>;
  /** Removes everything written so far. */
  abort(): Promise<void>;
}

/** A cache of model files keyed by repository, commit and file name, plus revision → commit refs. */
export interface ModelStore {
  /** The commit `revision` of `repo` resolved to when last downloaded, or null. */
  readRef(repo: string, revision: string): Promise<string | null>;
  /** Records that `revision` of `repo` is `commit`. */
  writeRef(repo: string, revision: string, commit: string): Promise<void>;
  /** The manifest of a complete entry, or null when there is none. */
  manifest(repo: string, commit: string): Promise<CachedModel | null>;
  /** One file of a complete entry, or null when the entry or the file is absent. */
  read(repo: string, commit: string, name: string): Promise<Uint8Array | null>;
  /** Starts a new entry. */
  begin(repo: string, commit: string): Promise<EntryWriter>;
  /** Every complete entry. */
  list(): Promise<CachedModel[]>;
  /** Deletes an entry and the refs that point at it; false when there was none. */
  delete(repo: string, commit: string): Promise<boolean>;
  /** Bytes still free for the cache (quota or disk), or null when unknown. */
  available(): Promise<number | null>;
  /** Where the store lives, for messages (a folder path, "Cache Storage 'cherry-models'"). */
  readonly where: string;
}

/** The name of the manifest file inside an entry. */
export const MANIFEST = '.cherry.json';

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Parses a stored manifest; null when it is damaged (the entry is then treated as absent). */
export function parseManifest(text: string): CachedModel | null {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(j) || !Array.isArray(j.files)) return null;
  const { source, repo, revision, commit, totalBytes, createdAt } = j;
  if (
    typeof source !== 'string' ||
    typeof repo !== 'string' ||
    typeof revision !== 'string' ||
    typeof commit !== 'string' ||
    typeof totalBytes !== 'number' ||
    typeof createdAt !== 'string'
  )
    return null;
  const files: CachedFile[] = [];
  for (const f of j.files) {
    if (!isObject(f) || typeof f.name !== 'string' || typeof f.size !== 'number' || !(typeof f.etag === 'string' || f.etag === null))
      return null;
    files.push({ name: f.name, size: f.size, etag: f.etag });
  }
  return { source, repo, revision, commit, files, totalBytes, createdAt };
}
