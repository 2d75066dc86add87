// The memory plan of a training run, before it starts: a pure function of the model config and the run's
// shape (no tfjs), so the page and `cherry plan` can refuse a run that cannot fit, with its numbers and
// what to change. Everything is float32 (tfjs has no 16-bit dtype), so the terms are:
//   weights         4 B × parameters (a tied table once)
//   reference       4 B × parameters: full fine-tuning with beta > 0 keeps a frozen copy (LoRA: the adapter off)
//   optimizer       8 B × trainable (Adam's two moments)
//   snapshot        4 B × trainable (the trainer's last good weights, for its NaN guard)
//   gradients       4 B × trainable, twice when micro-batches are summed
//   KV cache        2 × layers × rows × kvHeads × maxLen × headDim × 4 B (rollout: all rows of a step at once)
//   activations     the gradient tape of one micro-batch (estimate below)
// Rollout and update do not overlap: peak = weights + reference + optimizer + snapshot + max(KV cache +
// rollout logits, activations + gradients). Activations (the gradient tape of one micro-batch and the
// backward's temporaries at their peak) are per token and layer a·(norm inputs, q/k/v/o, RoPE, MLP
// gate/up/product widths) + b·(attention scores over the row) plus c·vocabulary for the output head. The
// coefficients were fitted by least squares to the peak tfjs measured (withPeakBytes, which counts a reshape
// view like a buffer) in one LoRA GRPO step on eight random Llama shapes (2–6 layers, width 64–576 (SmolLM2's
// widths), vocabulary 100–49,152, 1–8 rows of 32–128 tokens; `npx tsx scripts/benchPlanFit.ts`, relative
// least squares, BENCHMARKS.md "LoRA"): a = 5.6, b = 4.7, c = 3.1 times the tensor counts of the first
// estimate (10·D + 6·(H + 2·kv)·hd + 5·F, 3·H·T, 4·V), which was 5× low on small shapes. The fit gives 0.72–1.14
// of the measured activations on those shapes; test/model/memoryPlan.test.ts checks a ninth shape within 1.5×.
import type { LlamaConfig } from '../schema/modelConfig';

/** What the device allows. */
export interface DeviceLimits {
  /** Shown in messages, e.g. 'wasm' or 'webgpu'. */
  name: string;
  /** Memory a run may use in all (bytes): wasm's 32-bit heap (4 GiB), or a GPU budget. */
  memoryBytes: number;
  /** Largest single buffer (WebGPU `maxBufferSize`; wasm: the heap). */
  maxBufferBytes: number;
  /** Largest buffer one shader binding may see (WebGPU `maxStorageBufferBindingSize`); null when there is no such limit (wasm, cpu). */
  maxBindingBytes: number | null;
}

/** 4 GiB: the most a 32-bit wasm memory can address. */
export const WASM_LIMITS: DeviceLimits = { name: 'wasm', memoryBytes: 2 ** 32, maxBufferBytes: 2 ** 32, maxBindingBytes: null };

/** WebGPU limits as the adapter reports them (`adapter.limits`), with a memory budget (bytes). */
export function webgpuLimits(maxBufferSize: number, maxStorageBufferBindingSize: number, memoryBytes: number): DeviceLimits {
  return { name: 'webgpu', memoryBytes, maxBufferBytes: maxBufferSize, maxBindingBytes: maxStorageBufferBindingSize };
}

/** The run being planned. */
export interface RunShape {
  /** LoRA rank and PEFT target module names, or null for full fine-tuning. */
  lora: { rank: number; targets: readonly string[] } | null;
  /** Completions per prompt (G). */
  group: number;
  /** Prompts per step (B); rows per step = B × G. */
  batchPrompts: number;
  /** Longest row: prompt + completion tokens (T). */
  maxLen: number;
  /** Rows per gradient micro-batch (policyUpdate's defaultMicroBatchRows unless set). */
  microBatchRows?: number;
  /** True when the KL term is on (beta > 0): full fine-tuning then keeps a frozen reference copy. */
  klReference: boolean;
}

/** One named amount of memory. */
export interface Buffer {
  name: string;
  bytes: number;
}

