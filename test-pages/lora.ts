// Browser-test page for LoRA RFT in Chromium: loads a checkpoint folder from a URL (any architecture),
// runs GRPO with a LoRA adapter for a few steps with the real Trainer on the page's backend, and reports
// what test/browser/lora.test.ts checks: steps done, log-probs of a fixed sequence before, with the
// adapter and with it switched off, how far any base weight moved, and the adapter as PEFT files.
// Built into dist/ only for that test (vite.config.ts picks up every test-pages/*.html).
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../src/worker/backend';
import { WASM_URLS } from '../src/worker/wasmUrls';
import { llamaFromSafetensors, loadCheckpoint, tokenLogprobs, type Llama } from '../src/model';
import { adapterToSafetensors, peftConfigJson } from '../src/model/peft';
import { loadTokenizerText } from '../src/tokenizer';
import { Trainer } from '../src/rl/trainer';
import { getTask } from '../src/tasks';
import type { Grader } from '../src/graders/types';
import { loraTargetModules } from '../src/schema/settings';

/** Parity of the sum of the completion's character codes: rewards vary between samples, whatever the model. */
const parity: Grader = {
  name: 'parity',
  gradeBatch: async (reqs) =>
    reqs.map((r) => ({
      reward: [...r.sample.output_text].reduce((a, c) => a + c.charCodeAt(0), 0) % 2,
      sub_rewards: {},
      error: null,
      ms: 0,
    })),
  dispose: () => {},
};

async function text(url: string): Promise<string | undefined> {
  const r = await fetch(url);
  return r.ok ? r.text() : undefined;
}

async function logprobs(model: Llama, ids: number[]): Promise<number[]> {
  const r = tokenLogprobs(model, [ids]);
  const out = Array.from(await r.logprobs.data());
  r.logprobs.dispose();
  return out;
}

/** What one LoRA run on the page gives. */
export interface LoraPageRun {
  backend: string;
  steps: number;
  /** Log-probs of `seq` with the base model, the trained adapter on, and the adapter off. */
  before: number[];
  on: number[];
  off: number[];
  /** Largest |change| of any base weight during the run (0: frozen). */
  baseMaxChange: number;
  /** Scalars the optimizer trained. */
  trainable: number;
  /** adapter_config.json (as written) and adapter_model.safetensors bytes. */
  adapterConfig: Record<string, unknown>;
  adapterWeights: number[];
  /** Tensors left after everything was freed, minus before loading. */
  leaked: number;
}

/** Loads the folder at `base`, trains a rank-`rank` adapter on every linear layer for `steps` GRPO steps, reports. */
async function run(base: string, steps: number, rank: number, seq: number[]): Promise<LoraPageRun> {
  const t0 = tf.memory().numTensors;
  const cp = await loadCheckpoint(
    {
      read: async (n) => {
        const r = await fetch(base + n);
        return r.status === 404 ? null : new Uint8Array(await r.arrayBuffer());
      },
    },
    base,
  );
  const tokenizer = await loadTokenizerText(
    (await text(base + 'tokenizer.json')) ?? '',
    'tokenizer.json',
    await text(base + 'tokenizer_config.json'),
    'tokenizer_config.json',
  );
  const model = llamaFromSafetensors(cp.config, cp.tensors, cp.weightsSource);
  const snapshot = new Map([...model.params].map(([k, v]) => [k, v.dataSync().slice()]));
  const before = await logprobs(model, seq);
  const lora = { rank, alpha: 2 * rank, targets: loraTargetModules('all-linear', cp.config.architecture), dropout: 0, rslora: false };
  const trainer = new Trainer({
    model,
    tokenizer,
    task: getTask('arithmetic'),
    grader: parity,
    lora,
    config: {
      batch_prompts: 1,
      num_generations: 4,
      max_completion_length: 4,
      max_steps: steps,
      eval_interval: 0,
      learning_rate: 3e-2,
      seed: 3,
      temperature: 2,
    }, // hot sampling: even a confident model's group differs
  });
  while (trainer.steps < steps) await trainer.step();
  const adapter = trainer.adapter;
  if (adapter === null) throw new Error('the trainer has no adapter');
  const on = await logprobs(model, seq);
  const off = await adapter.withDisabled(() => logprobs(model, seq));
  let baseMaxChange = 0;
  for (const [k, v] of model.params) {
    const now = v.dataSync(),
      was = snapshot.get(k) ?? new Float32Array();
    for (let i = 0; i < now.length; i++) baseMaxChange = Math.max(baseMaxChange, Math.abs(now[i] - was[i]));
  }
  const weights = await adapterToSafetensors(adapter);
  const out: LoraPageRun = {
    backend: tf.getBackend(),
    steps: trainer.steps,
    before,
    on,
    off,
    baseMaxChange,
    trainable: adapter.paramCount(),
    adapterConfig: peftConfigJson(adapter.config, cp.config, base),
    adapterWeights: Array.from(weights),
    leaked: 0,
  };
  trainer.dispose();
  adapter.dispose();
  model.dispose();
  out.leaked = tf.memory().numTensors - t0;
  return out;
}

const api = {
  useBackend: async (name: 'wasm' | 'webgpu'): Promise<string> =>
    (await chooseBackend(name, { wasmPaths: WASM_URLS, fallback: false, wasmThreadsOff: 'single-threaded keeps the test page simple' }))
      .backend,
  run,
};
export type LoraPageApi = typeof api;

declare global {
  interface Window {
    cherryLora?: LoraPageApi;
  }
}
window.cherryLora = api;
document.body.dataset.ready = 'true';
