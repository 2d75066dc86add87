import { test, expect } from 'vitest';
import { createReadStream, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadJsonlDataset, DatasetError } from '../../src/data';

test('a file streamed from disk (Node Readable) is parsed and split', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cherry-data-'));
  try {
    const path = join(dir, 'd.jsonl');
    const rows = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ prompt: `${i}*2=`, reference_answer: String(2 * i) }));
    writeFileSync(path, rows.join('\n') + '\n{bad\n');
    // createReadStream yields Buffers, which are Uint8Arrays: no whole-file string.
    const d = await loadJsonlDataset(createReadStream(path, { highWaterMark: 1024 }), {
      source: 'd.jsonl',
      validationFraction: 0.25,
      seed: 5,
    });
    expect(d.train.length + d.validation.length).toBe(1000);
    expect(Math.abs(d.validation.length - 250)).toBeLessThan(60); // Binomial(1000, 0.25): sd ~ 14
    expect(d.errors).toEqual([{ line: 1001, column: 2, message: expect.stringMatching(/property name/) }]);
    expect(d.summary.accepted).toBe(1000);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a file with no usable row is a DatasetError quoting the first errors', async () => {
  const p = loadJsonlDataset('{"q": 1}\n[]\n7\n"x"\n', { source: 'bad.jsonl' });
  await expect(p).rejects.toThrow(DatasetError);
  await expect(p).rejects.toThrow(/bad\.jsonl: none of the 4 rows could be used \(line 1: no "prompt".*line 2: .*line 3: .*; \.\.\.\)/);
});
