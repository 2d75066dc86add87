// The measured side of the memory plan: the most bytes tfjs held at once while `f` ran (every kernel's
// output counted as it is allocated, so the peak inside a gradient pass is seen, not only between steps).
// Uses tf.profile with the per-kernel data check switched off; its kernel list is dropped on return.
import * as tf from '@tensorflow/tfjs';
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Runs f and returns its result with the peak of tf.memory().numBytes during it. */
export async function withPeakBytes<T>(f: () => Promise<T>): Promise<{ result: T; peakBytes: number }> {
  const flag = 'CHECK_COMPUTATION_FOR_ERRORS';
  const was = tf.env().getBool(flag);
  tf.env().set(flag, false); // otherwise profiling reads back every kernel's output
  const out: T[] = [];
  try {
    const info = await tf.profile(async () => {
      out.push(await f());
    });
    return { result: out[0], peakBytes: Math.max(info.peakBytes, tf.memory().numBytes) };
  } finally {
    tf.env().set(flag, was);
  }
}

/**
 * Bytes of the wasm backend's heap, or null on another backend. A wasm memory only grows, so read at
 * the end of a run this is the physical high-water mark (tensors, allocator slack, the module itself);
 * tf.memory().numBytes instead counts every tensor, a reshape view as much as its buffer.
 */
export function wasmHeapBytes(): number | null {
  const b = tf.backend();
  return b instanceof BackendWasm && 'HEAPU8' in b.wasm && b.wasm.HEAPU8 instanceof Uint8Array ? b.wasm.HEAPU8.buffer.byteLength : null; // HEAPU8: the emscripten heap view (not in the typings)
}
