// Messages between the page and the train worker (which owns tfjs, the model and the trainer).
// Requests carry an `id` and get exactly one `reply` with the same id; events stream without an id.
// Add a request: one entry in RequestBodies (its fields), one in Replies (what it resolves to), one in
// REQUEST_KINDS; the compiler then points at every handler and client method that must follow.
// A step's metrics and samples cross as the engine's own typed shapes (src/schema/metrics.ts), so a
// renamed metric is a compile error on both sides.
import type { BackendChoice, BackendRequest } from './backend';
import type { GradeRequest, GradeResult, GraderSource, Item } from '../graders/types';
import type { RLConfig } from '../schema/settings';
import type { GraderValidation } from '../export/validate';
import type { SampleRecord, StepMetrics } from '../schema/metrics';
import type { JudgeLogEntry } from '../graders/judge/http';

/** What the page's judge controls set (from its localStorage; the worker holds it in memory only, never in StartBody). */
export interface JudgeSettings {
  /** Base URL including the version, e.g. "https://api.openai.com/v1" or "http://127.0.0.1:8000/v1". */
  baseURL: string;
  /** Sent as a Bearer token; empty sends none (local servers). */
  apiKey: string;
  /** Model id sent instead of the graders' `model` (empty = the grader's own). */
  model: string;
}
import type { UpdateTrace } from '../schema/updateTrace';

export type { BackendChoice, BackendRequest, JudgeLogEntry, SampleRecord, StepMetrics, UpdateTrace };

/** A model to load: a built-in one by name, the files of a Hugging Face checkpoint folder, or a Hub id / URL. */
export type ModelSource =
  | { kind: 'builtin'; name: string }
  | { kind: 'files'; files: { name: string; data: ArrayBuffer }[] }
  /** `source`: `hf:ORG/NAME[@REV]`, a Hub page URL or a base URL (src/hub parseModelSource); `endpoint`: the Hub for `hf:` ids. */
  | { kind: 'hub'; source: string; endpoint: string };

/** What the worker reports about a loaded model. */
export interface ModelInfo {
  /** Display name. */
  name: string;
  /** Number of parameters (all of them, trainable or not). */
  parameters: number;
  /** Estimated memory, bytes: parameters × 4 bytes × (weights + gradients + 2 Adam moments) + kvCacheBytes. */
  memoryBytes: number;
  /** The KV cache of one rollout at the default batch (batch_prompts × num_generations rows, full context), bytes. */
  kvCacheBytes: number;
  /** Hugging Face architecture name, e.g. "LlamaForCausalLM". */
  architecture: string;
  /** Rows of the embedding table. */
  vocabSize: number;
  /** Decoder blocks. */
  layers: number;
  /** Width of the residual stream. */
  hiddenSize: number;
  /** The tokenizer has a chat template (chat tasks and `messages` datasets go through it). */
  chatTemplate?: boolean;
}

/** What a run trains on: a built-in task by name, or the user's uploaded dataset (already split). */
export type TaskSpec = { kind: 'builtin'; name: string } | { kind: 'dataset'; name: string; train: Item[]; validation: Item[] };

/** Everything a run needs besides the loaded model. */
export interface StartBody {
  /** Hyperparameters (overrides of DEFAULT_CONFIG; max_completion_length defaults to the task's budget). */
  config: RunConfig;
  task: TaskSpec;
  /** The grader; the run does not start when it cannot load (the reply carries its line and column). */
  grader: GraderSource;
}

/** Hyperparameters of a run: overrides of src/rl/config.ts DEFAULT_CONFIG (the engine resolves them). */
export type RunConfig = Partial<RLConfig>;

/** Where the trainer is. */
export type RunState = 'idle' | 'loading' | 'ready' | 'running' | 'paused' | 'stopped' | 'error';

export interface RunStatus {
  /** The trainer's state. */
  state: RunState;
  /** Completed optimisation steps. */
  step: number;
  /** Optional human-readable detail ("sampling step 4…"). */
  message?: string;
  /** Id of the current (or last) run in the saved runs (IndexedDB); absent when runs are not saved. */
  runId?: string;
  /** The most bytes tfjs held during a step of this run so far (see MemoryPlanInfo); absent before its first step. */
  memoryPeakBytes?: number;
}

/**
 * The memory plan of a run (src/model/memoryPlan.ts, computed in the worker against this backend's
 * limits), as plain numbers of bytes. A plan with problems cannot fit: the page refuses to start it.
 */