export interface MemoryPlan {
  /** Scalars in the model (a tied table once). */
  params: number;
  /** Bytes of the weights (float32). */
  weightBytes: number;
  /** Scalars the optimizer trains (LoRA: A and B of every adapted layer). */
  trainableParams: number;
  /** Frozen reference copy (full fine-tuning with beta > 0), else 0. */
  referenceBytes: number;
  /** Adam moments. */
  optimizerBytes: number;
  /** The trainer's copy of the last good trainable weights. */
  snapshotBytes: number;
  /** Gradients (and their micro-batch sum). */
  gradientBytes: number;
  /** Keys and values of every layer for all rows of a step's rollout. */
  kvCacheBytes: number;
  /** Gradient tape of one micro-batch. */
  activationBytes: number;
  /** Rows per micro-batch used for activations. */
  microBatchRows: number;
  /** The estimated peak. */
  totalBytes: number;
  /** The largest single tensor. */
  largestBuffer: Buffer;
  /** The limits it was planned against. */
  limits: DeviceLimits;
  /** What does not fit (empty when the plan fits). */
  problems: string[];
  /** What to change, with the numbers it would give (empty when the plan fits). */
  advice: string[];
}

/** A plan that cannot fit: its message holds the numbers and what to change. */
export class MemoryPlanError extends Error {
  override name = 'MemoryPlanError';
  constructor(readonly plan: MemoryPlan) {
    super(
      `this run does not fit ${plan.limits.name} memory: ${plan.problems.join('; ')}. ${summary(plan)}. What to change: ${plan.advice.join('; ')}`,
    );
  }
}

const F32 = 4;

/** `bytes` as "1.23 GiB" / "45.6 MiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes,
    u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 2)} ${units[u]}`;
}

/** Input and output width of each linear layer of one block, by PEFT module name. */
export function linearShapes(c: LlamaConfig): Record<string, { in: number; out: number }[]> {
  const D = c.hiddenSize,
    F = c.intermediateSize;
  if (c.architecture === 'GPT2LMHeadModel') {
    return {
      c_attn: [{ in: D, out: 3 * D }],
      c_proj: [
        { in: D, out: D },
        { in: F, out: D },
      ],
      c_fc: [{ in: D, out: F }],
    };
  }
  const q = c.numHeads * c.headDim,
    kv = c.numKVHeads * c.headDim;
  return {
    q_proj: [{ in: D, out: q }],
    k_proj: [{ in: D, out: kv }],
    v_proj: [{ in: D, out: kv }],
    o_proj: [{ in: q, out: D }],
    gate_proj: [{ in: D, out: F }],
    up_proj: [{ in: D, out: F }],
    down_proj: [{ in: F, out: D }],
  };
}

/** Exact parameter count of a config (the same tensors as weights.ts paramShapes; a tied head once). */
export function planParams(c: LlamaConfig): number {
  const D = c.hiddenSize,
    V = c.vocabSize;
  let perLayer = 0;
  for (const shapes of Object.values(linearShapes(c))) for (const s of shapes) perLayer += s.in * s.out;
  const head = c.tieWordEmbeddings ? 0 : V * D;
  if (c.architecture === 'GPT2LMHeadModel') {
    perLayer += 3 * D + D + c.intermediateSize + D + 4 * D; // c_attn, attn c_proj, c_fc, mlp c_proj biases; ln_1, ln_2
    return V * D + c.maxPositionEmbeddings * D + c.numLayers * perLayer + 2 * D + head;
  }
  const q = c.numHeads * c.headDim,
    kv = c.numKVHeads * c.headDim;
  perLayer += 2 * D; // input and post-attention norms
  if (c.attentionBias) perLayer += q + 2 * kv;
  if (c.outputBias) perLayer += D;
  if (c.architecture === 'Qwen3ForCausalLM') perLayer += 2 * c.headDim;
  return V * D + c.numLayers * perLayer + D + head;
}

/** LoRA's trainable scalars: r × (in + out) for every adapted layer of every block. */
export function loraParams(c: LlamaConfig, rank: number, targets: readonly string[]): number {
  const shapes = linearShapes(c);
  let n = 0;
  for (const t of targets) for (const s of shapes[t] ?? []) n += rank * (s.in + s.out);
  return n * c.numLayers;
}

/** policyUpdate.ts defaultMicroBatchRows (8192 tokens, fewer for wide rows). */
function defaultMicroBatchRows(width: number): number {
  const w = Math.max(width, 1);
  return Math.max(1, Math.min(Math.floor(8192 / w), Math.floor((8192 * 128) / (w * w))));
}

