// EngineController's try-it calls against the real worker-side handler over a MessageChannel, in Node:
// when a newer tryGrader starts before an older one answers (edits re-grade as you type), only the newest
// outcome reaches the store, even when the older answer arrives last; sampleForTry sends the page's task.
import { afterEach, expect, test } from 'vitest';
import { EngineController } from '../../src/ui/engine';
import { createStore, initialState } from '../../src/ui/store';
import { chooseBackend } from '../../src/worker/backend';
import { createHandler, type Handlers } from '../../src/worker/handler';
import { TrainClient, portEndpoint } from '../../src/worker/trainClient';
import { makeSample, type GradeResult } from '../../src/graders/types';
import type { SampleForTryBody } from '../../src/worker/sampleForTry';

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

function setup(handlers: Partial<Handlers>) {
  const store = createStore(initialState('cpu'));
  const spawn = () => {
    const ch = new MessageChannel();
    channels.push(ch);
    const handle = createHandler((m, t) => ch.port2.postMessage(m, t ?? []), handlers);
    ch.port2.addEventListener('message', (e) => {
      void handle(e.data);
    });
    ch.port2.start();
    return new TrainClient(portEndpoint(ch.port1));
  };
  return { store, engine: new EngineController(store, spawn) };
}

const result = (reward: number): GradeResult => ({ reward, sub_rewards: {}, error: null, ms: 0 });
const req = (text: string) => ({ sample: makeSample(text, text.length, 'stop'), item: { reference_answer: '1' } });

test('an older tryGrader answering after a newer one is dropped: the store keeps the newest outcome', async () => {
  let release: () => void = () => undefined;
  const slow = new Promise<void>((resolve) => {
    release = resolve;
  });
  const { store, engine } = setup({
    init: (r) => chooseBackend(r.backend),
    // The first edit's grading is slow (answers last); the second's is fast. Reward = number of requests / 10.
    tryGrader: async (r) => {
      if (r.requests.length === 1) await slow;
      return r.requests.map(() => result(r.requests.length / 10));
    },
  });
  await engine.initBackend('cpu');
  const older = engine.tryGrader([req('a')]);
  const newer = await engine.tryGrader([req('a'), req('b')]);
  expect(newer).toEqual([result(0.2), result(0.2)]);
  release();
  expect(await older).toBeNull();
  expect(store.getState().grader.tryResult).toEqual({ results: [result(0.2), result(0.2)] });
  expect(store.getState().grader.trying).toBe(false);
  engine.dispose();
});

test('sampleForTry sends the selected built-in task, or the uploaded dataset with its rows', async () => {
  const sent: SampleForTryBody[] = [];
  const { store, engine } = setup({
    init: (r) => chooseBackend(r.backend),
    sampleForTry: async (r) => {
      sent.push({ task: r.task, n: r.n, samplesPerPrompt: r.samplesPerPrompt, temperature: r.temperature, seed: r.seed });
      return { items: [], completions: [] };
    },
  });
  await engine.initBackend('cpu');
  const opts = { n: 2, samplesPerPrompt: 3, temperature: 0.7, seed: 9 };
  store.dispatch({ type: 'task/select', task: 'countdown' });
  await engine.sampleForTry(opts);
  const train = [{ prompt: 'p', reference_answer: 'a' }],
    validation = [{ prompt: 'q', reference_answer: 'b' }];
  store.dispatch({
    type: 'dataset/set',
    dataset: {
      file: 'rows.jsonl',
      data: {
        train,
        validation,
        errors: [],
        summary: {
          source: 'rows.jsonl',
          lines: 2,
          blank: 0,
          accepted: 2,
          rejected: 0,
          formats: { messages: 0, prompt: 2 },
          fields: {},
          text: '',
        },
      },
    },
  });
  await engine.sampleForTry(opts);
  expect(sent).toEqual([
    { task: { kind: 'builtin', name: 'countdown' }, ...opts },
    { task: { kind: 'dataset', name: 'rows.jsonl', train, validation }, ...opts },
  ]);
  engine.dispose();
});
