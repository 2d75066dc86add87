// Builds Cherry's built-in models (public/models/<name>/) from scratch: pretraining on domain text,
// SFT on task labels, then the baseline table on the test split and a model card. Seeded and
// reproducible; resumable (checkpoints in .cache/models/<name>/ at least once a minute: rerun the same
// command after an interruption); a progress bar with an ETA on stderr.
// Training runs on the tfjs wasm backend in Node (default), or in headless Chromium on its WebGPU or wasm
// backend (--device browser: the GPU path, as tfjs has no GPU backend in Node here; see
// scripts/models/browserBuild.ts). The baseline and the model folder are always computed in Node (wasm).
//
//   npm run build:models                       all models, Node wasm
//   npm run build:models -- --only cherry-arith,cherry-json
//   npm run build:models -- --fresh            ignore (and overwrite) the cache
//   npm run build:models -- --eval-n 200       test prompts of the baseline table (default 200)
//   npm run build:models -- --out DIR --cache DIR
//   npm run build:models -- --index-only       only rewrite public/models/README.md from the folders' baseline.json
//   npm run build:models -- --steps-scale 0.01 --out .cache/smoke --cache .cache/smoke-cache   (a quick smoke run)
//   npm run build:models -- --device browser [--backend webgpu|wasm] [--allow-software]
//       train in headless Chromium (default backend webgpu; a software WebGPU adapter is refused
//       unless --allow-software: it is ~50x slower than wasm). Builds dist/ first when it is stale.
//   npm run build:models -- --device auto      Chromium + WebGPU when it offers a hardware GPU, else Node wasm
//   npm run build:models -- --session-steps N --checkpoint-ms MS
//       stop after N steps of this session, as a kill would (tests); checkpoint at least every MS ms (default 60000)
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadGrader } from '../src/graders';
import { loadCherryTokenizer, type Tokenizer } from '../src/tokenizer';
import type { Grader } from '../src/graders/types';
import { parseArgs, str, num, bool, UsageError, type Args } from '../src/cli/args';
import type { Llama } from '../src/model';
import { MODEL_SPECS, specTask, type ModelSpec } from './models/specs';
import { recipeHash, scaleSpec, trainModel } from './models/train';
import { loadModel, readState, type BuildState } from './models/checkpoint';
import { nodeCacheStore } from './models/cacheStoreNode';
import { BrowserBuild } from './models/browserBuild';
import { baseline, writeIndex, writeModelFolder } from './models/card';
import { PhaseTimer, Progress, type ProgressSink } from './models/progress';

/** Where training runs: Node wasm, or a Chromium page (with its backend). */
type Trainer = { device: 'node' } | { device: 'browser'; backend: 'webgpu' | 'wasm'; browser: BrowserBuild };

