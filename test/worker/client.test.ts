// The client and the worker-side handler talking over a real MessageChannel (structured clone and
// all), with the real backend picker behind `init`.
import { afterEach, test, expect } from 'vitest';
import { chooseBackend } from '../../src/worker/backend';
import { createHandler, type Handlers } from '../../src/worker/handler';
import { TrainClient, WorkerClosedError, WorkerError, portEndpoint } from '../../src/worker/trainClient';
import type { StartBody, TrainEvent } from '../../src/worker/protocol';

const open: MessageChannel[] = [];
afterEach(() => {
  for (const c of open.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

/** A client whose "worker" is a handler on the other end of a MessageChannel. */
function connect(handlers: Partial<Handlers>): { client: TrainClient; events: TrainEvent[]; raw: MessagePort } {
  const channel = new MessageChannel();
  open.push(channel);
  const handle = createHandler((m, transfer) => channel.port2.postMessage(m, transfer ?? []), handlers);
  channel.port2.addEventListener('message', (e) => {
    void handle(e.data);
  });
  channel.port2.start();
  const client = new TrainClient(portEndpoint(channel.port1));
  const events: TrainEvent[] = [];
  for (const k of ['progress', 'metrics', 'samples', 'status', 'error'] as const) client.on(k, (e) => events.push(e));
  return { client, events, raw: channel.port1 };
}

/** A start body (what the page sends); the handlers here do not read it. */
const START: StartBody = {
  config: {},
  task: { kind: 'builtin', name: 'arithmetic' },
  grader: { kind: 'js', code: 'function grade() { return 1; }' },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('init resolves with the backend the worker really set', async () => {
  const { client } = connect({ init: (req) => chooseBackend(req.backend) });
  const choice = await client.request('init', { backend: 'cpu' });
  expect(choice.backend).toBe('cpu');
  expect(choice.details.attempts).toEqual([{ backend: 'cpu', ok: true, note: 'plain JavaScript, slowest' }]);
  expect(client.inFlight).toBe(0);
});

test('a request without a handler rejects with NotImplementedError and raises an error event', async () => {
  const { client, events } = connect({});
  const err = await client.request('start', { ...START, config: { learning_rate: 1e-4 } }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkerError);
  expect(err).toMatchObject({ name: 'NotImplementedError', request: 'start' });
  expect(String(err)).toMatch(/cannot handle 'start' yet/);
  expect(events).toEqual([{ kind: 'error', error: { name: 'NotImplementedError', message: expect.stringMatching(/'start'/) } }]);
});

test('replies are matched by id, not by order', async () => {
  const { client } = connect({
    step: async () => {
      await sleep(30);
      return { state: 'paused', step: 7 };
    },
    pause: async () => ({ state: 'paused', step: 6 }),
  });
  const slow = client.request('step', {});
  const fast = client.request('pause', {});
  const order: string[] = [];
  await Promise.all([slow.then((s) => order.push(`step:${s.step}`)), fast.then((s) => order.push(`pause:${s.step}`))]);
  expect(order).toEqual(['pause:6', 'step:7']);
});

test('events stream to the subscribers of their kind only', async () => {
  const { client } = connect({
    start: async (_req, ctx) => {
      ctx.emit({ kind: 'metrics', step: 1, metrics: { step: 1, reward_mean: 0.25 } });
      ctx.emit({ kind: 'status', status: { state: 'running', step: 1 } });
      return { state: 'running', step: 1 };
    },
  });
  const metrics: number[] = [];
  const statuses: string[] = [];
  const off = client.on('metrics', (e) => metrics.push(e.step));
  client.on('status', (e) => statuses.push(e.status.state));
  await client.request('start', START);
  expect(metrics).toEqual([1]);
  expect(statuses).toEqual(['running']);
  off();
  await client.request('start', START);
  expect(metrics).toEqual([1]); // unsubscribed
  expect(statuses).toEqual(['running', 'running']);
});

test('a handler that throws rejects its request with the thrown class name', async () => {
  class GraderSyntaxError extends Error {
    override name = 'GraderSyntaxError';
  }
  const { client } = connect({
    tryGrader: async () => {
      throw new GraderSyntaxError('line 3: unexpected token');
    },
  });
  const err = await client.request('tryGrader', { grader: { kind: 'js', code: 'x' }, requests: [] }).catch((e: unknown) => e);
  expect(err).toMatchObject({ name: 'GraderSyntaxError', message: 'line 3: unexpected token' });
});

test('a malformed message to the worker comes back as a ProtocolError event', async () => {
  const { events, raw } = connect({});
  raw.postMessage({ kind: 'init' }); // no id
  await sleep(20);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ kind: 'error', error: { name: 'ProtocolError' } });
});

test('closing rejects what is in flight and refuses new requests', async () => {
  const { client } = connect({ step: () => new Promise(() => {}) }); // never replies
  const pending = client.request('step', {});
  expect(client.inFlight).toBe(1);
  client.close();
  await expect(pending).rejects.toBeInstanceOf(WorkerClosedError);
  await expect(client.request('pause', {})).rejects.toBeInstanceOf(WorkerClosedError);
  expect(client.inFlight).toBe(0);
});
