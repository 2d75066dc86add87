// LoRA from the shell, spawned as a user runs it: `train --lora-rank … --out` writes PEFT's adapter files
// (and no model weights), `logprobs --adapter` applies them (checked against the adapter loaded in this
// process), `merge` writes a plain folder whose log-probs match the adapted model's, `plan` refuses
// what cannot fit, and bad adapter folders are refused by name.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initLlama, llamaFromSafetensors, llamaToSafetensors, parseHFConfig, tokenLogprobs } from '../../src/model';
import { loadPeftAdapter } from '../../src/model/peft';
import { buildCherryTokenizer, buildCherryTokenizerConfig } from '../../src/tokenizer';
import { TINY } from '../rl/trainerFixtures';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const IDS = [1, 40, 50, 60, 70, 2];
let dir = '';

function cherry(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['src/cli/main.ts', ...args], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

const lastJson = (s: string): Record<string, unknown> => JSON.parse(s.trim().split('\n').at(-1) ?? '{}');

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'cherry-lora-'));
  const model = initLlama(TINY, 1, 0.02);
  const { safetensors, config } = await llamaToSafetensors(model);
  model.dispose();
  const m = join(dir, 'model');
  mkdirSync(m);
  writeFileSync(join(m, 'config.json'), JSON.stringify(config));
  writeFileSync(join(m, 'model.safetensors'), safetensors);
  writeFileSync(join(m, 'tokenizer.json'), JSON.stringify(buildCherryTokenizer()));
  writeFileSync(join(m, 'tokenizer_config.json'), JSON.stringify(buildCherryTokenizerConfig()));
  writeFileSync(
    join(dir, 'data.jsonl'),
    Array.from({ length: 40 }, (_, i) => JSON.stringify({ prompt: `q${i}:`, reference_answer: 'a' })).join('\n') + '\n',
  );
  writeFileSync(join(dir, 'lower.js'), 'function grade(sample) { return /^[a-z]/.test(sample.output_text) ? 1 : 0; }\n');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Log-probs of IDS under the base folder with the adapter folder applied, in this process. */
function adaptedLogprobs(adapterDir: string): number[] {
  const base = join(dir, 'model');
  const model = llamaFromSafetensors(
    parseHFConfig(JSON.parse(readFileSync(join(base, 'config.json'), 'utf8')), 'c'),
    new Uint8Array(readFileSync(join(base, 'model.safetensors'))),
    'w',
  );
  const a = loadPeftAdapter(
    model,
    JSON.parse(readFileSync(join(adapterDir, 'adapter_config.json'), 'utf8')),
    new Uint8Array(readFileSync(join(adapterDir, 'adapter_model.safetensors'))),
    adapterDir,
  );
  const t = tokenLogprobs(model, [IDS]).logprobs;
  const out = Array.from(t.dataSync());
  t.dispose();
  a.dispose();
  model.dispose();
  return out;
}

test('train --lora-* --out writes PEFT files; logprobs --adapter and merge reproduce the adapted model', async () => {
  const out = join(dir, 'run');
  const r = await cherry([
    'train',
    '--task',
    join(dir, 'data.jsonl'),
    '--model',
    join(dir, 'model'),
    '--grader',
    join(dir, 'lower.js'),
    '--steps',
    '3',
    '--group-size',
    '4',
    '--batch-prompts',
    '2',
    '--max-new-tokens',
    '2',
    '--eval-n',
    '4',
    '--lr',
    '0.05',
    '--seed',
    '3',
    '--backend',
    'cpu',
    '--lora-rank',
    '4',
    '--lora-alpha',
    '8',
    '--lora-targets',
    'q_proj,v_proj',
    '--out',
    out,
    '--json',
  ]);
  expect(r.code, r.stderr).toBe(0);
  const final = lastJson(r.stdout);
  // q: 4·(16 + 16), v: 4·(16 + 8) (2 kv heads × 4), one layer
  expect(final.lora).toEqual({ rank: 4, alpha: 8, targets: ['q_proj', 'v_proj'], dropout: 0, rslora: false, trainable_params: 224 });
  const memory = final.memory as {
    measured_peak_bytes: number;
    planned_peak_bytes: number;
    plan: { trainable_params: number; fits: boolean };
  };
  expect(memory.plan).toMatchObject({ trainable_params: 224, fits: true });
  expect(memory.measured_peak_bytes).toBeGreaterThan(0);
  const cfg = JSON.parse(readFileSync(join(out, 'adapter_config.json'), 'utf8'));
  expect(cfg).toMatchObject({
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    r: 4,
    lora_alpha: 8,
    target_modules: ['q_proj', 'v_proj'],
    lora_dropout: 0,
    use_rslora: false,
    base_model_name_or_path: join(dir, 'model'),
  });
  expect(existsSync(join(out, 'adapter_model.safetensors'))).toBe(true);
  expect(existsSync(join(out, 'model.safetensors'))).toBe(false);

  const want = adaptedLogprobs(out);
  const lp = await cherry([
    'logprobs',
    '--model',
    join(dir, 'model'),
    '--adapter',
    out,
    '--ids',
    IDS.join(','),
    '--backend',
    'cpu',
    '--json',
  ]);
  expect(lp.code, lp.stderr).toBe(0);
  const got = lastJson(lp.stdout).token_logprobs as number[];
  got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
  const plain = await cherry(['logprobs', '--model', join(dir, 'model'), '--ids', IDS.join(','), '--backend', 'cpu', '--json']);
  expect(lastJson(plain.stdout).token_logprobs).not.toEqual(got); // the adapter trained to something

  const merged = join(dir, 'merged');
  const mr = await cherry(['merge', '--model', join(dir, 'model'), '--adapter', out, '--out', merged, '--backend', 'cpu', '--json']);
  expect(mr.code, mr.stderr).toBe(0);
  expect(lastJson(mr.stdout)).toMatchObject({ merged_layers: 2, rank: 4 });
  expect(existsSync(join(merged, 'tokenizer.json'))).toBe(true);
  const ml = await cherry(['logprobs', '--model', merged, '--ids', IDS.join(','), '--backend', 'cpu', '--json']);
  (lastJson(ml.stdout).token_logprobs as number[]).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
  const gen = await cherry([
    'generate',
    '--model',
    join(dir, 'model'),
    '--adapter',
    out,
    '--prompt-ids',
    '1,40',
    '--max-new-tokens',
    '3',
    '--backend',
    'cpu',
    '--json',
  ]);
  expect(gen.code, gen.stderr).toBe(0);
}, 240_000);

