// Runs the two phases of one model's recipe (pretrain on domain text, SFT on task labels), resuming
// from the cache folder's checkpoint. Batches are a pure function of (seed, phase, step), so a
// resumed build draws exactly the batches an uninterrupted one would.
import { initLlama, type Llama } from '../../src/model';
import type { Grader, Item } from '../../src/graders/types';
import type { Tokenizer } from '../../src/tokenizer';
import { AdamW } from '../../src/rl/optim';
import { sftBatch, sftStep, textBatch } from '../../src/rl/sft';
import { evaluateItems } from '../../src/rl/evaluate';
import { Rng, hashString } from '../../src/util/rng';
import { freshState, loadModel, loadOptim, readState, saveCheckpoint, type BuildState } from './checkpoint';
import type { CacheStore } from './cacheStore';
import type { ModelSpec, PhaseSpec } from './specs';
import { specTask } from './specs';
import type { ProgressSink } from './progress';

/** Save a checkpoint at least this often (ms of training). */
const CHECKPOINT_MS = 60_000;
/** Log a history point (mean loss) every this many steps. */
const LOG_EVERY = 25;

/** A stable hash of the recipe (functions by their source), so a changed recipe never resumes an old cache. */
export function recipeHash(spec: ModelSpec): string {
  const text = JSON.stringify(spec, (_k, v: unknown) => (typeof v === 'function' ? String(v) : v));
  return hashString(text).toString(16).padStart(8, '0');
}

/**
 * The recipe's data without its functions, as JSON: what a browser build's page compares with Node's to
 * catch a page bundle (dist/) built from other recipe numbers.
 */
export function specData(spec: ModelSpec): string {
  return JSON.stringify(spec, (_k, v: unknown) => (typeof v === 'function' ? undefined : v));
}

/**
 * The recipe with every phase's steps and warm-up (and the SFT check interval) scaled by `scale` in
 * (0, 1], at least 1 each: `--steps-scale` for smoke runs. scale 1 returns `spec` itself. Node and the
 * page of a browser build both call this, so both train the same slice.
 */
export function scaleSpec(spec: ModelSpec, scale: number): ModelSpec {
  if (scale === 1) return spec;
  const shrink = (p: PhaseSpec): PhaseSpec => ({
    ...p,
    steps: Math.max(1, Math.round(p.steps * scale)),
    warmup: Math.max(1, Math.round(p.warmup * scale)),
    ...(p.stopAfter === undefined ? {} : { stopAfter: Math.max(1, Math.round(p.stopAfter * scale)) }),
  });
  return { ...spec, pretrain: shrink(spec.pretrain), sft: shrink(spec.sft), evalEvery: Math.max(1, Math.round(spec.evalEvery * scale)) };
}

