// Fresh samples from the loaded model for the grader's try-it pane: the first `n` items of the task's
// validation split (an uploaded dataset's validation rows, or its training rows when it has none), each
// sampled `samplesPerPrompt` times in ONE batched, seeded generate call on a policy built from the loaded
// weights (freed afterwards). No grading here: the page grades them with the editor's current grader, so
// every edit re-grades the same completions.
import type { Item } from '../graders/types';
import { generate, type Llama } from '../model';
import { getTask } from '../tasks';
import { itemPromptIds, stopIds } from '../tokenizer';
import { buildPolicy, type LoadedModel } from './modelLoader';
import type { SampleForTryBody, SampleForTryResult, TaskSpec, TryCompletion } from './protocol';

export type { SampleForTryBody, SampleForTryResult, TryCompletion };

/** A sampleForTry request with a value out of range: names the field and the allowed range. */
export class SampleForTryError extends Error {
  override name = 'SampleForTryError';
}

const DATASET_MAX_NEW_TOKENS = 64;

function checkInt(field: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi)
    throw new SampleForTryError(`sampleForTry: '${field}' must be an integer in [${lo}, ${hi}], got ${v}.`);
}

/** The items to prompt and the default budget of a task spec. */
export function tryItems(task: TaskSpec, n: number): { items: Item[]; maxNewTokens: number } {
  if (task.kind === 'builtin') {
    const t = getTask(task.name);
    return { items: t.items('validation', n), maxNewTokens: t.maxNewTokens };
  }
  const rows = task.validation.length > 0 ? task.validation : task.train;
  return { items: rows.slice(0, n), maxNewTokens: DATASET_MAX_NEW_TOKENS };
}

/**
 * Samples n × samplesPerPrompt completions in one batched generate call, with `policy` (a paused run's
 * current weights; left alive) or else a policy built from the loaded weights (freed afterwards).
 */
export async function sampleForTry(model: LoadedModel, body: SampleForTryBody, policy?: Llama): Promise<SampleForTryResult> {
  checkInt('n', body.n, 1, 16);
  checkInt('samplesPerPrompt', body.samplesPerPrompt, 1, 16);
  if (!Number.isFinite(body.temperature) || body.temperature < 0)
    throw new SampleForTryError(`sampleForTry: 'temperature' must be ≥ 0, got ${body.temperature}.`);
  const { items, maxNewTokens: budget } = tryItems(body.task, body.n);
  const maxNewTokens = body.maxNewTokens ?? budget;
  checkInt('maxNewTokens', maxNewTokens, 1, 4096);
  if (items.length === 0)
    throw new SampleForTryError(`The task '${body.task.name}' has no items to sample from: upload a dataset with usable rows.`);
  const K = body.samplesPerPrompt;
  const tok = model.tokenizer;
  // Chat items go through the model's chat template, as in a run's rollout.
  const prompts = items.flatMap((it, i) => {
    const ids = itemPromptIds(tok, it, i);
    return Array.from({ length: K }, () => ids);
  });
  const used = policy ?? buildPolicy(model);
  try {
    const gen = await generate(used, prompts, {
      maxNewTokens,
      temperature: body.temperature,
      seed: body.seed,
      eosIds: stopIds(tok, model.config.eosTokenIds),
    });
    const completions = items.map((_, i) =>
      gen.ids.slice(i * K, (i + 1) * K).map((ids, k) => ({
        text: tok.decode(ids),
        tokens: ids.length,
        finish_reason: gen.finishReasons[i * K + k],
      })),
    );
    return { items, completions };
  } finally {
    if (policy === undefined) used.dispose();
  }
}
