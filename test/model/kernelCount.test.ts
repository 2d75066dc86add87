// Kernels per sampled token (cherry bench's kernels_per_token; on WebGPU each kernel is at most one dispatch):
// every layer adds the same kernels, so the count is linear in the number of layers, and a cached decoding
// step costs far fewer kernels than the prefill of a longer prompt would.
import { test, expect } from 'vitest';
import { initLlama } from '../../src/model';
import { kernelsPerToken } from '../../src/bench/measure';
import { tinyConfig, useBackend } from './helpers';

test('kernels per sampled token grow by the same count per layer', async () => {
  await useBackend('cpu');
  const counts: number[] = [];
  for (const numLayers of [2, 4, 6]) {
    const m = initLlama(tinyConfig({ numLayers }), 1);
    counts.push(await kernelsPerToken(m, 2, 4));
    m.dispose();
  }
  const perLayer = (counts[1] - counts[0]) / 2;
  expect(Number.isInteger(counts[0]) && counts[0] > 0).toBe(true);
  expect(perLayer).toBeGreaterThan(10); // norms, projections, RoPE, attention, MLP
  expect(counts[2] - counts[1]).toBe(2 * perLayer);
  // What is not per layer (embedding, mask, final norm, head, sampling) is a small part of a token.
  expect(counts[0] - 2 * perLayer).toBeLessThan(perLayer);
});
