// FLOPs per token of a Llama-family model, the yardstick of the benchmarks (issue 14): achieved FLOP/s
// divided by the backend's own matmul FLOP/s says how close a loop runs to what the backend can do.
// Conventions (Kaplan et al. 2020, "Scaling laws", table 1; PaLM appendix B), with N = all parameters
// (a tied embedding table counted once), L layers, D width, T sequence length:
//   sampling        2N              (one forward per token; attention over the cache left out)
//   full training   6N + 6·L·D·T    (forward 2N + backward 4N, plus attention scores and values)
//   LoRA training   4N + 4·L·D·T    (frozen weights: the backward pass needs no weight gradients)
import type { LlamaConfig } from '../schema/modelConfig';

/** Which loop a FLOP count is for. */
export type FlopKind = 'sample' | 'train' | 'lora-train';

/** All scalar parameters of a config, a tied embedding table counted once (HF `num_parameters()`). */
export function paramCountOf(c: LlamaConfig): number {
  const D = c.hiddenSize;
  const qOut = c.numHeads * c.headDim;
  const kvOut = c.numKVHeads * c.headDim;
  const attn = D * qOut + 2 * D * kvOut + qOut * D + (c.attentionBias ? qOut + 2 * kvOut : 0);
  const mlp = 3 * D * c.intermediateSize;
  const layer = attn + mlp + 2 * D; // + input and post-attention RMSNorm weights
  const table = c.vocabSize * D;
  return table + c.numLayers * layer + D + (c.tieWordEmbeddings ? 0 : table);
}

/** FLOPs per token of `kind` at sequence length `seqLen` (the formulas in the header). */
export function flopsPerToken(c: LlamaConfig, kind: FlopKind, seqLen: number): number {
  const N = paramCountOf(c);
  const attn = c.numLayers * c.hiddenSize * seqLen;
  if (kind === 'sample') return 2 * N;
  if (kind === 'train') return 6 * N + 6 * attn;
  return 4 * N + 4 * attn;
}
