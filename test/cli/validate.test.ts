// `cherry validate` (OpenAI's graders/validate) and model graders from the CLI with the judge taken from
// OPENAI_BASE_URL / OPENAI_API_KEY, against a server this test starts on 127.0.0.1.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAI, type FakeOpenAI } from '../graders/judge/server';

let dir: string;
let fake: FakeOpenAI;
const f = (name: string) => join(dir, name);
const eq = { type: 'string_check', name: 'eq', input: '{{ sample.output_text }}', reference: '{{ item.answer }}', operation: 'eq' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cherry-validate-'));
  fake = await startFakeOpenAI();
  writeFileSync(f('eq.json'), JSON.stringify({ grader: eq }));
  writeFileSync(
    f('nested.json'),
    JSON.stringify({
      type: 'multi',
      name: 'm',
      calculate_output: 'a',
      graders: { a: { type: 'multi', name: 'in', calculate_output: 'b', graders: { b: eq } } },
    }),
  );
  writeFileSync(
    f('re.json'),
    JSON.stringify({ type: 'regex', name: 're', input: '{{ sample.output_text }}', pattern: '\\d+', mode: 'match' }),
  );
  writeFileSync(f('badtpl.json'), JSON.stringify({ ...eq, input: '{{ sample.output_text' }));
  writeFileSync(f('bad.py'), 'def grade(sample, item):\n    return (1 +\n');
  writeFileSync(
    f('judge.json'),
    JSON.stringify({
      type: 'score_model',
      name: 'judge',
      model: 'judge-model',
      range: [0, 10],
      input: [{ role: 'user', content: 'Reference {{ item.answer }}; answer {{ sample.output_text }}' }],
    }),
  );
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await fake.close();
});

function cherry(cmd: string, ...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', cmd, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, OPENAI_BASE_URL: '', OPENAI_API_KEY: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('a valid grader answers {"grader": ...} as graders/validate does, plus whether OpenAI runs it', () => {
  const r = cherry('validate', '--grader', f('eq.json'), '--json');
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out.trim().split('\n').pop() ?? '')).toEqual({ grader: eq, openai: { ok: true } });
  const re = cherry('validate', '--grader', f('re.json'), '--json');
  expect(re.code).toBe(0);
  expect(re.out).toMatch(/"ok":false,"reason":".*\\"regex\\" is a Cherry extra/);
  const strict = cherry('validate', '--grader', f('re.json'), '--target', 'openai');
  expect(strict.code).toBe(1);
  expect(strict.err).toMatch(/re\.json: valid in Cherry, but grader 're' cannot be exported/);
});

test('invalid graders exit 1 naming the file and the field or line:column', () => {
  const nested = cherry('validate', '--grader', f('nested.json'));
  expect(nested.code).toBe(1);
  expect(nested.err).toMatch(/nested\.json: grader spec, field "graders\.a\.type": a multi grader cannot contain another multi grader/);
  const tpl = cherry('validate', '--grader', f('badtpl.json'));
  expect(tpl.code).toBe(1);
  expect(tpl.err).toMatch(/badtpl\.json: grader spec, field "input": "\{\{" at column 1 has no closing/);
  const py = cherry('validate', '--grader', f('bad.py'));
  expect(py.code).toBe(1);
  expect(py.err).toContain(`${f('bad.py')}:2:12`);
});

test('cherry grade runs a score_model against OPENAI_BASE_URL with OPENAI_API_KEY', async () => {
  fake.replies.push({ content: '{"result": 7, "steps": []}' });
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn(
      'npx',
      ['tsx', 'src/cli/main.ts', 'grade', '--grader', f('judge.json'), '--sample', '42', '--item', '{"answer": "42"}', '--json'],
      { env: { ...process.env, OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'sk-cli' } },
    );
    let s = '';
    p.stdout.on('data', (d: Buffer) => {
      s += d.toString();
    });
    p.on('error', reject);
    p.on('close', () => resolve(s));
  });
  expect(JSON.parse(out.trim().split('\n').pop() ?? '')).toMatchObject({ results: [{ reward: 7, error: null }] });
  expect(fake.requests[0]).toMatchObject({
    auth: 'Bearer sk-cli',
    body: { model: 'judge-model', messages: [{ role: 'user', content: 'Reference 42; answer 42' }] },
  });
  // No key is ever echoed in the output.
  expect(out).not.toContain('sk-cli');
});
