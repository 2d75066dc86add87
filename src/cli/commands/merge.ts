// `cherry merge`: adds a PEFT LoRA adapter into its base model's weights (W += s·B·A per adapted layer)
// and writes a plain Hugging Face folder (config.json, model.safetensors, the base's tokenizer files)
// that any tool loads without PEFT.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { llamaToSafetensors } from '../../model';
import { loadAdapterDir } from '../adapterDir';
import { bool, str, UsageError, type Args } from '../args';
import { loadModelDir, useBackend } from '../modelDir';

export const help = 'merge a LoRA adapter into its base model: --model BASE --adapter PEFT_DIR --out DIR [--backend wasm|cpu] [--json]';

export async function run(args: Args): Promise<void> {
  const base = str(args, 'model');
  const adapterDir = str(args, 'adapter');
  const out = str(args, 'out');
  if (base === undefined || adapterDir === undefined || out === undefined)
    throw new UsageError('--model <base folder>, --adapter <PEFT folder> and --out <new folder> are all required');
  if (resolve(out) === resolve(base))
    throw new UsageError(`--out ${out} is the base model's folder; choose a new folder (the base stays untouched)`);
  await useBackend(str(args, 'backend', 'wasm'));
  const { model } = await loadModelDir(base);
  try {
    const adapter = loadAdapterDir(model, adapterDir);
    const { rank, alpha, targets } = adapter.config;
    const layers = adapter.modulePaths.length;
    adapter.merge();
    const { safetensors, config } = await llamaToSafetensors(model);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'config.json'), JSON.stringify(config, null, 2) + '\n');
    writeFileSync(join(out, 'model.safetensors'), safetensors);
    for (const f of ['tokenizer.json', 'tokenizer_config.json']) if (existsSync(join(base, f))) copyFileSync(join(base, f), join(out, f));
    if (bool(args, 'json')) console.log(JSON.stringify({ out, merged_layers: layers, rank, alpha, targets }));
    else console.log(`merged ${layers} adapted layers (r ${rank}, alpha ${alpha}, ${targets.join(', ')}) into ${out}`);
  } finally {
    model.dispose();
  }
}
