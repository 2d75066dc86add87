// `cherry grade` end to end: the real CLI in a child process, on grader files written to a temp dir.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string;
const f = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cherry-grade-'));
  writeFileSync(
    f('ok.js'),
    'function grade(sample, item) {\n  if (sample.output_text === "loop") while (true) {}\n  return sample.output_text.trim() === item.reference_answer ? 1 : 0;\n}\n',
  );
  writeFileSync(f('bad.js'), '// bad\nfunction grade(s) {\n  return s.(;\n}\n');
  writeFileSync(
    f('typed.ts'),
    'export function grade(s: { output_json: { n: number } | null }): number {\n  return s.output_json ? s.output_json.n / 10 : 0;\n}\n',
  );
  writeFileSync(f('p.py'), 'def grade(sample, item):\n    return 1.0 if sample["output_text"] == item["ref"] else 0.0\n');
  writeFileSync(f('bad.py'), 'def grade(sample, item):\n    return (1 +\n');
  writeFileSync(
    f('rows.jsonl'),
    [
      '{"sample":"42","item":{"reference_answer":"42"}}',
      '{"sample":{"output_text":"loop"},"item":{}}',
      '{"sample":"7","item":{"reference_answer":"42"}}',
    ].join('\n'),
  );
  writeFileSync(
    f('eq.json'),
    JSON.stringify({
      type: 'string_check',
      name: 'eq',
      input: '{{ sample.output_text }}',
      reference: '{{ item.reference_answer }}',
      operation: 'eq',
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cherry(...args: string[]): { code: number | null; out: string; err: string; json: unknown } {
  const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'grade', ...args], { encoding: 'utf8', timeout: 60_000 });
  const lines = r.stdout.trim().split('\n');
  let json: unknown = null;
  try {
    json = JSON.parse(lines[lines.length - 1]);
  } catch {
    json = null;
  }
  return { code: r.status, out: r.stdout, err: r.stderr, json };
}

test('--input rows.jsonl --json: one result per row; a hanging sample is an error, exit code 0', () => {
  const r = cherry('--grader', f('ok.js'), '--input', f('rows.jsonl'), '--timeout-ms', '300', '--json');
  expect(r.code).toBe(0);
  expect(r.json).toMatchObject({
    results: [
      { reward: 1, sub_rewards: {}, error: null },
      { reward: null, error: expect.stringMatching(/timed out on sample 1.*300 ms/) },
      { reward: 0, error: null },
    ],
  });
});

test('a grader with a syntax error exits non-zero naming file, line and column', () => {
  const r = cherry('--grader', f('bad.js'), '--sample', '42');
  expect(r.code).toBe(1);
  expect(r.err).toContain(`${f('bad.js')}:3:12`);
  expect(r.err).toMatch(/syntax error at line 3, column 12/);
});

test('--sample with --item, TypeScript grader; output_json is parsed from the text', () => {
  const r = cherry('--grader', f('typed.ts'), '--sample', '{"n": 7}', '--item', '{}', '--json');
  expect(r.code).toBe(0);
  expect(r.json).toMatchObject({ results: [{ reward: 0.7, error: null }] });
});

test('a JSON spec runs through the built-in graders', () => {
  const r = cherry('--grader', f('eq.json'), '--input', f('rows.jsonl'), '--json');
  expect(r.code).toBe(0);
  // Row 2 has no reference_answer: the built-in grader reports it on that row only.
  expect(r.json).toMatchObject({
    results: [{ reward: 1 }, { reward: null, error: expect.stringMatching(/reference_answer/) }, { reward: 0 }],
  });
});

test('Python graders: a result, and a syntax error naming file, line and column', () => {
  const ok = cherry('--grader', f('p.py'), '--sample', 'a', '--item', '{"ref": "a"}', '--json');
  expect(ok.code).toBe(0);
  expect(ok.json).toMatchObject({ results: [{ reward: 1, error: null }] });
  const bad = cherry('--grader', f('bad.py'), '--sample', 'a');
  expect(bad.code).toBe(1);
  // "    return (1 +": the unclosed '(' is the 12th character of line 2.
  expect(bad.err).toContain(`${f('bad.py')}:2:12`);
});

test('missing input is a usage error (exit 2)', () => {
  const r = cherry('--grader', f('ok.js'));
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/--sample TEXT .* or --input/);
});

