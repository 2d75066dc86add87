// LoRA adapters in Hugging Face PEFT's file format, so `PeftModel.from_pretrained(base, dir)` reads what
// Cherry writes and Cherry reads what PEFT writes:
//   adapter_config.json        {"peft_type": "LORA", "task_type": "CAUSAL_LM", "r", "lora_alpha", "target_modules", ...}
//   adapter_model.safetensors  base_model.model.<module path>.lora_A.weight [r, in], .lora_B.weight [out, r]
// References: PEFT `tuners/lora/config.py` (LoraConfig fields), `utils/save_and_load.py`
// (get_peft_model_state_dict strips the adapter name; keys carry the `base_model.model.` prefix).
import type { LlamaConfig } from '../schema/modelConfig';
import type { CausalLM } from './llama';
import {
  attachLora,
  baseLinear,
  loraTargetsOf,
  validateLoraConfig,
  LoraConfigError,
  LORA_TARGETS,
  type LoraAdapter,
  type LoraConfig,
} from './lora';
import { parseSafetensors, serializeSafetensors, type NamedTensor } from '../schema/safetensors';

/** Prefix PEFT puts before a module path in adapter_model.safetensors. */
export const PEFT_PREFIX = 'base_model.model.';

/** An adapter file that cannot be used: names the file, the field or tensor, and what to do. */
export class PeftFormatError extends Error {
  override name = 'PeftFormatError';
}

/** adapter_config.json for `cfg` on a model of config `model` (named `baseModel`, e.g. a Hub id or folder). */
export function peftConfigJson(cfg: LoraConfig, model: LlamaConfig, baseModel: string): Record<string, unknown> {
  return {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: baseModel,
    r: cfg.rank,
    lora_alpha: cfg.alpha,
    target_modules: [...cfg.targets],
    lora_dropout: cfg.dropout,
    use_rslora: cfg.rslora,
    bias: 'none',
    // GPT-2's Conv1D stores [in, out]: PEFT needs this to merge the update the right way round.
    fan_in_fan_out: model.architecture === 'GPT2LMHeadModel',
    init_lora_weights: true,
    inference_mode: true,
    modules_to_save: null,
    use_dora: false,
  };
}

/** What an adapter_config.json says. */
export interface PeftConfig {
  lora: LoraConfig;
  /** `base_model_name_or_path`, or null when the file leaves it out. */
  baseModel: string | null;
}

/** PEFT options Cherry does not implement: refused when set to anything but their neutral value. */
const UNSUPPORTED: [string, (v: unknown) => boolean, string][] = [
  ['use_dora', (v) => v === undefined || v === null || v === false, 'DoRA is not supported; train a plain LoRA adapter'],
  ['bias', (v) => v === undefined || v === null || v === 'none', 'trained biases are not supported; use bias "none"'],
  [
    'modules_to_save',
    (v) => v === undefined || v === null || (Array.isArray(v) && v.length === 0),
    'fully trained extra modules are not supported',
  ],
  ['layers_to_transform', (v) => v === undefined || v === null, 'adapting only some layers is not supported'],
  [
    'rank_pattern',
    (v) => v === undefined || v === null || (typeof v === 'object' && Object.keys(v).length === 0),
    'per-module ranks are not supported',
  ],
  [
    'alpha_pattern',
    (v) => v === undefined || v === null || (typeof v === 'object' && Object.keys(v).length === 0),
    'per-module alphas are not supported',
  ],
];

/** Parses adapter_config.json (already JSON.parse'd) for a model of config `model`; `source` names the file. */
export function parsePeftConfig(json: unknown, source: string, model: LlamaConfig): PeftConfig {
  const err = (field: string, problem: string): PeftFormatError => new PeftFormatError(`${source}: field "${field}" ${problem}`);
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new PeftFormatError(`${source}: must be a JSON object (PEFT's adapter_config.json)`);
  const j: Record<string, unknown> = { ...json };
  if (j.peft_type !== 'LORA') throw err('peft_type', `must be "LORA", got ${JSON.stringify(j.peft_type) ?? 'nothing (missing)'}`);
  if (j.task_type !== undefined && j.task_type !== null && j.task_type !== 'CAUSAL_LM')
    throw err('task_type', `must be "CAUSAL_LM", got ${JSON.stringify(j.task_type)}`);
  const num = (field: string, fallback?: number): number => {
    const v = j[field] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw err(field, v === undefined ? 'is missing' : `must be a number, got ${JSON.stringify(v)}`);
    return v;
  };
  const targets = j.target_modules;
  if (!Array.isArray(targets) || !targets.every((t): t is string => typeof t === 'string')) {
    throw err(
      'target_modules',
      `must be a list of module names such as ["q_proj", "v_proj"], got ${JSON.stringify(targets) ?? 'nothing (missing)'}`,
    );
  }
  for (const [field, ok, why] of UNSUPPORTED) if (!ok(j[field])) throw err(field, `is ${JSON.stringify(j[field])}: ${why}`);
  const rslora = j.use_rslora ?? false;
  if (typeof rslora !== 'boolean') throw err('use_rslora', `must be true or false, got ${JSON.stringify(rslora)}`);
  const lora: LoraConfig = { rank: num('r'), alpha: num('lora_alpha'), targets, dropout: num('lora_dropout', 0), rslora };
  try {
    validateLoraConfig(lora, model);
  } catch (e) {
    if (e instanceof LoraConfigError) throw new PeftFormatError(`${source}: ${e.message}`);
    throw e;
  }
  const base = j.base_model_name_or_path;
  return { lora, baseModel: typeof base === 'string' ? base : null };
}