export interface MemoryPlanInfo {
  /** Scalars in the model (a tied table once). */
  params: number;
  /** Bytes of the weights (float32). */
  weightBytes: number;
  /** Scalars the optimizer trains (LoRA: A and B of every adapted layer). */
  trainableParams: number;
  /** Frozen reference copy (full fine-tuning with beta > 0), else 0. */
  referenceBytes: number;
  /** Adam's two moments of the trainable weights. */
  optimizerBytes: number;
  /** The trainer's copy of the last good trainable weights. */
  snapshotBytes: number;
  /** Gradients (and their micro-batch sum). */
  gradientBytes: number;
  /** Keys and values of every layer for all rows of a step's rollout. */
  kvCacheBytes: number;
  /** Gradient tape of one micro-batch. */
  activationBytes: number;
  /** Rows per micro-batch used for activations. */
  microBatchRows: number;
  /** The estimated peak. */
  totalBytes: number;
  /** The largest single tensor, named. */
  largestBuffer: { name: string; bytes: number };
  /** The limits planned against: backend name, memory budget, largest buffer, largest shader binding (null: none). */
  limits: { name: string; memoryBytes: number; maxBufferBytes: number; maxBindingBytes: number | null };
  /** What does not fit (empty when the plan fits). */
  problems: string[];
  /** What to change, each with the total it would give (empty when the plan fits). */
  advice: string[];
  /** Tokens per row planned for: the longest training prompt (of 64) + max_completion_length + 1. */
  maxLen: number;
  /** True when the run trains a LoRA adapter. */
  lora: boolean;
}

/** A PEFT adapter loaded to continue from (the next run trains it instead of a fresh one). */
export interface AdapterInfo {
  /** The folder or zip it came from. */
  source: string;
  /** PEFT r, lora_alpha, target_modules, lora_dropout, use_rslora. */
  rank: number;
  alpha: number;
  targets: string[];
  dropout: number;
  rslora: boolean;
  /** Scalars in the adapter. */
  trainableParams: number;
}

/** What to sample (the `sampleForTry` request; worker/sampleForTry.ts answers it). */
export interface SampleForTryBody {
  /** The task whose items are prompted (the page's selected task or uploaded dataset). */
  task: TaskSpec;
  /** Items (prompts), from the start of the validation split; 1–16. */
  n: number;
  /** Completions per prompt; 1–16. */
  samplesPerPrompt: number;
  /** Sampling temperature (0 = greedy). */
  temperature: number;
  /** Seed of the sampler: same seed, model and task → same completions. */
  seed: number;
  /** Most tokens per completion (EOS included); defaults to the task's budget (64 for a dataset). */
  maxNewTokens?: number;
}

/** One sampled completion. */
export interface TryCompletion {
  /** Decoded text. */
  text: string;
  /** Generated tokens (EOS included when one stopped it). */
  tokens: number;
  /** 'stop' for EOS, 'length' when maxNewTokens ran out. */
  finish_reason: 'stop' | 'length';
}

/** The `sampleForTry` reply: the prompted items and, per item, its completions. */
export interface SampleForTryResult {
  items: Item[];
  /** completions[i][k]: the k-th completion of items[i]. */
  completions: TryCompletion[][];
}

/** The fields of each request, by kind (the `kind` and `id` are added by RequestOf). */
export interface RequestBodies {
  /** Choose and set the tfjs backend. */
  init: { backend: BackendRequest };
  /** Load a model (replaces the current one). */
  loadModel: { source: ModelSource };
  /** Cancels the Hub/URL download of a loadModel in progress (it fails with DownloadCancelledError); false when none was running. */
  cancelLoad: Record<never, never>;
  /** Start a run from the loaded weights (step 0): builds the grader first; a grader that cannot load fails the request. */
  start: StartBody;
  pause: Record<never, never>;
  resume: Record<never, never>;
  /** Run exactly one step, then pause. With no run (idle/stopped), `start` says how to begin one. */
  step: { start?: StartBody };
  stop: Record<never, never>;
  /** Change a hyperparameter between steps; replies with the whole config, or fails with the reason it was refused. */
  setHyperparameter: { name: keyof RLConfig; value: number | string | boolean };
  /** The samples of one step (or the latest when step is null). */
  getSamples: { step: number | null };
  /** Run a grader on hand-written samples without training. */
  tryGrader: { grader: GraderSource; requests: GradeRequest[] };
  /** Check a grader as OpenAI's graders/validate does; an invalid grader is an answer here, not a refused request. */
  validateGrader: { grader: GraderSource };
  /** Continue a saved run from its newest checkpoint (a dataset run needs the same dataset again). */
  resumeRun: { runId: string; dataset?: TaskSpec };
  /** Sample completions of a few validation items for the try-it pane (one batched generate; refused while a run is running). */
  sampleForTry: SampleForTryBody;
  /** The HTTP judge of model graders (from the page's storage; held in worker memory only); null removes it. */
  setJudge: { judge: JudgeSettings | null };
  /** A local model as the judge of model graders (its own frozen copy, loaded now); null removes it. Refused while a run holds the current one. */
  setLocalJudge: { source: ModelSource | null };
  /** The judge's request log after its first `since` entries. */
  judgeLog: { since: number };
  /** The memory plan of a run of this config and task on the loaded model (and loaded adapter), against this backend's limits. */
  plan: { config: RunConfig; task: TaskSpec };
  /** Check PEFT adapter files (adapter_config.json + adapter_model.safetensors, or a zip) against the loaded model; the next run continues from them. */
  loadAdapter: { files: { name: string; data: ArrayBuffer }[]; source: string };
  /** Forget the loaded adapter: the next run starts a fresh one (or full fine-tuning). */
  clearAdapter: Record<never, never>;
  /** A saved LoRA run's newest checkpoint as files: PEFT adapter ('peft') or merged into the loaded base model ('merged'). */
  exportRun: { runId: string; format: 'peft' | 'merged' };
  /** What one step's update did to its traced groups (the latest traced step when step is null); empty when not kept. */
  getUpdate: { step: number | null };
}

