// The real backend picker on real tfjs in Node (wasm and cpu exist here; webgpu and webgl do not).
import { afterEach, beforeEach, test, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, chooseBackend } from '../../src/worker/backend';

// Node 21+ defines a navigator (without gpu); Node 20 none. Each test starts from "no navigator".
const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
beforeEach(() => {
  Reflect.deleteProperty(globalThis, 'navigator');
});
afterEach(() => {
  Reflect.deleteProperty(globalThis, 'navigator');
  if (original) Object.defineProperty(globalThis, 'navigator', original);
});

/** Pretends the environment offers a WebGPU adapter (tfjs registered no webgpu backend in Node). */
function fakeGpu(info: Record<string, unknown>): void {
  const adapter = { features: new Set<string>(), info };
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter: async () => adapter } }, configurable: true });
}

test('auto in Node: webgpu is skipped for lack of navigator.gpu, wasm wins and is really in use', async () => {
  const c = await chooseBackend('auto');
  expect(c.backend).toBe('wasm');
  expect(tf.getBackend()).toBe('wasm');
  expect(c.details.attempts.map((a) => [a.backend, a.ok])).toEqual([
    ['webgpu', false],
    ['wasm', true],
  ]);
  expect(c.details.wasm?.threads).toBeGreaterThanOrEqual(1);
  expect(c.details.environment).toBe('node');
  expect(c.reason).toMatch(/^auto — webgpu: skipped, no WebGPU here \(navigator.gpu missing\); wasm: ok, \d+ threads? (SIMD|no SIMD)$/);
});

test('explicit cpu gives cpu', async () => {
  const c = await chooseBackend('cpu');
  expect(c.backend).toBe('cpu');
  expect(tf.getBackend()).toBe('cpu');
  expect(c.reason).toBe('requested cpu — cpu: ok, plain JavaScript, slowest');
});

test('a real-GPU adapter that tfjs cannot use is reported as failed, never as the backend', async () => {
  fakeGpu({ vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false });
  const c = await chooseBackend('auto');
  expect(c.backend).toBe('wasm');
  expect(tf.getBackend()).toBe('wasm');
  const first = c.details.attempts[0];
  expect(first.backend).toBe('webgpu');
  expect(first.ok).toBe(false);
  expect(first.note).toMatch(/^failed: .*webgpu/); // it was tried, and tfjs could not set it
  expect(c.details.adapter?.software).toBe(false);
});

test('a software adapter is skipped in auto without trying it', async () => {
  fakeGpu({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true });
  const c = await chooseBackend('auto');
  expect(c.backend).toBe('wasm');
  expect(c.details.attempts[0]).toEqual({ backend: 'webgpu', ok: false, note: 'software adapter (SwiftShader), slower than wasm here' });
});

test('an explicit backend that fails throws a named error, or falls back when asked to', async () => {
  const err = await chooseBackend('webgl').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BackendUnavailableError);
  expect(String(err)).toMatch(/webgl: skipped, no WebGL in Node/);
  expect(String(err)).toMatch(/Choose another backend/);
  const c = await chooseBackend('webgl', { fallback: true });
  expect(c.backend).not.toBe('webgl');
  expect(c.details.attempts[0]).toEqual({ backend: 'webgl', ok: false, note: 'no WebGL in Node' });
  expect(c.reason.startsWith('requested webgl — webgl: skipped, no WebGL in Node; ')).toBe(true);
});
