// One GRPO step with LoRA on a real-model shape on wasm in Node (issue 13's done-when line): seconds per
// step, tokens/s, the memory plan's peak (src/model/memoryPlan.ts) and the measured peak (tfjs bytes held
// at once, withPeakBytes; and the wasm heap's high-water mark), printed as one JSON line.
//   npx tsx scripts/benchLora.ts [CONFIG.json] [--rows 8] [--seq 128] [--rank 16] [--micro-batch M] [--repeats 1] [--heap-only]
// --heap-only: no withPeakBytes (tf.profile overflows the stack on SmolLM2's step); the wasm heap's size is the peak.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initLlama, parseHFConfig } from '../src/model';
import { loraTargetsOf } from '../src/model/lora';
import { wasmHeapBytes } from '../src/model/memoryPeak';
import { planMemory } from '../src/model/memoryPlan';
import { defaultMicroBatchRows } from '../src/rl/policyUpdate';
import { loraStep } from '../src/bench/loraStep';

function opt(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

async function main(): Promise<void> {
  const path = process.argv[2] !== undefined && !process.argv[2].startsWith('--') ? process.argv[2] : 'scripts/configs/smollm2-135m.json';
  const rows = opt('rows', 8),
    seq = opt('seq', 128),
    rank = opt('rank', 16),
    repeats = opt('repeats', 1);
  const micro = opt('micro-batch', defaultMicroBatchRows(seq));
  await tf.setBackend('wasm');
  const config = parseHFConfig(JSON.parse(readFileSync(path, 'utf8')), path);
  const targets = loraTargetsOf(config);
  const plan = planMemory(config, {
    lora: { rank, targets },
    group: rows,
    batchPrompts: 1,
    maxLen: seq,
    microBatchRows: micro,
    klReference: false,
  });
  const model = initLlama(config, 0);
  const weightBytes = tf.memory().numBytes;
  const t0 = performance.now();
  const r = await loraStep(model, rank, { batch: rows, seqLen: seq, repeats }, micro, !process.argv.includes('--heap-only'));
  const wall = (performance.now() - t0) / 1000;
  model.dispose();
  console.log(
    JSON.stringify({
      config: path,
      rows,
      seq,
      rank,
      micro_batch_rows: micro,
      repeats,
      s_per_step: r.ms / 1000,
      tok_s: (rows * seq) / (r.ms / 1000),
      trainable_params: r.trainableParams,
      weight_bytes: weightBytes,
      planned_peak_bytes: plan.totalBytes,
      planned_activation_bytes: plan.activationBytes,
      measured_peak_bytes: r.peakBytes,
      wasm_heap_bytes: wasmHeapBytes(),
      wall_s: wall,
      load: loadavg()[0],
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
