// The layering of src/, checked on every test run: the page (src/ui) imports no module of the engine
// (src/rl, src/model), type imports included, nor reaches one through other modules; there are no import
// cycles anywhere in src/. Shared plain-data shapes live in src/schema (tfjs-free). That the page loads no
// tfjs at run time is test/ui/boundary.test.ts.
import { test, expect } from 'vitest';
import { join } from 'node:path';
import { cycles, importGraph } from './importGraph';

const SRC = join(import.meta.dirname, '../../src');
const graph = importGraph(SRC);
const isEngine = (f: string): boolean => f.startsWith('rl/') || f.startsWith('model/');

test('the graph is read: every source file is in it and the known edges are found', () => {
  expect(graph.size).toBeGreaterThan(100);
  expect(graph.get('ui/store.ts')).toContain('worker/protocol.ts'); // an `import type` counts
  expect(graph.get('worker/sampleForTry.ts')).toContain('model/index.ts'); // a folder import resolves to its index
});

test('src/ui imports no module of src/rl or src/model, type imports included', () => {
  const direct = [...graph].flatMap(([f, deps]) => (f.startsWith('ui/') ? deps.filter(isEngine).map((d) => `${f} -> ${d}`) : []));
  expect(direct).toEqual([]);
});

/** Every file reachable from src/ui in `g` (the ui files included), each with a file that imports it. */
function fromUi(g: Map<string, string[]>): Map<string, string> {
  const reached = new Map<string, string>([...g.keys()].filter((f) => f.startsWith('ui/')).map((f) => [f, f]));
  const todo = [...reached.keys()];
  while (todo.length > 0) {
    const f = todo.pop() ?? '';
    for (const d of g.get(f) ?? [])
      if (!reached.has(d)) {
        reached.set(d, f);
        todo.push(d);
      }
  }
  return reached;
}

test('nothing the page imports, directly or not, reaches the engine', () => {
  const engine = [...fromUi(graph)].filter(([f]) => isEngine(f)).map(([f, by]) => `${by} -> ${f}`);
  expect(engine).toEqual([]);
});

test('no import cycles in src/', () => {
  expect(cycles(graph)).toEqual([]);
});

test('the cycle finder finds a cycle (so an empty answer means something)', () => {
  const g = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
    ['e', ['e']],
  ]);
  expect(cycles(g).map((c) => c.join(','))).toEqual(['a,b,c', 'e']);
});
