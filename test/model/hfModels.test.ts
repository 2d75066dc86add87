// Every architecture, dtype and layout of scripts/fixtures/tinyModels.ts (real tokenizers, random
// weights) and the real pretrained stories260k, loaded from a folder as the CLI does, against the
// independent NumPy float64 forward in scripts/reference/forward.py: per-token log-probs to 1e-4 on
// the cpu and wasm backends, and greedy decoding through the KV-cache sampler.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelDir } from '../../src/cli/modelDir';
import { generate, tokenLogprobs } from '../../src/model';
import { promptIds } from '../../src/tokenizer';
import { TINY_MODELS, writeTinyModels } from '../../scripts/fixtures/tinyModels';
import { useBackend } from './helpers';
import { reference, type RefAnswer } from './reference/numpy';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STORIES = join(ROOT, '../shared/fixtures/stories260k-karpathy');

const TEXTS = ['Once upon a time, there was a little dog.', 'Hello world! 123 + 45 = 168'];

let out = '';
let dirs = new Map<string, string>();
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'cherry-tiny-'));
  dirs = writeTinyModels(out);
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.each(TINY_MODELS.map((m) => m.name))('%s', (name) => {
  test('log-probs of real-tokenizer text match the NumPy reference to 1e-4 on cpu and wasm; greedy ids match through the KV cache', async () => {
    const dir = dirs.get(name)!;
    const seqs: number[][] = [];
    let ref: RefAnswer | null = null;
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      const { model, tokenizer } = await loadModelDir(dir);
      expect(tokenizer).not.toBeNull();
      if (seqs.length === 0) {
        for (const t of TEXTS) seqs.push(promptIds(tokenizer!, t));
        expect(Math.max(...seqs.flat())).toBeGreaterThan(200); // real sub-word ids, not bytes
        ref = reference(dir, seqs, { prompt: seqs[0].slice(0, 4), n: 8 });
      }
      const want = ref!;
      // One padded batch: the shorter row is right-padded with id 0 and masked.
      const T = Math.max(...seqs.map((s) => s.length));
      const ids = seqs.map((s) => [...s, ...Array<number>(T - s.length).fill(0)]);
      const mask = seqs.map((s) => ids[0].map((_, t) => (t < s.length ? 1 : 0)));
      const r = tokenLogprobs(model, ids, { attentionMask: mask });
      const got = r.logprobs.arraySync();
      r.logprobs.dispose();
      seqs.forEach((s, b) => {
        const w = want.logprobs[b];
        expect(w).toHaveLength(s.length - 1);
        w.forEach((x, t) => expect(Math.abs(got[b][t] - x), `${backend} row ${b} token ${t + 1}: ${got[b][t]} vs ${x}`).toBeLessThan(1e-4));
      });
      const g = await generate(model, [seqs[0].slice(0, 4)], { maxNewTokens: 8, temperature: 0, eosIds: [] });
      expect(g.ids[0], backend).toEqual(want.greedy);
      model.dispose();
    }
  }, 120_000);
});

test('stories260k (real weights, real tokenizer): text in, English text out, matching the reference token for token', async () => {
  await useBackend('wasm');
  const { model, tokenizer } = await loadModelDir(STORIES);
  const tok = tokenizer!;
  const prompt = promptIds(tok, 'Once upon a time, there was a little girl named');
  const ref = reference(STORIES, [promptIds(tok, 'Lily went to the park. She saw a big red ball.')], { prompt, n: 30 });
  const g = await generate(model, [prompt], { maxNewTokens: 30, temperature: 0, eosIds: [] });
  expect(g.ids[0]).toEqual(ref.greedy);
  const text = tok.decode(g.ids[0]);
  // The model was trained on TinyStories: its greedy continuation is a name and a simple English sentence.
  expect(text).toMatch(/^ ?[A-Z][a-z]+\./);
  expect(text.split(/\s+/).filter((w) => /^[a-z]+[.,]?$/i.test(w)).length).toBeGreaterThan(10);
  const seq = promptIds(tok, 'Lily went to the park. She saw a big red ball.');
  const r = tokenLogprobs(model, [seq]);
  const got = r.logprobs.arraySync()[0];
  r.logprobs.dispose();
  ref.logprobs[0].forEach((x, t) => expect(Math.abs(got[t] - x)).toBeLessThan(1e-4));
  // A sensible story sentence is far more likely than chance (log 512 ≈ 6.2 nats per token).
  expect(got.reduce((a, b) => a + b, 0) / got.length).toBeGreaterThan(-4);
  model.dispose();
}, 60_000);
