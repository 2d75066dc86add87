// `cherry bench`: a random-weight model of a config.json's shape, measured against the backend's own
// matmul throughput in the same run (src/bench/run.ts; FLOP counts in src/model/flops.ts).
import { existsSync, readFileSync } from 'node:fs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { bool, num, str, UsageError, type Args } from '../args';
import { useBackend } from '../modelDir';
import { parseHFConfig } from '../../model';
import { runBench, type BenchPart } from '../../bench/run';
import { formatBytes } from '../../model/memoryPlan';

export const help =
  "throughput vs the backend's matmul: --config CONFIG.json --batch B --seq T [--lora-rank R [--micro-batch ROWS]] [--prompt P] [--nokv-tokens N] [--repeats K] [--skip nokv,train] [--backend wasm|cpu] [--json]";

const PARTS: readonly BenchPart[] = ['nokv', 'train'];

function positiveInt(args: Args, name: string, fallback?: number): number {
  const v = fallback === undefined ? num(args, name) : num(args, name, fallback);
  if (v === undefined) throw new UsageError(`--${name} is required (a positive integer)`);
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${name} must be a positive integer, got ${v}`);
  return v;
}

function parseSkip(args: Args): BenchPart[] {
  const v = str(args, 'skip');
  if (v === undefined) return [];
  return v.split(',').map((s) => {
    const part = PARTS.find((p) => p === s.trim());
    if (part === undefined)
      throw new UsageError(`--skip: '${s.trim()}' is not a part of the bench; use a comma-separated list of ${PARTS.join(', ')}`);
    return part;
  });
}

export async function run(args: Args): Promise<void> {
  const path = str(args, 'config');
  if (path === undefined)
    throw new UsageError('--config <config.json> is required (a Hugging Face config.json, e.g. scripts/configs/llama-0.8m.json)');
  if (!existsSync(path)) throw new UsageError(`--config: ${path} does not exist`);
  const batch = positiveInt(args, 'batch');
  const seq = positiveInt(args, 'seq');
  const prompt = positiveInt(args, 'prompt', 4);
  const nokv = args.flags.has('nokv-tokens') ? positiveInt(args, 'nokv-tokens') : undefined;
  const repeats = positiveInt(args, 'repeats', 3);
  const skip = parseSkip(args);
  const lora = args.flags.has('lora-rank')
    ? { rank: positiveInt(args, 'lora-rank'), microBatchRows: args.flags.has('micro-batch') ? positiveInt(args, 'micro-batch') : undefined }
    : undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--config: ${path} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const config = parseHFConfig(json, path);
  if (prompt + seq > config.maxPositionEmbeddings) {
    throw new UsageError(
      `--prompt ${prompt} + --seq ${seq} exceeds max_position_embeddings (${config.maxPositionEmbeddings}) of ${path}; use a shorter --seq`,
    );
  }
  const backend = await useBackend(str(args, 'backend', 'wasm'));
  const asJson = bool(args, 'json');
  const r = await runBench(config, {
    batch,
    seq,
    prompt,
    nokvTokens: nokv,
    trainRepeats: repeats,
    skip,
    warmup: 'small',
    lora,
    onPart: (p) => {
      if (!asJson) console.error(`bench: ${p}…`);
    },
  });
  const out = { config: path, backend, threads: backend === 'wasm' ? getThreadsCount() : 1, ...r };
  if (asJson) {
    console.log(JSON.stringify(out));
    return;
  }
  const f = (x: number | null, d = 1): string => (x === null ? '—' : x.toFixed(d));
  console.log(
    [
      `${path}: ${(r.params / 1e6).toFixed(2)}M params, ${backend} (${out.threads} thread${out.threads === 1 ? '' : 's'}), batch ${batch}, seq ${seq}`,
      `matmul 1024³ f32        ${f(r.matmul_gflops)} GFLOP/s`,
      `sampling, KV cache      ${f(r.sample_tok_s)} tokens/s   ratio ${f(r.sample_ratio, 3)}   ${r.kernels_per_token} kernels per token`,
      `sampling, no cache      ${f(r.sample_tok_s_nokv)} tokens/s   (${r.nokv_tokens ?? '—'} new tokens; KV speed-up ${f(r.kv_speedup, 2)}x)`,
      `full training step      ${f(r.train_tok_s)} tokens/s   ratio ${f(r.train_ratio, 3)}`,
      `LoRA GRPO step (r ${r.lora_rank ?? '—'})    ${f(r.lora_train_tok_s)} tokens/s   ratio ${f(r.lora_train_ratio, 3)}   peak ${r.lora_peak_bytes === null ? '—' : formatBytes(r.lora_peak_bytes)}`,
    ].join('\n'),
  );
}
