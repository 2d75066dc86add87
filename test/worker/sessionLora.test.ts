// LoRA runs through the TrainSession (the page's engine), in Node on the cpu backend: the settings rows
// start an adapter run whose checkpoint holds only the adapter (PEFT keys) and its settings; a resumed
// run restores the adapter and repeats the same steps; the peak memory is reported; the PEFT export
// loads back to continue a run; the merged export equals W + (α/r)·B·A computed here by hand; bad
// adapter files are refused with the file and field named and change nothing; the memory plan.
import { beforeAll, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TrainSession } from '../../src/worker/session';
import type { RunStatus, StartBody, TrainEvent } from '../../src/worker/protocol';
import type { StepMetrics } from '../../src/schema/metrics';
import { parseSafetensors } from '../../src/schema/safetensors';
import { loadModelSource } from '../../src/worker/modelLoader';
import { planRun } from '../../src/worker/loraRun';
import { resolveConfig } from '../../src/rl/config';
import { getTask } from '../../src/tasks';
import { folderFetch, modelFiles, SMALL } from './modelFiles';
import { MemPersistence } from './memPersistence';

const BASE = 'http://cherry.test/models/';
let folders: Map<string, Map<string, Uint8Array>>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  folders = new Map([
    ['tiny', await modelFiles()],
    ['wide', await modelFiles({ ...SMALL, hiddenSize: 32, headDim: 8 })],
  ]);
});

function session(mem: MemPersistence) {
  const events: TrainEvent[] = [];
  const s = new TrainSession({
    emit: (e) => events.push(e),
    fetch: { fetch: folderFetch(BASE, folders), modelsBase: BASE },
    persistence: async () => mem,
    yieldToEvents: async () => {},
  });
  return { s, events };
}