/** Tape bytes of one row of T tokens through the model (estimate; see the header). */
function activationBytesPerRow(c: LlamaConfig, T: number, lora: RunShape['lora']): number {
  const D = c.hiddenSize,
    F = c.intermediateSize,
    hd = c.headDim,
    H = c.numHeads,
    kv = c.numKVHeads;
  const loraPerToken = lora ? lora.targets.length * 2 * lora.rank : 0;
  const perTokenLayer = 56 * D + 34 * (H + 2 * kv) * hd + 28 * F + 14 * H * T + loraPerToken; // fitted, see the header
  return F32 * T * (c.numLayers * perTokenLayer + 12 * c.vocabSize);
}

/** The plan of `shape` on a model of config `c` against `limits`. */
export function planMemory(c: LlamaConfig, shape: RunShape, limits: DeviceLimits = WASM_LIMITS): MemoryPlan {
  const params = planParams(c);
  const weightBytes = F32 * params;
  const trainableParams = shape.lora ? loraParams(c, shape.lora.rank, shape.lora.targets) : params;
  const rows = shape.group * shape.batchPrompts;
  const mb = Math.min(rows, shape.microBatchRows ?? defaultMicroBatchRows(shape.maxLen));
  const referenceBytes = shape.klReference && !shape.lora ? weightBytes : 0;
  const optimizerBytes = 2 * F32 * trainableParams;
  const snapshotBytes = F32 * trainableParams;
  const gradientBytes = F32 * trainableParams * (mb < rows ? 2 : 1);
  const kvCacheBytes = 2 * c.numLayers * rows * c.numKVHeads * shape.maxLen * c.headDim * F32;
  const activationBytes = mb * activationBytesPerRow(c, shape.maxLen, shape.lora);
  const rolloutLogits = rows * c.vocabSize * F32 * 2; // one decode step's logits and probabilities
  const totalBytes =
    weightBytes + referenceBytes + optimizerBytes + snapshotBytes + Math.max(kvCacheBytes + rolloutLogits, activationBytes + gradientBytes);
  const table: Buffer = {
    name: c.tieWordEmbeddings ? 'embedding table (tied head)' : 'embedding table',
    bytes: c.vocabSize * c.hiddenSize * F32,
  };
  const candidates: Buffer[] = [
    table,
    {
      name: `logits of a micro-batch (${mb} rows × ${shape.maxLen} tokens × ${c.vocabSize})`,
      bytes: mb * shape.maxLen * c.vocabSize * F32,
    },
    {
      name: `attention scores of a micro-batch (${mb} rows × ${c.numHeads} heads × ${shape.maxLen}²)`,
      bytes: mb * c.numHeads * shape.maxLen * shape.maxLen * F32,
    },
    {
      name: `MLP activations of a micro-batch (${mb} rows × ${shape.maxLen} tokens × ${c.intermediateSize})`,
      bytes: mb * shape.maxLen * c.intermediateSize * F32,
    },
  ];
  const largestBuffer = candidates.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const plan: MemoryPlan = {
    params,
    weightBytes,
    trainableParams,
    referenceBytes,
    optimizerBytes,
    snapshotBytes,
    gradientBytes,
    kvCacheBytes,
    activationBytes,
    microBatchRows: mb,
    totalBytes,
    largestBuffer,
    limits,
    problems: [],
    advice: [],
  };
  judge(plan, c, shape, table);
  return plan;
}

/** One line with every term. */
function summary(p: MemoryPlan): string {
  const f = formatBytes;
  return (
    `Plan: ${p.params.toLocaleString('en-US')} parameters = ${f(p.weightBytes)} of weights; ${p.trainableParams.toLocaleString('en-US')} trainable: ` +
    `optimizer ${f(p.optimizerBytes)}, snapshot ${f(p.snapshotBytes)}, gradients ${f(p.gradientBytes)}; reference copy ${f(p.referenceBytes)}; ` +
    `KV cache ${f(p.kvCacheBytes)}; activations ${f(p.activationBytes)} (${p.microBatchRows} rows per micro-batch); total ${f(p.totalBytes)} ` +
    `of ${f(p.limits.memoryBytes)}; largest buffer ${p.largestBuffer.name} ${f(p.largestBuffer.bytes)}`
  );
}

