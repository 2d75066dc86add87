// `cherry train` / `cherry eval` with --invalid-reward and the HTTP judge, spawned as a user runs them, on a
// tiny random model in a temp folder. invalid_reward: a grader that throws, returns NaN or returns a string
// on some outputs (decided by the output's first character); the test classifies every completion of
// samples.jsonl itself and checks each reward and each step's `invalid` count against that hand count.
// Judge: a score_model grader against an OpenAI-compatible server this test starts on 127.0.0.1; the key is
// read from the variable --judge-key-env names and never appears in the output.
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initLlama, llamaToSafetensors } from '../../src/model';
import { buildCherryTokenizer, buildCherryTokenizerConfig } from '../../src/tokenizer';
import { TINY } from '../rl/trainerFixtures';
import { startFakeOpenAI, type FakeOpenAI } from '../graders/judge/server';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const KEY = 'sk-never-printed-7f3a';
let dir = '';
let fake: FakeOpenAI;

function cherry(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['src/cli/main.ts', ...args],
      { cwd: ROOT, timeout: 120_000, env: { ...process.env, OPENAI_BASE_URL: '', OPENAI_API_KEY: '', ...env } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** What the grader below does with an output, decided here independently of the engine. */
function kind(text: string): 'throw' | 'nan' | 'string' | 'one' {
  return (['throw', 'nan', 'string', 'one'] as const)[(text.charCodeAt(0) || 0) % 4];
}

beforeAll(async () => {
  fake = await startFakeOpenAI();
  dir = mkdtempSync(join(tmpdir(), 'cherry-invalid-'));
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
  writeFileSync(
    join(dir, 'flaky.js'),
    [
      'function grade(sample) {',
      '  const k = (sample.output_text.charCodeAt(0) || 0) % 4;',
      '  if (k === 0) throw new Error("boom");',
      '  if (k === 1) return NaN;',
      '  if (k === 2) return "high";',
      '  return 1;',
      '}',
    ].join('\n') + '\n',
  );
  writeFileSync(
    join(dir, 'judge.json'),
    JSON.stringify({
      type: 'score_model',
      name: 'judge',
      model: 'gpt-4o-mini',
      range: [0, 1],
      input: [{ role: 'user', content: 'Score {{ sample.output_text }} against {{ item.reference_answer }}' }],
    }),
  );
});
afterAll(async () => {
  await fake.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.replies.length = 0;
});

const TRAIN = (out: string) => [
  'train',
  '--task',
  join(dir, 'data.jsonl'),
  '--model',
  join(dir, 'model'),
  '--steps',
  '3',
  '--group-size',
  '4',
  '--batch-prompts',
  '2',
  '--max-new-tokens',
  '2',
  '--eval-n',
  '2',
  '--eval-every',
  '0',
  '--temperature',
  '3',
  '--seed',
  '5',
  '--backend',
  'cpu',
  '--out',
  out,
  '--json',
];

for (const mode of ['zero', 'excluded'] as const) {
  test(`train --invalid-reward ${mode}: throw / NaN / string outputs get ${mode === 'zero' ? '0' : 'null'}, and each step's invalid count matches`, async () => {
    const out = join(dir, `out-${mode}`);
    const r = await cherry([...TRAIN(out), '--grader', join(dir, 'flaky.js'), '--invalid-reward', mode]);
    expect(r.code, r.stderr).toBe(0);
    const samples = readFileSync(join(out, 'samples.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: number; completion: string; reward: number | null; error: string | null }); // test: JSON lines
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: number; invalid: number; n_valid: number }); // test: JSON lines
    expect(samples).toHaveLength(3 * 8);
    let invalidTotal = 0;
    for (const s of samples) {
      const k = kind(s.completion);
      if (k === 'one') {
        expect(s.reward).toBe(1);
        expect(s.error).toBeNull();
        continue;
      }
      invalidTotal++;
      expect(s.reward).toBe(mode === 'zero' ? 0 : null);
      expect(s.error).toMatch(k === 'throw' ? /boom/ : /NaN|number|string/i);
    }
    expect(invalidTotal).toBeGreaterThan(0); // the seed gives some of each kind of output
    expect(invalidTotal).toBeLessThan(samples.length);
    for (const m of metrics) {
      const mine = samples.filter((s) => s.step === m.step);
      const bad = mine.filter((s) => kind(s.completion) !== 'one').length;
      expect(m.invalid).toBe(bad);
      expect(m.n_valid).toBe(mode === 'zero' ? 8 : 8 - bad);
    }
  }, 120_000);
}

test('a wrong --invalid-reward is a usage error naming the choices', async () => {
  const r = await cherry([...TRAIN(join(dir, 'x')), '--grader', join(dir, 'flaky.js'), '--invalid-reward', 'skip']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("--invalid-reward must be one of: excluded, zero; got 'skip'");
});

test('train with a score_model grader: the judge at --judge-url gets --judge-model and the key from --judge-key-env, never printed', async () => {
  fake.fallback = () => ({ content: '{"result": 0.25, "steps": []}' });
  const out = join(dir, 'out-judge');
  const r = await cherry(
    [
      ...TRAIN(out),
      '--grader',
      join(dir, 'judge.json'),
      '--judge-url',
      fake.baseURL,
      '--judge-model',
      'local-judge',
      '--judge-key-env',
      'MY_JUDGE_KEY',
    ],
    { MY_JUDGE_KEY: KEY },
  );
  expect(r.code, r.stderr).toBe(0);
  // 3 steps × 8 samples, plus greedy (2 × 1) and sampled (2 × 4) evaluations before and after
  expect(fake.requests).toHaveLength(24 + 2 * (2 + 8));
  for (const q of fake.requests) {
    expect(q.path).toBe('/v1/chat/completions');
    expect(q.auth).toBe(`Bearer ${KEY}`);
    expect(q.body.model).toBe('local-judge');
  }
  const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { reward_mean: number; invalid: number }); // test: JSON lines
  expect(metrics.map((m) => [m.reward_mean, m.invalid])).toEqual([
    [0.25, 0],
    [0.25, 0],
    [0.25, 0],
  ]);
  expect(r.stdout + r.stderr).not.toContain(KEY);
}, 120_000);

test('eval: a judge answering 400 gives invalid grades, counted as 0 with --invalid-reward zero; the key stays out of the output', async () => {
  fake.fallback = () => ({ status: 400, body: { error: { message: 'bad request' } } });
  const args = [
    'eval',
    '--task',
    join(dir, 'data.jsonl'),
    '--model',
    join(dir, 'model'),
    '--grader',
    join(dir, 'judge.json'),
    '--split',
    'train',
    '--n',
    '3',
    '--samples-per-prompt',
    '2',
    '--max-new-tokens',
    '2',
    '--backend',
    'cpu',
    '--json',
  ];
  const zero = await cherry([...args, '--invalid-reward', 'zero', '--judge-url', fake.baseURL], { OPENAI_API_KEY: KEY });
  expect(zero.code, zero.stderr).toBe(0);
  expect(JSON.parse(zero.stdout.trim().split('\n').at(-1) ?? '')).toMatchObject({ n: 3, reward_mean: 0, invalid: 6 });
  expect(fake.requests).toHaveLength(6); // a 400 is not retried
  expect(fake.requests[0].auth).toBe(`Bearer ${KEY}`);
  expect(zero.stdout + zero.stderr).not.toContain(KEY);
  const text = await cherry(args.filter((a) => a !== '--json').concat(['--judge-url', fake.baseURL]), { OPENAI_API_KEY: KEY });
  expect(text.code, text.stderr).toBe(0);
  expect(text.stdout).toContain('invalid grades 6 of 6');
  expect(text.stdout + text.stderr).not.toContain(KEY);
}, 120_000);

test('--judge-key-env naming an unset variable is a usage error that says what to export', async () => {
  const r = await cherry([
    'eval',
    '--task',
    join(dir, 'data.jsonl'),
    '--model',
    join(dir, 'model'),
    '--grader',
    join(dir, 'judge.json'),
    '--judge-key-env',
    'NOPE_KEY',
  ]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('the environment variable NOPE_KEY is not set');
});
