// Supervised fine-tuning (SFT) on the built-in prompt format: one batch from items and their labels,
// one guarded AdamW step on the mean NLL of the label tokens. Used by scripts/buildModels.ts (pretrain
// and SFT of the built-in models) and by the trainer (an SFT warm-up or an SFT baseline run).
//
// Row layout (src/tokenizer/prompt.ts): [<bos>] + prompt + completion + [<eos>], right-padded with the
// pad id to a width rounded up to `bucket`; the loss covers the completion tokens (EOS included) only.
// Pretraining uses the same step with a prompt of just <bos> and the text as the "completion".
import * as tf from '@tensorflow/tfjs';
import type { Item } from '../graders/types';
import { tokenLogprobs, type Llama } from '../model';
import { completionIds, itemPromptIds, PromptInputError, type Tokenizer } from '../tokenizer';
import { inTraining } from '../model/lora';
import { completionMask, packSequences, BatchLayoutError } from './batch';
import { sftLoss } from './loss';
import type { AdamW } from './optim';

/** A packed SFT batch, ready for `sftStep`. */
export interface SftBatch {
  /** [B][W] token ids: prompt, completion, padding. */
  ids: number[][];
  /** [B][W] 1 on real tokens, 0 on padding. */
  attentionMask: number[][];
  /** [B][W − 1] 1 where the log-prob predicts a completion token (aligned with tokenLogprobs). */
  mask: number[][];
  /** Number of completion tokens the loss covers (Σ mask). */
  tokens: number;
}

/** Default width bucket: rows are padded to a multiple of this many tokens. */
export const SFT_BUCKET = 8;

/**
 * Packs id rows: each prompt (≥ 1 id) followed by its completion ids, the loss on completion ids only.
 * Rows longer than `maxLen` throw a BatchLayoutError (they would not fit the model's positions).
 */
export function packSft(
  prompts: readonly (readonly number[])[],
  completions: readonly (readonly number[])[],
  padId: number,
  bucket = SFT_BUCKET,
  maxLen = Infinity,
): SftBatch {
  prompts.forEach((p, b) => {
    const len = p.length + (completions[b]?.length ?? 0);
    if (len > maxLen)
      throw new BatchLayoutError(
        `row ${b}: prompt + completion is ${len} tokens; the model takes at most ${maxLen}. Shorten the example or raise max_position_embeddings.`,
      );
  });
  const packed = packSequences(prompts, completions, padId, bucket);
  const W = packed.ids[0]?.length ?? 0;
  const mask = completionMask({ starts: packed.starts, lengths: packed.lengths, width: W - 1 });
  const tokens = packed.lengths.reduce((a, b) => a + b, 0);
  return { ids: packed.ids, attentionMask: packed.attentionMask, mask, tokens };
}

/**
 * An SFT batch from items: the item's prompt ids (itemPromptIds: its messages through the chat template
 * when the tokenizer has one, else `item.prompt`), completion ids of `label(item)` + the first EOS id
 * (the end-of-turn token of a chat model).
 */
export function sftBatch(
  tok: Tokenizer,
  items: readonly Item[],
  label: (item: Item) => string,
  bucket = SFT_BUCKET,
  maxLen = Infinity,
): SftBatch {
  const prompts = items.map((it, i) => {
    try {
      return itemPromptIds(tok, it, i); // chat items through the model's chat template
    } catch (e) {
      if (e instanceof PromptInputError) throw new BatchLayoutError(e.message);
      throw e;
    }
  });
  const completions = items.map((it) => completionIds(tok, label(it)));
  return packSft(prompts, completions, padIdOf(tok), bucket, maxLen);
}

/** A language-modelling batch over plain texts: <bos> then the text (+ EOS), loss on every text token. */
export function textBatch(tok: Tokenizer, texts: readonly string[], bucket = SFT_BUCKET, maxLen = Infinity): SftBatch {
  const bos = tok.bosId === null ? [] : [tok.bosId];
  const prompts = texts.map((t) => {
    const ids = tok.encode(t);
    // Without a BOS the first text token is the context and is not predicted.
    return bos.length ? bos : ids.slice(0, 1);
  });
  const completions = texts.map((t) => {
    const ids = completionIds(tok, t);
    return bos.length ? ids : ids.slice(1);
  });
  return packSft(prompts, completions, padIdOf(tok), bucket, maxLen);
}

function padIdOf(tok: Tokenizer): number {
  return tok.padId ?? tok.eosIds[0] ?? 0;
}

/** What one SFT step did. */
export interface SftStepResult {
  /** Mean NLL per completion token before the update (nats). */
  loss: number;
  /** Global gradient L2 norm before clipping. */
  gradNorm: number;
  /** False when the optimizer skipped the update (non-finite loss or gradient). */
  applied: boolean;
  /** Completion tokens in the batch. */
  tokens: number;
}

/**
 * One step: NLL of the completion tokens under tf.variableGrads over the optimizer's variables (a LoRA
 * run's adapter only, its dropout on), then `opt.apply` (clipping and the non-finite guard are the
 * optimizer's config). Leaves no tensors behind.
 */
export async function sftStep(model: Llama, opt: AdamW, batch: SftBatch, lr: number): Promise<SftStepResult> {
  const mask = tf.tensor2d(batch.mask, undefined, 'float32');
  try {
    const { value, grads } = inTraining(model, () =>
      tf.variableGrads(
        () => sftLoss(tokenLogprobs(model, batch.ids, { attentionMask: batch.attentionMask }).logprobs, mask),
        opt.variables,
      ),
    );
    try {
      const loss = (await value.data())[0];
      const r = await opt.apply(grads, lr, loss);
      return { loss, gradNorm: r.gradNorm, applied: r.applied, tokens: batch.tokens };
    } finally {
      tf.dispose([value, ...Object.values(grads)]);
    }
  } finally {
    mask.dispose();
  }
}

/** Mean NLL per completion token of a batch, without updating anything (validation loss). */
export async function sftEvalLoss(model: Llama, batch: SftBatch): Promise<number> {
  const t = tf.tidy(() =>
    sftLoss(
      tokenLogprobs(model, batch.ids, { attentionMask: batch.attentionMask }).logprobs,
      tf.tensor2d(batch.mask, undefined, 'float32'),
    ),
  );
  const v = (await t.data())[0];
  t.dispose();
  return v;
}
