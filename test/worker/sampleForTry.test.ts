// The `sampleForTry` request on a tiny model in Node (cpu backend), through the real handler and client:
// n items × k completions of the task's validation split, laid out item by item and identical to a
// direct generate call on the same weights; seeded (same seed → same completions); refused while a run
// is running and with a bad count; a paused run samples too.
import { afterEach, beforeAll, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createHandler } from '../../src/worker/handler';
import { TrainClient, portEndpoint } from '../../src/worker/trainClient';
import { TrainSession } from '../../src/worker/session';
import type { StartBody } from '../../src/worker/protocol';
import type { SampleForTryBody } from '../../src/worker/sampleForTry';
import { generate, initLlama } from '../../src/model';
import { buildCherryTokenizer, buildCherryTokenizerConfig, loadTokenizer, promptIds } from '../../src/tokenizer';
import { getTask } from '../../src/tasks';
import { folderFetch, modelFiles, SMALL } from './modelFiles';

const BASE = 'http://cherry.test/models/';
let folders: Map<string, Map<string, Uint8Array>>;
const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});
beforeAll(async () => {
  await tf.setBackend('cpu');
  folders = new Map([['tiny', await modelFiles()]]);
});

function connect(): TrainClient {
  const ch = new MessageChannel();
  channels.push(ch);
  const session = new TrainSession({
    emit: (e) => ch.port2.postMessage(e),
    fetch: { fetch: folderFetch(BASE, folders), modelsBase: BASE },
    defaultCheckpointInterval: 0,
  });
  const handle = createHandler((m, t) => ch.port2.postMessage(m, t ?? []), {
    loadModel: (r) => session.loadModel(r.source),
    start: (r) => session.start(r),
    pause: () => session.pause(),
    stop: () => session.stop(),
    sampleForTry: (r) => session.sampleForTry(r),
  });
  ch.port2.addEventListener('message', (e) => {
    void handle(e.data);
  });
  ch.port2.start();
  return new TrainClient(portEndpoint(ch.port1));
}

const BODY: SampleForTryBody = {
  task: { kind: 'builtin', name: 'arithmetic' },
  n: 2,
  samplesPerPrompt: 3,
  temperature: 1,
  seed: 5,
  maxNewTokens: 4,
};

test('n items × k completions, item by item, equal to one direct generate call on the same weights; seeded', async () => {
  const client = connect();
  await client.request('loadModel', { source: { kind: 'builtin', name: 'tiny' } });
  const r = await client.request('sampleForTry', BODY);
  const items = getTask('arithmetic').items('validation', 2);
  expect(r.items).toEqual(items);
  expect(r.completions.map((c) => c.length)).toEqual([3, 3]);
  // Independent path: the same weights (initLlama seed 7, as modelFiles builds them), each prompt repeated 3 times.
  const tok = await loadTokenizer(buildCherryTokenizer(), 'tokenizer.json', buildCherryTokenizerConfig());
  const model = initLlama(SMALL, 7, 0.02);
  const prompts = items.flatMap((it) => {
    const ids = promptIds(tok, String(it.prompt));
    return [ids, ids, ids];
  });
  const gen = await generate(model, prompts, {
    maxNewTokens: 4,
    temperature: 1,
    seed: 5,
    eosIds: tok.eosIds.length > 0 ? tok.eosIds : [2],
  });
  model.dispose();
  const flat = r.completions.flat();
  expect(flat.map((c) => c.text)).toEqual(gen.ids.map((ids) => tok.decode(ids)));
  expect(flat.map((c) => c.tokens)).toEqual(gen.ids.map((ids) => ids.length));
  expect(flat.map((c) => c.finish_reason)).toEqual(gen.finishReasons);
  for (const c of flat) expect(c.finish_reason === 'length' ? c.tokens === 4 : c.tokens <= 4).toBe(true);
  expect(await client.request('sampleForTry', BODY)).toEqual(r); // same seed → same completions
});

test('refused while a run is running ("pause the run first"), allowed once paused; bad counts refused', async () => {
  const client = connect();
  await client.request('loadModel', { source: { kind: 'builtin', name: 'tiny' } });
  const fail = (body: SampleForTryBody) =>
    client.request('sampleForTry', body).then(
      () => null,
      (e: unknown) => e,
    );
  expect(await fail({ ...BODY, n: 0 })).toMatchObject({
    name: 'SampleForTryError',
    message: expect.stringMatching(/'n' must be an integer in \[1, 16\], got 0/),
  });
  const start: StartBody = {
    config: { batch_prompts: 1, num_generations: 2, max_completion_length: 3, eval_interval: 0, max_steps: 1000 },
    task: { kind: 'builtin', name: 'arithmetic' },
    grader: { kind: 'js', code: 'function grade() { return 0.5; }' },
  };
  await client.request('start', start);
  expect(await fail(BODY)).toMatchObject({ name: 'RunStateError', message: expect.stringMatching(/pause the run first/) });
  await client.request('pause', {});
  const r = await client.request('sampleForTry', BODY);
  expect(r.completions.flat()).toHaveLength(6);
  await client.request('stop', {});
});

test('an uploaded dataset: its validation rows are prompted (its training rows when it has none), first n', async () => {
  const client = connect();
  await client.request('loadModel', { source: { kind: 'builtin', name: 'tiny' } });
  const row = (p: string) => ({ prompt: p, reference_answer: 'x', extra: [1, 2] });
  const train = [row('t1'), row('t2')],
    validation = [row('v1'), row('v2'), row('v3')];
  const body = { ...BODY, n: 2, samplesPerPrompt: 1 };
  const a = await client.request('sampleForTry', { ...body, task: { kind: 'dataset', name: 'd.jsonl', train, validation } });
  expect(a.items).toEqual([row('v1'), row('v2')]);
  expect(a.completions.map((c) => c.length)).toEqual([1, 1]);
  const b = await client.request('sampleForTry', { ...body, task: { kind: 'dataset', name: 'd.jsonl', train, validation: [] } });
  expect(b.items).toEqual(train);
});
