// `npm run build:models -- --device browser`: the training phases of a built-in model run in headless
// Chromium, with checkpoints in Node's cache folder. A tiny slice of cherry-opposites' recipe
// (--steps-scale 0.05: 3 pretraining + 10 SFT steps, batch 32) on the page's wasm backend:
// - the folder it writes loads in the CLI (`cherry eval`) and its weights moved away from the seeded init;
// - a build stopped twice (mid-pretraining, mid-SFT; --session-steps, as a kill would) and rerun ends
//   bit-identical to an uninterrupted browser build (single-threaded wasm, same op order);
// - measured here, Chromium wasm also equals a Node wasm build bit for bit;
// - WebGPU on a software adapter is refused without --allow-software, and --device auto picks Node
//   wasm there (on a machine with a hardware GPU both start training on webgpu instead).
// The WebGPU training path itself takes ~5 min on SwiftShader: it is run by hand (BENCHMARKS.md).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initLlama, parseSafetensors } from '../../src/model';
import { MODEL_SPECS } from '../../scripts/models/specs';

const MODEL = 'cherry-opposites';
const SLICE = ['--only', MODEL, '--steps-scale', '0.05', '--eval-n', '4'];
let dir: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'cherry-browser-build-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm run build:models -- ...` as a user would; returns its exit code and stderr. */
function buildModels(args: string[]): { code: number | null; err: string } {
  const r = spawnSync('npm', ['run', '--silent', 'build:models', '--', ...args], { encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, err: `${r.stderr}${r.error ? String(r.error) : ''}` };
}

function build(name: string, extra: string[]): { code: number | null; err: string } {
  return buildModels([...SLICE, '--out', join(dir, name, 'out'), '--cache', join(dir, name, 'cache'), ...extra]);
}

/** The uninterrupted browser build, made by whichever test needs it first: each test also runs alone or in any order. */
let onceResult: { code: number | null; err: string } | null = null;
function browserBuild(): { code: number | null; err: string } {
  onceResult ??= build('once', ['--device', 'browser', '--backend', 'wasm']);
  return onceResult;
}

const weightsOf = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, name, 'out', MODEL, 'model.safetensors')));
const baselineOf = (name: string): unknown =>
  (JSON.parse(readFileSync(join(dir, name, 'out', MODEL, 'baseline.json'), 'utf8')) as { baseline: unknown }).baseline;

test('a browser (wasm) build writes a folder the CLI evaluates, with trained weights; an interrupted one resumes to the same bits', () => {
  const once = browserBuild();
  expect(once.err).toMatch(/training in headless Chromium on tfjs wasm/);
  expect(once.err).toMatch(/pretrain: 3 steps in .* \[Chromium wasm\]/);
  expect(once.code, once.err).toBe(0);

  // The CLI loads the folder and evaluates it.
  const ev = spawnSync(
    'npm',
    [
      'run',
      '--silent',
      'cherry',
      '--',
      'eval',
      '--task',
      'reward-hacking',
      '--model',
      join(dir, 'once', 'out', MODEL),
      '--n',
      '4',
      '--json',
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  expect(ev.status, ev.stderr).toBe(0);
  const res = JSON.parse(ev.stdout.trim().split('\n').pop() ?? '') as { n: number; reward_mean: number };
  expect(res.n).toBe(4);
  expect(res.reward_mean).toBeGreaterThanOrEqual(0);
  expect(res.reward_mean).toBeLessThanOrEqual(1);

  // Every tensor moved away from the seeded initial weights (13 AdamW steps at lr up to 3e-3).
  const spec = MODEL_SPECS.find((s) => s.name === MODEL)!; // a shipped model name
  const init = initLlama(spec.config, spec.seed);
  const trained = parseSafetensors(weightsOf('once'), 'once/model.safetensors');
  expect([...trained.keys()].sort()).toEqual([...init.params.keys()].sort());
  for (const [name, v] of init.params) {
    const a = v.dataSync();
    const b = trained.get(name)!.data; // keys checked equal above
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    expect(maxDiff, name).toBeGreaterThan(1e-4);
  }
  init.dispose();

  // Stopped at step 2 of 3 in pretraining, then at SFT step 4 of 10 (checkpoint every step), then run out.
  const a = build('resumed', ['--device', 'browser', '--backend', 'wasm', '--session-steps', '2', '--checkpoint-ms', '0']);
  expect(a.code, a.err).toBe(0);
  expect(a.err).toMatch(/stopped after --session-steps 2/);
  const b = build('resumed', ['--device', 'browser', '--backend', 'wasm', '--session-steps', '5', '--checkpoint-ms', '0']);
  expect(b.code, b.err).toBe(0);
  expect(b.err).toMatch(/pretrain: resuming at step 2\/3/);
  expect(b.err).toMatch(/stopped after --session-steps 5/);
  const c = build('resumed', ['--device', 'browser', '--backend', 'wasm']);
  expect(c.code, c.err).toBe(0);
  expect(c.err).toMatch(/sft: resuming at step 4\/10/);
  expect(Buffer.from(weightsOf('resumed')).equals(Buffer.from(weightsOf('once')))).toBe(true);
  expect(baselineOf('resumed')).toEqual(baselineOf('once'));
}, 600_000);

test('measured here: the browser wasm build equals the Node wasm build bit for bit', () => {
  const once = browserBuild();
  expect(once.code, once.err).toBe(0);
  const node = build('node', []);
  expect(node.code, node.err).toBe(0);
  expect(node.err).toMatch(/\[Node wasm\]/);
  expect(Buffer.from(weightsOf('node')).equals(Buffer.from(weightsOf('once')))).toBe(true);
}, 600_000);

test('WebGPU on a software adapter is refused unless --allow-software; auto picks Node wasm there', () => {
  const r = build('gpu', ['--device', 'browser', '--session-steps', '0']);
  if (r.code === 0) {
    expect(r.err).toMatch(/training in headless Chromium on tfjs webgpu/); // a hardware adapter
  } else {
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/WebGPU adapter is a software one \(SwiftShader\).*--allow-software/);
  }
  const auto = build('auto', ['--device', 'auto', '--session-steps', '0']);
  expect(auto.code, auto.err).toBe(0);
  expect(auto.err).toMatch(
    r.code === 0
      ? /--device auto chose headless Chromium on tfjs webgpu/
      : /--device auto chose Node wasm: .*software adapter \(SwiftShader\)/,
  );
  const bad = buildModels(['--device', 'node', '--backend', 'webgpu', '--only', MODEL]);
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/--backend goes with --device browser/);
}, 300_000);
