// The train worker's engine (TrainSession) behind the real handler and client over a MessageChannel,
// in Node on the cpu backend: loading a model folder (progress in bytes, size and memory from the
// config's shapes, errors naming the file), and a real run on the arithmetic task driven like the page
// drives it: start, pause, step once, a hyperparameter changed and one refused, resume, stop.
import { afterEach, beforeAll, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createHandler } from '../../src/worker/handler';
import { TrainClient, WorkerError, portEndpoint } from '../../src/worker/trainClient';
import { TrainSession } from '../../src/worker/session';
import { LatestCheckpointSink } from '../../src/worker/checkpoints';
import type { StartBody, TrainEvent } from '../../src/worker/protocol';
import { CHERRY_VOCAB_SIZE } from '../../src/tokenizer';
import { countParams, folderFetch, modelFiles, SMALL } from './modelFiles';

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
  const good = await modelFiles();
  const noTokenizer = new Map(good);
  noTokenizer.delete('tokenizer.json');
  const badConfig = new Map(good);
  badConfig.set('config.json', new TextEncoder().encode('{"model_type": "llama", "hidden_size": 16,'));
  const wrongShape = new Map(good);
  wrongShape.set(
    'config.json',
    new TextEncoder().encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(good.get('config.json'))), intermediate_size: 48 })),
  );
  folders = new Map([
    ['tiny', good],
    ['no-tok', noTokenizer],
    ['bad-config', badConfig],
    ['wrong-shape', wrongShape],
  ]);
});

function connect() {
  const ch = new MessageChannel();
  channels.push(ch);
  const sink = new LatestCheckpointSink();
  const post = (m: unknown) => ch.port2.postMessage(m);
  const session = new TrainSession({
    emit: (e) => post(e),
    fetch: { fetch: folderFetch(BASE, folders), modelsBase: BASE },
    checkpoints: sink,
    defaultCheckpointInterval: 0,
  });
  const handle = createHandler((m, t) => ch.port2.postMessage(m, t ?? []), {
    loadModel: (r) => session.loadModel(r.source),
    start: (r) => session.start(r),
    pause: () => session.pause(),
    resume: () => session.resume(),
    step: (r) => session.step(r.start),
    stop: () => session.stop(),
    setHyperparameter: (r) => session.setHyperparameter(r.name, r.value),
    getSamples: async (r) => session.getSamples(r.step),
  });
  ch.port2.addEventListener('message', (e) => {
    void handle(e.data);
  });
  ch.port2.start();
  const client = new TrainClient(portEndpoint(ch.port1));
  const events: TrainEvent[] = [];
  for (const k of ['progress', 'metrics', 'samples', 'status', 'error'] as const) client.on(k, (e) => events.push(e));
  return { client, events, sink };
}

const GRADER = 'function grade(sample, item) {\n  return sample.output_text.trim() === item.reference_answer ? 1 : 0;\n}\n';
const CONFIG = { batch_prompts: 2, num_generations: 2, max_completion_length: 3, eval_interval: 0, max_steps: 1000, learning_rate: 1e-3 };
const START: StartBody = { config: CONFIG, task: { kind: 'builtin', name: 'arithmetic' }, grader: { kind: 'js', code: GRADER } };

const steps = (events: TrainEvent[]) => events.flatMap((e) => (e.kind === 'metrics' ? [e.step] : []));

test('a built-in model loads with byte progress; size and memory follow from config.json', async () => {
  const { client, events } = connect();
  const info = await client.request('loadModel', { source: { kind: 'builtin', name: 'tiny' } });
  const files = folders.get('tiny') ?? new Map<string, Uint8Array>();
  const total = [...files.values()].reduce((a, b) => a + b.byteLength, 0);
  const P = countParams(SMALL);
  // embed V×16 + lm_head V×16 + q 16×16 + k,v 8×16 each + o 16×16 + gate,up 32×16 + down 16×32 + 2 norms of 16 + final norm 16
  expect(P).toBe(CHERRY_VOCAB_SIZE * 16 * 2 + 16 * 16 * 2 + 8 * 16 * 2 + 32 * 16 * 3 + 16 * 3);
  const kv = 2 * 1 * 2 * 4 * 64 * 64 * 4; // k and v × layers × KV heads × head dim × context × (8 prompts × 8 samples) × 4 bytes
  expect(info).toEqual({
    name: 'tiny',
    parameters: P,
    memoryBytes: P * 16 + kv,
    kvCacheBytes: kv,
    architecture: 'LlamaForCausalLM',
    vocabSize: CHERRY_VOCAB_SIZE,
    layers: 1,
    hiddenSize: 16,
    chatTemplate: false,
  });
  const progress = events.filter((e) => e.kind === 'progress');
  expect(progress.at(-1)).toMatchObject({ loadedBytes: total, totalBytes: total });
  expect(progress.every((e) => e.kind === 'progress' && e.totalBytes === total)).toBe(true);
});

