// `cherry eval` end to end: the real CLI in a child process, on a tiny random model written to a
// temp folder (config.json + model.safetensors + the built-in tokenizer files).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { arithmetic, hasTensCarry } from '../../src/tasks';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initLlama, llamaToSafetensors } from '../../src/model';
import { buildCherryTokenizer, buildCherryTokenizerConfig } from '../../src/tokenizer';

let dir: string;
let modelDir: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'cherry-eval-'));
  modelDir = join(dir, 'model');
  const model = initLlama(
    {
      architecture: 'LlamaForCausalLM',
      vocabSize: 100,
      hiddenSize: 16,
      intermediateSize: 32,
      numLayers: 1,
      numHeads: 2,
      numKVHeads: 2,
      headDim: 8,
      maxPositionEmbeddings: 128,
      rmsNormEps: 1e-5,
      ropeTheta: 10000,
      tieWordEmbeddings: true,
      attentionBias: false,
      bosTokenId: 1,
      eosTokenIds: [2],
    },
    3,
    0.5,
  );
  const { safetensors, config } = await llamaToSafetensors(model);
  model.dispose();
  const { mkdirSync } = await import('node:fs');
  mkdirSync(modelDir);
  writeFileSync(join(modelDir, 'model.safetensors'), safetensors);
  writeFileSync(join(modelDir, 'config.json'), JSON.stringify(config));
  writeFileSync(join(modelDir, 'tokenizer.json'), JSON.stringify(buildCherryTokenizer()));
  writeFileSync(join(modelDir, 'tokenizer_config.json'), JSON.stringify(buildCherryTokenizerConfig()));
  writeFileSync(
    join(dir, 'data.jsonl'),
    ['{"prompt":"a:","reference_answer":"x"}', '{"prompt":"b:","reference_answer":"y"}', '{"prompt":"c:","reference_answer":"z"}'].join(
      '\n',
    ),
  );
  writeFileSync(join(dir, 'always.js'), 'function grade(sample, item) { return 1; }\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cherry(...args: string[]): { code: number | null; err: string; json: Record<string, unknown> | null } {
  const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'eval', ...args], { encoding: 'utf8', timeout: 90_000 });
  const lines = r.stdout.trim().split('\n');
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
  } catch {
    json = null;
  } // a JSON object, checked below
  return { code: r.status, err: r.stderr, json };
}

test('--json prints the summary as the last line; greedy groups have zero variance', () => {
  const r = cherry('--task', 'arithmetic', '--model', modelDir, '--n', '12', '--samples-per-prompt', '3', '--temperature', '0', '--json');
  expect(r.err).not.toMatch(/cherry eval:/);
  expect(r.code).toBe(0);
  expect(Object.keys(r.json ?? {})).toEqual([
    'task',
    'model',
    'n',
    'reward_mean',
    'reward_std',
    'pass_at_k',
    'frac_zero_std',
    'invalid',
    'by_class',
  ]);
  expect(r.json).toMatchObject({ task: 'arithmetic', model: modelDir, n: 12, frac_zero_std: 1, invalid: 0 });
  // arithmetic names its classes: 2 of the first 12 test prompts are carry sums; the whole is the classes' weighted mean
  const byClass = r.json?.by_class as Record<string, number>; // checked just below
  const carry = arithmetic.items('test', 12).filter(hasTensCarry).length;
  expect(carry).toBe(2);
  expect(Object.keys(byClass)).toEqual(['carry', 'other']);
  expect((byClass.carry * carry + byClass.other * (12 - carry)) / 12).toBeCloseTo(Number(r.json?.reward_mean), 12);
  const mean = Number(r.json?.reward_mean);
  expect(mean >= 0 && mean <= 1).toBe(true);
}, 120_000);

test('a JSONL dataset with a grader file: every sample scores 1', () => {
  const r = cherry(
    '--task',
    join(dir, 'data.jsonl'),
    '--grader',
    join(dir, 'always.js'),
    '--model',
    modelDir,
    '--split',
    'train',
    '--n',
    '2',
    '--samples-per-prompt',
    '2',
    '--json',
  );
  expect(r.code).toBe(0);
  expect(r.json).toMatchObject({ task: 'data.jsonl', n: 2, reward_mean: 1, reward_std: 0, pass_at_k: 1, frac_zero_std: 1 });
}, 120_000);

test('bad flags exit 2 with a message naming the flag', () => {
  const r = cherry('--task', 'arithmetic', '--model', modelDir, '--split', 'dev');
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/--split must be train, validation or test/);
}, 120_000);
