// Node-only helpers of `cherry train`: where a task's built-in model lives, a grader from a file, a
// task from a name or a .jsonl file, and the folder checkpoint sink behind --out (a folder that
// `cherry generate --model` loads: config.json + model.safetensors + tokenizer.json, plus the
// optimizer and trainer state to resume from).
import { copyFileSync, createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHFConfig, serializeSafetensors, type NamedTensor } from '../model';
import type { GraderSource } from '../graders/types';
import { loadJsonlDataset } from '../data';
import { datasetTask, getTask, type Task } from '../tasks';
import type { CheckpointData, CheckpointReason, CheckpointSink } from '../rl/checkpointSink';
import { writeAdapterDir } from './adapterDir';
import { UsageError } from './args';

/** The repository's public/models folder (the built-in models). */
export const BUILTIN_MODELS_DIR = fileURLToPath(new URL('../../public/models/', import.meta.url));

/** The folder of a task's built-in model. */
export function builtinModelDir(task: Task): string {
  return join(BUILTIN_MODELS_DIR, task.model);
}

/** A built-in task by name, or a JSONL dataset file (train/validation split by content). */
export async function taskFromArg(arg: string, grader?: GraderSource): Promise<Task> {
  if (!arg.endsWith('.jsonl')) return getTask(arg);
  if (!existsSync(arg)) throw new UsageError(`--task ${arg}: no such file; give a built-in task name or a .jsonl dataset`);
  const ds = await loadJsonlDataset(createReadStream(arg), { source: arg }); // streamed, never read whole
  return datasetTask(ds, { name: arg.replace(/^.*[\\/]/, ''), grader });
}

/**
 * Writes each checkpoint into one folder, replacing the previous one: config.json, model.safetensors,
 * tokenizer.json (copied from the source model folder when it has one), optimizer.safetensors
 * (Adam moments as m.<param> / v.<param>) and trainer_state.json (step, RNG state, cursor, config).
 * A LoRA run's checkpoint writes PEFT's adapter_config.json + adapter_model.safetensors instead of
 * config.json + model.safetensors (load it with --model BASE --adapter DIR).
 */
export class FolderCheckpointSink implements CheckpointSink {
  constructor(
    /** Folder to write into (created when missing). */
    readonly dir: string,
    /** tokenizer.json (and tokenizer_config.json beside it) to copy, or null. */
    readonly tokenizerPath: string | null,
    /** The base model's name or folder, written as base_model_name_or_path of a LoRA run's adapter. */
    readonly baseModel = '',
  ) {}

  async save(data: CheckpointData, reason: CheckpointReason): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    if (data.lora) {
      writeAdapterDir(this.dir, data.lora, parseHFConfig(data.modelConfig, 'checkpoint config'), this.baseModel, data.weights);
    } else {
      writeFileSync(join(this.dir, 'config.json'), JSON.stringify(data.modelConfig, null, 2) + '\n');
      writeFileSync(join(this.dir, 'model.safetensors'), data.weights);
    }
    if (this.tokenizerPath && existsSync(this.tokenizerPath)) {
      copyFileSync(this.tokenizerPath, join(this.dir, 'tokenizer.json'));
      const cfg = join(this.tokenizerPath, '..', 'tokenizer_config.json');
      if (existsSync(cfg)) copyFileSync(cfg, join(this.dir, 'tokenizer_config.json'));
    }
    const moments = new Map<string, NamedTensor>();
    for (const [k, m] of Object.entries(data.optimizer.m)) moments.set(`m.${k}`, { shape: [m.length], data: m });
    for (const [k, v] of Object.entries(data.optimizer.v)) moments.set(`v.${k}`, { shape: [v.length], data: v });
    writeFileSync(join(this.dir, 'optimizer.safetensors'), serializeSafetensors(moments));
    const state = {
      step: data.step,
      reason,
      adam_step: data.optimizer.step,
      rng_state: data.rngState,
      cursor: data.cursor,
      config: data.config,
    };
    writeFileSync(join(this.dir, 'trainer_state.json'), JSON.stringify(state, null, 2) + '\n');
  }
}
