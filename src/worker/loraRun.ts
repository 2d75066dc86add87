// The LoRA side of a page run, in the worker: the adapter settings of a run (from its settings rows, or
// from an adapter the person loaded to continue from), the memory plan against this backend's limits,
// the measured peak of a step, and a run's adapter as PEFT files or merged into a Hugging Face folder.
// Everything crossing to the page is plain data (protocol.ts); tfjs and src/model stay here.
import * as tf from '@tensorflow/tfjs';
import { attachLora, type LoraConfig } from '../model/lora';
import { adapterTensors, parsePeftConfig, peftConfigJson } from '../model/peft';
import { WASM_LIMITS, planMemory, type DeviceLimits } from '../model/memoryPlan';
import { withPeakBytes } from '../model/memoryPeak';
import { llamaToSafetensors, parseHFConfig } from '../model';
import { checkpointFiles, unzipCheckpoint, type FileMap } from '../export/checkpoint';
import { loraTargetModules, type RLConfig } from '../schema/settings';
import type { CheckpointData } from '../schema/checkpoint';
import { promptIds } from '../tokenizer';
import { parseJsonText } from '../util/jsonError';
import { field } from './backendPolicy';
import { buildPolicy, type LoadedModel } from './modelLoader';
import type { Task } from '../tasks';
import type { AdapterInfo, MemoryPlanInfo } from './protocol';

/** Adapter files that cannot be used (missing file, not a zip, a base model they do not fit): says which and what to do. */
export class AdapterFilesError extends Error {
  override name = 'AdapterFilesError';
}

/** An adapter loaded to continue from: its settings and weights (keys as LoraAdapter.params), checked against the loaded model. */
export interface StartAdapter {
  lora: LoraConfig;
  tensors: Map<string, Float32Array>;
  /** Where it came from (the folder or zip name), for messages. */
  source: string;
}

/** The adapter settings of a run's config rows on a model of `architecture`, or null when lora_rank is 0 (full fine-tuning). */
export function loraOfConfig(c: RLConfig, architecture: string): LoraConfig | null {
  if (c.lora_rank === 0) return null;
  // Key order as defaultLoraConfig's: the trainer compares a checkpoint's settings by their JSON.
  return {
    rank: c.lora_rank,
    alpha: c.lora_alpha,
    targets: loraTargetModules(c.lora_target_modules, architecture),
    dropout: c.lora_dropout,
    rslora: c.use_rslora,
  };
}

const GiB = 2 ** 30;

/** navigator.deviceMemory (GB of RAM, rounded, at most 8) where the browser gives it. */
function deviceMemoryBytes(): number | null {
  const v = typeof navigator === 'undefined' ? undefined : field(navigator, 'deviceMemory');
  return typeof v === 'number' && v > 0 ? v * GiB : null;
}

/**
 * The limits of the backend tfjs runs on now: WebGPU's adapter limits (maxBufferSize,
 * maxStorageBufferBindingSize) with the machine's RAM as the budget (browsers do not say how much GPU
 * memory there is); wasm's 4 GiB heap; otherwise (cpu, webgl) a tab's 4 GiB.
 */
export function backendLimits(): DeviceLimits {
  const name = tf.getBackend();
  if (name === 'wasm') return WASM_LIMITS;
  if (name === 'webgpu') {
    const limits = field(field(tf.backend(), 'device'), 'limits');
    const buf = field(limits, 'maxBufferSize'),
      bind = field(limits, 'maxStorageBufferBindingSize');
    if (typeof buf === 'number' && typeof bind === 'number')
      return { name, memoryBytes: deviceMemoryBytes() ?? 4 * GiB, maxBufferBytes: buf, maxBindingBytes: bind };
  }
  return { name, memoryBytes: 4 * GiB, maxBufferBytes: 4 * GiB, maxBindingBytes: null };
}

/** The memory plan of a run of `config` on `task` with the loaded model (rows: the longest of 64 training prompts + max_completion_length). */
export function planRun(
  model: LoadedModel,
  task: Task,
  config: RLConfig,
  start: StartAdapter | null,
  limits: DeviceLimits = backendLimits(),
): MemoryPlanInfo {
  const prompts = task.items('train', 64).map((it) => (typeof it.prompt === 'string' ? promptIds(model.tokenizer, it.prompt).length : 0));
  const maxLen = Math.max(1, ...prompts) + config.max_completion_length + 1;
  const lora = start?.lora ?? loraOfConfig(config, model.config.architecture);
  const plan = planMemory(
    model.config,
    {
      lora,
      group: config.num_generations,
      batchPrompts: config.batch_prompts,
      maxLen,
      klReference: config.beta > 0,
      microBatchRows: config.micro_batch_rows || undefined,
    },
    limits,
  );
  // memoryPlan words its advice as CLI flags; the page's controls are the settings rows.
  const advice = plan.advice.map((a) => a.replace('--lora-rank 16 on', 'lora_rank 16 on').replace('--micro-batch ', 'micro_batch_rows '));
  return { ...plan, advice, maxLen, lora: lora !== null };
}

