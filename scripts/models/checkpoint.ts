// Resumable build state of one model in the cache folder: weights, optimizer moments and a JSON
// state (phase, step, history). Written to temporary files and renamed, so a kill never leaves a
// half-written checkpoint.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { llamaFromSafetensors, llamaToSafetensors, parseSafetensors, serializeSafetensors, type Llama, type LlamaConfig, type NamedTensor } from '../../src/model';
import type { AdamState } from '../../src/rl/optim';

/** One logged point of a phase. */
export interface HistoryPoint {
  phase: 'pretrain' | 'sft';
  step: number;
  /** Mean training loss (nats per token) over the steps since the previous point. */
  loss: number;
  /** Validation mean reward (temperature 1), at SFT checks only. */
  valReward?: number;
  /** Validation fraction of groups with zero reward variance, at SFT checks only. */
  valZeroStd?: number;
}

export interface BuildState {
  /** Hash of the recipe; a cache made by another recipe is not resumed. */
  recipe: string;
  /** Phase in progress, or 'done'. */
  phase: 'pretrain' | 'sft' | 'done';
  /** Steps of `phase` already applied. */
  step: number;
  history: HistoryPoint[];
  /** Steps each phase actually ran. */
  stepsRun: { pretrain: number; sft: number };
  /** Why SFT stopped: 'band' (validation reward reached stopAt) or 'steps' (ran all steps). */
  stopReason: 'band' | 'steps' | null;
  /** Wall time spent training so far (all sessions), ms. */
  trainMs: number;
}

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

export function freshState(recipe: string): BuildState {
  return { recipe, phase: 'pretrain', step: 0, history: [], stepsRun: { pretrain: 0, sft: 0 }, stopReason: null, trainMs: 0 };
}

function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Saves weights, optimizer state (null: none) and state. state.json goes last: it commits the checkpoint. */
export async function saveCheckpoint(dir: string, model: Llama, optim: AdamState | null, state: BuildState): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const { safetensors } = await llamaToSafetensors(model);
  writeAtomic(join(dir, 'model.safetensors'), safetensors);
  if (optim) {
    const t = new Map<string, NamedTensor>();
    for (const [k, m] of Object.entries(optim.m)) t.set(`m.${k}`, { shape: [m.length], data: m });
    for (const [k, v] of Object.entries(optim.v)) t.set(`v.${k}`, { shape: [v.length], data: v });
    writeAtomic(join(dir, 'optim.safetensors'), serializeSafetensors(t));
    writeAtomic(join(dir, 'optim.json'), JSON.stringify({ step: optim.step }));
  } else {
    rmSync(join(dir, 'optim.safetensors'), { force: true });
    rmSync(join(dir, 'optim.json'), { force: true });
  }
  writeAtomic(join(dir, 'state.json'), JSON.stringify(state, null, 1));
}

/** The state of a cache folder, or null when there is none. Throws when it belongs to another recipe. */
export function readState(dir: string, recipe: string): BuildState | null {
  const p = join(dir, 'state.json');
  if (!existsSync(p)) return null;
  const s = JSON.parse(readFileSync(p, 'utf8')) as BuildState; // written by saveCheckpoint above
  if (s.recipe !== recipe) {
    throw new CheckpointError(`${p} was made by a different recipe (${s.recipe}, now ${recipe}); rerun with --fresh to start this model over.`);
  }
  return s;
}

export function loadModel(dir: string, config: LlamaConfig): Llama {
  const p = join(dir, 'model.safetensors');
  return llamaFromSafetensors(config, new Uint8Array(readFileSync(p)), p);
}

export function loadOptim(dir: string): AdamState | null {
  const p = join(dir, 'optim.safetensors');
  if (!existsSync(p)) return null;
  const tensors = parseSafetensors(new Uint8Array(readFileSync(p)), p);
  const { step } = JSON.parse(readFileSync(join(dir, 'optim.json'), 'utf8')) as { step: number }; // written above
  const m: Record<string, Float32Array> = {};
  const v: Record<string, Float32Array> = {};
  for (const [name, t] of tensors) {
    if (name.startsWith('m.')) m[name.slice(2)] = t.data;
    else if (name.startsWith('v.')) v[name.slice(2)] = t.data;
  }
  return { step, m, v };
}