test('bad adapter folders and LoRA flags are refused by name', async () => {
  const bad = join(dir, 'bad');
  mkdirSync(bad, { recursive: true });
  writeFileSync(join(bad, 'adapter_config.json'), JSON.stringify({ peft_type: 'LORA', lora_alpha: 8, target_modules: ['q_proj'] }));
  writeFileSync(join(bad, 'adapter_model.safetensors'), new Uint8Array(16));
  const r = await cherry(['logprobs', '--model', join(dir, 'model'), '--adapter', bad, '--ids', '1,2', '--backend', 'cpu']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`PeftFormatError: ${bad}/adapter_config.json: field "r" is missing`);
  const none = await cherry([
    'generate',
    '--model',
    join(dir, 'model'),
    '--adapter',
    join(dir, 'nope'),
    '--prompt-ids',
    '1',
    '--backend',
    'cpu',
  ]);
  expect(none.stderr).toContain('no such folder; pass --adapter <folder with adapter_config.json and adapter_model.safetensors>');
  const stray = await cherry([
    'train',
    '--task',
    join(dir, 'data.jsonl'),
    '--model',
    join(dir, 'model'),
    '--lora-alpha',
    '8',
    '--steps',
    '1',
    '--backend',
    'cpu',
  ]);
  expect(stray.code).toBe(2);
  expect(stray.stderr).toContain('--lora-alpha needs --lora-rank R');
  const target = await cherry([
    'train',
    '--task',
    join(dir, 'data.jsonl'),
    '--model',
    join(dir, 'model'),
    '--lora-rank',
    '2',
    '--lora-targets',
    'c_attn',
    '--steps',
    '1',
    '--backend',
    'cpu',
  ]);
  expect(target.stderr).toContain('LoraConfigError: LoRA target module "c_attn" does not exist in LlamaForCausalLM');
}, 120_000);

test('plan: full fine-tuning of Qwen2.5-0.5B from its bare config.json is refused with its numbers; SmolLM2 counted exactly', async () => {
  const qwen = await cherry([
    'plan',
    '--model',
    'test/fixtures/configs/Qwen2.5-0.5B-Instruct.json',
    '--group',
    '8',
    '--max-len',
    '128',
    '--json',
  ]);
  expect(qwen.code).toBe(1);
  expect(lastJson(qwen.stdout)).toMatchObject({
    fits: false,
    params: 494_032_768,
    trainable_params: 494_032_768,
    optimizer_bytes: 8 * 494_032_768,
  });
  expect(qwen.stderr).toMatch(
    /MemoryPlanError: this run does not fit wasm memory: the estimated peak [\d.]+ GiB exceeds the 4\.00 GiB available/,
  );
  expect(qwen.stderr).toContain('train a LoRA adapter');
  const smol = await cherry([
    'plan',
    '--model',
    'test/fixtures/configs/SmolLM2-135M.json',
    '--lora-rank',
    '16',
    '--group',
    '2',
    '--max-len',
    '32',
    '--micro-batch',
    '1',
    '--json',
  ]);
  expect(lastJson(smol.stdout)).toMatchObject({ params: 134_515_008, trainable_params: 30 * 16 * 10176 });
}, 120_000);