/** Linear warm-up, then cosine decay to 10% of the peak at `p.steps`. */
export function lrAtStep(step: number, p: PhaseSpec): number {
  if (step < p.warmup) return (p.learningRate * (step + 1)) / p.warmup;
  const progress = Math.min(1, (step - p.warmup) / Math.max(1, p.steps - p.warmup));
  return p.learningRate * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

function optimizer(model: Llama): AdamW {
  return new AdamW(model.params, {
    beta1: 0.9,
    beta2: 0.99,
    epsilon: 1e-8,
    weightDecay: 0.01,
    maxGradNorm: 1,
    noDecay: (k) => k.includes('norm'),
  });
}

/** Batch rows for a step: `n` train items drawn with a stream seeded by (seed, phase, step). */
function draw(items: readonly Item[], n: number, seed: number, phase: string, step: number): { rows: Item[]; rng: Rng } {
  const rng = new Rng(hashString(`${seed}/${phase}/${step}`));
  return { rows: Array.from({ length: n }, () => rng.pick(items)), rng };
}

export interface TrainContext {
  spec: ModelSpec;
  tok: Tokenizer;
  grader: Grader;
  /** The model's cache (its checkpoint files). */
  cache: CacheStore;
  /** Where progress goes. */
  progress: ProgressSink;
  /**
   * The recipe hash to check the cache against; default recipeHash(spec). A browser build passes the one
   * Node computed: the page's bundle is minified, so hashing its functions' source would differ.
   */
  recipe?: string;
  /** Save a checkpoint at least this often, ms of training (default 60 000). */
  checkpointMs?: number;
  /** Stop (as a kill would) after this many steps in this session, leaving the last checkpoint; for tests. */
  sessionSteps?: number;
}

/** Trains (or resumes) a model to the end of its recipe; returns the model and the state reached. */
export async function trainModel(ctx: TrainContext): Promise<{ model: Llama; state: BuildState }> {
  const { spec, tok, cache, progress } = ctx;
  const recipe = ctx.recipe ?? recipeHash(spec);
  let state = await readState(cache, recipe);
  const model = state ? await loadModel(cache, spec.config) : initLlama(spec.config, spec.seed);
  state ??= freshState(recipe);
  if (state.phase === 'done') return { model, state };
  const task = specTask(spec);
  const train = task.items('train', spec.trainItems);
  const val = task.items('validation', spec.evalPrompts);
  const maxLen = spec.config.maxPositionEmbeddings;
  const every = ctx.checkpointMs ?? CHECKPOINT_MS;
  let budget = ctx.sessionSteps ?? Infinity;

  while (state.phase !== 'done') {
    const phase: 'pretrain' | 'sft' = state.phase;
    const p = phase === 'pretrain' ? spec.pretrain : spec.sft;
    const opt = optimizer(model);
    const saved = state.step > 0 ? await loadOptim(cache) : null;
    if (saved) opt.importState(saved);
    let lastSave = Date.now();
    let lossSum = 0,
      lossN = 0;
    const end = Math.min(p.steps, p.stopAfter ?? p.steps);
    progress.start(`${spec.name} ${phase}`, end, state.step);
    let stop: 'band' | 'steps' | null = null;
    while (state.step < end && stop === null) {
      if (budget-- <= 0) {
        opt.dispose();
        return { model, state };
      }
      const t0 = Date.now();
      const { rows, rng } = draw(train, p.batchSize, spec.seed, phase, state.step);
      const batch =
        phase === 'pretrain'
          ? textBatch(
              tok,
              rows.map(() => spec.domainText(train, rng)),
              8,
              maxLen,
            )
          : sftBatch(tok, rows, (it) => task.sftTarget(it), 8, maxLen);
      const r = await sftStep(model, opt, batch, lrAtStep(state.step, p));
      state.step++;
      lossSum += r.loss;
      lossN++;
      let note = `loss ${r.loss.toFixed(3)}`;
      if (state.step % LOG_EVERY === 0 || state.step === end) {
        state.history.push({ phase, step: state.step, loss: lossSum / lossN });
        lossSum = 0;
        lossN = 0;
      }
      if (phase === 'sft' && (state.step % spec.evalEvery === 0 || state.step === end)) {
        const ev = await evaluateItems(model, tok, val, ctx.grader, {
          n: val.length,
          samplesPerPrompt: 8,
          temperature: 1,
          seed: spec.seed,
          maxNewTokens: task.maxNewTokens,
          chunkPrompts: 32,
        });
        state.history.push({ phase, step: state.step, loss: r.loss, valReward: ev.reward_mean, valZeroStd: ev.frac_zero_std });
        progress.note(
          `${spec.name} sft step ${state.step}: validation reward ${ev.reward_mean.toFixed(3)} (zero-std groups ${ev.frac_zero_std.toFixed(2)})`,
        );
        if (spec.stopAt !== null && ev.reward_mean >= spec.stopAt && ev.frac_zero_std <= 0.9) stop = 'band';
      }
      state.trainMs += Date.now() - t0;
      note += `  lr ${lrAtStep(state.step - 1, p).toExponential(1)}`;
      progress.tick(state.step, note);
      if (Date.now() - lastSave >= every && state.step < end && stop === null) {
        await saveCheckpoint(cache, model, await opt.exportState(), state);
        lastSave = Date.now();
      }
    }
    progress.done();
    state.stepsRun[phase] = state.step;
    if (phase === 'pretrain') {
      state.phase = 'sft';
    } else {
      state.phase = 'done';
      state.stopReason = stop ?? 'steps';
    }
    state.step = 0;
    opt.dispose();
    await saveCheckpoint(cache, model, null, state);
  }
  return { model, state };
}