async function finished(events: TrainEvent[]): Promise<RunStatus> {
  for (;;) {
    const st = [...events].reverse().find((e) => e.kind === 'status');
    if (st?.kind === 'status' && st.status.state === 'stopped') return st.status;
    const err = events.find((e) => e.kind === 'error');
    if (err?.kind === 'error') throw new Error(err.error.message);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// A reward that varies between the random model's completions (so advantages, and the adapter's gradient, are not 0).
const GRADER = 'function grade(sample, item) {\n  return (sample.output_text.charCodeAt(0) || 0) % 2;\n}\n';
const LORA = { lora_rank: 2, lora_alpha: 4, lora_target_modules: 'q_proj,v_proj' } as const;
const START: StartBody = {
  config: {
    batch_prompts: 2,
    num_generations: 2,
    max_completion_length: 3,
    eval_interval: 0,
    max_steps: 4,
    learning_rate: 5e-2,
    checkpoint_interval: 2,
    seed: 5,
    ...LORA,
  },
  task: { kind: 'builtin', name: 'arithmetic' },
  grader: { kind: 'js', code: GRADER },
};
const timeless = (m: StepMetrics | undefined) =>
  Object.fromEntries(
    Object.entries(m ?? {}).filter(([k]) => !['sampling_ms', 'grading_ms', 'training_ms', 'step_ms', 'tokens_per_s'].includes(k)),
  );
const Q = 'model.layers.0.self_attn.q_proj';
const ADAPTER_KEYS = [
  `${Q}.lora_A.weight`,
  `${Q}.lora_B.weight`,
  'model.layers.0.self_attn.v_proj.lora_A.weight',
  'model.layers.0.self_attn.v_proj.lora_B.weight',
]
  .map((k) => `base_model.model.${k}`)
  .sort();

test('a LoRA run from the settings rows checkpoints only its adapter, reports its peak, and resumes with the same steps', async () => {
  const mem = new MemPersistence();
  const a = session(mem);
  await a.s.loadModel({ kind: 'builtin', name: 'tiny' });
  const tensorsBefore = tf.memory().numTensors;
  await a.s.start(START);
  const end = await finished(a.events);
  expect(end.step).toBe(4);
  expect(end.memoryPeakBytes).toBeGreaterThan(0);
  expect(tf.memory().numTensors).toBe(tensorsBefore); // the adapter and the policy are freed with the run
  const cps = mem.checkpoints.get('run1') ?? [];
  expect(cps.map((c) => c.step)).toEqual([2, 4, 4]);
  const cp = cps[0];
  expect(cp.lora).toEqual({ rank: 2, alpha: 4, targets: ['q_proj', 'v_proj'], dropout: 0, rslora: false });
  const tensors = parseSafetensors(cp.weights, 'checkpoint');
  expect([...tensors.keys()].sort()).toEqual(ADAPTER_KEYS);
  expect(tensors.get(`base_model.model.${Q}.lora_A.weight`)?.shape).toEqual([2, 16]);
  const bq = tensors.get(`base_model.model.${Q}.lora_B.weight`);
  expect(bq?.shape).toEqual([16, 2]);
  expect(Math.max(...(bq?.data ?? []).map(Math.abs))).toBeGreaterThan(0); // B started at zero and has trained

  const first = new Map(mem.metrics.get('run1'));
  mem.checkpoints.set('run1', cps.slice(0, 1));
  const b = session(mem);
  await b.s.loadModel({ kind: 'builtin', name: 'tiny' });
  expect(await b.s.resumeRun('run1')).toMatchObject({ step: 2 });
  await finished(b.events);
  for (const step of [2, 3]) expect(timeless(mem.metrics.get('run1')?.get(step)), `step ${step}`).toEqual(timeless(first.get(step)));
});

test('PEFT export loads back to continue a run; the merged export is W + (alpha/r)·B·A', async () => {
  const mem = new MemPersistence();
  const a = session(mem);
  await a.s.loadModel({ kind: 'builtin', name: 'tiny' });
  await a.s.start({ ...START, config: { ...START.config, max_steps: 2 } });
  await finished(a.events);
  const peft = await a.s.exportRun('run1', 'peft');
  const cfg = JSON.parse(new TextDecoder().decode(peft['adapter_config.json']));
  expect(cfg).toMatchObject({
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    r: 2,
    lora_alpha: 4,
    target_modules: ['q_proj', 'v_proj'],
    base_model_name_or_path: 'tiny',
  });
  expect(JSON.parse(new TextDecoder().decode(peft['cherry_run.json']))).toMatchObject({ step: 2, config: { lora_rank: 2 } });

  // Merged by hand: W_q [out 16, in 16] + 2 · B [16, 2] · A [2, 16], against the loaded base weights.
  const merged = parseSafetensors((await a.s.exportRun('run1', 'merged'))['model.safetensors'], 'merged');
  const base = parseSafetensors(folders.get('tiny')?.get('model.safetensors') ?? new Uint8Array(), 'base');
  const ad = parseSafetensors(peft['adapter_model.safetensors'], 'adapter');
  const A = ad.get(`base_model.model.${Q}.lora_A.weight`)?.data ?? new Float32Array();
  const B = ad.get(`base_model.model.${Q}.lora_B.weight`)?.data ?? new Float32Array();
  const W = base.get(`${Q}.weight`)?.data ?? new Float32Array();
  const M = merged.get(`${Q}.weight`)?.data ?? new Float32Array();
  let maxErr = 0,
    maxDelta = 0;
  for (let o = 0; o < 16; o++) {
    for (let i = 0; i < 16; i++) {
      const d = 2 * (B[o * 2] * A[i] + B[o * 2 + 1] * A[16 + i]);
      maxDelta = Math.max(maxDelta, Math.abs(d));
      maxErr = Math.max(maxErr, Math.abs(M[o * 16 + i] - (W[o * 16 + i] + d)));
    }
  }
  expect(maxDelta).toBeGreaterThan(1e-4);
  expect(maxErr).toBeLessThan(1e-6);
  expect(merged.get('model.layers.0.mlp.up_proj.weight')?.data).toEqual(base.get('model.layers.0.mlp.up_proj.weight')?.data); // not adapted: unchanged

  // Continue from the exported files (as a zip's two files would arrive): the new run trains that adapter.
  const files = ['adapter_config.json', 'adapter_model.safetensors'].map((n) => ({ name: `export/${n}`, data: peft[n].slice().buffer }));
  expect(await a.s.loadAdapter(files, 'export')).toMatchObject({
    rank: 2,
    alpha: 4,
    targets: ['q_proj', 'v_proj'],
    trainableParams: 2 * (16 + 16) + 2 * (16 + 8),
  }); // r × (in + out): q 16→16, v 16→8
  expect(a.s.plan({ ...START.config, lora_rank: 0 }, START.task)).toMatchObject({
    lora: true,
    trainableParams: 2 * (16 + 16) + 2 * (16 + 8),
  });
  a.events.length = 0;
  await a.s.start({ ...START, config: { ...START.config, lora_rank: 0, max_steps: 1 } });
  await finished(a.events);
  const cont = mem.checkpoints.get('run2')?.at(-1);
  expect(cont?.lora).toEqual({ rank: 2, alpha: 4, targets: ['q_proj', 'v_proj'], dropout: 0, rslora: false });
});

test('bad adapter files are refused with the file and field named, and the loaded adapter stays', async () => {
  const mem = new MemPersistence();
  const a = session(mem);
  await a.s.loadModel({ kind: 'builtin', name: 'wide' });
  await a.s.start({ ...START, config: { ...START.config, max_steps: 1 } });
  await finished(a.events);
  const wide = await a.s.exportRun('run1', 'peft'); // an adapter of a width-32 base
  await a.s.loadModel({ kind: 'builtin', name: 'tiny' });
  await a.s.start({ ...START, config: { ...START.config, max_steps: 1 } });
  await finished(a.events);
  const good = await a.s.exportRun('run2', 'peft');
  const file = (name: string, bytes: Uint8Array) => ({ name, data: bytes.slice().buffer });
  const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  await a.s.loadAdapter(
    [file('adapter_config.json', good['adapter_config.json']), file('adapter_model.safetensors', good['adapter_model.safetensors'])],
    'good',
  );

  const fail = (files: { name: string; data: ArrayBuffer }[]) =>
    Promise.resolve()
      .then(() => a.s.loadAdapter(files, 'bad'))
      .then(
        () => null,
        (e: unknown) => e,
      );
  expect(await fail([file('adapter_model.safetensors', good['adapter_model.safetensors'])])).toMatchObject({
    name: 'AdapterFilesError',
    message: expect.stringMatching(/^bad: adapter_config\.json missing .*pick both, or a zip/),
  });
  const cfg = JSON.parse(new TextDecoder().decode(good['adapter_config.json']));
  expect(
    await fail([
      file('adapter_config.json', json({ ...cfg, peft_type: 'PREFIX_TUNING' })),
      file('adapter_model.safetensors', good['adapter_model.safetensors']),
    ]),
  ).toMatchObject({ name: 'PeftFormatError', message: 'bad/adapter_config.json: field "peft_type" must be "LORA", got "PREFIX_TUNING"' });
  expect(
    await fail([
      file('adapter_config.json', wide['adapter_config.json']),
      file('adapter_model.safetensors', wide['adapter_model.safetensors']),
    ]),
  ).toMatchObject({
    name: 'PeftFormatError',
    message: expect.stringMatching(
      /^bad\/adapter_model\.safetensors: tensor ".*lora_A\.weight" has shape \[2, 32\] but .* needs \[2, 16\]/,
    ),
  });
  expect(await fail([file('a.zip', new Uint8Array([1, 2, 3]))])).toMatchObject({
    name: 'CheckpointImportError',
    message: expect.stringMatching(/^a\.zip: is not a readable zip/),
  });
  expect(a.s.plan({ lora_rank: 0 }, START.task).lora).toBe(true); // the good adapter is still the one to continue from
  a.s.clearAdapter();
  expect(a.s.plan({ lora_rank: 0 }, START.task).lora).toBe(false);
});

test("the plan counts LoRA's trainable parameters and refuses what cannot fit, with the numbers and what to change", async () => {
  const model = await loadModelSource({ kind: 'builtin', name: 'tiny' }, { fetch: folderFetch(BASE, folders), modelsBase: BASE }, () => {});
  const task = getTask('arithmetic');
  const full = planRun(model, task, resolveConfig({ max_completion_length: 8 }), null);
  expect(full.trainableParams).toBe(full.params);
  expect(full.problems).toEqual([]);
  const lora = planRun(model, task, resolveConfig({ max_completion_length: 8, lora_rank: 4, lora_target_modules: 'attention' }), null);
  // r × (in + out) for q [16→16], k [16→8], v [16→8], o [16→16], one layer
  expect(lora.trainableParams).toBe(4 * (32 + 24 + 24 + 32));
  expect(lora.optimizerBytes).toBe(8 * lora.trainableParams);
  const tight = planRun(model, task, resolveConfig({ max_completion_length: 8 }), null, {
    name: 'webgpu',
    memoryBytes: full.totalBytes - 1,
    maxBufferBytes: 2 ** 30,
    maxBindingBytes: 2 ** 27,
  });
  expect(tight.problems.join(' ')).toMatch(/exceeds the .* available/);
  expect(tight.advice.join(' ')).toMatch(/train a LoRA adapter \(lora_rank 16 on q_proj/);
  // the advice names the page's setting; following it, the plan counts that micro-batch
  const smaller = /a smaller micro-batch \(micro_batch_rows (\d+)\)/.exec(tight.advice.join(' '));
  if (smaller === null) throw new Error(`no micro-batch advice in: ${tight.advice.join('; ')}`);
  const followed = planRun(model, task, resolveConfig({ max_completion_length: 8, micro_batch_rows: Number(smaller[1]) }), null);
  expect(followed.microBatchRows).toBe(Number(smaller[1]));
  expect(followed.activationBytes).toBeLessThan(full.activationBytes);
});
