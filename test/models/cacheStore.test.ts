// The cache behind a model build: the Node store (files on disk, atomic writes), the browser store
// (the same files through one exposed function, bytes as base64) and the helpers a browser build
// shares with Node (scaleSpec, PhaseTimer).
import { test, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCacheName, fromBase64, toBase64 } from '../../scripts/models/cacheStore';
import { nodeCacheStore } from '../../scripts/models/cacheStoreNode';
import { browserCacheStore } from '../../scripts/models/cacheStoreBrowser';
import { cacheCall } from '../../scripts/models/browserBuild';
import { scaleSpec, specData } from '../../scripts/models/train';
import { MODEL_SPECS } from '../../scripts/models/specs';
import { PhaseTimer, type ProgressSink } from '../../scripts/models/progress';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cherry-cache-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test("base64: RFC 4648 examples, and a 100 kB buffer agrees with Node's own encoder", () => {
  expect(toBase64(new TextEncoder().encode('Man'))).toBe('TWFu');
  expect(toBase64(new Uint8Array([0, 1, 2, 255]))).toBe('AAEC/w==');
  expect(Array.from(fromBase64('AAEC/w=='))).toEqual([0, 1, 2, 255]);
  const big = new Uint8Array(100_003).map((_, i) => (i * 7919) % 256); // longer than one 32 kB chunk
  expect(toBase64(big)).toBe(Buffer.from(big).toString('base64'));
  expect(Buffer.from(fromBase64(toBase64(big))).equals(Buffer.from(big))).toBe(true);
});

test('cache file names must be plain names', () => {
  expect(checkCacheName('model.safetensors')).toBe('model.safetensors');
  for (const bad of ['../x', 'a/b', '..', '.', '', 'a\\b']) expect(() => checkCacheName(bad), bad).toThrow(/not a plain file name/);
});

test('node store: missing file is null, writes create the folder and leave no temporary file, remove is idempotent', async () => {
  const s = nodeCacheStore(join(dir, 'node', 'm'));
  expect(await s.read('state.json')).toBeNull();
  await s.write('state.json', new Uint8Array([1, 2, 3]));
  await s.write('state.json', new Uint8Array([4, 5]));
  expect(Array.from((await s.read('state.json'))!)).toEqual([4, 5]); // written just above
  expect(readdirSync(join(dir, 'node', 'm'))).toEqual(['state.json']);
  await s.remove('state.json');
  await s.remove('state.json');
  expect(existsSync(join(dir, 'node', 'm', 'state.json'))).toBe(false);
});

test("browser store: the page's reads and writes land in <cache>/<model>/ on disk, byte for byte", async () => {
  const root = join(dir, 'browser');
  const s = browserCacheStore('cherry-x', (call) => cacheCall(root, call));
  const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) % 251);
  await s.write('model.safetensors', bytes);
  expect(Buffer.from(readFileSync(join(root, 'cherry-x', 'model.safetensors'))).equals(Buffer.from(bytes))).toBe(true);
  expect(Buffer.from((await s.read('model.safetensors'))!).equals(Buffer.from(bytes))).toBe(true); // written above
  expect(await s.read('optim.json')).toBeNull();
  await s.remove('model.safetensors');
  expect(existsSync(join(root, 'cherry-x', 'model.safetensors'))).toBe(false);
  await expect(cacheCall(root, { op: 'read', model: '../escape', name: 'state.json' })).rejects.toThrow(/not a plain file name/);
});

test('scaleSpec: steps, warm-up and the check interval scale and round, at least 1; scale 1 is the recipe itself', () => {
  const arith = MODEL_SPECS.find((s) => s.name === 'cherry-arith')!; // a shipped model
  const s = scaleSpec(arith, 0.01);
  // pretrain 100 steps / warm-up 10 → 1 / max(1, 0); SFT 9000 / 100 → 90 / 1; checks every 250 → round(2.5) = 3
  expect([s.pretrain.steps, s.pretrain.warmup, s.sft.steps, s.sft.warmup, s.evalEvery]).toEqual([1, 1, 90, 1, 3]);
  expect(s.pretrain.batchSize).toBe(arith.pretrain.batchSize);
  expect(scaleSpec(arith, 1)).toBe(arith);
  expect(specData(s)).not.toBe(specData(arith));
  expect(specData(s)).not.toMatch(/domainText"/); // functions are left out (the page's are minified)
});

test('PhaseTimer counts only the steps a session ran and passes every call on', () => {
  const seen: string[] = [];
  const inner: ProgressSink = {
    start: (l, t, d) => seen.push(`start ${l} ${t} ${d}`),
    tick: (d) => seen.push(`tick ${d}`),
    note: (t) => seen.push(t),
    done: () => seen.push('done'),
  };
  const p = new PhaseTimer(inner);
  p.start('m pretrain', 10, 4);
  p.tick(5, '');
  p.tick(6, '');
  p.done();
  p.start('m sft', 8, 0);
  p.tick(1, '');
  const lines = p.report();
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^m pretrain: 2 steps in /);
  expect(lines[1]).toMatch(/^m sft \(stopped\): 1 steps in /);
  expect(seen).toEqual(['start m pretrain 10 4', 'tick 5', 'tick 6', 'done', 'start m sft 8 0', 'tick 1']);
  expect(p.report()).toEqual([]);
});
