// Measurements behind memoryPlan's activation model (src/model/memoryPlan.ts): one LoRA GRPO step
// (src/bench/loraStep.ts, every linear layer, one micro-batch) on small random Llama shapes, printing per
// shape the measured peak (withPeakBytes) beside the plan's terms, one JSON line each.
//   npx tsx scripts/benchPlanFit.ts [shape indices]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initLlama, type LlamaConfig } from '../src/model';
import { loraTargetsOf } from '../src/model/lora';
import { planMemory } from '../src/model/memoryPlan';
import { loraStep } from '../src/bench/loraStep';

const SHAPES: Array<{ L: number; D: number; F: number; H: number; kv: number; V: number; rows: number; T: number }> = [
  { L: 2, D: 64, F: 172, H: 4, kv: 2, V: 100, rows: 4, T: 32 },
  { L: 2, D: 64, F: 172, H: 4, kv: 2, V: 100, rows: 8, T: 64 },
  { L: 4, D: 128, F: 344, H: 4, kv: 4, V: 100, rows: 8, T: 64 },
  { L: 4, D: 128, F: 344, H: 4, kv: 4, V: 4096, rows: 4, T: 64 },
  { L: 2, D: 128, F: 344, H: 4, kv: 2, V: 16384, rows: 2, T: 128 },
  { L: 6, D: 192, F: 512, H: 6, kv: 2, V: 1000, rows: 4, T: 128 },
  { L: 2, D: 576, F: 1536, H: 9, kv: 3, V: 49152, rows: 1, T: 32 }, // SmolLM2-135M's widths and vocabulary, 2 layers
  { L: 2, D: 576, F: 1536, H: 9, kv: 3, V: 8192, rows: 2, T: 128 },
];

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  for (const s of SHAPES.filter((_, i) => process.argv.length < 3 || process.argv.slice(2).includes(String(i)))) {
    const c: LlamaConfig = {
      architecture: 'LlamaForCausalLM',
      vocabSize: s.V,
      hiddenSize: s.D,
      intermediateSize: s.F,
      numLayers: s.L,
      numHeads: s.H,
      numKVHeads: s.kv,
      headDim: s.D / s.H,
      maxPositionEmbeddings: 512,
      rmsNormEps: 1e-5,
      ropeTheta: 10000,
      tieWordEmbeddings: true,
      attentionBias: false,
      bosTokenId: 1,
      eosTokenIds: [],
    };
    const plan = planMemory(c, {
      lora: { rank: 8, targets: loraTargetsOf(c) },
      group: s.rows,
      batchPrompts: 1,
      maxLen: s.T,
      microBatchRows: s.rows,
      klReference: false,
    });
    const m = initLlama(c, 0);
    const r = await loraStep(m, 8, { batch: s.rows, seqLen: s.T, repeats: 1 }, s.rows);
    m.dispose();
    console.log(
      JSON.stringify({
        ...s,
        measured_peak: r.peakBytes,
        planned_total: plan.totalBytes,
        planned_activation: plan.activationBytes,
        rest: plan.totalBytes - plan.activationBytes - plan.gradientBytes,
      }),
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
