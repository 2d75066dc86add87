// `cherry logprobs`: log p(ids[t+1] | ids[..t]) of a fixed id sequence under a model folder.
import { bool, ints, str, UsageError, type Args } from '../args';
import { loadAdapterDir } from '../adapterDir';
import { loraOf } from '../../model/lora';
import { loadModelDir, useBackend } from '../modelDir';
import { modelDirFromArg } from '../../hub/node';
import { tokenLogprobs } from '../../model';

export const help =
  'per-token log-probabilities of an id sequence: --model DIR|hf:ORG/NAME|URL [--adapter PEFT_DIR] --ids 1,2,3 [--backend wasm|cpu] [--json]';

export async function run(args: Args): Promise<void> {
  const dir = str(args, 'model');
  if (dir === undefined) throw new UsageError('--model <folder | hf:ORG/NAME | URL> is required');
  const ids = ints(args, 'ids');
  if (ids === undefined || ids.length < 2) throw new UsageError('--ids needs at least two comma-separated ids, e.g. --ids 1,2,3');
  const backend = await useBackend(str(args, 'backend', 'wasm'));
  const { model } = await loadModelDir(await modelDirFromArg(dir));
  const adapterDir = str(args, 'adapter');
  try {
    if (adapterDir !== undefined) loadAdapterDir(model, adapterDir);
    const V = model.config.vocabSize;
    const bad = ids.find((i) => i < 0 || i >= V);
    if (bad !== undefined) throw new UsageError(`--ids: id ${bad} is outside the model's vocabulary [0, ${V})`);
    const r = tokenLogprobs(model, [ids]);
    const lp = Array.from(await r.logprobs.data());
    r.logprobs.dispose();
    const sum = lp.reduce((a, b) => a + b, 0);
    if (bool(args, 'json')) console.log(JSON.stringify({ token_logprobs: lp, sum, backend }));
    else console.log(`${lp.map((v) => v.toFixed(4)).join(' ')}\nsum ${sum.toFixed(4)}`);
  } finally {
    loraOf(model)?.dispose();
    model.dispose();
  }
}
