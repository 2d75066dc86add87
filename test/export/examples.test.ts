// docs/examples/arithmetic and the table in docs/production.md are what scripts/exportExample.ts makes
// today (regenerate them with `npx tsx scripts/exportExample.ts` when an exporter changes), and the
// files are sound on their own: the Python compiles, the grader re-imports, the rows' answers are right.
import { test, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleFiles, withHyperparamTable, EXAMPLE_TRAIN_ROWS } from '../../scripts/exportExample';
import { parseGraderJson } from '../../src/graders/openai';

const DIR = 'docs/examples/arithmetic';

test('the example files are up to date with the exporters', () => {
  for (const [name, text] of Object.entries(exampleFiles())) {
    expect(readFileSync(join(DIR, name), 'utf8'), `${DIR}/${name} is stale: run npx tsx scripts/exportExample.ts`).toBe(text);
  }
  const guide = readFileSync('docs/production.md', 'utf8');
  expect(withHyperparamTable(guide)).toBe(guide);
});

test('the example Python compiles, the grader re-imports, the rows hold the true answers', () => {
  // Bytecode goes to a temporary folder, not into docs/.
  execFileSync('python3', ['-m', 'py_compile', join(DIR, 'train_grpo.py'), join(DIR, 'grader.py')], {
    env: { ...process.env, PYTHONPYCACHEPREFIX: mkdtempSync(join(tmpdir(), 'pyc-')) },
  });
  const grader = parseGraderJson(readFileSync(join(DIR, 'grader.json'), 'utf8'));
  const job = JSON.parse(readFileSync(join(DIR, 'job.json'), 'utf8'));
  expect(job.method.type).toBe('reinforcement');
  expect(job.method.reinforcement.grader).toEqual(grader);
  const rows = readFileSync(join(DIR, 'train.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(rows).toHaveLength(EXAMPLE_TRAIN_ROWS);
  for (const r of rows) {
    expect(r.messages).toEqual([{ role: 'user', content: `${r.a}${r.op}${r.b}=` }]);
    expect(r.reference_answer).toBe(String(r.op === '+' ? r.a + r.b : r.a - r.b));
  }
});
