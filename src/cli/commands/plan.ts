// `cherry plan`: the memory plan of a run before it starts (src/model/memoryPlan.ts), from a model
// folder, a built-in model's name or a bare config.json (no weights needed). A run that cannot fit is
// refused (exit 1) with its numbers and what to change.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseHFConfig, type LlamaConfig } from '../../model';
import { assertFits, formatBytes, planJson, planMemory, WASM_LIMITS, webgpuLimits, type DeviceLimits } from '../../model/memoryPlan';
import { DEFAULT_CONFIG } from '../../rl/config';
import { loraFromArgs, LORA_FLAGS } from '../adapterDir';
import { bool, num, str, UsageError, type Args } from '../args';
import { BUILTIN_MODELS_DIR } from '../modelLoad';

export const help =
  'memory plan of a run: --model DIR|NAME|config.json [--lora-rank R [--lora-targets …]] [--group G] [--batch-prompts B] ' +
  '--max-len T [--micro-batch N] [--beta X] [--device wasm|webgpu [--max-buffer BYTES] [--max-binding BYTES] [--memory BYTES]] [--json]';

const KNOWN = new Set([
  'model',
  'group',
  'batch-prompts',
  'max-len',
  'micro-batch',
  'beta',
  'device',
  'max-buffer',
  'max-binding',
  'memory',
  'json',
  ...LORA_FLAGS,
]);

/** The config.json of a folder, a built-in model or a file path. */
export function configFromArg(arg: string): LlamaConfig {
  const candidates = [arg, join(arg, 'config.json'), join(BUILTIN_MODELS_DIR, arg, 'config.json')];
  const path = candidates.find((p) => existsSync(p) && statSync(p).isFile());
  if (path === undefined)
    throw new UsageError(`--model ${arg}: no config.json there; give a model folder, a built-in model name or a config.json path`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseHFConfig(json, path);
}

function posInt(args: Args, name: string, fallback?: number): number {
  const v = fallback === undefined ? num(args, name) : num(args, name, fallback);
  if (v === undefined) throw new UsageError(`--${name} is required`);
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${name} must be a positive integer, got ${v}`);
  return v;
}

function limitsFromArgs(args: Args): DeviceLimits {
  const device = str(args, 'device', 'wasm');
  if (device === 'wasm') return WASM_LIMITS;
  if (device !== 'webgpu') throw new UsageError(`--device must be wasm or webgpu, got '${device}'`);
  // WebGPU's default limits (spec): maxBufferSize 256 MiB, maxStorageBufferBindingSize 128 MiB; a real adapter reports more.
  return webgpuLimits(posInt(args, 'max-buffer', 2 ** 28), posInt(args, 'max-binding', 2 ** 27), posInt(args, 'memory', 2 ** 32));
}

export async function run(args: Args): Promise<void> {
  for (const k of args.flags.keys()) if (!KNOWN.has(k)) throw new UsageError(`unknown flag --${k}; see \`npm run cherry -- help\``);
  const arg = str(args, 'model');
  if (arg === undefined) throw new UsageError('--model <folder | built-in name | config.json> is required');
  const config = configFromArg(arg);
  const lora = loraFromArgs(args, config);
  const micro = args.flags.has('micro-batch') ? posInt(args, 'micro-batch') : undefined;
  const plan = planMemory(
    config,
    {
      lora,
      group: posInt(args, 'group', DEFAULT_CONFIG.num_generations),
      batchPrompts: posInt(args, 'batch-prompts', 1),
      maxLen: posInt(args, 'max-len'),
      microBatchRows: micro,
      klReference: num(args, 'beta', DEFAULT_CONFIG.beta) > 0,
    },
    limitsFromArgs(args),
  );
  if (bool(args, 'json')) console.log(JSON.stringify({ model: arg, ...planJson(plan) }));
  else {
    const f = formatBytes;
    console.log(
      [
        `${arg}: ${plan.params.toLocaleString('en-US')} parameters, weights ${f(plan.weightBytes)}`,
        `trainable ${plan.trainableParams.toLocaleString('en-US')}: optimizer ${f(plan.optimizerBytes)}, snapshot ${f(plan.snapshotBytes)}, gradients ${f(plan.gradientBytes)}`,
        `reference copy ${f(plan.referenceBytes)}, KV cache ${f(plan.kvCacheBytes)}, activations ${f(plan.activationBytes)} (${plan.microBatchRows} rows per micro-batch)`,
        `total ${f(plan.totalBytes)} of ${f(plan.limits.memoryBytes)} (${plan.limits.name}); largest buffer: ${plan.largestBuffer.name}, ${f(plan.largestBuffer.bytes)}`,
      ].join('\n'),
    );
  }
  assertFits(plan);
}
