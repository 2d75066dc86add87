// Downloads from a local Hub-like server (test/helpers/hubServer.ts) into the Node cache folder: the
// cached folder loads with loadModelDir and gives the original's log-probs, a second load needs no
// server, progress is monotonic and ends at each file's size, and broken, cancelled, refused or
// incomplete downloads name the file and leave no cache entry.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { tokenLogprobs } from '../../src/model';
import { loadModelDir } from '../../src/cli/modelDir';
import {
  CacheQuotaError,
  DownloadCancelledError,
  downloadModel,
  HubDownloadError,
  ModelTooLargeError,
  type DownloadProgress,
} from '../../src/hub';
import { ensureLocalModel, FolderStore } from '../../src/hub/node';
import { fakeCommit, startHubServer, type HubServer } from '../helpers/hubServer';
import { TINY_CONFIG, tinyModelFiles, writeFolder } from './tinyModel';

const made: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cherry-hub-cache-'));
  made.push(d);
  return d;
}

let files: Record<string, Uint8Array>;
let sharded: Record<string, Uint8Array>;
let server: HubServer;

/** Parameters of TINY_CONFIG by hand: embeddings + lm_head + final norm + layers (2 norms, q/o, k/v, SwiGLU). */
function tinyParams(): number {
  const c = TINY_CONFIG;
  const perLayer =
    2 * c.hiddenSize +
    c.hiddenSize * c.numHeads * c.headDim * 2 +
    c.hiddenSize * c.numKVHeads * c.headDim * 2 +
    3 * c.hiddenSize * c.intermediateSize;
  return 2 * c.vocabSize * c.hiddenSize + c.hiddenSize + c.numLayers * perLayer;
}

/** Every error thrown by `f`, or a failure when it does not throw. */
async function rejection(f: () => Promise<unknown>): Promise<Error> {
  try {
    await f();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`threw a non-Error: ${String(e)}`);
  }
  throw new Error('expected a rejection');
}

/** No complete entry and no temp folder left in the cache. */
function expectEmptyCache(cacheDir: string): void {
  for (const sub of ['models', 'tmp']) {
    const p = join(cacheDir, sub);
    expect(existsSync(p) ? readdirSync(p) : [], sub).toEqual([]);
  }
}