test('a bad folder fails with the file named: missing tokenizer, bad JSON, wrong tensor shape', async () => {
  const { client } = connect();
  const fail = (name: string) =>
    client.request('loadModel', { source: { kind: 'builtin', name } }).then(
      () => null,
      (e: unknown) => e,
    );
  expect(await fail('no-tok')).toMatchObject({
    name: 'ModelLoadError',
    message: expect.stringMatching(/models\/no-tok\/tokenizer\.json: not found \(HTTP 404\)/),
  });
  expect(await fail('nowhere')).toMatchObject({
    name: 'ModelLoadError',
    message: expect.stringMatching(/models\/nowhere\/config\.json.*npm run build:models/),
  });
  expect(String(((await fail('bad-config')) as Error).message)).toMatch(/models\/bad-config\/config\.json/);
  expect(await fail('wrong-shape')).toMatchObject({
    name: 'WeightShapeError',
    message: expect.stringMatching(
      /models\/wrong-shape\/model\.safetensors: tensor "model\.layers\.0\.mlp\.gate_proj\.weight" has shape \[32, 16\] but config\.json implies \[48, 16\]/,
    ),
  });
});

test('a picked local folder loads from its files (buffers moved); one without model.safetensors is refused', async () => {
  const { client } = connect();
  const files = [...(folders.get('tiny') ?? [])].map(([n, b]) => ({ name: `my-llama/${n}`, data: b.slice().buffer }));
  const info = await client.request(
    'loadModel',
    { source: { kind: 'files', files } },
    files.map((f) => f.data),
  );
  expect(info).toMatchObject({ name: 'my-llama', parameters: countParams(SMALL) });
  expect(files[0].data.byteLength).toBe(0); // transferred, not copied
  const partial = [...(folders.get('tiny') ?? [])]
    .filter(([n]) => n !== 'model.safetensors')
    .map(([n, b]) => ({ name: n, data: b.slice().buffer }));
  const err = await client.request('loadModel', { source: { kind: 'files', files: partial } }).catch((e: unknown) => e);
  expect(err).toMatchObject({
    name: 'ModelLoadError',
    message: expect.stringMatching(/The picked files have no model\.safetensors\. A Hugging Face model folder needs/),
  });
});

