// Model-core measurements shared by the Node benchmark (scripts/benchModel.ts) and the Chromium one
// (scripts/benchBrowser.ts, through test-pages/model.ts): the same ~1M-parameter Llama, the same
// sampling and training-step loops, so figures from both places are comparable.
// Only tfjs + src/model: runs on whatever tfjs backend is already set, in Node and in a page.
import * as tf from '@tensorflow/tfjs';
import { generate, initLlama, opsSettings, tokenLogprobs, type LlamaConfig } from '../src/model';

/** The ~1M-parameter benchmark model (0.96M parameters). */
export const BENCH_CONFIG: LlamaConfig = {
  architecture: 'LlamaForCausalLM', vocabSize: 256, hiddenSize: 128, intermediateSize: 352, numLayers: 5, numHeads: 4,
  numKVHeads: 2, headDim: 32, maxPositionEmbeddings: 256, rmsNormEps: 1e-5, ropeTheta: 10000, tieWordEmbeddings: true,
  attentionBias: false, bosTokenId: 1, eosTokenIds: [],
};

/** Sizes of the sampling measurement. */
export interface SamplingSizes {
  /** Rows sampled together. */
  batch: number;
  /** Prompt tokens per row. */
  prompt: number;
  /** New tokens per row (no EOS: every row runs to the end). */
  newTokens: number;
}

/** Sizes of the training-step measurement. */
export interface TrainSizes {
  /** Sequences per step. */
  batch: number;
  /** Tokens per sequence. */
  seqLen: number;
  /** Timed steps after one warm-up step; the median is reported. */
  repeats: number;
}

/** The Node benchmark's sizes. */
export const SAMPLING: SamplingSizes = { batch: 64, prompt: 8, newTokens: 48 };
export const TRAINING: TrainSizes = { batch: 8, seqLen: 64, repeats: 5 };

/** Parameter count of BENCH_CONFIG. */
export function benchParamCount(): number {
  const m = initLlama(BENCH_CONFIG, 0);
  const n = m.paramCount();
  m.dispose();
  return n;
}

/**
 * Sampling throughput in generated tokens per second (temperature 1, seed 1). `warmup`: 'small' runs 2 rows
 * x 4 tokens first (enough on wasm); 'same' runs the timed call once first, so WebGPU compiles every
 * shader for these shapes (its programs are keyed by shape) before the clock starts.
 */
export async function samplingTokensPerSecond(useKVCache: boolean, sizes: SamplingSizes = SAMPLING, warmup: 'small' | 'same' = 'small'): Promise<number> {
  const m = initLlama(BENCH_CONFIG, 1);
  const V = BENCH_CONFIG.vocabSize;
  const prompts = Array.from({ length: sizes.batch }, (_, b) => Array.from({ length: sizes.prompt }, (_, t) => (b * 7 + t * 3) % V));
  try {
    const timed = { maxNewTokens: sizes.newTokens, temperature: 1, seed: 1, useKVCache };
    if (warmup === 'same') await generate(m, prompts, timed);
    else await generate(m, prompts.slice(0, 2), { maxNewTokens: 4, useKVCache });
    const t0 = performance.now();
    await generate(m, prompts, timed);
    const s = (performance.now() - t0) / 1000;
    return (sizes.batch * sizes.newTokens) / s;
  } finally {
    m.dispose();
  }
}

/** Options of one training-step measurement. */
export interface TrainStepOptions {
  /** Cherry's explicit-transpose matMul gradient (true, the default) or tfjs's built-in one. */
  explicitTransposeGrad?: boolean;
  /** rotate_half as a ±1 matMul (true, the default) or split/concat. */
  rotateHalfAsMatMul?: boolean;
  /** Sizes; default TRAINING. */
  sizes?: TrainSizes;
}

/** Median wall time in ms of one training step (forward + backward + Adam) of BENCH_CONFIG. */
export async function trainStepMs(opts: TrainStepOptions = {}): Promise<number> {
  const sizes = opts.sizes ?? TRAINING;
  opsSettings.explicitTransposeGrad = opts.explicitTransposeGrad ?? true;
  opsSettings.rotateHalfAsMatMul = opts.rotateHalfAsMatMul ?? true;
  const m = initLlama(BENCH_CONFIG, 2);
  const opt = tf.train.adam(1e-3);
  const V = BENCH_CONFIG.vocabSize;
  const ids = Array.from({ length: sizes.batch }, (_, b) => Array.from({ length: sizes.seqLen }, (_, t) => (b * 13 + t * 5) % V));
  const step = async (): Promise<void> => {
    const cost = opt.minimize(() => tf.neg(tf.mean(tokenLogprobs(m, ids).logprobs)) as tf.Scalar, true); // rank cast: tfjs ops are typed Tensor<Rank>
    await cost?.data(); // waits for the GPU too; async so a page stays responsive
    cost?.dispose();
  };
  try {
    await step(); // warm-up (creates Adam slots, compiles shaders on webgpu)
    const times: number[] = [];
    for (let i = 0; i < sizes.repeats; i++) {
      const t0 = performance.now();
      await step();
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[Math.floor((times.length - 1) / 2)];
  } finally {
    opt.dispose();
    m.dispose();
    opsSettings.explicitTransposeGrad = true;
    opsSettings.rotateHalfAsMatMul = true;
  }
}
