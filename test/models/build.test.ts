// The model build is reproducible and resumable: a build interrupted twice (once in pretraining, once
// in SFT) and resumed from its checkpoints ends with exactly the weights of an uninterrupted build;
// a cache made by another recipe is refused. A tiny recipe keeps it to seconds.
import { test, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadGrader } from '../../src/graders';
import type { Grader } from '../../src/graders/types';
import { loadCherryTokenizer, type Tokenizer } from '../../src/tokenizer';
import { arithmetic } from '../../src/tasks';
import { trainModel, recipeHash, lrAtStep } from '../../scripts/models/train';
import { readState, CheckpointError } from '../../scripts/models/checkpoint';
import { MODEL_SPECS, tinyConfig, type ModelSpec } from '../../scripts/models/specs';
import { Progress } from '../../scripts/models/progress';
import { nodeCacheStore } from '../../scripts/models/cacheStoreNode';

const base = MODEL_SPECS[0];
const SPEC: ModelSpec = {
  ...base,
  name: 'test-tiny',
  trainItems: 50,
  config: { ...tinyConfig(32), hiddenSize: 16, intermediateSize: 24, numLayers: 1, numHeads: 2, numKVHeads: 2, headDim: 8 },
  pretrain: { steps: 3, batchSize: 4, learningRate: 1e-2, warmup: 1 },
  sft: { steps: 4, batchSize: 4, learningRate: 1e-2, warmup: 1 },
  evalEvery: 2,
  evalPrompts: 2,
  stopAt: 2,
};

let dir: string;
let tok: Tokenizer;
let grader: Grader;
beforeAll(async () => {
  await tf.setBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'cherry-build-'));
  tok = await loadCherryTokenizer();
  grader = await loadGrader(arithmetic.defaultGrader);
});
afterAll(() => {
  grader.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function weights(
  cacheDir: string,
  sessions: (number | undefined)[],
): Promise<{ w: Float32Array[]; steps: { pretrain: number; sft: number }; phase: string }> {
  for (const s of sessions) {
    const { model, state } = await trainModel({
      spec: SPEC,
      tok,
      grader,
      cache: nodeCacheStore(cacheDir),
      progress: new Progress(),
      checkpointMs: 0,
      sessionSteps: s,
    });
    const w = [...model.params.values()].map((v) => Float32Array.from(v.dataSync()));
    model.dispose();
    if (s === undefined) return { w, steps: state.stepsRun, phase: state.phase };
  }
  throw new Error('the last session must run to the end');
}

test('an interrupted and resumed build ends with the same weights as an uninterrupted one', async () => {
  const once = await weights(join(dir, 'a'), [undefined]);
  const resumed = await weights(join(dir, 'b'), [2, 3, undefined]);
  expect(once.phase).toBe('done');
  expect(once.steps).toEqual({ pretrain: 3, sft: 4 });
  expect(resumed.steps).toEqual(once.steps);
  expect(resumed.w.length).toBe(once.w.length);
  resumed.w.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(once.w[i])));
}, 60_000);

test('a cache of another recipe is refused with the way out', async () => {
  const other = { ...SPEC, seed: SPEC.seed + 1 };
  expect(recipeHash(other)).not.toBe(recipeHash(SPEC));
  await expect(readState(nodeCacheStore(join(dir, 'a')), recipeHash(other))).rejects.toThrow(CheckpointError);
  await expect(readState(nodeCacheStore(join(dir, 'a')), recipeHash(other))).rejects.toThrow(/--fresh/);
  expect((await readState(nodeCacheStore(join(dir, 'a')), recipeHash(SPEC)))?.phase).toBe('done');
});

test('learning rate: linear warm-up to the peak, cosine down to 10% of it at the last step', () => {
  const p = { steps: 110, batchSize: 1, learningRate: 1, warmup: 10 };
  expect(lrAtStep(0, p)).toBeCloseTo(0.1, 12);
  expect(lrAtStep(9, p)).toBeCloseTo(1, 12);
  expect(lrAtStep(10, p)).toBeCloseTo(1, 12);
  expect(lrAtStep(60, p)).toBeCloseTo(0.1 + 0.9 * 0.5, 12); // halfway: cos(π/2) = 0
  expect(lrAtStep(110, p)).toBeCloseTo(0.1, 12);
});

test('stopAfter ends SFT at that step on the full schedule: the weights of a longer build paused there', async () => {
  const stopped = { ...SPEC, sft: { ...SPEC.sft, stopAfter: 3 } };
  const a = await trainModel({
    spec: stopped,
    tok,
    grader,
    cache: nodeCacheStore(join(dir, 'stop')),
    progress: new Progress(),
    checkpointMs: 0,
  });
  expect(a.state.phase).toBe('done');
  expect(a.state.stepsRun).toEqual({ pretrain: 3, sft: 3 });
  // The 4-step build, killed after 3 pretraining + 3 SFT steps: its checkpoint holds the weights after SFT step 3.
  const b = await trainModel({
    spec: SPEC,
    tok,
    grader,
    cache: nodeCacheStore(join(dir, 'long')),
    progress: new Progress(),
    checkpointMs: 0,
    sessionSteps: 6,
  });
  expect(b.state).toMatchObject({ phase: 'sft', step: 3 });
  const wa = [...a.model.params.values()].map((v) => Array.from(v.dataSync()));
  const wb = [...b.model.params.values()].map((v) => Array.from(v.dataSync()));
  expect(wa).toEqual(wb);
  // A 3-step schedule decays the learning rate sooner (step 3 at 0.55 of the peak, not 0.78): its weights differ.
  const short = await trainModel({
    spec: { ...SPEC, sft: { ...SPEC.sft, steps: 3 } },
    tok,
    grader,
    cache: nodeCacheStore(join(dir, 'short')),
    progress: new Progress(),
    checkpointMs: 0,
  });
  expect([...short.model.params.values()].map((v) => Array.from(v.dataSync()))).not.toEqual(wa);
  for (const m of [a.model, b.model, short.model]) m.dispose();
}, 60_000);
