// The page never loads tfjs: starting from src/main.tsx, follow every runtime import (not `import type`)
// of project files; none may import @tensorflow/*. The worker is reached only through
// `new Worker(new URL('./trainWorker.ts', import.meta.url))`, which is not an import.
import { test, expect } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const IMPORT = /^\s*import\s+(?!type\b)(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|^\s*export\s+(?!type\b)[^'"]*?\s+from\s+['"]([^'"]+)['"]/gm;

function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  if (base.endsWith('.css')) return null;
  for (const ext of ['.ts', '.tsx', '', '/index.ts']) if (existsSync(base + ext) && statSync(base + ext).isFile()) return base + ext;
  throw new Error(`cannot resolve '${spec}' imported by ${from}`);
}

function pageGraph(entry: string): { files: string[]; bare: Map<string, string> } {
  const seen = new Set<string>();
  const bare = new Map<string, string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      const local = resolveLocal(file, spec);
      if (local !== null) todo.push(local);
      else if (!spec.startsWith('.')) bare.set(spec, file);
    }
  }
  return { files: [...seen], bare };
}

test('nothing the page imports at runtime pulls in @tensorflow', () => {
  const { files, bare } = pageGraph(resolve(ROOT, 'src/main.tsx'));
  expect(files.some((f) => f.endsWith('src/ui/App.tsx'))).toBe(true); // the walk really follows imports
  expect(files.some((f) => f.endsWith('src/worker/spawn.ts'))).toBe(true);
  expect(files.some((f) => f.endsWith('src/worker/backend.ts'))).toBe(false);
  const tf = [...bare].filter(([spec]) => spec.startsWith('@tensorflow/')).map(([spec, file]) => `${file}: ${spec}`);
  expect(tf).toEqual([]);
  expect(bare.has('react')).toBe(true);
});
