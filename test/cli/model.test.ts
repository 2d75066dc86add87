// The `generate` and `logprobs` CLI commands, spawned as a user would run them.
import { test, expect, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { generate, initLlama, llamaToSafetensors } from '../../src/model';
import { buildCherryTokenizer, buildCherryTokenizerConfig, CHERRY_VOCAB_SIZE, loadCherryTokenizer, promptIds } from '../../src/tokenizer';
import { readF32Safetensors, refGreedy, refLogprobs, type RefConfig } from '../model/reference/llama64';
import { reference } from '../model/reference/numpy';
import { TINY_MODELS, writeTinyModel } from '../../scripts/fixtures/tinyModels';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(ROOT, '../shared/fixtures/llama-stories260k');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const ref: RefConfig = {
  vocab: 512,
  dim: 64,
  hidden: 172,
  layers: 5,
  heads: 8,
  kvHeads: 4,
  headDim: 8,
  eps: 1e-5,
  theta: 10000,
  tied: true,
  bias: false,
};

function cherry(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['src/cli/main.ts', ...args], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>; // test: the CLI contract is one JSON object
}

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A temp copy of the fixture folder with one file replaced (or removed with null). */
function brokenDir(file: string, content: string | Uint8Array | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'cherry-model-'));
  made.push(dir);
  for (const f of ['config.json', 'model.safetensors']) if (f !== file || content !== null) copyFileSync(join(FIXTURE, f), join(dir, f));
  if (content !== null) writeFileSync(join(dir, file), content);
  return dir;
}

test('generate --json and logprobs --json on stories260k agree with the float64 reference', async () => {
  const w = readF32Safetensors(new Uint8Array(readFileSync(join(FIXTURE, 'model.safetensors'))));
  const ids = [1, 300, 301, 13, 400];
  const [g, l] = await Promise.all([
    cherry(['generate', '--model', FIXTURE, '--prompt-ids', '1,300', '--max-new-tokens', '8', '--temperature', '0', '--json']),
    cherry(['logprobs', '--model', FIXTURE, '--ids', ids.join(','), '--backend', 'cpu', '--json']),
  ]);
  expect(g.code, g.stderr).toBe(0);
  const gj = lastJson(g.stdout);
  expect(gj).toMatchObject({ ids: refGreedy(ref, w, [1, 300], 8), text: null, backend: 'wasm' });
  expect(l.code, l.stderr).toBe(0);
  const lj = lastJson(l.stdout);
  const want = refLogprobs(ref, w, ids);
  const got = lj.token_logprobs as number[]; // test: checked by the length and value assertions below
  expect(got).toHaveLength(4);
  got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-4));
  expect(Math.abs((lj.sum as number) - want.reduce((a, b) => a + b, 0))).toBeLessThan(1e-3); // test: a NaN here fails the comparison
});

test('missing file, bad safetensors header, shape mismatch and unknown architecture exit non-zero naming the file', async () => {
  const config = JSON.parse(readFileSync(join(FIXTURE, 'config.json'), 'utf8')) as Record<string, unknown>;
  const header = new Uint8Array(16);
  new DataView(header.buffer).setBigUint64(0, 1_000_000n, true);
  const cases: Array<[string, RegExp]> = [
    [brokenDir('model.safetensors', null), /model\.safetensors: is missing, and so is model\.safetensors\.index\.json/],
    [brokenDir('model.safetensors', header), /model\.safetensors: header length 1000000 is larger than the file/],
    [
      brokenDir('config.json', JSON.stringify({ ...config, intermediate_size: 100 })),
      /model\.safetensors: tensor "model\.layers\.0\.mlp\.gate_proj\.weight" has shape \[172, 64\] but config\.json implies \[100, 64\]/,
    ],
    [
      brokenDir('config.json', JSON.stringify({ ...config, architectures: ['MambaForCausalLM'], model_type: 'mamba' })),
      /config\.json: field "architectures" is "MambaForCausalLM" \(model_type "mamba"\), which Cherry cannot run; supported: LlamaForCausalLM/,
    ],
  ];
  const results = await Promise.all(
    cases.map(([dir]) => cherry(['logprobs', '--model', dir, '--ids', '1,2', '--backend', 'cpu', '--json'])),
  );
  results.forEach((r, i) => {
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(cases[i][1]);
    expect(r.stderr).toContain(cases[i][0]);
  });
  const noTok = await cherry(['generate', '--model', FIXTURE, '--prompt', 'Once upon', '--backend', 'cpu']);
  expect(noTok.code).toBe(2);
  expect(noTok.stderr).toMatch(/has no tokenizer\.json: use --prompt-ids/);
});

test("generate --prompt TEXT goes through the folder's tokenizer.json: ids as in-process, text = decode(ids)", async () => {
  await tf.setBackend('cpu');
  const m = initLlama(
    {
      architecture: 'LlamaForCausalLM',
      vocabSize: CHERRY_VOCAB_SIZE,
      hiddenSize: 16,
      intermediateSize: 32,
      numLayers: 1,
      numHeads: 2,
      numKVHeads: 1,
      headDim: 8,
      maxPositionEmbeddings: 64,
      rmsNormEps: 1e-5,
      ropeTheta: 10000,
      tieWordEmbeddings: true,
      attentionBias: false,
      bosTokenId: 1,
      eosTokenIds: [2],
    },
    5,
    0.5,
  );
  const dir = mkdtempSync(join(tmpdir(), 'cherry-model-'));
  made.push(dir);
  const saved = await llamaToSafetensors(m);
  writeFileSync(join(dir, 'model.safetensors'), saved.safetensors);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(saved.config));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(buildCherryTokenizer()));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(buildCherryTokenizerConfig()));
  const tok = await loadCherryTokenizer();
  const want = await generate(m, [promptIds(tok, '12+34=')], { maxNewTokens: 10, temperature: 0, eosIds: tok.eosIds });
  m.dispose();
  const r = await cherry([
    'generate',
    '--model',
    dir,
    '--prompt',
    '12+34=',
    '--max-new-tokens',
    '10',
    '--temperature',
    '0',
    '--backend',
    'cpu',
    '--json',
  ]);
  expect(r.code, r.stderr).toBe(0);
  const j = lastJson(r.stdout);
  expect(j.ids).toEqual(want.ids[0]);
  expect(j.text).toBe(tok.decode(want.ids[0]));
  expect(j.backend).toBe('cpu');
});

test('--model DIR loads a sharded BF16 checkpoint and an F16 one (linear rope_scaling): log-probs match the NumPy reference', async () => {
  const root = mkdtempSync(join(tmpdir(), 'cherry-model-'));
  made.push(root);
  const names = ['llama-sharded-bf16', 'llama-rope-linear-f16'];
  for (const n of names)
    writeTinyModel(
      TINY_MODELS.find((m) => m.name === n)!,
      join(root, n),
    );
  const ids = [1, 300, 301, 13, 400, 7];
  const rs = await Promise.all(
    names.map((n) => cherry(['logprobs', '--model', join(root, n), '--ids', ids.join(','), '--backend', 'cpu', '--json'])),
  );
  rs.forEach((r, i) => {
    expect(r.code, r.stderr).toBe(0);
    const want = reference(join(root, names[i]), [ids]).logprobs[0];
    const got = lastJson(r.stdout).token_logprobs as number[]; // test: compared element by element below
    expect(got).toHaveLength(want.length);
    got.forEach((v, t) => expect(Math.abs(v - want[t])).toBeLessThan(1e-4));
  });
});