test("--run takes OpenAI's graders/run body and answers its GraderRunResponse shape", () => {
  // POST /fine_tuning/alpha/graders/run (https://platform.openai.com/docs/api-reference/graders/run):
  // {"grader", "item", "model_sample"} → {"reward", "sub_rewards", "metadata": {...}}.
  writeFileSync(
    f('run.json'),
    JSON.stringify({
      grader: {
        type: 'string_check',
        name: 'Example string check grader',
        input: '{{sample.output_text}}',
        reference: '{{item.label}}',
        operation: 'eq',
      },
      item: { label: 'positive' },
      model_sample: 'positive',
    }),
  );
  const r = cherry('--run', f('run.json'));
  expect(r.code).toBe(0);
  expect(r.json).toMatchObject({
    reward: 1,
    sub_rewards: {},
    metadata: { name: 'Example string check grader', type: 'string_check', error: null, errors: { other_error: false } },
    model_grader_token_usage_per_model: {},
  });
  writeFileSync(
    f('run-bad.json'),
    JSON.stringify({
      grader: { type: 'string_check', name: 'g', input: '{{sample.output_text}}', reference: '{{item.label}}', operation: 'eq' },
      item: {},
      model_sample: 'x',
    }),
  );
  const bad = cherry('--run', f('run-bad.json'));
  expect(bad.json).toMatchObject({
    reward: null,
    metadata: { errors: { other_error: true }, error: expect.stringMatching(/item has no field "label"/) },
  });
  writeFileSync(
    f('run-nosample.json'),
    JSON.stringify({ grader: { type: 'string_check', name: 'g', input: 'a', reference: 'a', operation: 'eq' }, item: {} }),
  );
  const none = cherry('--run', f('run-nosample.json'));
  expect(none.code).toBe(1);
  expect(none.err).toMatch(/run-nosample\.json, field "model_sample": must be the model's output as a string/);
});

test('--invalid-reward zero scores an invalid sample 0 and marks it', () => {
  const r = cherry('--grader', f('eq.json'), '--input', f('rows.jsonl'), '--invalid-reward', 'zero', '--json');
  expect(r.json).toMatchObject({
    results: [{ reward: 1 }, { reward: 0, invalid: true, error: expect.stringMatching(/reference_answer/) }, { reward: 0 }],
  });
  const bad = cherry('--grader', f('eq.json'), '--sample', 'x', '--invalid-reward', 'nan');
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/--invalid-reward must be one of: excluded, zero; got 'nan'/);
});

test("--judge-local: a model of Cherry's own judges a score_model grader; its score is what `cherry generate` answers", () => {
  writeFileSync(
    f('sum.json'),
    JSON.stringify({
      type: 'score_model',
      name: 'sum',
      model: 'any',
      input: [{ role: 'user', content: '{{ item.q }}' }],
      range: [0, 1000],
    }),
  );
  const model = 'public/models/cherry-arith';
  const items = ['12+34=', '250+19='];
  writeFileSync(f('sums.jsonl'), items.map((q) => JSON.stringify({ sample: 'ignored', item: { q } })).join('\n'));
  const r = cherry('--grader', f('sum.json'), '--input', f('sums.jsonl'), '--judge-local', model, '--json');
  expect(r.code, r.err).toBe(0);
  // the same greedy continuation, asked of the model directly through another command
  const answers = items.map((q) => {
    const g = spawnSync(
      'npx',
      ['tsx', 'src/cli/main.ts', 'generate', '--model', model, '--prompt', q, '--max-new-tokens', '16', '--temperature', '0', '--json'],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    return Number((JSON.parse(g.stdout.trim().split('\n').pop() ?? '{}') as { text: string }).text.trim());
  });
  expect(answers.every(Number.isFinite)).toBe(true);
  expect(r.json).toMatchObject({ results: answers.map((reward) => ({ reward, error: null })) });
  const both = cherry('--grader', f('sum.json'), '--sample', 'x', '--judge-local', model, '--judge-url', 'http://127.0.0.1:9/v1');
  expect(both.code).toBe(2);
  expect(both.err).toMatch(/--judge-local and --judge-url name two judges; give one/);
}, 120_000);
