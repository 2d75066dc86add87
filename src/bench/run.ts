// One benchmark of a model shape against the backend's own limit (issue 14): a random-weight model of a
// config.json's shape, the backend's 1024³ matmul throughput (before and after the model parts; the better one),
// sampling with and without the KV cache,
// a full fine-tuning step and (with a LoRA rank) a GRPO step with LoRA (src/bench/loraStep.ts), each as tokens/s and as
// achieved FLOP/s ÷ matmul FLOP/s (src/model/flops.ts). Shared by `cherry bench` (Node) and the
// WebGPU page of scripts/benchGpu.sh; runs on whatever tfjs backend is already set.
import { initLlama, type LlamaConfig } from '../model';
import { flopsPerToken, paramCountOf } from '../model/flops';
import { loraStep } from './loraStep';
import { kernelsPerToken, matmulGflops, samplingTokensPerSecond, trainStepMs } from './measure';

/** Parts of the benchmark that can be left out (large shapes on a small machine). */
export type BenchPart = 'nokv' | 'train';

/** What one benchmark measures. */
export interface BenchOptions {
  /** Rows sampled together, and sequences per training step (B). */
  batch: number;
  /** New tokens per sampled row, and tokens per training sequence (T). */
  seq: number;
  /** Prompt tokens before sampling starts. */
  prompt: number;
  /** New tokens per row of the no-cache sampling (fewer keep large shapes quick); default `seq`. */
  nokvTokens?: number;
  /** Timed training steps after the warm-up (median reported). */
  trainRepeats: number;
  /** Parts left out; their fields are null. */
  skip: BenchPart[];
  /** WebGPU compiles a shader per shape: 'same' repeats each timed call once untimed first. */
  warmup: 'small' | 'same';
  /** The LoRA step, when asked for: rank on every linear layer, rows per gradient micro-batch (policyUpdate's default when absent). */
  lora?: { rank: number; microBatchRows?: number };
  /** Side of the square matMul that sets the ratios' yardstick; default 1024 (smaller only for quick checks on slow adapters). */
  matmulN?: number;
  /** Called before each part starts (progress on stderr or a page). */
  onPart?: (part: string) => void;
}

/** The JSON the bench prints (snake_case, like every `cherry --json` line). Ratios: FLOP/s ÷ matmul FLOP/s. */
export interface BenchResult {
  /** All parameters, a tied table once. */
  params: number;
  /** B as run. */
  batch: number;
  /** T as run. */
  seq: number;
  /** The backend's 1024³ (or matmulN³) f32 matMul, GFLOP/s, in this run: the better of `matmul_gflops_each`. */
  matmul_gflops: number;
  /** The matMul measured before and after the model parts (on a shared machine it moves; the better one is the backend's limit). */
  matmul_gflops_each: [number, number];
  /** Greedy sampling with the KV cache, generated tokens/s (B rows × T new tokens after `prompt`). */
  sample_tok_s: number;
  /** The same without the cache (full forward per token), over `nokv_tokens` new tokens; null when skipped. */
  sample_tok_s_nokv: number | null;
  /** New tokens per row of the no-cache sampling; null when skipped. */
  nokv_tokens: number | null;
  /** sample_tok_s ÷ sample_tok_s_nokv. */
  kv_speedup: number | null;
  /** tfjs kernels per sampled token with the cache (on WebGPU each is at most one dispatch). */
  kernels_per_token: number;
  /** Full fine-tuning (forward, backward, AdamW), B × T tokens per step ÷ median step time; null when skipped. */
  train_tok_s: number | null;
  /** GRPO + LoRA step, B × T tokens ÷ median step time; null unless --lora-rank. */
  lora_train_tok_s: number | null;
  /** LoRA rank measured; null without --lora-rank. */
  lora_rank: number | null;
  /** Most bytes tfjs held at once during the timed LoRA steps (compare with `cherry plan`); null without --lora-rank. */
  lora_peak_bytes: number | null;
  /** FLOPs per token used by the ratios (2N; 6N + 6LDT; 4N + 4LDT at T = seq). */
  flops_per_token: { sample: number; train: number; lora_train: number };
  /** sample_tok_s × 2N ÷ matmul FLOP/s. */
  sample_ratio: number;
  /** train_tok_s × (6N + 6LDT) ÷ matmul FLOP/s; null when skipped. */
  train_ratio: number | null;
  /** lora_train_tok_s × (4N + 4LDT) ÷ matmul FLOP/s; null without LoRA. */
  lora_train_ratio: number | null;
}

/** Runs the benchmark on a fresh random-weight model of `config` (seed 0), freed at the end. */
export async function runBench(config: LlamaConfig, o: BenchOptions): Promise<BenchResult> {
  const note = o.onPart ?? ((): void => {});
  const fpt = {
    sample: flopsPerToken(config, 'sample', o.seq),
    train: flopsPerToken(config, 'train', o.seq),
    lora_train: flopsPerToken(config, 'lora-train', o.seq),
  };
  const n = o.matmulN ?? 1024;
  note(`matmul ${n}³`);
  const first = await matmulGflops(n);
  const model = initLlama(config, 0);
  try {
    const sizes = { batch: o.batch, prompt: o.prompt, newTokens: o.seq };
    note('sampling, KV cache');
    const kv = await samplingTokensPerSecond(model, sizes, { useKVCache: true, temperature: 0, warmup: o.warmup });
    const kernels = await kernelsPerToken(model, o.batch, o.prompt);
    let nokv: number | null = null;
    const nokvTokens = o.skip.includes('nokv') ? null : (o.nokvTokens ?? o.seq);
    if (nokvTokens !== null) {
      note('sampling, no cache');
      nokv = await samplingTokensPerSecond(
        model,
        { ...sizes, newTokens: nokvTokens },
        { useKVCache: false, temperature: 0, warmup: o.warmup },
      );
    }
    const train = { batch: o.batch, seqLen: o.seq, repeats: o.trainRepeats };
    let trainTok: number | null = null;
    if (!o.skip.includes('train')) {
      note('full training step');
      trainTok = (o.batch * o.seq) / ((await trainStepMs(model, train)) / 1000);
    }
    let loraTok: number | null = null;
    let loraPeak: number | null = null;
    if (o.lora) {
      note(`LoRA rank ${o.lora.rank} step`);
      const r = await loraStep(model, o.lora.rank, train, o.lora.microBatchRows);
      loraTok = (o.batch * o.seq) / (r.ms / 1000);
      loraPeak = r.peakBytes;
    }
    note(`matmul ${n}³ again`);
    const last = await matmulGflops(n);
    const gflops = Math.max(first, last);
    const ratio = (tokPerS: number | null, flops: number): number | null => (tokPerS === null ? null : (tokPerS * flops) / (gflops * 1e9));
    return {
      params: paramCountOf(config),
      batch: o.batch,
      seq: o.seq,
      matmul_gflops: gflops,
      matmul_gflops_each: [first, last],
      sample_tok_s: kv,
      kernels_per_token: kernels,
      sample_tok_s_nokv: nokv,
      nokv_tokens: nokvTokens,
      kv_speedup: nokv === null ? null : kv / nokv,
      train_tok_s: trainTok,
      lora_train_tok_s: loraTok,
      lora_rank: o.lora?.rank ?? null,
      lora_peak_bytes: loraPeak,
      flops_per_token: fpt,
      sample_ratio: (kv * fpt.sample) / (gflops * 1e9),
      train_ratio: ratio(trainTok, fpt.train),
      lora_train_ratio: ratio(loraTok, fpt.lora_train),
    };
  } finally {
    model.dispose();
  }
}
