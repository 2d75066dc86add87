// Builds Cherry's built-in models (public/models/<name>/) from scratch: pretraining on domain text,
// SFT on task labels, then the baseline table on the test split and a model card. Seeded and
// reproducible; resumable (checkpoints in .cache/models/<name>/ at least once a minute: rerun the same
// command after an interruption); a progress bar with an ETA on stderr. Runs on the tfjs wasm backend.
//
//   npm run build:models                       all models
//   npm run build:models -- --only cherry-arith,cherry-json
//   npm run build:models -- --fresh            ignore (and overwrite) the cache
//   npm run build:models -- --eval-n 200       test prompts of the baseline table (default 200)
//   npm run build:models -- --out DIR --cache DIR
//   npm run build:models -- --index-only       only rewrite public/models/README.md from the folders' baseline.json
//   npm run build:models -- --steps-scale 0.01 --out .cache/smoke --cache .cache/smoke-cache   (a quick smoke run)
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadGrader } from '../src/graders';
import { loadCherryTokenizer } from '../src/tokenizer';
import { parseArgs, str, num, bool, UsageError } from '../src/cli/args';
import { MODEL_SPECS, specTask, type PhaseSpec } from './models/specs';
import { trainModel } from './models/train';
import { baseline, writeIndex, writeModelFolder } from './models/card';
import { Progress } from './models/progress';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const out = str(args, 'out', 'public/models');
  const cache = str(args, 'cache', '.cache/models');
  const evalN = num(args, 'eval-n', 200);
  if (bool(args, 'index-only')) { writeIndex(out); return; }
  const only = str(args, 'only');
  const scale = num(args, 'steps-scale', 1);
  if (!(scale > 0 && scale <= 1)) throw new UsageError(`--steps-scale must be in (0, 1], got ${scale}`);
  const shrink = (p: PhaseSpec): PhaseSpec => ({ ...p, steps: Math.max(1, Math.round(p.steps * scale)), warmup: Math.max(1, Math.round(p.warmup * scale)) });
  const specs = scale === 1 ? MODEL_SPECS : MODEL_SPECS.map((s) => ({ ...s, pretrain: shrink(s.pretrain), sft: shrink(s.sft), evalEvery: Math.max(1, Math.round(s.evalEvery * scale)) }));
  const names = only ? only.split(',').map((s) => s.trim()) : MODEL_SPECS.map((s) => s.name);
  for (const n of names) {
    if (!MODEL_SPECS.some((s) => s.name === n)) throw new UsageError(`--only: unknown model '${n}'. Models: ${MODEL_SPECS.map((s) => s.name).join(', ')}`);
  }
  const ok = await tf.setBackend('wasm');
  if (!ok || tf.getBackend() !== 'wasm') throw new Error('could not start the tfjs wasm backend');
  await tf.ready();
  const tok = await loadCherryTokenizer();
  const progress = new Progress();
  const t0 = Date.now();
  for (const spec of specs.filter((s) => names.includes(s.name))) {
    const cacheDir = join(cache, spec.name);
    if (bool(args, 'fresh')) rmSync(cacheDir, { recursive: true, force: true });
    const grader = await loadGrader(specTask(spec).defaultGrader);
    try {
      const { model, state } = await trainModel({ spec, tok, grader, cacheDir, progress });
      const e0 = Date.now();
      progress.note(`${spec.name}: measuring the baseline on ${evalN} test prompts`);
      const rows = await baseline(model, tok, spec, grader, evalN);
      await writeModelFolder(join(out, spec.name), spec, model, state, rows, Date.now() - e0);
      for (const r of rows) {
        progress.note(`${spec.name} ${r.grader}: greedy ${r.greedy_mean.toFixed(3)}, sampled ${r.sampled_mean.toFixed(3)}, pass@8 ${r.pass_at_8.toFixed(3)}, zero-std ${r.frac_zero_std.toFixed(3)}` +
          (r.carry_greedy !== undefined ? `, carry class greedy ${r.carry_greedy.toFixed(3)} sampled ${(r.carry_sampled ?? 0).toFixed(3)}` : ''));
      }
      writeIndex(out);
      progress.note(`${spec.name}: wrote ${join(out, spec.name)} (training ${(state.trainMs / 60000).toFixed(1)} min)`);
      model.dispose();
    } finally {
      grader.dispose();
    }
  }
  progress.note(`built ${names.join(', ')} in ${((Date.now() - t0) / 60000).toFixed(1)} min`);
}

main().catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e));
  console.error(`build:models: ${err.name}: ${err.message}`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
});
