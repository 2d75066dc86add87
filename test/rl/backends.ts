// Backends the tfjs-based rl tests run on: cpu always, wasm too (both work in Node).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export const BACKENDS = ['cpu', 'wasm'] as const;

export async function useBackend(name: (typeof BACKENDS)[number]): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`could not switch tfjs to the ${name} backend`);
  await tf.ready();
}

/** Reads a tensor as a plain nested array of numbers. */
export function arr(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}