/** The adapter's weights as adapter_model.safetensors bytes (F32, PEFT keys). */
export async function adapterToSafetensors(adapter: LoraAdapter): Promise<Uint8Array> {
  const out = new Map<string, NamedTensor>();
  for (const [key, v] of adapter.params) {
    const data = await v.data();
    out.set(PEFT_PREFIX + key, { shape: v.shape.slice(), data: data instanceof Float32Array ? data : Float32Array.from(data) });
  }
  return serializeSafetensors(out);
}

/** Shape of every adapter tensor `cfg` puts on `model`, by key without the PEFT prefix. */
function expectedShapes(model: CausalLM, cfg: LoraConfig): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  for (const name of cfg.targets) {
    for (const s of LORA_TARGETS[name]) {
      model.modules.blocks.forEach((block, i) => {
        const slot = s.get(block);
        const l = slot === null ? null : baseLinear(slot);
        if (l === null) return;
        const { inDim, outDim } = l;
        m.set(`${s.path(i)}.lora_A.weight`, [cfg.rank, inDim]);
        m.set(`${s.path(i)}.lora_B.weight`, [outDim, cfg.rank]);
      });
    }
  }
  return m;
}

/**
 * The adapter tensors of a safetensors file (bytes or parsed), checked against `cfg` on `model`: every
 * tensor must be one `cfg` describes (a known module, lora_A or lora_B) with its shape, and none may be
 * missing. Keys in the result lack the PEFT prefix (LoraAdapter.params keys).
 */
export function adapterTensors(
  file: Uint8Array | Map<string, NamedTensor>,
  source: string,
  model: CausalLM,
  cfg: LoraConfig,
): Map<string, Float32Array> {
  const tensors = file instanceof Uint8Array ? parseSafetensors(file, source) : file;
  const want = expectedShapes(model, cfg);
  const out = new Map<string, Float32Array>();
  for (const [name, t] of tensors) {
    const key = name.startsWith(PEFT_PREFIX) ? name.slice(PEFT_PREFIX.length) : name;
    const shape = want.get(key);
    if (shape === undefined) {
      const m = /^(.*)\.lora_[AB]\.weight$/.exec(key);
      const module = m ? m[1].replace(/^.*\./, '') : null;
      const why =
        m === null
          ? 'is not a LoRA weight (expected <module path>.lora_A.weight or .lora_B.weight)'
          : module !== null && !loraTargetsOf(model.config).includes(module)
            ? `adapts module "${module}", which ${model.config.architecture} does not have`
            : `adapts "${m[1]}", which is not a layer adapter_config.json's target_modules (${cfg.targets.join(', ')}) select in this ${model.config.numLayers}-layer model`;
      throw new PeftFormatError(`${source}: tensor "${name}" ${why}; check that the adapter belongs to this base model`);
    }
    if (t.shape.length !== 2 || t.shape[0] !== shape[0] || t.shape[1] !== shape[1]) {
      throw new PeftFormatError(
        `${source}: tensor "${name}" has shape [${t.shape.join(', ')}] but r = ${cfg.rank} on this base model needs [${shape.join(', ')}]; check r in adapter_config.json and the base model`,
      );
    }
    out.set(key, t.data);
  }
  const missing = [...want.keys()].filter((k) => !out.has(k));
  if (missing.length > 0)
    throw new PeftFormatError(
      `${source}: ${missing.length} adapter tensor(s) missing, e.g. "${PEFT_PREFIX}${missing[0]}"; the file does not cover target_modules ${cfg.targets.join(', ')}`,
    );
  return out;
}

/** Attaches a PEFT adapter (its parsed config.json and safetensors) to `model`; `source` names the folder. */
export function loadPeftAdapter(model: CausalLM, configJson: unknown, weights: Uint8Array, source: string, seed = 0): LoraAdapter {
  const { lora } = parsePeftConfig(configJson, `${source}/adapter_config.json`, model.config);
  const init = adapterTensors(weights, `${source}/adapter_model.safetensors`, model, lora);
  return attachLora(model, lora, seed, init);
}
