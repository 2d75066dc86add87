// `cherry train`, spawned as a user runs it, on a tiny random model written to a temp folder with
// llamaToSafetensors, a JSONL dataset and a JS grader file: the --json output shape (one metrics line
// per step, then the final line), the --out folder (loadable by `generate --model`, metrics.jsonl),
// and usage errors.
import { test, expect, afterAll, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initLlama, llamaToSafetensors } from '../../src/model';
import { buildCherryTokenizer, buildCherryTokenizerConfig } from '../../src/tokenizer';
import { TINY } from '../rl/trainerFixtures';
import { arithmetic, hasTensCarry } from '../../src/tasks';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
let dir = '';

function cherry(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['src/cli/main.ts', ...args], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cherry-train-'));
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

test('--json: one metrics line per step, then the final line; --out is a loadable model folder', async () => {
  const out = join(dir, 'out');
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
    '--eval-every',
    '2',
    '--lr',
    '0.01',
    '--seed',
    '3',
    '--backend',
    'cpu',
    '--out',
    out,
    '--json',
  ]);
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>); // test: every stdout line is JSON
  expect(lines).toHaveLength(4);
  lines.slice(0, 3).forEach((m, i) => {
    expect(m.step).toBe(i);
    for (const k of [
      'reward_mean',
      'reward_std',
      'policy_loss',
      'grad_norm',
      'learning_rate',
      'frac_groups_zero_std',
      'sampling_ms',
      'grading_ms',
      'training_ms',
    ])
      expect(m, k).toHaveProperty(k);
    expect(m.n_samples).toBe(8);
    expect(m.learning_rate).toBe(0.01);
  });
  expect(lines[1].eval_reward_mean).toEqual(expect.any(Number)); // --eval-every 2: after the second step
  const final = lines[3];
  expect(final.final).toBe(true);
  expect(final.steps).toBe(3);
  for (const k of ['eval_before', 'eval_after', 'eval_before_sampled', 'eval_after_sampled', 'seconds']) {
    expect(final[k], k).toEqual(expect.any(Number));
    expect(final[k] as number).toBeGreaterThanOrEqual(0);
  }
  for (const f of [
    'config.json',
    'model.safetensors',
    'tokenizer.json',
    'optimizer.safetensors',
    'trainer_state.json',
    'metrics.jsonl',
    'samples.jsonl',
  ])
    expect(existsSync(join(out, f)), f).toBe(true);
  const saved = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>); // test: JSON lines
  expect(saved).toEqual(lines.slice(0, 3));
  // samples.jsonl: every completion of every step, each reward what lower.js says of its text, step means as in the metrics
  const samples = readFileSync(join(out, 'samples.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { step: number; group: number; completion: string; reward: number; advantage: number }); // test: JSON lines
  expect(samples).toHaveLength(3 * 8);
  for (const s of samples) expect(s.reward, s.completion).toBe(/^[a-z]/.test(s.completion) ? 1 : 0);
  for (let step = 0; step < 3; step++) {
    const of = samples.filter((s) => s.step === step);
    expect(of.map((s) => s.group)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(of.reduce((a, s) => a + s.reward, 0) / of.length).toBeCloseTo(saved[step].reward_mean as number, 12);
  }
  const state = JSON.parse(readFileSync(join(out, 'trainer_state.json'), 'utf8')) as { step: number; adam_step: number }; // test: written by the sink
  expect([state.step, state.adam_step]).toEqual([3, 3]);
  const g = await cherry([
    'generate',
    '--model',
    out,
    '--prompt',
    'q1:',
    '--max-new-tokens',
    '2',
    '--temperature',
    '0',
    '--backend',
    'cpu',
    '--json',
  ]);
  expect(g.code, g.stderr).toBe(0);
}, 120_000);

test('a bad flag is a usage error (exit 2) that names it', async () => {
  const r = await cherry(['train', '--task', join(dir, 'data.jsonl'), '--model', join(dir, 'model'), '--algo', 'ppo']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--algo must be one of grpo, dr_grpo, dapo, rloo, reinforce, sft/);
  const u = await cherry(['train', '--task', join(dir, 'data.jsonl'), '--stepz', '3']);
  expect(u.code).toBe(2);
  expect(u.stderr).toMatch(/unknown flag --stepz/);
}, 60_000);

test('arithmetic: the final line splits the greedy test reward by class (carry / other), consistent with the whole', async () => {
  const r = await cherry([
    'train',
    '--task',
    'arithmetic',
    '--steps',
    '1',
    '--batch-prompts',
    '1',
    '--group-size',
    '2',
    '--eval-n',
    '32',
    '--seed',
    '1',
    '--json',
  ]);
  expect(r.code, r.stderr).toBe(0);
  const final = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as {
    eval_before: number;
    eval_after: number;
    eval_by_class: Record<'before' | 'after', Record<string, number>>;
  }; // the CLI's last line
  const carry = arithmetic.items('test', 32).filter(hasTensCarry).length;
  expect(carry).toBeGreaterThan(0);
  for (const when of ['before', 'after'] as const) {
    const c = final.eval_by_class[when];
    expect(Object.keys(c)).toEqual(['carry', 'other']);
    const whole = when === 'before' ? final.eval_before : final.eval_after;
    expect((c.carry * carry + c.other * (32 - carry)) / 32).toBeCloseTo(whole, 12);
  }
}, 120_000);
