// Calls the independent NumPy float64 forward (scripts/reference/forward.py, Debian python3 + numpy).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface RefAnswer {
  /** Per sequence: log p(ids[t] | ids[<t]) for t >= 1. */
  logprobs: number[][];
  /** Greedy continuation ids, when asked. */
  greedy?: number[];
}

/** Runs the NumPy reference on a model folder. */
export function reference(dir: string, sequences: number[][], greedy?: { prompt: number[]; n: number }): RefAnswer {
  const out = execFileSync('python3', [join(ROOT, 'scripts/reference/forward.py'), dir], {
    input: JSON.stringify({ sequences, greedy }),
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.toString()) as RefAnswer; // test: the script's documented answer shape
}
