// `cherry generate`: sample a continuation from a model folder.
import { bool, ints, num, str, UsageError, type Args } from '../args';
import { loadAdapterDir } from '../adapterDir';
import { loraOf } from '../../model/lora';
import { loadModelDir, useBackend } from '../modelDir';
import { modelDirFromArg } from '../../hub/node';
import { generate } from '../../model';
import { promptIds } from '../../tokenizer';

export const help =
  'continue a prompt: --model DIR|hf:ORG/NAME|URL [--adapter PEFT_DIR] (--prompt TEXT | --prompt-ids 1,2,3) [--max-new-tokens N] [--temperature T] [--top-k K] [--top-p P] [--seed S] [--backend wasm|cpu] [--json]';

export async function run(args: Args): Promise<void> {
  const dir = str(args, 'model');
  if (dir === undefined) throw new UsageError('--model <folder | hf:ORG/NAME | URL> is required');
  const text = str(args, 'prompt');
  const given = ints(args, 'prompt-ids');
  if ((text === undefined) === (given === undefined)) throw new UsageError('pass exactly one of --prompt TEXT or --prompt-ids 1,2,3');
  const maxNewTokens = num(args, 'max-new-tokens', 32);
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1)
    throw new UsageError(`--max-new-tokens must be a positive integer, got ${maxNewTokens}`);
  const temperature = num(args, 'temperature', 1);
  if (temperature < 0) throw new UsageError('--temperature must be >= 0 (0 = greedy)');
  const topK = num(args, 'top-k', 0);
  const topP = num(args, 'top-p', 1);
  if (topP <= 0 || topP > 1) throw new UsageError('--top-p must be in (0, 1]');
  const seed = num(args, 'seed', 0);
  const backend = await useBackend(str(args, 'backend', 'wasm'));
  const { model, tokenizer } = await loadModelDir(await modelDirFromArg(dir));
  const adapterDir = str(args, 'adapter');
  try {
    if (adapterDir !== undefined) loadAdapterDir(model, adapterDir);
    let prompt: number[];
    if (text !== undefined) {
      if (tokenizer === null) throw new UsageError(`${dir} has no tokenizer.json: use --prompt-ids instead of --prompt`);
      prompt = promptIds(tokenizer, text);
    } else {
      prompt = given ?? [];
    }
    const eosIds = tokenizer && tokenizer.eosIds.length > 0 ? tokenizer.eosIds : model.config.eosTokenIds;
    const r = await generate(model, [prompt], { maxNewTokens, temperature, topK, topP, seed, eosIds });
    const ids = r.ids[0];
    const out = { ids, text: tokenizer ? tokenizer.decode(ids) : null, backend, finish_reason: r.finishReasons[0] };
    if (bool(args, 'json')) console.log(JSON.stringify(out));
    else console.log(out.text ?? ids.join(' '));
  } finally {
    loraOf(model)?.dispose();
    model.dispose();
  }
}
