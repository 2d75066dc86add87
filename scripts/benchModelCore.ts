// Model-core measurements shared by the Node benchmark (scripts/benchModel.ts) and the Chromium one
// (scripts/benchBrowser.ts, through test-pages/model.ts): the same ~1M-parameter Llama, the same
// sampling and training-step loops (src/bench/measure.ts, also behind `cherry bench`), so figures from
// both places are comparable. Runs on whatever tfjs backend is already set, in Node and in a page.
import { initLlama, opsSettings, type LlamaConfig } from '../src/model';
import { paramCountOf } from '../src/model/flops';
import * as measure from '../src/bench/measure';
import type { SamplingSizes, TrainSizes } from '../src/bench/measure';

export type { SamplingSizes, TrainSizes };

/** The ~1M-parameter benchmark model (0.96M parameters). */
export const BENCH_CONFIG: LlamaConfig = {
  architecture: 'LlamaForCausalLM',
  vocabSize: 256,
  hiddenSize: 128,
  intermediateSize: 352,
  numLayers: 5,
  numHeads: 4,
  numKVHeads: 2,
  headDim: 32,
  maxPositionEmbeddings: 256,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  tieWordEmbeddings: true,
  attentionBias: false,
  bosTokenId: 1,
  eosTokenIds: [],
};

/** The Node benchmark's sizes. */
export const SAMPLING: SamplingSizes = { batch: 64, prompt: 8, newTokens: 48 };
export const TRAINING: TrainSizes = { batch: 8, seqLen: 64, repeats: 5 };

/** Parameter count of BENCH_CONFIG. */
export function benchParamCount(): number {
  return paramCountOf(BENCH_CONFIG);
}

/**
 * Sampling throughput of BENCH_CONFIG in generated tokens per second (temperature 1, seed 1). `warmup`:
 * see measure.SamplingRun.
 */
export async function samplingTokensPerSecond(
  useKVCache: boolean,
  sizes: SamplingSizes = SAMPLING,
  warmup: 'small' | 'same' = 'small',
): Promise<number> {
  const m = initLlama(BENCH_CONFIG, 1);
  try {
    return await measure.samplingTokensPerSecond(m, sizes, { useKVCache, temperature: 1, warmup });
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

/** Median wall time in ms of one training step (forward + backward + AdamW, src/rl/sft.ts) of BENCH_CONFIG. */
export async function trainStepMs(opts: TrainStepOptions = {}): Promise<number> {
  opsSettings.explicitTransposeGrad = opts.explicitTransposeGrad ?? true;
  opsSettings.rotateHalfAsMatMul = opts.rotateHalfAsMatMul ?? true;
  const m = initLlama(BENCH_CONFIG, 2);
  try {
    return await measure.trainStepMs(m, opts.sizes ?? TRAINING);
  } finally {
    m.dispose();
    opsSettings.explicitTransposeGrad = true;
    opsSettings.rotateHalfAsMatMul = true;
  }
}
