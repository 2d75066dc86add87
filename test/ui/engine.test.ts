// The page's engine controller against the real worker-side handler over a MessageChannel, in Node:
// what lands in the store for each reply, error and restart.
import { afterEach, test, expect } from 'vitest';
import { EngineController } from '../../src/ui/engine';
import { createStore, initialState, type Store } from '../../src/ui/store';
import { chooseBackend } from '../../src/worker/backend';
import { createHandler, type Handlers } from '../../src/worker/handler';
import { TrainClient, portEndpoint } from '../../src/worker/trainClient';
import { JudgeHolder } from '../../src/worker/judgeHolder';

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

/** A spawn function whose "workers" run `handlers` on the far end of fresh MessageChannels. */
function spawner(handlers: Partial<Handlers>): { spawn: () => TrainClient; spawned: () => number } {
  let n = 0;
  return {
    spawned: () => n,
    spawn: () => {
      n++;
      const ch = new MessageChannel();
      channels.push(ch);
      const handle = createHandler((m, t) => ch.port2.postMessage(m, t ?? []), handlers);
      ch.port2.addEventListener('message', (e) => {
        void handle(e.data);
      });
      ch.port2.start();
      return new TrainClient(portEndpoint(ch.port1));
    },
  };
}

function setup(handlers: Partial<Handlers>): { store: Store; engine: EngineController; spawned: () => number } {
  const store = createStore(initialState('cpu'));
  const { spawn, spawned } = spawner(handlers);
  return { store, engine: new EngineController(store, spawn), spawned };
}

test('initBackend stores the backend the worker really set', async () => {
  const { store, engine } = setup({ init: (req) => chooseBackend(req.backend) });
  await engine.initBackend('cpu');
  expect(store.getState().backend.status).toBe('ready');
  expect(store.getState().backend.choice?.backend).toBe('cpu');
  expect(store.getState().errors).toEqual([]);
  engine.dispose();
});

test('a refused request raises exactly one banner error; tryGrader shows its error in the result', async () => {
  const { store, engine } = setup({ init: (req) => chooseBackend(req.backend) });
  await engine.initBackend('cpu');
  await engine.start();
  expect(store.getState().errors.map((e) => e.name)).toEqual(['NotImplementedError']);
  expect(store.getState().run.state).toBe('idle');
  await engine.tryGrader([]);
  const tried = store.getState().grader.tryResult;
  expect(tried !== null && 'error' in tried ? tried.error : null).toMatch(/cannot handle 'tryGrader' yet/);
  expect(store.getState().grader.trying).toBe(false);
  engine.dispose();
});

test('events from the worker land in the store', async () => {
  const { store, engine } = setup({
    init: (req) => chooseBackend(req.backend),
    step: async (_req, ctx) => {
      ctx.emit({ kind: 'metrics', step: 1, metrics: { step: 1, reward_mean: 0.25, reward_std: 0.1 } });
      ctx.emit({
        kind: 'samples',
        step: 1,
        samples: [
          {
            step: 1,
            group: 0,
            prompt: '2+2=',
            completion: '4',
            reward: 1,
            sub_rewards: {},
            error: null,
            error_kind: null,
            advantage: 0.5,
            length: 1,
            truncated: false,
            trained: true,
          },
        ],
      });
      return { state: 'paused', step: 1 };
    },
  });
  await engine.initBackend('cpu');
  await engine.step();
  const s = store.getState();
  expect(s.run).toMatchObject({ state: 'paused', step: 1 });
  expect(s.metrics).toEqual([{ step: 1, reward_mean: 0.25, reward_std: 0.1 }]);
  expect(s.samples.map((r) => r.completion)).toEqual(['4']);
  engine.dispose();
});

test("switching backends starts a fresh worker; the old one's late reply is ignored", async () => {
  let release: () => void = () => {};
  const { store, engine, spawned } = setup({
    init: async (req) => {
      if (req.backend === 'wasm')
        await new Promise<void>((r) => {
          release = r;
        }); // the first init is slow
      return chooseBackend('cpu');
    },
  });
  const first = engine.initBackend('wasm');
  await engine.initBackend('cpu');
  release();
  await first;
  expect(spawned()).toBe(2);
  expect(store.getState().backend).toMatchObject({ requested: 'cpu', status: 'ready' });
  expect(store.getState().errors).toEqual([]); // closing the old worker is not an error
  engine.dispose();
});