async function logprobsOf(dir: string, ids: number[]): Promise<number[]> {
  const { model } = await loadModelDir(dir);
  try {
    const { logprobs } = tokenLogprobs(model, [ids]);
    const out = Array.from(await logprobs.data());
    logprobs.dispose();
    return out;
  } finally {
    model.dispose();
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  files = await tinyModelFiles(1);
  sharded = await tinyModelFiles(2, true);
  const badConfig = JSON.parse(new TextDecoder().decode(files['config.json'])) as Record<string, unknown>;
  const noTokenizer = { ...files };
  delete noTokenizer['tokenizer.json'];
  const noWeights = { ...files };
  delete noWeights['model.safetensors'];
  server = await startHubServer({
    'org/tiny': { files, commit: fakeCommit('tiny') },
    'org/sharded': { files: sharded, commit: fakeCommit('sharded') },
    'org/mamba': {
      files: { ...files, 'config.json': new TextEncoder().encode(JSON.stringify({ ...badConfig, architectures: ['MambaForCausalLM'] })) },
      commit: fakeCommit('mamba'),
    },
    'org/notok': { files: noTokenizer, commit: fakeCommit('notok') },
    'org/noweights': { files: noWeights, commit: fakeCommit('noweights') },
  });
});
afterAll(async () => {
  await server?.stop();
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe('download into the cache folder', () => {
  test('the cached folder loads like the original; weights came through the 302; progress ends at each size', async () => {
    const cacheDir = tempDir();
    const events: DownloadProgress[] = [];
    const dir = await ensureLocalModel('hf:org/tiny', {
      cacheDir,
      endpoint: server.url,
      onProgress: (p) => events.push(p),
      progressEveryMs: 0,
    });
    expect(dir).toBe(join(cacheDir, 'models', `127.0.0.1_${new URL(server.url).port}--org--tiny@${fakeCommit('tiny')}`));
    for (const [name, bytes] of Object.entries(files)) expect(new Uint8Array(readFileSync(join(dir, name))), name).toEqual(bytes);
    expect(readdirSync(join(cacheDir, 'tmp'))).toEqual([]);
    // config.json by the revision; everything after it by the commit; the weights via resolve → 302 → cdn
    const paths = server.requests.map((r) => r.path);
    expect(paths).toContain('/org/tiny/resolve/main/config.json');
    expect(paths).toContain(`/org/tiny/resolve/${fakeCommit('tiny')}/model.safetensors`);
    expect(paths).toContain(`/cdn/${fakeCommit('tiny')}/org/tiny/model.safetensors`);
    expect(server.requests.find((r) => r.path.endsWith('model.safetensors') && r.range === null)).toBeDefined();

    const ids = [1, 72, 305, 44, 9, 411, 2];
    const original = writeFolder(files);
    made.push(original);
    const [got, want] = await Promise.all([logprobsOf(dir, ids), logprobsOf(original, ids)]);
    expect(got).toEqual(want);
    expect(Math.max(...want) - Math.min(...want)).toBeGreaterThan(0.5); // not a uniform model: a wrong weight would show

    // progress: total and per-file bytes never go back; each file's last event is its full size
    for (let i = 1; i < events.length; i++) expect(events[i].bytes).toBeGreaterThanOrEqual(events[i - 1].bytes);
    const byFile = new Map<string, DownloadProgress[]>();
    for (const e of events) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    expect([...byFile.keys()].sort()).toEqual(Object.keys(files).sort());
    for (const [name, evs] of byFile) {
      evs.forEach((e, i) => {
        if (i > 0) expect(e.fileBytes).toBeGreaterThanOrEqual(evs[i - 1].fileBytes);
      });
      const last = evs[evs.length - 1];
      expect(last, name).toMatchObject({ fileDone: true, fileBytes: files[name].length, fileTotal: files[name].length });
    }
    expect(byFile.get('model.safetensors')?.length).toBeGreaterThan(2); // streamed in several chunks
    const total = Object.values(files).reduce((a, b) => a + b.length, 0);
    expect(events[events.length - 1]).toMatchObject({ bytes: total, total, secondsLeft: 0 });
    // the weights were planned before they started: their events already carry the final total
    expect(byFile.get('model.safetensors')?.every((e) => e.total === total)).toBe(true);

    // second load: no network at all
    const before = server.requests.length;
    expect(await ensureLocalModel('hf:org/tiny', { cacheDir, endpoint: server.url })).toBe(dir);
    expect(server.requests.length).toBe(before);
    const store = new FolderStore(cacheDir);
    expect((await store.list()).map((m) => [m.source, m.commit, m.totalBytes])).toEqual([
      [`${server.url}/org/tiny`, fakeCommit('tiny'), total],
    ]);
  });

  test('a sharded checkpoint: the index and every shard it names, byte for byte', async () => {
    const cacheDir = tempDir();
    const dir = await ensureLocalModel(`${server.url}/org/sharded/tree/main`, { cacheDir, endpoint: 'https://huggingface.co' });
    expect(readdirSync(dir).sort()).toEqual(['.cherry.json', ...Object.keys(sharded)].sort());
    for (const [name, bytes] of Object.entries(sharded)) expect(new Uint8Array(readFileSync(join(dir, name))), name).toEqual(bytes);
  });

  test('a plain base URL (no commit header) is cached under its ETag and reloads offline', async () => {
    const cacheDir = tempDir();
    const base = `${server.url}/static/org/tiny`;
    const dir = await ensureLocalModel(base, { cacheDir });
    expect(dir).toMatch(/url--127\.0\.0\.1_\d+--static--org--tiny@etag-[0-9a-f]{64}$/);
    expect(new Uint8Array(readFileSync(join(dir, 'model.safetensors')))).toEqual(files['model.safetensors']);
    const before = server.requests.length;
    expect(await ensureLocalModel(base + '/', { cacheDir })).toBe(dir);
    expect(server.requests.length).toBe(before);
  });

  test('a new download removes what a killed process left in tmp/ a day ago, and keeps a fresh one', async () => {
    const cacheDir = tempDir();
    const old = join(cacheDir, 'tmp', 'killed@abc-1');
    const fresh = join(cacheDir, 'tmp', 'running@abc-2');
    for (const d of [old, fresh]) {
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'model.safetensors'), 'half');
    }
    const dayAgo = (Date.now() - 25 * 3600 * 1000) / 1000;
    utimesSync(old, dayAgo, dayAgo);
    await ensureLocalModel('hf:org/tiny', { cacheDir, endpoint: server.url });
    expect(readdirSync(join(cacheDir, 'tmp'))).toEqual(['running@abc-2']);
  });

  test('a server that ignores Range: the headers are read from the start of the full answers', async () => {
    const cacheDir = tempDir();
    const own = await startHubServer({ 'org/sharded': { files: sharded, commit: fakeCommit('norange') } }, { ignoreRange: true });
    try {
      const err = await rejection(() => ensureLocalModel('hf:org/sharded', { cacheDir, endpoint: own.url, maxFloat32Bytes: 1000 }));
      expect(err).toBeInstanceOf(ModelTooLargeError); // sized from the headers cut out of the full answers
      expect(err.message).toMatch(
        new RegExp(
          `^${own.url}/org/sharded: ${tinyParams().toLocaleString('en-US')} parameters need \\d+ kB as float32, more than the 1\\.00 kB this device allows`,
        ),
      );
      const dir = await ensureLocalModel('hf:org/sharded', { cacheDir, endpoint: own.url });
      for (const [name, bytes] of Object.entries(sharded)) expect(new Uint8Array(readFileSync(join(dir, name))), name).toEqual(bytes);
    } finally {
      await own.stop();
    }
  });

  test('a local folder path comes back unchanged, without touching the cache', async () => {
    const cacheDir = tempDir();
    expect(await ensureLocalModel('./some/model', { cacheDir })).toBe('./some/model');
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});

describe('refusals and failures leave no entry', () => {
  test('an unsupported architecture is refused from config.json before any weight or tokenizer request', async () => {
    const cacheDir = tempDir();
    const err = await rejection(() => ensureLocalModel('hf:org/mamba', { cacheDir, endpoint: server.url }));
    expect(err.name).toBe('ConfigError');
    // parseHFConfig's own message (the list of supported architectures grows with src/model)
    expect(err.message).toMatch(
      new RegExp(
        `^${server.url}/org/mamba/config\\.json: field "architectures" is "MambaForCausalLM".*, which Cherry cannot run; supported: .*LlamaForCausalLM`,
      ),
    );
    expect(server.requests.filter((r) => r.path.startsWith('/org/mamba/')).map((r) => r.path)).toEqual([
      '/org/mamba/resolve/main/config.json',
    ]);
    expectEmptyCache(cacheDir);
  });

  test('a model over the float32 budget is refused from its safetensors header, before the weights download', async () => {
    const cacheDir = tempDir();
    const params = tinyParams();
    const bodies = server.bodyGets('model.safetensors');
    const err = await rejection(() => ensureLocalModel('hf:org/tiny', { cacheDir, endpoint: server.url, maxFloat32Bytes: 4 * params - 1 }));
    expect(err).toBeInstanceOf(ModelTooLargeError);
    expect(err.message).toContain(
      `${server.url}/org/tiny: ${params.toLocaleString('en-US')} parameters need ${((4 * params) / 1000).toFixed(0)} kB as float32, more than the`,
    );
    expect(server.bodyGets('model.safetensors')).toBe(bodies);
    expectEmptyCache(cacheDir);
    await expect(ensureLocalModel('hf:org/tiny', { cacheDir, endpoint: server.url, maxFloat32Bytes: 4 * params })).resolves.toContain(
      'org--tiny@',
    );
  });

  test('a cache with too little room is refused before the weights download', async () => {
    const cacheDir = tempDir();
    class FullDisk extends FolderStore {
      override async available(): Promise<number> {
        return 1000;
      }
    }
    const err = await rejection(() => downloadModel('hf:org/tiny', { store: new FullDisk(cacheDir), endpoint: server.url }));
    expect(err).toBeInstanceOf(CacheQuotaError);
    expect(err.message).toMatch(
      new RegExp(`the weights need ${(files['model.safetensors'].length / 1000).toFixed(0)} kB but only 1.00 kB is free in ${cacheDir}`),
    );
    expectEmptyCache(cacheDir);
  });

  test('a connection killed mid-file names the file and leaves nothing; a retry then succeeds', async () => {
    const cacheDir = tempDir();
    server.breakNext('model.safetensors', 50_000);
    const err = await rejection(() => ensureLocalModel('hf:org/tiny', { cacheDir, endpoint: server.url }));
    expect(err).toBeInstanceOf(HubDownloadError);
    expect(err.message).toMatch(
      new RegExp(
        `^model\\.safetensors: the connection broke after \\d+ of ${files['model.safetensors'].length} bytes .*; try again \\(${server.url}/org/tiny/resolve/[0-9a-f]{40}/model\\.safetensors\\)$`,
      ),
    );
    expectEmptyCache(cacheDir);
    expect(await new FolderStore(cacheDir).readRef('127.0.0.1_' + new URL(server.url).port + '--org--tiny', 'main')).toBeNull();
    const dir = await ensureLocalModel('hf:org/tiny', { cacheDir, endpoint: server.url });
    expect(new Uint8Array(readFileSync(join(dir, 'model.safetensors')))).toEqual(files['model.safetensors']);
  });

  test('cancelling mid-file through the AbortSignal stops the download and leaves nothing', async () => {
    const cacheDir = tempDir();
    server.stallNext('model.safetensors', 40_000);
    const ac = new AbortController();
    const err = await rejection(() =>
      ensureLocalModel('hf:org/tiny', {
        cacheDir,
        endpoint: server.url,
        signal: ac.signal,
        progressEveryMs: 0,
        onProgress: (p) => {
          if (p.file === 'model.safetensors' && p.fileBytes > 0) ac.abort();
        },
      }),
    );
    expect(err).toBeInstanceOf(DownloadCancelledError);
    expect(err.message).toBe('download cancelled while fetching model.safetensors; nothing was cached');
    expectEmptyCache(cacheDir);
  });

  test('a missing required file is named: tokenizer.json, and weights with neither file nor index', async () => {
    const cacheDir = tempDir();
    const a = await rejection(() => ensureLocalModel('hf:org/notok', { cacheDir, endpoint: server.url }));
    expect(a).toBeInstanceOf(HubDownloadError);
    expect(a.message).toBe(
      `tokenizer.json: not found (HTTP 404); the model needs this file (${server.url}/org/notok/resolve/${fakeCommit('notok')}/tokenizer.json)`,
    );
    const b = await rejection(() => ensureLocalModel('hf:org/noweights', { cacheDir, endpoint: server.url }));
    expect(b.message).toMatch(
      /^model\.safetensors: not found \(HTTP 404\), and neither is model\.safetensors\.index\.json; the model needs its weights as safetensors/,
    );
    const c = await rejection(() => ensureLocalModel('hf:org/nosuchrepo', { cacheDir, endpoint: server.url }));
    expect(c.message).toMatch(/^config\.json: refused \(HTTP 401\): the repository does not exist, or it is private or gated/);
    expectEmptyCache(cacheDir);
  });

  test('after the server stops: a cached model still loads, an uncached one says it could not connect', async () => {
    const cacheDir = tempDir();
    const own = await startHubServer({ 'org/tiny': { files, commit: fakeCommit('tiny') } });
    const dir = await ensureLocalModel('hf:org/tiny', { cacheDir, endpoint: own.url });
    await own.stop();
    expect(await ensureLocalModel('hf:org/tiny', { cacheDir, endpoint: own.url })).toBe(dir);
    expect(await ensureLocalModel(`hf:org/tiny@${fakeCommit('tiny')}`, { cacheDir, endpoint: own.url })).toBe(dir);
    const err = await rejection(() => ensureLocalModel('hf:org/other', { cacheDir, endpoint: own.url }));
    expect(err.message).toMatch(
      /^config\.json: could not connect \(fetch failed.*\); check the address, the Hub endpoint and your network/,
    );
  });
});
