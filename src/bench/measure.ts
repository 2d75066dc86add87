// The measurement loops of every model benchmark: the backend's matmul throughput, sampling tokens/s
// and the wall time of one training step. Used by `cherry bench` (src/bench/run.ts), the Node and
// Chromium model benchmarks (scripts/benchModelCore.ts) and the WebGPU page (test-pages/bench.ts).
// Only tfjs + src/model + src/rl: runs on whatever tfjs backend is already set, in Node and in a page.
import * as tf from '@tensorflow/tfjs';
import { generate, type Llama } from '../model';
import { AdamW } from '../rl/optim';
import { sftStep, type SftBatch } from '../rl/sft';

/** Sizes of a sampling measurement. */
export interface SamplingSizes {
  /** Rows sampled together. */
  batch: number;
  /** Prompt tokens per row. */
  prompt: number;
  /** New tokens per row (EOS disabled: every row runs to the end). */
  newTokens: number;
}

/** Sizes of a training-step measurement. */
export interface TrainSizes {
  /** Sequences per step. */
  batch: number;
  /** Tokens per sequence. */
  seqLen: number;
  /** Timed steps after one warm-up step; the median is reported. */
  repeats: number;
}

/** How a sampling measurement runs. */
export interface SamplingRun {
  /** Use the KV cache (true) or recompute the whole sequence per token (false). */
  useKVCache: boolean;
  /** 0 = greedy; otherwise the softmax temperature (seed 1). */
  temperature: number;
  /**
   * 'small' runs 2 rows x 2 tokens first (enough on wasm); 'same' runs the timed call once first, so
   * WebGPU compiles every shader for these shapes (its programs are keyed by shape) before the clock starts.
   */
  warmup: 'small' | 'same';
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

/**
 * GFLOP/s of an n×n by n×n float32 matMul (2n³ FLOPs), warm: one untimed product, then the median of
 * `repeats` timed ones, each waited for with data() so a GPU backend finishes too.
 */
export async function matmulGflops(n = 1024, repeats = 5): Promise<number> {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    const ms = performance.now() - t0;
    c.dispose();
    return ms;
  };
  try {
    await once();
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) times.push(await once());
    return (2 * n ** 3) / (median(times) / 1000) / 1e9;
  } finally {
    tf.dispose([a, b]);
  }
}

/** Deterministic token ids in [0, V): B rows of T. */
export function benchIds(B: number, T: number, V: number, salt = 0): number[][] {
  return Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => (b * 7 + t * 3 + salt * 13) % V));
}

/** Generated tokens per second of `model` (EOS off, so every row produces `newTokens`). */
export async function samplingTokensPerSecond(model: Llama, sizes: SamplingSizes, run: SamplingRun): Promise<number> {
  const prompts = benchIds(sizes.batch, sizes.prompt, model.config.vocabSize);
  const timed = { maxNewTokens: sizes.newTokens, temperature: run.temperature, seed: 1, useKVCache: run.useKVCache, eosIds: [] };
  if (run.warmup === 'same') await generate(model, prompts, timed);
  else await generate(model, prompts.slice(0, 2), { ...timed, maxNewTokens: 2 });
  const t0 = performance.now();
  await generate(model, prompts, timed);
  const s = (performance.now() - t0) / 1000;
  return (sizes.batch * sizes.newTokens) / s;
}

/**
 * tfjs kernels one more sampled token costs (greedy, KV cache; on WebGPU each is at most one dispatch, a
 * reshape none): tf.profile of generate with 3 and with 2 new tokens, the difference.
 */
export async function kernelsPerToken(model: Llama, batch: number, prompt: number): Promise<number> {
  const prompts = benchIds(batch, prompt, model.config.vocabSize);
  const count = async (n: number): Promise<number> => {
    const p = await tf.profile(async () => {
      await generate(model, prompts, { maxNewTokens: n, temperature: 0, eosIds: [] });
    });
    return p.kernels.length;
  };
  return (await count(3)) - (await count(2));
}

/** A full-sequence SFT batch: B rows of T ids, no padding, the loss on every next token. */
export function fullBatch(B: number, T: number, V: number): SftBatch {
  return {
    ids: benchIds(B, T, V, 1),
    attentionMask: Array.from({ length: B }, () => new Array<number>(T).fill(1)),
    mask: Array.from({ length: B }, () => new Array<number>(T - 1).fill(1)),
    tokens: B * (T - 1),
  };
}

/**
 * Median wall time in ms of one full fine-tuning step through the trainer's own path (src/rl/sft.ts
 * sftStep: tokenLogprobs forward, tf.variableGrads backward, AdamW with clipping). One warm-up step
 * first (creates the Adam moments, compiles shaders on WebGPU). Updates the model's weights.
 */
export async function trainStepMs(model: Llama, sizes: TrainSizes): Promise<number> {
  const opt = new AdamW(model.params, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, maxGradNorm: 1 });
  const batch = fullBatch(sizes.batch, sizes.seqLen, model.config.vocabSize);
  try {
    await sftStep(model, opt, batch, 1e-4);
    const times: number[] = [];
    for (let i = 0; i < sizes.repeats; i++) {
      const t0 = performance.now();
      await sftStep(model, opt, batch, 1e-4);
      times.push(performance.now() - t0);
    }
    return median(times);
  } finally {
    opt.dispose();
  }
}
