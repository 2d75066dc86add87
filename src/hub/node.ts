// Node side of src/hub: the cache folder (CHERRY_CACHE, default ~/.cache/cherry) and ensureLocalModel,
// which turns any --model argument into a local Hugging Face model folder that loadModelDir reads.
// Layout:  models/<repoKey>@<commit>/   a ready model folder (config.json, tokenizer.json, model.safetensors …)
//                                        plus .cherry.json (the manifest, written last)
//          refs/<repoKey>/<revision>     the commit that revision resolved to (text)
//          tmp/                          entries being written; renamed into models/ only when complete
//                                        (leftovers of killed processes are removed after a day)
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { downloadModel, type DownloadOptions } from './download';
import { formatProgress, type DownloadProgress, type ProgressListener } from './progress';
import { DEFAULT_ENDPOINT, isRemoteSource, safeSegment } from './source';
import { MANIFEST, parseManifest, type CachedModel, type EntryWriter, type ModelStore } from './store';

/** The cache folder: $CHERRY_CACHE, else ~/.cache/cherry. */
export function defaultCacheDir(): string {
  const env = process.env.CHERRY_CACHE;
  return env !== undefined && env !== '' ? env : join(homedir(), '.cache', 'cherry');
}

/** The Hub for hf: ids: $HF_ENDPOINT, else https://huggingface.co. */
export function defaultEndpoint(): string {
  const env = process.env.HF_ENDPOINT;
  return env !== undefined && env !== '' ? env : DEFAULT_ENDPOINT;
}

/** Writes `text` to `path` through a temp file and a rename, so readers never see half a file. */
async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

const STALE_MS = 24 * 3600 * 1000;

/** Removes what a killed process left in tmp/ (older than a day, so a running download is never touched). */
async function removeStale(tmpRoot: string): Promise<void> {
  for (const e of await readdir(tmpRoot)) {
    const p = join(tmpRoot, e);
    const s = await stat(p).catch(() => null);
    if (s && Date.now() - s.mtimeMs > STALE_MS) await rm(p, { recursive: true, force: true });
  }
}

/** A ModelStore in a folder; each entry is a model folder that loadModelDir can load. */
export class FolderStore implements ModelStore {
  constructor(
    /** The cache root (created on first write). */
    readonly root: string,
  ) {}

  get where(): string {
    return this.root;
  }

  /** The model folder of an entry (it exists only once the entry is complete). */
  folder(repo: string, commit: string): string {
    return join(this.root, 'models', `${safeSegment(repo)}@${safeSegment(commit)}`);
  }

  private refPath(repo: string, revision: string): string {
    return join(this.root, 'refs', safeSegment(repo), safeSegment(encodeURIComponent(revision)));
  }

  async readRef(repo: string, revision: string): Promise<string | null> {
    const p = this.refPath(repo, revision);
    return existsSync(p) ? (await readFile(p, 'utf8')).trim() : null;
  }

  async writeRef(repo: string, revision: string, commit: string): Promise<void> {
    const p = this.refPath(repo, revision);
    await mkdir(join(p, '..'), { recursive: true });
    await writeAtomic(p, commit);
  }

  async manifest(repo: string, commit: string): Promise<CachedModel | null> {
    const p = join(this.folder(repo, commit), MANIFEST);
    return existsSync(p) ? parseManifest(await readFile(p, 'utf8')) : null;
  }

  async read(repo: string, commit: string, name: string): Promise<Uint8Array | null> {
    const m = await this.manifest(repo, commit);
    if (!m || !m.files.some((f) => f.name === name)) return null;
    return new Uint8Array(await readFile(join(this.folder(repo, commit), name)));
  }

  async begin(repo: string, commit: string): Promise<EntryWriter> {
    const tmpRoot = join(this.root, 'tmp');
    await mkdir(tmpRoot, { recursive: true });
    await removeStale(tmpRoot);
    const tmp = await mkdtemp(join(tmpRoot, `${safeSegment(repo)}@${safeSegment(commit)}-`));
    const final = this.folder(repo, commit);
    return {
      async write(name, chunks) {
        const out = createWriteStream(join(tmp, name));
        try {
          for await (const c of chunks) if (!out.write(c)) await once(out, 'drain');
        } finally {
          out.end();
          await once(out, 'close');
        }
      },
      async commit(manifest) {
        await writeFile(join(tmp, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
        await mkdir(join(final, '..'), { recursive: true });
        if (existsSync(join(final, MANIFEST))) {
          await rm(tmp, { recursive: true, force: true });
          return;
        } // finished meanwhile by another process
        await rm(final, { recursive: true, force: true }); // a damaged entry without manifest
        await rename(tmp, final);
      },
      async abort() {
        await rm(tmp, { recursive: true, force: true });
      },
    };
  }

  async list(): Promise<CachedModel[]> {
    const dir = join(this.root, 'models');
    if (!existsSync(dir)) return [];
    const out: CachedModel[] = [];
    for (const e of (await readdir(dir)).sort()) {
      const p = join(dir, e, MANIFEST);
      const m = existsSync(p) ? parseManifest(await readFile(p, 'utf8')) : null;
      if (m) out.push(m);
    }
    return out;
  }

  async delete(repo: string, commit: string): Promise<boolean> {
    const dir = this.folder(repo, commit);
    const had = existsSync(join(dir, MANIFEST));
    await rm(dir, { recursive: true, force: true });
    const refs = join(this.root, 'refs', safeSegment(repo));
    if (existsSync(refs)) {
      for (const r of await readdir(refs)) {
        if ((await readFile(join(refs, r), 'utf8')).trim() === commit) await rm(join(refs, r), { force: true });
      }
    }
    return had;
  }

  async available(): Promise<number | null> {
    await mkdir(this.root, { recursive: true });
    const s = await statfs(this.root);
    return s.bavail * s.bsize;
  }
}

/** Options of ensureLocalModel (DownloadOptions without the store, plus where the cache is). */
export interface LocalModelOptions extends Omit<DownloadOptions, 'store'> {
  /** Cache folder; default $CHERRY_CACHE or ~/.cache/cherry. */
  cacheDir?: string;
}

/**
 * A local folder for `source`: a plain path is returned unchanged (loadModelDir reports a missing one);
 * `hf:…` ids and http(s) URLs are downloaded into the cache (or found there, without network) and the
 * entry's folder is returned. The endpoint defaults to $HF_ENDPOINT.
 */
export async function ensureLocalModel(source: string, opts: LocalModelOptions = {}): Promise<string> {
  if (!isRemoteSource(source)) return source;
  const store = new FolderStore(opts.cacheDir ?? defaultCacheDir());
  const { manifest } = await downloadModel(source, { ...opts, store, endpoint: opts.endpoint ?? defaultEndpoint() });
  return store.folder(manifest.repo, manifest.commit);
}

/** Prints progress on stderr: one rewritten line on a terminal, a line per second otherwise. */
export function stderrProgress(): ProgressListener {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  return (p: DownloadProgress) => {
    const now = Date.now();
    const end = p.fileDone && p.bytes >= p.total;
    if (!tty && !end && !p.fileDone && now - last < 1000) return;
    last = now;
    process.stderr.write(tty ? `\r\x1b[K${formatProgress(p)}${end ? '\n' : ''}` : `${formatProgress(p)}\n`);
  };
}

/** What the CLI's --model flags call: ensureLocalModel with the environment's cache and endpoint and stderr progress. */
export function modelDirFromArg(arg: string): Promise<string> {
  return ensureLocalModel(arg, { onProgress: stderrProgress() });
}
