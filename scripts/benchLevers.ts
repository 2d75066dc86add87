// Speed levers of issue 14, each measured on and off in one run (Node, wasm), alternating ROUNDS times,
// best of each side; a lever stays only if this shows it. Writes "## Levers (Node, wasm)" in BENCHMARKS.md.
//  - a group's identical prompts prefilled once, KV-cache rows copied (sampleSettings.sharePrefill).
//   npx tsx scripts/benchLevers.ts
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { generate, initLlama, parseHFConfig, type Llama } from '../src/model';
import { sampleSettings } from '../src/model/sample';
import { benchIds } from '../src/bench/measure';
import { writeBenchmarkSection } from './benchmarksFile';

const ROUNDS = 2;

/** One lever: its switch, the model shape and the call that is timed. */
interface Lever {
  name: string;
  shape: string;
  config: string;
  set: (on: boolean) => void;
  /** Rows and new tokens of the timed generate call; `group` rows share each prompt. */
  batch: number;
  group: number;
  prompt: number;
  newTokens: number;
}

const LEVERS: Lever[] = [
  {
    name: "shared prefill of a group's prompt",
    shape: '0.8M Llama, 8 prompts x 8 samples, prompt 24, 8 new tokens (a GRPO step)',
    config: 'scripts/configs/llama-0.8m.json',
    set: (on) => {
      sampleSettings.sharePrefill = on;
    },
    batch: 64,
    group: 8,
    prompt: 24,
    newTokens: 8,
  },
];

/** Generated tokens/s of one generate call (greedy, EOS off), after an untimed warm-up call. */
async function tokensPerSecond(m: Llama, l: Lever): Promise<number> {
  const distinct = benchIds(l.batch / l.group, l.prompt, m.config.vocabSize);
  const prompts = distinct.flatMap((p) => Array.from({ length: l.group }, () => p));
  const opts = { maxNewTokens: l.newTokens, temperature: 0, eosIds: [] };
  await generate(m, prompts.slice(0, 2), { ...opts, maxNewTokens: 2 });
  const t0 = performance.now();
  await generate(m, prompts, opts);
  return (l.batch * l.newTokens) / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
  const load0 = loadavg()[0];
  const rows: string[] = [];
  for (const l of LEVERS) {
    const m = initLlama(parseHFConfig(JSON.parse(readFileSync(l.config, 'utf8')), l.config), 0);
    const off: number[] = [];
    const on: number[] = [];
    try {
      for (let r = 0; r < ROUNDS; r++) {
        for (const side of [false, true]) {
          l.set(side);
          (side ? on : off).push(await tokensPerSecond(m, l));
        }
      }
    } finally {
      l.set(true);
      m.dispose();
    }
    const [a, b] = [Math.max(...off), Math.max(...on)];
    console.log(`${l.name} / ${l.shape}: off ${off.map((x) => x.toFixed(1)).join(', ')}; on ${on.map((x) => x.toFixed(1)).join(', ')}`);
    rows.push(`| ${l.name} | ${l.shape} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b / a).toFixed(2)}x | ${b > a ? 'yes' : 'no'} |`);
  }
  const section = [
    '## Levers (Node, wasm)',
    '',
    `\`npx tsx scripts/benchLevers.ts\`, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, tfjs wasm (1 thread), random weights. Each lever off and on alternately, ${ROUNDS} rounds, best of each side, ` +
      `sampling tokens/s (greedy, EOS off) of one generate call after a warm-up call. Shared 2-core machine, 1-minute load average ${load0.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end: compare within a row.`,
    '',
    '| lever | shape | off (tokens/s) | on (tokens/s) | speed-up | kept |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  console.log(section);
  writeBenchmarkSection('Levers (Node, wasm)', section);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