test('start, pause, step once, change lr, refuse seed, resume, stop: steps are counted exactly', async () => {
  const { client, events, sink } = connect();
  await client.request('loadModel', { source: { kind: 'builtin', name: 'tiny' } });
  expect(await client.request('start', START)).toEqual({ state: 'running', step: 0 });
  while (steps(events).length < 2) await new Promise((r) => setTimeout(r, 5));
  const paused = await client.request('pause', {});
  expect(paused.state).toBe('paused');
  expect(steps(events)).toEqual(Array.from({ length: paused.step }, (_, i) => i)); // one metrics event per completed step, 0-based
  expect(sink.latest).toMatchObject({ reason: 'pause', data: { step: paused.step } });
  // every sample of a step: 2 prompts × 2 samples, from arithmetic prompts, and getSamples returns them
  const last = await client.request('getSamples', { step: paused.step - 1 });
  expect(last).toHaveLength(4);
  expect(last.every((s) => s.step === paused.step - 1 && /^\d+[+-]\d+=$/.test(s.prompt) && s.length <= 3)).toBe(true);
  expect(last.map((s) => s.group)).toEqual([0, 0, 1, 1]);

  const cfg = await client.request('setHyperparameter', { name: 'learning_rate', value: 5e-4 });
  expect(cfg.learning_rate).toBe(5e-4);
  const refused = await client.request('setHyperparameter', { name: 'seed', value: 7 }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(WorkerError);
  expect(String(refused)).toMatch(/seed/);

  const one = await client.request('step', {});
  expect(one).toEqual({ state: 'paused', step: paused.step + 1, memoryPeakBytes: expect.any(Number) }); // the most bytes tfjs held during a step
  const m = events.filter((e) => e.kind === 'metrics').at(-1);
  expect(m?.kind === 'metrics' ? m.metrics.learning_rate : null).toBe(5e-4);

  expect((await client.request('resume', {})).state).toBe('running');
  const stopped = await client.request('stop', {});
  expect(stopped.state).toBe('stopped');
  expect(stopped.step).toBe(steps(events).length);
  // the refused change is the only error (the client raises every failed request as an event too)
  expect(events.filter((e) => e.kind === 'error').map((e) => e.kind === 'error' && e.error.name)).toEqual(['ConfigError']);
});

test('a grader with a syntax error or one that throws refuses the run at its line; step from idle runs exactly one', async () => {
  const { client, events } = connect();
  await client.request('loadModel', { source: { kind: 'builtin', name: 'tiny' } });
  const syntax = await client
    .request('start', { ...START, grader: { kind: 'js', code: 'function grade(sample, item) {\n  return (;\n}\n' } })
    .catch((e: unknown) => e);
  expect(syntax).toMatchObject({ name: 'GraderLoadError', message: expect.stringMatching(/line 2, column \d+/) });
  const throws = await client
    .request('start', { ...START, grader: { kind: 'js', code: 'function grade(sample, item) {\n  throw new Error("no");\n}\n' } })
    .catch((e: unknown) => e);
  expect(throws).toMatchObject({ name: 'GraderPreflightError', message: expect.stringMatching(/line 2, column \d+: Error: no/) });
  expect(steps(events)).toEqual([]);
  expect(events.filter((e) => e.kind === 'status').map((e) => e.kind === 'status' && e.status.state)).toEqual(['idle']); // only the load's
  expect(await client.request('step', { start: START })).toEqual({ state: 'paused', step: 1, memoryPeakBytes: expect.any(Number) });
  expect(steps(events)).toEqual([0]);
});

test('a run ends by itself at max_steps, stopped, with the step count kept', async () => {
  const { client, events } = connect();
  await client.request('loadModel', { source: { kind: 'builtin', name: 'tiny' } });
  await client.request('start', { ...START, config: { ...CONFIG, max_steps: 2 } });
  while (!events.some((e) => e.kind === 'status' && e.status.state === 'stopped')) await new Promise((r) => setTimeout(r, 5));
  const last = events.filter((e) => e.kind === 'status').at(-1);
  expect(last).toEqual({
    kind: 'status',
    status: { state: 'stopped', step: 2, message: 'finished: 2 steps (max_steps)', memoryPeakBytes: expect.any(Number) },
  });
  expect(steps(events)).toEqual([0, 1]);
  // the run is over but its samples stay readable: the latest step by default, none for a step never run
  expect((await client.request('getSamples', { step: null })).map((r) => r.step)).toEqual([1, 1, 1, 1]);
  expect(await client.request('getSamples', { step: 99 })).toEqual([]);
});

test('pause_on_grader_error: a grader that fails on some samples pauses the run with a message naming the sample', async () => {
  // Passes the preflight (the label is digits) but throws on the random model's non-numeric outputs.
  const picky =
    'function grade(sample, item) {\n  if (!/^\\d+$/.test(sample.output_text)) throw new Error("not a number");\n  return 1;\n}\n';
  const { client, events } = connect();
  await client.request('loadModel', { source: { kind: 'builtin', name: 'tiny' } });
  await client.request('start', { ...START, config: { ...CONFIG, pause_on_grader_error: true }, grader: { kind: 'js', code: picky } });
  while (!events.some((e) => e.kind === 'status' && e.status.state === 'paused')) await new Promise((r) => setTimeout(r, 5));
  expect(steps(events)).toEqual([0]); // paused right after the first step with a failure
  const err = events.find((e) => e.kind === 'error');
  expect(err?.kind === 'error' ? err.error.message : '').toMatch(
    /^Step 1: the grader failed on \d of 4 samples; the first is sample \d .*line 2, column \d+: Error: not a number.*The run paused/,
  );
  // off (the default): the same grader trains on, leaving the failed samples out
  const again = connect();
  await again.client.request('loadModel', { source: { kind: 'builtin', name: 'tiny' } });
  await again.client.request('start', { ...START, config: { ...CONFIG, max_steps: 2 }, grader: { kind: 'js', code: picky } });
  while (!again.events.some((e) => e.kind === 'status' && e.status.state === 'stopped')) await new Promise((r) => setTimeout(r, 5));
  expect(steps(again.events)).toEqual([0, 1]);
  expect(again.events.filter((e) => e.kind === 'error')).toEqual([]);
});
