// The LoRA step of `cherry bench --lora-rank R` (issue 14) and of BENCHMARKS.md "LoRA" (issue 13): one GRPO
// policy-gradient step through the trainer's own path (src/rl/policyUpdate.ts: tokenLogprobs forward with
// the adapter on, tf.variableGrads over the adapter only, AdamW), LoRA of rank R on every linear layer, on
// rows of `seqLen` tokens whose second half is the completion (the loss mask) and advantages ±1.
import type { Llama } from '../model';
import { attachLora, defaultLoraConfig, loraTargetsOf } from '../model/lora';
import { withPeakBytes } from '../model/memoryPeak';
import { AdamW } from '../rl/optim';
import { policyUpdate, type UpdateBatch } from '../rl/policyUpdate';
import { benchIds, median, type TrainSizes } from './measure';

/** What a LoRA step measurement gives. */
export interface LoraStepResult {
  /** Median wall time of one step (ms). */
  ms: number;
  /** Most bytes tfjs held at once during the timed steps (withPeakBytes); null when not measured. */
  peakBytes: number | null;
  /** Trainable scalars (A and B of every adapted layer). */
  trainableParams: number;
}

/** B rows of T ids: the first ⌊T/2⌋ the prompt, the rest the completion that trains; advantages alternate ±1. */
export function grpoBatch(B: number, T: number, V: number): UpdateBatch {
  const p = Math.floor(T / 2);
  return {
    ids: benchIds(B, T, V, 2),
    attentionMask: Array.from({ length: B }, () => new Array<number>(T).fill(1)),
    mask: Array.from({ length: B }, () => Array.from({ length: T - 1 }, (_, t) => (t + 1 >= p ? 1 : 0))),
    advantages: Array.from({ length: B }, (_, b) => (b % 2 === 0 ? 1 : -1)),
  };
}

/**
 * Times one warm-up and `sizes.repeats` GRPO steps with a fresh rank-`rank` adapter on every linear layer
 * of `model` (beta 0, one iteration: TRL's defaults), `microBatchRows` rows per gradient slice (policyUpdate's
 * default when undefined). `trackPeak` false skips withPeakBytes: tf.profile's kernel list overflows the call stack
 * on a SmolLM2-sized step (then the peak is null; read the wasm heap instead). The adapter is removed at the end; the base weights are unchanged.
 */
export async function loraStep(
  model: Llama,
  rank: number,
  sizes: TrainSizes,
  microBatchRows?: number,
  trackPeak = true,
): Promise<LoraStepResult> {
  const adapter = attachLora(model, defaultLoraConfig(rank, { targets: loraTargetsOf(model.config) }), 0);
  const opt = new AdamW(adapter.params, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, maxGradNorm: 1 });
  const batch = grpoBatch(sizes.batch, sizes.seqLen, model.config.vocabSize);
  const completion = sizes.seqLen - Math.floor(sizes.seqLen / 2);
  const step = (): Promise<unknown> =>
    policyUpdate(model, opt, batch, {
      numIterations: 1,
      lr: 1e-4,
      reference: adapter,
      microBatchRows,
      loss: { lossType: 'grpo', epsilon: 0.2, epsilonHigh: 0.2, beta: 0, maxCompletionLength: completion },
    });
  try {
    await step();
    const times: number[] = [];
    let peakBytes: number | null = trackPeak ? 0 : null;
    for (let i = 0; i < sizes.repeats; i++) {
      const t0 = performance.now();
      if (peakBytes === null) await step();
      else
        peakBytes = await withPeakBytes(step).then(
          (r) => Math.max(peakBytes ?? 0, r.peakBytes),
          (e: unknown) => {
            if (e instanceof RangeError && /call stack/.test(e.message)) return null; // tf.profile's Math.max(...kernels) after the step ran: no peak, the time stands
            throw e;
          },
        );
      times.push(performance.now() - t0);
    }
    return { ms: median(times), peakBytes, trainableParams: adapter.paramCount() };
  } finally {
    opt.dispose();
    adapter.dispose();
  }
}
