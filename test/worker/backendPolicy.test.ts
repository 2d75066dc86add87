import { test, expect } from 'vitest';
import {
  adapterLabel,
  candidates,
  formatReason,
  parseBackendRequest,
  summarizeAdapter,
  wasmNote,
  webgpuSkipReason,
} from '../../src/worker/backendPolicy';

// Shapes as Chromium reports them: headless Chromium with --enable-unsafe-webgpu on a machine without
// a GPU gives SwiftShader with info.isFallbackAdapter = true; a laptop GPU gives a vendor/architecture.
const swiftshader = {
  features: new Set(['float32-filterable']),
  info: { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true },
};
const nvidia = {
  isFallbackAdapter: false,
  features: new Set(['shader-f16', 'timestamp-query']),
  info: { vendor: 'nvidia', architecture: 'ampere', device: '', description: '' },
};
const llvmpipe = {
  features: new Set(),
  info: { vendor: 'mesa', architecture: '', device: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' },
};

test('summarizeAdapter recognises software adapters by flag or by name', () => {
  const s = summarizeAdapter(swiftshader);
  expect(s).toMatchObject({ isFallback: true, software: true, shaderF16: false, vendor: 'google', architecture: 'swiftshader' });
  expect(adapterLabel(s)).toBe('SwiftShader');
  const n = summarizeAdapter(nvidia);
  expect(n).toMatchObject({ isFallback: false, software: false, shaderF16: true });
  expect(adapterLabel(n)).toBe('nvidia ampere');
  // Not flagged as fallback, but a CPU rasterizer by name.
  expect(summarizeAdapter(llvmpipe)).toMatchObject({ isFallback: false, software: true });
  // The older place of the flag (on GPUAdapter itself) is read too.
  expect(summarizeAdapter({ isFallbackAdapter: true, info: {} }).software).toBe(true);
  // Nothing usable: empty strings, not a crash.
  expect(summarizeAdapter(null)).toMatchObject({ vendor: '', software: false, shaderF16: false });
});

test('auto never takes a software adapter; an explicit webgpu request does', () => {
  const soft = summarizeAdapter(swiftshader);
  expect(webgpuSkipReason('auto', soft, null)).toBe('software adapter (SwiftShader), slower than wasm here');
  expect(webgpuSkipReason('webgpu', soft, null)).toBeNull();
  expect(webgpuSkipReason('auto', summarizeAdapter(nvidia), null)).toBeNull();
  expect(webgpuSkipReason('auto', null, 'no WebGPU here (navigator.gpu missing)')).toBe('no WebGPU here (navigator.gpu missing)');
  expect(webgpuSkipReason('webgpu', null, null)).toBe('no WebGPU adapter');
});

test('candidate order: auto walks webgpu, wasm, webgl, cpu; explicit is alone unless fallback', () => {
  expect(candidates('auto', false)).toEqual(['webgpu', 'wasm', 'webgl', 'cpu']);
  expect(candidates('webgl', false)).toEqual(['webgl']);
  expect(candidates('webgl', true)).toEqual(['webgl', 'webgpu', 'wasm', 'cpu']);
});

test('the reason lists every attempt in order', () => {
  const reason = formatReason('auto', [
    { backend: 'webgpu', ok: false, note: 'software adapter (SwiftShader), slower than wasm here' },
    { backend: 'wasm', ok: true, note: wasmNote(2, true, true) },
  ]);
  expect(reason).toBe('auto — webgpu: skipped, software adapter (SwiftShader), slower than wasm here; wasm: ok, 2 threads SIMD');
  expect(formatReason('cpu', [{ backend: 'cpu', ok: true, note: '' }])).toBe('requested cpu — cpu: ok');
  expect(wasmNote(1, false, false)).toBe('1 thread no SIMD (page not cross-origin isolated: no threads)');
});

test('parseBackendRequest accepts exactly the five names', () => {
  for (const n of ['auto', 'webgpu', 'wasm', 'webgl', 'cpu']) expect(parseBackendRequest(n)).toBe(n);
  for (const n of ['WASM', 'gpu', '', null, undefined]) expect(parseBackendRequest(n)).toBeNull();
});
