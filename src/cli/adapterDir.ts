// Node-only LoRA helpers of the CLI: the --lora-* flags of `cherry train`, reading a PEFT adapter folder
// (--adapter DIR of logprobs, generate, merge) and writing one (--out of a LoRA run).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CausalLM, LlamaConfig } from '../model';
import { defaultLoraConfig, loraTargetsOf, type LoraAdapter, type LoraConfig } from '../model/lora';
import { loadPeftAdapter, peftConfigJson } from '../model/peft';
import { bool, num, str, UsageError, type Args } from './args';
import { ModelDirError } from './modelDir';
import { SETTINGS } from '../schema/settings';

/** The flags `loraFromArgs` reads. */
export const LORA_FLAGS = ['lora-rank', 'lora-alpha', 'lora-targets', 'lora-dropout', 'rslora'] as const;

/**
 * LoRA settings from --lora-rank R [--lora-alpha A] [--lora-targets a,b (default: every linear layer of
 * the architecture)] [--lora-dropout p] [--rslora]; alpha and dropout default to the settings table's rows,
 * as on the page. Null without --lora-rank.
 */
export function loraFromArgs(args: Args, model: LlamaConfig): LoraConfig | null {
  const rank = num(args, 'lora-rank');
  if (rank === undefined) {
    const stray = LORA_FLAGS.find((f) => args.flags.has(f));
    if (stray) throw new UsageError(`--${stray} needs --lora-rank R (LoRA is on only with a rank)`);
    return null;
  }
  const targets =
    str(args, 'lora-targets')
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '') ?? loraTargetsOf(model);
  return defaultLoraConfig(rank, {
    alpha: num(args, 'lora-alpha', SETTINGS.lora_alpha.default),
    targets,
    dropout: num(args, 'lora-dropout', SETTINGS.lora_dropout.default),
    rslora: bool(args, 'rslora'),
  });
}

/** Attaches the PEFT adapter in `dir` (adapter_config.json + adapter_model.safetensors) to `model`. */
export function loadAdapterDir(model: CausalLM, dir: string): LoraAdapter {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ModelDirError(`${dir}: no such folder; pass --adapter <folder with adapter_config.json and adapter_model.safetensors>`);
  const cfgPath = join(dir, 'adapter_config.json');
  const wPath = join(dir, 'adapter_model.safetensors');
  for (const p of [cfgPath, wPath]) {
    if (!existsSync(p))
      throw new ModelDirError(`${p}: file is missing; an adapter folder (PEFT) needs adapter_config.json and adapter_model.safetensors`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(cfgPath, 'utf8'));
  } catch (e) {
    throw new ModelDirError(`${cfgPath}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return loadPeftAdapter(model, json, new Uint8Array(readFileSync(wPath)), dir);
}

/** Writes adapter_config.json and adapter_model.safetensors into `dir` (created when missing). */
export function writeAdapterDir(dir: string, lora: LoraConfig, model: LlamaConfig, baseModel: string, weights: Uint8Array): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'adapter_config.json'), JSON.stringify(peftConfigJson(lora, model, baseModel), null, 2) + '\n');
  writeFileSync(join(dir, 'adapter_model.safetensors'), weights);
}
