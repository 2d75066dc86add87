// Resumable build state of one model in its cache (a CacheStore: a folder on disk in Node, the same
// folder through exposed functions in a browser build): weights, optimizer moments and a JSON state
// (phase, step, history). The store writes each file atomically and state.json goes last, so a kill
// never leaves a half-written checkpoint.
import type { CacheStore } from './cacheStore';
import {
  llamaFromSafetensors,
  llamaToSafetensors,
  parseSafetensors,
  serializeSafetensors,
  type Llama,
  type LlamaConfig,
  type NamedTensor,
} from '../../src/model';
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

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Saves weights, optimizer state (null: none) and state. state.json goes last: it commits the checkpoint. */
export async function saveCheckpoint(store: CacheStore, model: Llama, optim: AdamState | null, state: BuildState): Promise<void> {
  const { safetensors } = await llamaToSafetensors(model);
  await store.write('model.safetensors', safetensors);
  if (optim) {
    const t = new Map<string, NamedTensor>();
    for (const [k, m] of Object.entries(optim.m)) t.set(`m.${k}`, { shape: [m.length], data: m });
    for (const [k, v] of Object.entries(optim.v)) t.set(`v.${k}`, { shape: [v.length], data: v });
    await store.write('optim.safetensors', serializeSafetensors(t));
    await store.write('optim.json', enc.encode(JSON.stringify({ step: optim.step })));
  } else {
    await store.remove('optim.safetensors');
    await store.remove('optim.json');
  }
  await store.write('state.json', enc.encode(JSON.stringify(state, null, 1)));
}

/** The state of a cache, or null when there is none. Throws when it belongs to another recipe. */
export async function readState(store: CacheStore, recipe: string): Promise<BuildState | null> {
  const bytes = await store.read('state.json');
  if (bytes === null) return null;
  const s = JSON.parse(dec.decode(bytes)) as BuildState; // written by saveCheckpoint above
  if (s.recipe !== recipe) {
    throw new CheckpointError(
      `${store.where}/state.json was made by a different recipe (${s.recipe}, now ${recipe}); rerun with --fresh to start this model over.`,
    );
  }
  return s;
}

/** The weights of the cache's checkpoint. Throws CheckpointError when state.json exists but they do not. */
export async function loadModel(store: CacheStore, config: LlamaConfig): Promise<Llama> {
  const bytes = await store.read('model.safetensors');
  if (bytes === null)
    throw new CheckpointError(`${store.where}/model.safetensors is missing although state.json exists; rerun with --fresh.`);
  return llamaFromSafetensors(config, bytes, `${store.where}/model.safetensors`);
}

export async function loadOptim(store: CacheStore): Promise<AdamState | null> {
  const bytes = await store.read('optim.safetensors');
  if (bytes === null) return null;
  const tensors = parseSafetensors(bytes, `${store.where}/optim.safetensors`);
  const json = await store.read('optim.json');
  if (json === null) throw new CheckpointError(`${store.where}/optim.json is missing beside optim.safetensors; rerun with --fresh.`);
  const { step } = JSON.parse(dec.decode(json)) as { step: number }; // written above
  const m: Record<string, Float32Array> = {};
  const v: Record<string, Float32Array> = {};
  for (const [name, t] of tensors) {
    if (name.startsWith('m.')) m[name.slice(2)] = t.data;
    else if (name.startsWith('v.')) v[name.slice(2)] = t.data;
  }
  return { step, m, v };
}