/** Fills problems and advice (what to change, each with the total it would give). */
function judge(p: MemoryPlan, c: LlamaConfig, shape: RunShape, table: Buffer): void {
  const f = formatBytes,
    L = p.limits;
  if (p.totalBytes > L.memoryBytes) p.problems.push(`the estimated peak ${f(p.totalBytes)} exceeds the ${f(L.memoryBytes)} available`);
  if (p.largestBuffer.bytes > L.maxBufferBytes)
    p.problems.push(
      `the ${p.largestBuffer.name} (${f(p.largestBuffer.bytes)}) exceeds the largest buffer allowed (${f(L.maxBufferBytes)})`,
    );
  if (L.maxBindingBytes !== null && table.bytes > L.maxBindingBytes)
    p.problems.push(`the ${table.name} (${f(table.bytes)}) exceeds maxStorageBufferBindingSize (${f(L.maxBindingBytes)})`);
  if (p.problems.length === 0) return;
  const alt = (s: RunShape): MemoryPlan =>
    planMemory(c, s, { ...L, memoryBytes: Infinity, maxBufferBytes: Infinity, maxBindingBytes: null });
  if (!shape.lora) {
    const targets = Object.keys(linearShapes(c));
    const q = alt({ ...shape, lora: { rank: 16, targets } });
    p.advice.push(
      `train a LoRA adapter (--lora-rank 16 on ${targets.join(', ')}): ${q.trainableParams.toLocaleString('en-US')} trainable parameters, total ${f(q.totalBytes)}`,
    );
  }
  if (p.microBatchRows > 1) {
    const q = alt({ ...shape, microBatchRows: Math.max(1, Math.floor(p.microBatchRows / 4)) });
    p.advice.push(
      `a smaller micro-batch (--micro-batch ${q.microBatchRows}): activations ${f(q.activationBytes)}, total ${f(q.totalBytes)}`,
    );
  }
  if (shape.group * shape.batchPrompts > 1) {
    const q = alt({ ...shape, group: Math.max(1, Math.floor(shape.group / 2)) });
    p.advice.push(
      `a smaller group (${q.kvCacheBytes === p.kvCacheBytes ? shape.group : Math.max(1, Math.floor(shape.group / 2))} completions per prompt): KV cache ${f(q.kvCacheBytes)}, total ${f(q.totalBytes)}`,
    );
  }
  if (shape.maxLen > 32) {
    const q = alt({ ...shape, maxLen: Math.floor(shape.maxLen / 2) });
    p.advice.push(`shorter rows (max length ${Math.floor(shape.maxLen / 2)}: shorter prompts or completions): total ${f(q.totalBytes)}`);
  }
  if (L.maxBindingBytes !== null && table.bytes > L.maxBindingBytes) {
    p.advice.push(
      `a vocabulary-chunked output head (the ${table.name} split into pieces under ${f(L.maxBindingBytes)}); not available yet in Cherry: pick a model with a smaller vocabulary × width`,
    );
  }
  if (shape.klReference && !shape.lora)
    p.advice.push(`beta = 0 drops the frozen reference copy (${f(p.referenceBytes)}); with LoRA the reference costs nothing`);
}

/** Throws a MemoryPlanError when the plan does not fit. */
export function assertFits(plan: MemoryPlan): void {
  if (plan.problems.length > 0) throw new MemoryPlanError(plan);
}

/** The plan as JSON-friendly numbers (bytes), with `fits`. */
export function planJson(p: MemoryPlan): Record<string, unknown> {
  return {
    fits: p.problems.length === 0,
    params: p.params,
    weight_bytes: p.weightBytes,
    trainable_params: p.trainableParams,
    optimizer_bytes: p.optimizerBytes,
    snapshot_bytes: p.snapshotBytes,
    gradient_bytes: p.gradientBytes,
    reference_bytes: p.referenceBytes,
    kv_cache_bytes: p.kvCacheBytes,
    activation_bytes: p.activationBytes,
    micro_batch_rows: p.microBatchRows,
    total_bytes: p.totalBytes,
    largest_buffer: p.largestBuffer,
    limits: p.limits,
    problems: p.problems,
    advice: p.advice,
  };
}
