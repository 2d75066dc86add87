// The train worker's engine loading Hub models (src/worker/modelLoader through TrainSession), in Node
// on the cpu backend, from the loopback server that behaves like the Hub: a sharded BF16 Llama and a
// Qwen2.5-tokenizer model with its real chat template; byte progress that only grows and ends at the
// total; the second load with the server stopped (from the cache); Cancel; and bad sources (404,
// unsupported architecture) that fail with their message while the previous model stays loaded.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { FolderStore } from '../../src/hub/node';
import { countParams, parseHFConfig } from '../../src/model';
import { TrainSession } from '../../src/worker/session';
import type { TrainEvent } from '../../src/worker/protocol';
import { TINY_MODELS, writeTinyModel } from '../../scripts/fixtures/tinyModels';
import { fakeCommit, startHubServer, type HubServer } from '../helpers/hubServer';

let server: HubServer;
const events: TrainEvent[] = [];
let store: FolderStore;

function folderOf(name: string): Record<string, Uint8Array> {
  const m = TINY_MODELS.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no tiny model ${name}`);
  const dir = mkdtempSync(join(tmpdir(), 'cherry-hubmodel-'));
  writeTinyModel(m, dir);
  return Object.fromEntries(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
}

function session(): TrainSession {
  return new TrainSession({
    emit: (e) => events.push(e),
    fetch: { fetch: () => Promise.reject(new Error('no built-in models here')), modelsBase: 'http://none/', store },
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  store = new FolderStore(mkdtempSync(join(tmpdir(), 'cherry-hubcache-')));
  const mistral = { ...folderOf('llama-f32') };
  mistral['config.json'] = new TextEncoder().encode(
    JSON.stringify({
      ...JSON.parse(new TextDecoder().decode(mistral['config.json'])),
      architectures: ['MistralForCausalLM'],
      model_type: 'mistral',
    }),
  );
  const notok = folderOf('llama-f32');
  delete notok['tokenizer.json'];
  server = await startHubServer({
    'org/sharded': { files: folderOf('llama-sharded-bf16'), commit: fakeCommit('sharded') },
    'org/qwen': { files: folderOf('qwen2-bf16'), commit: fakeCommit('qwen') },
    'org/mistral': { files: mistral, commit: fakeCommit('mistral') },
    'org/small': { files: folderOf('llama-f32'), commit: fakeCommit('small') },
    'org/notok': { files: notok, commit: fakeCommit('notok') },
  });
});
afterAll(async () => {
  await server?.stop();
});

test('a 404 and an unsupported architecture fail with their message and the previous model stays; Cancel stops a download', async () => {
  const s = session();
  const before = await s.loadModel({ kind: 'hub', source: 'hf:org/small', endpoint: server.url });
  const fail = (source: string) =>
    s.loadModel({ kind: 'hub', source, endpoint: server.url }).then(
      () => null,
      (e: unknown) => e,
    );
  expect(await fail('hf:org/missing')).toMatchObject({
    name: 'HubDownloadError',
    message: expect.stringMatching(/^config\.json: refused \(HTTP 401\): the repository does not exist/),
  });
  expect(await fail('hf:org/notok')).toMatchObject({
    name: 'HubDownloadError',
    message: expect.stringMatching(/^tokenizer\.json: not found \(HTTP 404\)/),
  });
  const arch = await fail('hf:org/mistral');
  expect(arch).toMatchObject({ name: 'ConfigError', message: expect.stringContaining('MistralForCausalLM') });
  expect(server.requests.filter((r) => r.path.includes('mistral') && r.path.endsWith('.safetensors'))).toEqual([]); // refused before any weight byte
  // the previous model still answers
  const tried = await s.sampleForTry({
    task: { kind: 'builtin', name: 'arithmetic' },
    n: 1,
    samplesPerPrompt: 1,
    temperature: 0,
    seed: 1,
    maxNewTokens: 2,
  });
  expect(tried.completions[0]).toHaveLength(1);
  expect(before.parameters).toBeGreaterThan(0);

  server.stallNext('model.safetensors', 1000);
  events.length = 0;
  const pending = s.loadModel({ kind: 'hub', source: 'hf:org/qwen', endpoint: server.url }).then(
    () => null,
    (e: unknown) => e,
  );
  const bodyStarted = () =>
    server.requests.some((r) => r.path.includes('/org/qwen/') && r.path.endsWith('model.safetensors') && r.range === null);
  while (!bodyStarted()) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100)); // the stalled body has started
  expect(s.cancelLoad()).toBe(true);
  expect(await pending).toMatchObject({ name: 'DownloadCancelledError' });
  expect(s.cancelLoad()).toBe(false);
  expect((await store.list()).map((m) => m.source)).toEqual([`${server.url}/org/small`]); // nothing half-written (a non-default endpoint is named by its URL)
}, 120_000);

test('a sharded BF16 checkpoint loads from the Hub with growing byte progress, then from the cache with the server stopped', async () => {
  const s = session();
  events.length = 0;
  const files = folderOf('llama-sharded-bf16');
  const info = await s.loadModel({ kind: 'hub', source: 'hf:org/sharded', endpoint: server.url });
  expect(info.parameters).toBe(countParams(parseHFConfig(JSON.parse(new TextDecoder().decode(files['config.json'])), 'config.json')));
  expect(info.chatTemplate).toBe(false); // stories260K's tokenizer has none
  const progress = events.flatMap((e) => (e.kind === 'progress' ? [e] : []));
  expect(progress.length).toBeGreaterThan(2);
  for (let i = 1; i < progress.length; i++) expect(progress[i].loadedBytes).toBeGreaterThanOrEqual(progress[i - 1].loadedBytes);
  const last = progress[progress.length - 1];
  const served = Object.values(files).reduce((a, b) => a + b.length, 0);
  expect(last.loadedBytes).toBe(last.totalBytes);
  expect(last.totalBytes).toBe(served);

  // with the chat model loaded from the Hub, Try-it renders the chat task's messages through its template
  const qwen = await s.loadModel({ kind: 'hub', source: 'hf:org/qwen', endpoint: server.url });
  expect(qwen.chatTemplate).toBe(true);
  const tried = await s.sampleForTry({
    task: { kind: 'builtin', name: 'chat-word-problems' },
    n: 1,
    samplesPerPrompt: 2,
    temperature: 1,
    seed: 3,
    maxNewTokens: 4,
  });
  expect(tried.completions[0]).toHaveLength(2);
  for (const c of tried.completions[0]) expect(c.text).not.toMatch(/<\|im_(start|end)\|>/);

  await server.stop();
  events.length = 0;
  const again = await session().loadModel({ kind: 'hub', source: 'hf:org/sharded', endpoint: server.url });
  expect(again.parameters).toBe(info.parameters);
  expect(events.some((e) => e.kind === 'progress' && e.label === 'from the cache')).toBe(true);
}, 120_000);
