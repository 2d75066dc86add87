// `cherry bench`, spawned as a user would run it, on a tiny config. Timings are never asserted: only
// that every field is there, finite and positive, and that counts match hand counts.
import { test, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const TINY = 'scripts/configs/tiny.json';

function cherry(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['src/cli/main.ts', 'bench', ...args], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>; // test: the CLI contract is one JSON object
}

function positive(x: unknown): number {
  expect(typeof x).toBe('number');
  const n = Number(x);
  expect(Number.isFinite(n) && n > 0).toBe(true);
  return n;
}

test('bench --json: every field, positive and finite; params and FLOPs per token match hand counts', async () => {
  const r = await cherry(['--config', TINY, '--batch', '2', '--seq', '8', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const j = lastJson(r.stdout);
  // tiny.json: embed 20·16 = 320; per layer 768 (attention) + 1152 (MLP) + 32 (norms); 2 layers;
  // final norm 16; untied lm_head 320 → 4560.
  expect(j.params).toBe(4560);
  expect(j.flops_per_token).toEqual({ sample: 2 * 4560, train: 6 * 4560 + 6 * 2 * 16 * 8, lora_train: 4 * 4560 + 4 * 2 * 16 * 8 });
  expect([j.batch, j.seq, j.nokv_tokens, j.backend]).toEqual([2, 8, 8, 'wasm']);
  const gflops = positive(j.matmul_gflops);
  // The yardstick is the better of the matMul measured before and after the model parts.
  expect(Array.isArray(j.matmul_gflops_each) && j.matmul_gflops_each.length === 2).toBe(true);
  expect(gflops).toBe(Math.max(...(j.matmul_gflops_each as number[])));
  const kv = positive(j.sample_tok_s);
  expect(Number.isInteger(j.kernels_per_token) && positive(j.kernels_per_token) > 0).toBe(true);
  const nokv = positive(j.sample_tok_s_nokv);
  const train = positive(j.train_tok_s);
  expect(positive(j.kv_speedup)).toBeCloseTo(kv / nokv, 9);
  // The ratios are achieved FLOP/s over the matmul's, from the same run's figures.
  expect(positive(j.sample_ratio)).toBeCloseTo((kv * 2 * 4560) / (gflops * 1e9), 12);
  expect(positive(j.train_ratio)).toBeCloseTo((train * (6 * 4560 + 1536)) / (gflops * 1e9), 12);
  expect([j.lora_train_tok_s, j.lora_rank, j.lora_train_ratio, j.lora_peak_bytes]).toEqual([null, null, null, null]);
  positive(j.threads);
}, 60_000);

test("bench --lora-rank: a GRPO step with LoRA, its ratio from the same run's figures, and its measured peak", async () => {
  const r = await cherry([
    '--config',
    TINY,
    '--batch',
    '2',
    '--seq',
    '8',
    '--lora-rank',
    '4',
    '--micro-batch',
    '1',
    '--skip',
    'train,nokv',
    '--repeats',
    '1',
    '--json',
  ]);
  expect(r.code, r.stderr).toBe(0);
  const j = lastJson(r.stdout);
  expect(j.lora_rank).toBe(4);
  const lora = positive(j.lora_train_tok_s);
  expect(positive(j.lora_train_ratio)).toBeCloseTo((lora * (4 * 4560 + 4 * 2 * 16 * 8)) / (positive(j.matmul_gflops) * 1e9), 12);
  expect(positive(j.lora_peak_bytes)).toBeGreaterThan(4560 * 4); // at least the weights
}, 60_000);

test('bench --skip train,nokv leaves those fields null', async () => {
  const r = await cherry(['--config', TINY, '--batch', '1', '--seq', '4', '--skip', 'train,nokv', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const j = lastJson(r.stdout);
  expect([j.train_tok_s, j.train_ratio, j.sample_tok_s_nokv, j.kv_speedup, j.nokv_tokens]).toEqual([null, null, null, null, null]);
  positive(j.sample_tok_s);
}, 60_000);

test('bad flags are usage errors that say what to do', async () => {
  const [lora, none, skip, long, zero] = await Promise.all([
    cherry(['--config', TINY, '--batch', '2', '--seq', '8', '--lora-rank', '0', '--json']),
    cherry(['--batch', '2', '--seq', '8']),
    cherry(['--config', TINY, '--batch', '2', '--seq', '8', '--skip', 'sampling']),
    cherry(['--config', TINY, '--batch', '2', '--seq', '61']),
    cherry(['--config', TINY, '--batch', '0', '--seq', '8']),
  ]);
  expect(lora.code).toBe(2);
  expect(lora.stderr).toMatch(/UsageError: --lora-rank must be a positive integer, got 0/);
  expect(none.stderr).toMatch(/--config <config.json> is required/);
  for (const r of [none, skip, long, zero]) expect(r.code).toBe(2);
  expect(skip.stderr).toMatch(/--skip: 'sampling' is not a part of the bench; use a comma-separated list of nokv, train/);
  expect(long.stderr).toMatch(/--prompt 4 \+ --seq 61 exceeds max_position_embeddings \(64\) of scripts\/configs\/tiny.json/);
  expect(zero.stderr).toMatch(/--batch must be a positive integer, got 0/);
}, 60_000);
