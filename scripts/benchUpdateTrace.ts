// What the update trace (TrainerOptions.traceGroups, issue 16) costs: median step time of the built-in
// arithmetic model with the default batch (8 prompts × 8 samples), trace off against 4 groups traced
// (what the page's worker does), on wasm in Node, steps interleaved so both see the same machine load.
//   npx tsx scripts/benchUpdateTrace.ts [--steps 8]
import { parseArgs, num } from '../src/cli/args';
import { loadModelDir, useBackend } from '../src/cli/modelDir';
import { builtinModelDir } from '../src/cli/modelLoad';
import { loadGrader } from '../src/graders';
import { Trainer } from '../src/rl/trainer';
import { getTask } from '../src/tasks';

const steps = num(parseArgs(process.argv.slice(2)), 'steps', 8);
await useBackend('wasm');
const task = getTask('arithmetic');
const dir = builtinModelDir(task);
const grader = await loadGrader(task.defaultGrader);
const make = async (traceGroups: number): Promise<Trainer> => {
  const { model, tokenizer } = await loadModelDir(dir);
  if (tokenizer === null) throw new Error(`${dir} has no tokenizer.json`);
  return new Trainer({ model, tokenizer, task, grader, traceGroups, config: { eval_interval: 0, seed: 1 } });
};
const off = await make(0),
  on = await make(4);
await off.step();
await on.step(); // warm-up
const ms: { off: number[]; on: number[] } = { off: [], on: [] };
for (let i = 0; i < steps; i++) {
  for (const [k, t] of [
    ['off', off],
    ['on', on],
  ] as const) {
    const t0 = performance.now();
    await t.step();
    ms[k].push(performance.now() - t0);
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `median step ms: trace off ${median(ms.off).toFixed(0)}, 4 groups traced ${median(ms.on).toFixed(0)}, ratio ${(median(ms.on) / median(ms.off)).toFixed(2)} (${steps} steps each, wasm, Node)`,
);
grader.dispose();
