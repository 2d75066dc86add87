// Rotary position embedding tables, HF convention (emb = concat(freqs, freqs), rotate_half), with the
// `rope_scaling` kinds of HF `modeling_rope_utils.py`: `linear` (_compute_linear_scaling_rope_parameters)
// and `llama3` (_compute_llama3_parameters). Both keep attention_factor = 1.
import * as tf from '@tensorflow/tfjs';
import type { RopeScaling } from '../schema/modelConfig';

/** inv_freq[i] = θ^(-2i/hd), i < hd/2, then scaled as `scaling` says. */
export function ropeInvFreq(hd: number, theta: number, scaling?: RopeScaling | null): Float64Array {
  const inv = new Float64Array(hd / 2);
  for (let i = 0; i < hd / 2; i++) inv[i] = 1 / Math.pow(theta, (2 * i) / hd);
  if (!scaling) return inv;
  if (scaling.type === 'linear') return inv.map((f) => f / scaling.factor);
  const { factor, lowFreqFactor, highFreqFactor, originalMaxPositionEmbeddings: old } = scaling;
  const lowFreqWavelen = old / lowFreqFactor;
  const highFreqWavelen = old / highFreqFactor;
  return inv.map((f) => {
    const wavelen = (2 * Math.PI) / f;
    if (wavelen < highFreqWavelen) return f; // high frequency: kept
    if (wavelen > lowFreqWavelen) return f / factor; // low frequency: scaled
    const smooth = (old / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor); // medium: interpolated
    return (1 - smooth) * (f / factor) + smooth * f;
  });
}

/** cos and sin of each position's angles. positions: B rows of T numbers → [B, T, 1, hd] each */
export function ropeTables(positions: number[][], invFreq: Float64Array): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
  const B = positions.length;
  const T = positions[0].length;
  const h = invFreq.length;
  const hd = 2 * h;
  const cos = new Float32Array(B * T * hd);
  const sin = new Float32Array(B * T * hd);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const base = (b * T + t) * hd;
      for (let i = 0; i < h; i++) {
        const a = positions[b][t] * invFreq[i];
        cos[base + i] = cos[base + i + h] = Math.cos(a);
        sin[base + i] = sin[base + i + h] = Math.sin(a);
      }
    }
  }
  return { cos: tf.tensor4d(cos, [B, T, 1, hd]), sin: tf.tensor4d(sin, [B, T, 1, hd]) };
}