/** Runs one step and measures the most bytes tfjs held during it (between steps on webgpu, where profiling would time every kernel). */
export async function measuredStep(step: () => Promise<unknown>): Promise<number> {
  if (tf.getBackend() === 'webgpu') {
    await step();
    return tf.memory().numBytes;
  }
  return (await withPeakBytes(step)).peakBytes;
}

/** The files of an adapter the person picked (a PEFT folder's two files, or a zip of them), by base name. */
function adapterFileMap(files: readonly { name: string; data: ArrayBuffer }[]): FileMap {
  const out: FileMap = {};
  for (const f of files) {
    const bytes = new Uint8Array(f.data);
    if (f.name.toLowerCase().endsWith('.zip')) Object.assign(out, unzipCheckpoint(bytes, f.name));
    else out[f.name.replace(/^.*[\\/]/, '')] = bytes;
  }
  const plain: FileMap = {};
  for (const [n, b] of Object.entries(out)) plain[n.replace(/^.*[\\/]/, '')] = b;
  return plain;
}

/**
 * Reads and checks adapter files against the loaded model (config fields, every tensor's name and
 * shape): a PeftFormatError or AdapterFilesError names the file and field; nothing is changed on failure.
 */
export function readAdapter(model: LoadedModel, files: readonly { name: string; data: ArrayBuffer }[], source: string): StartAdapter {
  const map = adapterFileMap(files);
  const missing = ['adapter_config.json', 'adapter_model.safetensors'].filter((f) => map[f] === undefined);
  if (missing.length > 0) {
    throw new AdapterFilesError(
      `${source}: ${missing.join(' and ')} missing (found ${Object.keys(map).join(', ') || 'no files'}); ` +
        'a PEFT LoRA adapter is adapter_config.json and adapter_model.safetensors side by side: pick both, or a zip holding them.',
    );
  }
  const json = parseJsonText(new TextDecoder().decode(map['adapter_config.json']), `${source}/adapter_config.json`);
  const { lora } = parsePeftConfig(json, `${source}/adapter_config.json`, model.config);
  const policy = buildPolicy(model); // adapterTensors checks shapes against the real layers
  try {
    return { lora, tensors: adapterTensors(map['adapter_model.safetensors'], `${source}/adapter_model.safetensors`, policy, lora), source };
  } finally {
    policy.dispose();
  }
}

/** What the page shows about a loaded adapter. */
export function adapterInfo(a: StartAdapter): AdapterInfo {
  let params = 0;
  for (const t of a.tensors.values()) params += t.length;
  return {
    source: a.source,
    rank: a.lora.rank,
    alpha: a.lora.alpha,
    targets: [...a.lora.targets],
    dropout: a.lora.dropout,
    rslora: a.lora.rslora,
    trainableParams: params,
  };
}

/**
 * A LoRA checkpoint as files: PEFT's adapter_config.json + adapter_model.safetensors ('peft'), or the
 * adapter merged into the loaded base model's weights as a Hugging Face folder ('merged'; the loaded
 * model must be the run's base). `baseModel` goes into adapter_config.json's base_model_name_or_path.
 */
export async function loraCheckpointFiles(
  cp: CheckpointData,
  format: 'peft' | 'merged',
  model: LoadedModel,
  baseModel: string,
): Promise<FileMap> {
  const lora = cp.lora;
  if (lora === undefined)
    throw new AdapterFilesError(
      `this checkpoint (step ${cp.step}) is of a full fine-tuning run: it has no adapter; download it as "checkpoint (HF zip)".`,
    );
  const config = parseHFConfig(cp.modelConfig, "the checkpoint's config.json");
  const run = { step: cp.step, config: cp.config };
  if (format === 'peft') {
    const enc = new TextEncoder();
    const files = checkpointFiles({ weights: cp.weights, modelConfig: cp.modelConfig, ...run });
    return {
      'adapter_config.json': enc.encode(JSON.stringify(peftConfigJson(lora, config, baseModel), null, 2) + '\n'),
      'adapter_model.safetensors': cp.weights,
      'cherry_run.json': files['cherry_run.json'],
    };
  }
  if (JSON.stringify(config) !== JSON.stringify(model.config)) {
    throw new AdapterFilesError(
      `the loaded model (${model.name}) is not this run's base model (its config.json differs): load the base model the run trained on, then download the merged model again.`,
    );
  }
  const policy = buildPolicy(model);
  try {
    const adapter = attachLora(policy, lora, 0, adapterTensors(cp.weights, "the checkpoint's adapter", policy, lora));
    adapter.merge(); // W += s·B·A, then the base layers are plain again
    const { safetensors, config: hf } = await llamaToSafetensors(policy);
    return checkpointFiles({ weights: safetensors, modelConfig: hf, ...run });
  } finally {
    policy.dispose();
  }
}
