// The CLI with Hub sources, spawned as a user runs it: `cherry download hf:…` fills $CHERRY_CACHE from
// $HF_ENDPOINT and prints the folder (--json: one object); `--model hf:…` of another command then loads
// from the cache with the server stopped and gives the log-probs of the original folder.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeCommit, startHubServer, type HubServer } from '../helpers/hubServer';
import { tinyModelFiles, writeFolder } from './tinyModel';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');

let server: HubServer;
let files: Record<string, Uint8Array>;
let cacheDir: string;

function cherry(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['src/cli/main.ts', ...args], { cwd: ROOT, timeout: 60_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>; // test: the CLI contract is one JSON object
}

beforeAll(async () => {
  files = await tinyModelFiles(3);
  server = await startHubServer({ 'org/tiny': { files, commit: fakeCommit('cli') } });
  cacheDir = mkdtempSync(join(tmpdir(), 'cherry-hub-cli-'));
});
afterAll(async () => {
  await server?.stop();
  rmSync(cacheDir, { recursive: true, force: true });
});

test('cherry download fills the cache; --model hf:… then loads it offline with the original log-probs', async () => {
  const env = { CHERRY_CACHE: cacheDir, HF_ENDPOINT: server.url };
  const d = await cherry(['download', 'hf:org/tiny', '--json'], env);
  expect(d.code, d.stderr).toBe(0);
  const j = lastJson(d.stdout);
  const folder = join(cacheDir, 'models', `127.0.0.1_${new URL(server.url).port}--org--tiny@${fakeCommit('cli')}`);
  expect(j).toMatchObject({ folder, commit: fakeCommit('cli'), revision: 'main', from_cache: false });
  expect(j.total_bytes).toBe(Object.values(files).reduce((a, b) => a + b.length, 0));
  expect(d.stderr).toMatch(/model\.safetensors [\d.]+ kB \/ [\d.]+ kB \(100%\) · .*\/s/);
  expect(new Uint8Array(readFileSync(join(folder, 'model.safetensors')))).toEqual(files['model.safetensors']);

  const plain = await cherry(['download', 'hf:org/tiny'], env);
  expect(plain.stdout.trim()).toBe(folder);

  await server.stop();
  const ids = '1,72,305,44,9';
  const original = writeFolder(files);
  const [viaHub, direct, bad] = await Promise.all([
    cherry(['logprobs', '--model', 'hf:org/tiny', '--ids', ids, '--backend', 'cpu', '--json'], env),
    cherry(['logprobs', '--model', original, '--ids', ids, '--backend', 'cpu', '--json'], env),
    cherry(['logprobs', '--model', 'hf:tiny', '--ids', ids, '--backend', 'cpu'], env),
  ]);
  expect(viaHub.code, viaHub.stderr).toBe(0);
  expect(lastJson(viaHub.stdout).token_logprobs).toEqual(lastJson(direct.stdout).token_logprobs);
  expect(bad.code).toBe(1);
  rmSync(original, { recursive: true, force: true });
  expect(bad.stderr).toContain(
    "cherry logprobs: ModelSourceError: model source 'hf:tiny': 'tiny' must be ORG/NAME (one slash). Accepted: hf:ORG/NAME[@REVISION]",
  );
});
