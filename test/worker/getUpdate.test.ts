// The `getUpdate` request through the real handler and client on a tiny model in Node: after one step
// (paused) the traced groups come back with the step's samples' prompts, rewards and advantages and one
// log-prob per token before and after; nothing before a run. (The log-prob values themselves are checked
// against a recompute in test/rl/updateDelta.test.ts.)
import { afterEach, beforeAll, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createHandler } from '../../src/worker/handler';
import { TrainClient, portEndpoint } from '../../src/worker/trainClient';
import { TrainSession } from '../../src/worker/session';
import type { SampleRecord, StartBody } from '../../src/worker/protocol';
import { folderFetch, modelFiles } from './modelFiles';

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

function connect(traceGroups?: number): TrainClient {
  const ch = new MessageChannel();
  channels.push(ch);
  const session = new TrainSession({
    emit: (e) => ch.port2.postMessage(e),
    fetch: { fetch: folderFetch(BASE, folders), modelsBase: BASE },
    defaultCheckpointInterval: 0,
    traceGroups,
  });
  const handle = createHandler((m, t) => ch.port2.postMessage(m, t ?? []), {
    loadModel: (r) => session.loadModel(r.source),
    step: (r) => session.step(r.start),
    stop: () => session.stop(),
    getSamples: async (r) => session.getSamples(r.step),
    getUpdate: async (r) => session.getUpdate(r.step),
  });
  ch.port2.addEventListener('message', (e) => {
    void handle(e.data);
  });
  ch.port2.start();
  return new TrainClient(portEndpoint(ch.port1));
}

const START: StartBody = {
  config: { batch_prompts: 3, num_generations: 2, max_completion_length: 3, eval_interval: 0, learning_rate: 1e-2, seed: 4 },
  task: { kind: 'builtin', name: 'arithmetic' },
  grader: { kind: 'js', code: 'function grade(sample) { return sample.output_text.length % 3; }' },
};

test("after one step (paused) the traced groups carry the step's prompts, rewards and advantages; before any run, none", async () => {
  const client = connect(2);
  await client.request('loadModel', { source: { kind: 'builtin', name: 'tiny' } });
  expect(await client.request('getUpdate', { step: null })).toEqual([]);
  await client.request('step', { start: START });
  const traces = await client.request('getUpdate', { step: null });
  expect(traces.map((t) => t.group)).toEqual([0, 1]); // traceGroups: 2 of the 3 groups
  const samples: SampleRecord[] = await client.request('getSamples', { step: 0 });
  for (const t of traces) {
    expect(t.step).toBe(0);
    const group = samples.filter((s) => s.group === t.group);
    expect(t.prompt).toBe(group[0].prompt);
    expect(t.completions.map((c) => [c.reward, c.advantage])).toEqual(group.map((s) => [s.reward, s.advantage]));
    for (const c of t.completions) {
      expect(c.before).toHaveLength(c.ids.length);
      expect(c.after).toHaveLength(c.ids.length);
      for (const x of [...c.before, ...c.after]) expect(x).toBeLessThanOrEqual(0);
    }
  }
  expect(await client.request('getUpdate', { step: 0 })).toEqual(traces);
  expect(await client.request('getUpdate', { step: 7 })).toEqual([]);
  await client.request('stop', {});
});