test('start sends the page state; a broken grader lands in the try result (for the editor) and the run stays idle', async () => {
  const seen: unknown[] = [];
  const { store, engine } = setup({
    init: (req) => chooseBackend(req.backend),
    start: async (req) => {
      seen.push({ config: req.config, task: req.task, grader: req.grader });
      class GraderLoadError extends Error {
        override name = 'GraderLoadError';
      }
      throw new GraderLoadError("grader 'grader': syntax error at line 2, column 11: SyntaxError: Unexpected token ';'");
    },
  });
  await engine.initBackend('cpu');
  store.dispatch({ type: 'task/select', task: 'countdown' });
  store.dispatch({ type: 'grader/edit', code: 'function grade() {\n  return (;\n}' });
  await engine.setHyperparameter('learning_rate', 1e-3); // no run: recorded, not sent
  await engine.start();
  expect(seen).toEqual([
    {
      config: { learning_rate: 1e-3 },
      task: { kind: 'builtin', name: 'countdown' },
      grader: { kind: 'js', code: 'function grade() {\n  return (;\n}', name: 'grader' },
    },
  ]);
  const tried = store.getState().grader.tryResult;
  expect(tried !== null && 'error' in tried ? tried.error : null).toMatch(/line 2, column 11/);
  expect(store.getState().run.state).toBe('idle');
  expect(store.getState().errors.map((e) => e.name)).toEqual(['GraderLoadError']);
  engine.dispose();
});

test('grader JSON in the editor is sent as a spec; TypeScript as ts; broken JSON is refused here at its line and column', async () => {
  const sent: unknown[] = [];
  const { store, engine } = setup({
    init: (req) => chooseBackend(req.backend),
    tryGrader: async (req) => {
      sent.push(req.grader);
      return [];
    },
  });
  await engine.initBackend('cpu');
  store.dispatch({
    type: 'grader/edit',
    code: '{\n  "type": "string_check", "name": "eq",\n  "input": "{{sample.output_text}}", "reference": "{{item.reference_answer}}", "operation": "eq"\n}',
  });
  await engine.tryGrader([]);
  store.dispatch({ type: 'grader/edit', code: '// @language ts\nfunction grade(): number { return 1; }' });
  await engine.tryGrader([]);
  expect(sent).toEqual([
    {
      kind: 'spec',
      spec: { type: 'string_check', name: 'eq', input: '{{sample.output_text}}', reference: '{{item.reference_answer}}', operation: 'eq' },
    },
    { kind: 'ts', code: '// @language ts\nfunction grade(): number { return 1; }', name: 'grader' },
  ]);
  // A missing comma after "eq" on line 2: the error names line 3 column 3 (where the next key starts).
  store.dispatch({ type: 'grader/edit', code: '{\n  "type": "string_check"\n  "name": "eq"\n}' });
  await engine.start();
  const tried = store.getState().grader.tryResult;
  expect(tried !== null && 'error' in tried ? tried.error : null).toMatch(/line 3, column 3/);
  expect(store.getState().errors.map((e) => e.name)).toEqual(['GraderJsonSyntaxError']);
  expect(store.getState().run.state).toBe('idle');
  // A spec with a wrong field: refused naming the field, and the worker never saw it.
  store.dispatch({
    type: 'grader/edit',
    code: '{"type": "string_check", "name": "eq", "input": "a", "reference": "b", "operation": "nope"}',
  });
  await engine.tryGrader([]);
  const bad = store.getState().grader.tryResult;
  expect(bad !== null && 'error' in bad ? bad.error : null).toMatch(/operation/);
  expect(sent).toHaveLength(2);
  engine.dispose();
});

test('the judge reaches every fresh worker; a refused judge is not kept', async () => {
  const sent: (string | null)[] = [];
  const holders: JudgeHolder[] = [];
  const { engine } = setup({
    init: (req) => {
      holders.push(new JudgeHolder()); // each worker holds its own (trainWorker.ts)
      return chooseBackend(req.backend);
    },
    setJudge: async (req) => {
      holders[holders.length - 1].set(req.judge); // throws JudgeError for a URL that is not http(s)
      sent.push(req.judge?.baseURL ?? null);
      return {};
    },
  });
  await engine.setJudge({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k', model: '' }); // before any worker: kept for the first
  await engine.initBackend('cpu');
  expect(sent).toEqual(['http://127.0.0.1:9/v1']);
  await expect(engine.setJudge({ baseURL: 'ftp://x/v1', apiKey: '', model: '' })).rejects.toThrow(/ftp:/);
  await engine.initBackend('cpu'); // a backend switch: a fresh worker gets the judge that was accepted
  expect(sent).toEqual(['http://127.0.0.1:9/v1', 'http://127.0.0.1:9/v1']);
  expect(holders[1].loadOptions().judge).toBeDefined();
  await engine.setJudge(null);
  expect(holders[1].loadOptions().judge).toBeUndefined();
  engine.dispose();
});