/** Reads --device/--backend/--allow-software and starts Chromium when needed; says what was chosen and why. */
async function pickTrainer(args: Args, cache: string, progress: ProgressSink): Promise<Trainer> {
  const device = str(args, 'device', 'node');
  const backend = str(args, 'backend');
  if (device !== 'node' && device !== 'browser' && device !== 'auto')
    throw new UsageError(`--device must be node, browser or auto, got '${device}'`);
  if (backend !== undefined && device !== 'browser')
    throw new UsageError(
      `--backend goes with --device browser (a Node build always trains on wasm; auto picks webgpu or Node wasm itself)`,
    );
  if (backend !== undefined && backend !== 'webgpu' && backend !== 'wasm')
    throw new UsageError(`--backend must be webgpu or wasm, got '${backend}'`);
  if (device === 'node') return { device: 'node' };
  if (device === 'browser') {
    const b = backend ?? 'webgpu';
    const browser = await BrowserBuild.open(cache, progress);
    try {
      const reason = await browser.useBackend(b, bool(args, 'allow-software'));
      progress.note(`build:models: training in headless Chromium on tfjs ${b} (${reason})`);
      return { device: 'browser', backend: b, browser };
    } catch (e) {
      await browser.close();
      throw e;
    }
  }
  let browser: BrowserBuild;
  try {
    browser = await BrowserBuild.open(cache, progress);
  } catch (e) {
    progress.note(`build:models: --device auto chose Node wasm: Chromium did not start (${e instanceof Error ? e.message : String(e)})`);
    return { device: 'node' };
  }
  const probe = await browser.probeAdapter();
  if (probe.skip !== null || probe.adapter === null) {
    await browser.close();
    progress.note(`build:models: --device auto chose Node wasm: Chromium's WebGPU is not a hardware GPU (${probe.skip ?? 'no adapter'})`);
    return { device: 'node' };
  }
  const reason = await browser.useBackend('webgpu', false);
  progress.note(
    `build:models: --device auto chose headless Chromium on tfjs webgpu: hardware adapter ${probe.adapter.vendor} ${probe.adapter.architecture} (${reason})`,
  );
  return { device: 'browser', backend: 'webgpu', browser };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const out = str(args, 'out', 'public/models');
  const cache = str(args, 'cache', '.cache/models');
  const evalN = num(args, 'eval-n', 200);
  if (bool(args, 'index-only')) {
    writeIndex(out);
    return;
  }
  const only = str(args, 'only');
  const scale = num(args, 'steps-scale', 1);
  if (!(scale > 0 && scale <= 1)) throw new UsageError(`--steps-scale must be in (0, 1], got ${scale}`);
  const sessionSteps = num(args, 'session-steps');
  if (sessionSteps !== undefined && !(Number.isInteger(sessionSteps) && sessionSteps >= 0))
    throw new UsageError(`--session-steps must be a whole number >= 0, got ${sessionSteps}`);
  const checkpointMs = num(args, 'checkpoint-ms', 60_000);
  if (!(checkpointMs >= 0)) throw new UsageError(`--checkpoint-ms must be >= 0, got ${checkpointMs}`);
  const names = only ? only.split(',').map((s) => s.trim()) : MODEL_SPECS.map((s) => s.name);
  for (const n of names) {
    if (!MODEL_SPECS.some((s) => s.name === n))
      throw new UsageError(`--only: unknown model '${n}'. Models: ${MODEL_SPECS.map((s) => s.name).join(', ')}`);
  }
  const ok = await tf.setBackend('wasm');
  if (!ok || tf.getBackend() !== 'wasm') throw new Error('could not start the tfjs wasm backend');
  await tf.ready();
  const tok = await loadCherryTokenizer();
  const progress = new PhaseTimer(new Progress());
  const trainer = await pickTrainer(args, cache, progress);
  const t0 = Date.now();
  try {
    for (const base of MODEL_SPECS.filter((s) => names.includes(s.name))) {
      const spec = scaleSpec(base, scale);
      const cacheDir = join(cache, spec.name);
      if (bool(args, 'fresh')) rmSync(cacheDir, { recursive: true, force: true });
      const grader = await loadGrader(specTask(spec).defaultGrader);
      try {
        const trained = await train(trainer, base, spec, scale, cacheDir, {
          tok,
          grader,
          progress,
          sessionSteps: sessionSteps ?? null,
          checkpointMs,
        });
        for (const line of progress.report())
          progress.note(`${line}${trainer.device === 'browser' ? ` [Chromium ${trainer.backend}]` : ' [Node wasm]'}`);
        if (trained === null) {
          progress.note(
            `${spec.name}: stopped after --session-steps ${sessionSteps}; rerun the same command to resume from the last checkpoint in ${cacheDir}`,
          );
          continue;
        }
        const { model, state } = trained;
        const e0 = Date.now();
        progress.note(`${spec.name}: measuring the baseline on ${evalN} test prompts`);
        const rows = await baseline(model, tok, spec, grader, evalN);
        await writeModelFolder(
          join(out, spec.name),
          spec,
          model,
          state,
          rows,
          Date.now() - e0,
          trainer.device === 'node' ? trainer : { device: 'browser', backend: trainer.backend },
        );
        for (const r of rows) {
          progress.note(
            `${spec.name} ${r.grader}: greedy ${r.greedy_mean.toFixed(3)}, sampled ${r.sampled_mean.toFixed(3)}, pass@8 ${r.pass_at_8.toFixed(3)}, zero-std ${r.frac_zero_std.toFixed(3)}` +
              (r.carry_greedy !== undefined
                ? `, carry class greedy ${r.carry_greedy.toFixed(3)} sampled ${(r.carry_sampled ?? 0).toFixed(3)}`
                : ''),
          );
        }
        writeIndex(out);
        progress.note(`${spec.name}: wrote ${join(out, spec.name)} (training ${(state.trainMs / 60000).toFixed(1)} min)`);
        model.dispose();
      } finally {
        grader.dispose();
      }
    }
  } finally {
    if (trainer.device === 'browser') await trainer.browser.close();
  }
  progress.note(`built ${names.join(', ')} in ${((Date.now() - t0) / 60000).toFixed(1)} min`);
}

/** Trains `spec` (= base scaled by `scale`) on the chosen device; null when --session-steps stopped it first. */
async function train(
  trainer: Trainer,
  base: ModelSpec,
  spec: ModelSpec,
  scale: number,
  cacheDir: string,
  o: {
    tok: Tokenizer;
    grader: Grader;
    progress: ProgressSink;
    sessionSteps: number | null;
    checkpointMs: number;
  },
): Promise<{ model: Llama; state: BuildState } | null> {
  const store = nodeCacheStore(cacheDir);
  if (trainer.device === 'node') {
    const r = await trainModel({
      spec,
      tok: o.tok,
      grader: o.grader,
      cache: store,
      progress: o.progress,
      checkpointMs: o.checkpointMs,
      sessionSteps: o.sessionSteps ?? undefined,
    });
    if (r.state.phase === 'done') return r;
    r.model.dispose();
    return null;
  }
  const r = await trainer.browser.train(base, scale, { sessionSteps: o.sessionSteps, checkpointMs: o.checkpointMs });
  if (r.leaked !== 0) o.progress.note(`${spec.name}: warning: the build page leaked ${r.leaked} tensors`);
  if (r.phase !== 'done') return null;
  // The page saved its final checkpoint into the cache folder: the model folder is written from it in Node.
  const state = await readState(store, recipeHash(spec));
  if (state === null || state.phase !== 'done')
    throw new Error(`the browser build of ${spec.name} finished but ${cacheDir}/state.json does not say done`);
  return { model: await loadModel(store, spec.config), state };
}

main().catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e));
  console.error(`build:models: ${err.name}: ${err.message}`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
});
