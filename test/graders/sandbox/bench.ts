// Benchmark (not a test): overhead of grading a batch of 1,000 samples with a simple JS grader through
// the Node sandbox, against calling the same function in-process; then the same grader in Python.
// Run: npx tsx test/graders/sandbox/bench.ts
import { createJsGrader, createPythonGrader } from '../../../src/graders/sandbox';
import { makeSample, type GradeRequest } from '../../../src/graders/types';

const SRC = 'function grade(sample, item) { return sample.output_text.trim() === item.reference_answer ? 1 : 0; }';
const N = 1000;
const REPS = 15;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const reqs: GradeRequest[] = Array.from({ length: N }, (_, i) => ({
    sample: makeSample(`answer ${i % 7}`, 2),
    item: { reference_answer: `answer ${i % 3}`, id: i, prompt: 'What is the answer? '.repeat(4) },
  }));
  const t0 = performance.now();
  const g = await createJsGrader(SRC, 'js', { name: 'bench' });
  const load = performance.now() - t0;
  const sandbox: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const t = performance.now();
    const out = await g.gradeBatch(reqs);
    sandbox.push(performance.now() - t);
    if (out.length !== N || out.some((x) => x.error !== null)) throw new Error('benchmark grader failed');
  }
  g.dispose();
  const fn = (s: { output_text: string }, item: Record<string, unknown>): number =>
    s.output_text.trim() === item.reference_answer ? 1 : 0;
  const direct: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const t = performance.now();
    let sum = 0;
    for (const q of reqs) sum += fn(q.sample, q.item);
    direct.push(performance.now() - t);
    if (sum < 0) throw new Error('unreachable');
  }
  const ms = median(sandbox);
  const d = median(direct);
  const result = {
    samples: N,
    load_ms: +load.toFixed(1),
    batch_ms_median: +ms.toFixed(2),
    direct_ms_median: +d.toFixed(3),
    overhead_ms_per_batch: +(ms - d).toFixed(2),
    overhead_us_per_sample: +(((ms - d) / N) * 1000).toFixed(2),
  };
  console.log(JSON.stringify(result));

  // The same grader in Python (Pyodide in a worker): start-up, then batches of 1,000.
  const p0 = performance.now();
  const py = await createPythonGrader(
    'def grade(sample, item):\n    return 1.0 if sample["output_text"].strip() == item["reference_answer"] else 0.0\n',
    { name: 'bench-py' },
  );
  const pyLoad = performance.now() - p0;
  const pyTimes: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    const out = await py.gradeBatch(reqs);
    pyTimes.push(performance.now() - t);
    if (out.some((x) => x.error !== null)) throw new Error('python benchmark grader failed');
  }
  py.dispose();
  console.log(JSON.stringify({ python_load_ms: Math.round(pyLoad), python_batch_ms_median: +median(pyTimes).toFixed(1) }));
}

void main();