/** What each request resolves to. */
export interface Replies {
  init: BackendChoice;
  loadModel: ModelInfo;
  cancelLoad: boolean;
  start: RunStatus;
  pause: RunStatus;
  resume: RunStatus;
  step: RunStatus;
  stop: RunStatus;
  setHyperparameter: RunConfig;
  getSamples: SampleRecord[];
  tryGrader: GradeResult[];
  validateGrader: GraderValidation | { invalid: WireError };
  resumeRun: RunStatus;
  sampleForTry: SampleForTryResult;
  setJudge: Record<never, never>;
  judgeLog: JudgeLogEntry[];
  /** The judge model's name, or null when removed. */
  setLocalJudge: string | null;
  plan: MemoryPlanInfo;
  loadAdapter: AdapterInfo;
  clearAdapter: null;
  /** File name → bytes (e.g. adapter_config.json, adapter_model.safetensors, cherry_run.json). */
  exportRun: Record<string, Uint8Array>;
  getUpdate: UpdateTrace[];
}

export type RequestKind = keyof RequestBodies & keyof Replies;

export const REQUEST_KINDS: readonly RequestKind[] = [
  'init',
  'loadModel',
  'cancelLoad',
  'start',
  'pause',
  'resume',
  'step',
  'stop',
  'setHyperparameter',
  'getSamples',
  'tryGrader',
  'validateGrader',
  'resumeRun',
  'sampleForTry',
  'setJudge',
  'setLocalJudge',
  'judgeLog',
  'plan',
  'loadAdapter',
  'clearAdapter',
  'exportRun',
  'getUpdate',
];

export type RequestOf<K extends RequestKind> = { kind: K; id: number } & RequestBodies[K];
/** Any page → worker message. */
export type TrainRequest = { [K in RequestKind]: RequestOf<K> }[RequestKind];

/** An error as it crosses the boundary (Error objects lose their class in structured clone). */
export interface WireError {
  /** The error class name, e.g. "BackendUnavailableError", "NotImplementedError". */
  name: string;
  /** A message a user can act on. */
  message: string;
}

export type ReplyOkOf<K extends RequestKind> = { kind: 'reply'; id: number; ok: true; request: K; result: Replies[K] };
export type ReplyOk = { [K in RequestKind]: ReplyOkOf<K> }[RequestKind];
export type ReplyErr = { kind: 'reply'; id: number; ok: false; request: RequestKind; error: WireError };

/** Events the worker streams on its own. */
export type TrainEvent =
  | { kind: 'progress'; loadedBytes: number; totalBytes: number; label: string }
  | { kind: 'metrics'; step: number; metrics: StepMetrics }
  | { kind: 'samples'; step: number; samples: SampleRecord[] }
  | { kind: 'status'; status: RunStatus }
  | { kind: 'error'; error: WireError };

/** Any worker → page message. */
export type WorkerMessage = ReplyOk | ReplyErr | TrainEvent;
export type EventKind = TrainEvent['kind'];

/** A request kind the worker has no handler for yet. */
export class NotImplementedError extends Error {
  override name = 'NotImplementedError';
  constructor(kind: string) {
    super(
      `The train worker cannot handle '${kind}' yet: this part of the engine is not built. ` +
        'Use the controls that are enabled, or update Cherry.',
    );
  }
}

/** A message that does not follow this protocol (a bug on one side of the boundary). */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export function toWireError(e: unknown): WireError {
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function isRequestKind(x: unknown): x is RequestKind {
  return typeof x === 'string' && REQUEST_KINDS.some((k) => k === x);
}

const EVENT_KINDS: readonly string[] = ['progress', 'metrics', 'samples', 'status', 'error'];

/**
 * Checks the envelope of an incoming request (kind known, integer id). The bodies come from our own
 * page, so they are not re-validated field by field here; handlers validate what they use.
 */
export function isTrainRequest(x: unknown): x is TrainRequest {
  return isRecord(x) && isRequestKind(x.kind) && Number.isInteger(x.id);
}

/** Checks the envelope of a worker message (reply with id/ok/request, or a known event kind). */
export function isWorkerMessage(x: unknown): x is WorkerMessage {
  if (!isRecord(x)) return false;
  if (x.kind === 'reply') {
    return Number.isInteger(x.id) && isRequestKind(x.request) && (x.ok === true ? 'result' in x : x.ok === false && isRecord(x.error));
  }
  return typeof x.kind === 'string' && EVENT_KINDS.includes(x.kind);
}
