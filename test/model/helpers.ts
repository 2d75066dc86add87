// Shared test helpers: tiny configs and the stories260k fixture path (resolved from this file so a
// fresh clone beside /work/shared finds it).
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { LlamaConfig } from '../../src/model';

export const FIXTURE_DIR = fileURLToPath(new URL('../../../shared/fixtures/llama-stories260k/', import.meta.url));

export function tinyConfig(over: Partial<LlamaConfig> = {}): LlamaConfig {
  return {
    architecture: 'LlamaForCausalLM',
    vocabSize: 23,
    hiddenSize: 16,
    intermediateSize: 24,
    numLayers: 2,
    numHeads: 4,
    numKVHeads: 2,
    headDim: 4,
    maxPositionEmbeddings: 128,
    rmsNormEps: 1e-5,
    ropeTheta: 10000,
    tieWordEmbeddings: false,
    attentionBias: false,
    bosTokenId: 1,
    eosTokenIds: [2],
    ...over,
    // q/k/v biases without o_proj bias is Qwen2's layout (unless an architecture is given).
    ...(over.attentionBias && !over.architecture ? { architecture: 'Qwen2ForCausalLM' as const } : {}),
  };
}

/** A tiny GPT-2 (learned positions for 16 tokens, LayerNorm, gelu_new, Conv1D [in, out], tied head). */
export function tinyGpt2Config(over: Partial<LlamaConfig> = {}): LlamaConfig {
  return tinyConfig({
    architecture: 'GPT2LMHeadModel',
    intermediateSize: 64,
    numKVHeads: 4,
    maxPositionEmbeddings: 16,
    tieWordEmbeddings: true,
    attentionBias: true,
    outputBias: true,
    ...over,
  });
}

export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`could not switch to tfjs backend ${name}`);
}
