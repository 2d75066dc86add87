// An independent float64 Llama for tests: plain loops, no tfjs, its own safetensors (F32) reader.
// Written from the HF modeling_llama.py equations, not from src/model.

export interface RefConfig {
  vocab: number;
  dim: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  eps: number;
  theta: number;
  tied: boolean;
  bias: boolean;
}

export type RefWeights = Map<string, Float64Array>;

/** Reads an F32 safetensors file into float64 arrays (test-only; no validation). */
export function readF32Safetensors(bytes: Uint8Array): RefWeights {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
    string,
    { dtype: string; data_offsets: [number, number] }
  >;
  const out: RefWeights = new Map();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [b, e] = info.data_offsets;
    const a = new Float64Array((e - b) / 4);
    for (let i = 0; i < a.length; i++) a[i] = dv.getFloat32(8 + n + b + 4 * i, true);
    out.set(name, a);
  }
  return out;
}

/** y = W x for W stored [out, in] row-major. */
function matvec(w: Float64Array, x: Float64Array, out: number): Float64Array {
  const inn = x.length;
  const y = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    let s = 0;
    for (let i = 0; i < inn; i++) s += w[o * inn + i] * x[i];
    y[o] = s;
  }
  return y;
}

function rmsnorm(x: Float64Array, w: Float64Array, eps: number): Float64Array {
  let ss = 0;
  for (const v of x) ss += v * v;
  const r = 1 / Math.sqrt(ss / x.length + eps);
  return x.map((v, i) => v * r * w[i]);
}

/** In-place HF rotate_half RoPE on one head vector at position pos. */
function rope(v: Float64Array, off: number, hd: number, pos: number, theta: number): void {
  const h = hd / 2;
  for (let i = 0; i < h; i++) {
    const a = pos * Math.pow(theta, -(2 * i) / hd);
    const x1 = v[off + i],
      x2 = v[off + i + h];
    v[off + i] = x1 * Math.cos(a) - x2 * Math.sin(a);
    v[off + i + h] = x2 * Math.cos(a) + x1 * Math.sin(a);
  }
}

/** Logits (float64) after each token of `ids`, computed one token at a time. [T][V] */
export function refLogits(c: RefConfig, w: RefWeights, ids: number[]): Float64Array[] {
  const W = (n: string): Float64Array => {
    const t = w.get(n);
    if (!t) throw new Error(`ref: missing ${n}`);
    return t;
  };
  const hd = c.headDim;
  const keys: Float64Array[][] = Array.from({ length: c.layers }, () => []);
  const vals: Float64Array[][] = Array.from({ length: c.layers }, () => []);
  const out: Float64Array[] = [];
  for (let t = 0; t < ids.length; t++) {
    let x = W('model.embed_tokens.weight').slice(ids[t] * c.dim, (ids[t] + 1) * c.dim);
    for (let l = 0; l < c.layers; l++) {
      const p = `model.layers.${l}.`;
      const xn = rmsnorm(x, W(p + 'input_layernorm.weight'), c.eps);
      const q = matvec(W(p + 'self_attn.q_proj.weight'), xn, c.heads * hd);
      const k = matvec(W(p + 'self_attn.k_proj.weight'), xn, c.kvHeads * hd);
      const v = matvec(W(p + 'self_attn.v_proj.weight'), xn, c.kvHeads * hd);
      if (c.bias) {
        const bq = W(p + 'self_attn.q_proj.bias'),
          bk = W(p + 'self_attn.k_proj.bias'),
          bv = W(p + 'self_attn.v_proj.bias');
        q.forEach((_, i) => {
          q[i] += bq[i];
        });
        k.forEach((_, i) => {
          k[i] += bk[i];
          v[i] += bv[i];
        });
      }
      for (let h = 0; h < c.heads; h++) rope(q, h * hd, hd, t, c.theta);
      for (let h = 0; h < c.kvHeads; h++) rope(k, h * hd, hd, t, c.theta);
      keys[l].push(k);
      vals[l].push(v);
      const att = new Float64Array(c.heads * hd);
      const g = c.heads / c.kvHeads;
      for (let h = 0; h < c.heads; h++) {
        const kh = Math.floor(h / g);
        const sc = keys[l].map((kk) => {
          let s = 0;
          for (let i = 0; i < hd; i++) s += q[h * hd + i] * kk[kh * hd + i];
          return s / Math.sqrt(hd);
        });
        const m = Math.max(...sc);
        const e = sc.map((s) => Math.exp(s - m));
        const z = e.reduce((a, b) => a + b, 0);
        for (let s = 0; s < sc.length; s++) for (let i = 0; i < hd; i++) att[h * hd + i] += (e[s] / z) * vals[l][s][kh * hd + i];
      }
      const o = matvec(W(p + 'self_attn.o_proj.weight'), att, c.dim);
      x = x.map((v2, i) => v2 + o[i]);
      const xn2 = rmsnorm(x, W(p + 'post_attention_layernorm.weight'), c.eps);
      const gt = matvec(W(p + 'mlp.gate_proj.weight'), xn2, c.hidden);
      const up = matvec(W(p + 'mlp.up_proj.weight'), xn2, c.hidden);
      const act = gt.map((gv, i) => (gv / (1 + Math.exp(-gv))) * up[i]);
      const d = matvec(W(p + 'mlp.down_proj.weight'), act, c.dim);
      x = x.map((v2, i) => v2 + d[i]);
    }
    const xf = rmsnorm(x, W('model.norm.weight'), c.eps);
    out.push(matvec(W(c.tied ? 'model.embed_tokens.weight' : 'lm_head.weight'), xf, c.vocab));
  }
  return out;
}

/** log p(ids[t+1] | ids[..t]) in float64. */
export function refLogprobs(c: RefConfig, w: RefWeights, ids: number[]): number[] {
  const logits = refLogits(c, w, ids);
  const out: number[] = [];
  for (let t = 0; t + 1 < ids.length; t++) {
    const l = logits[t];
    const m = Math.max(...l);
    let z = 0;
    for (const v of l) z += Math.exp(v - m);
    out.push(l[ids[t + 1]] - m - Math.log(z));
  }
  return out;
}

/** Greedy continuation: n ids after the prompt (first max on ties). */
export function refGreedy(c: RefConfig, w: RefWeights, prompt: number[], n: number): number[] {
  const ids = prompt.slice();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const l = refLogits(c, w, ids);
    const last = l[l.length - 1];
    let best = 0;
    for (let j = 1; j < last.length; j++) if (last[j] > last[best]) best = j;
    out.push(best);
    ids.push(best);
  }
  return out;
}
