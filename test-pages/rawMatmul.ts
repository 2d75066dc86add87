/// <reference types="@webgpu/types" />
// A plain WGSL n×n matmul on WebGPU, the same tiled shader in f32 and (where the adapter has
// `shader-f16`) f16, timed warm; tfjs has no f16 dtype, so this is how scripts/benchGpu.sh shows what
// 16-bit math would buy on a GPU. Each result is checked on 32 entries against a float64 dot product
// in JavaScript (maxRelErr), so a broken shader cannot report a speed.
// Tiling: a 16×16 workgroup computes a 64×64 block of C, each invocation 4×4, K in steps of 16.

/** Throughput of the plain shader, and its error against float64 on sampled entries. */
export interface RawMatmul {
  n: number;
  f32: { gflops: number; maxRelErr: number };
  /** null when the adapter has no shader-f16. */
  f16: { gflops: number; maxRelErr: number } | null;
}

function shader(t: 'f32' | 'f16'): string {
  return `${t === 'f16' ? 'enable f16;' : ''}
@group(0) @binding(0) var<storage, read> A: array<${t}>;
@group(0) @binding(1) var<storage, read> B: array<${t}>;
@group(0) @binding(2) var<storage, read_write> C: array<${t}>;
@group(0) @binding(3) var<uniform> N: u32;
var<workgroup> As: array<array<${t}, 16>, 64>;
var<workgroup> Bs: array<array<${t}, 64>, 16>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let row0 = wg.y * 64u + l.y * 4u;
  let col0 = wg.x * 64u + l.x * 4u;
  var acc: array<array<${t}, 4>, 4>;
  for (var k0 = 0u; k0 < N; k0 += 16u) {
    for (var i = 0u; i < 4u; i++) {
      As[l.y * 4u + i][l.x] = A[(wg.y * 64u + l.y * 4u + i) * N + k0 + l.x];
      Bs[l.y][l.x * 4u + i] = B[(k0 + l.y) * N + wg.x * 64u + l.x * 4u + i];
    }
    workgroupBarrier();
    for (var k = 0u; k < 16u; k++) {
      for (var i = 0u; i < 4u; i++) {
        let a = As[l.y * 4u + i][k];
        for (var j = 0u; j < 4u; j++) { acc[i][j] += a * Bs[k][l.x * 4u + j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) { C[(row0 + i) * N + col0 + j] = acc[i][j]; }
  }
}`;
}

/** float32 → IEEE half bits (round to nearest; inputs here are small and normal). */
function toHalf(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  if (exp <= 0) return sign;
  return sign | (exp << 10) | (((u >>> 13) & 0x3ff) + ((u >>> 12) & 1));
}

function fromHalf(h: number): number {
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  const v = e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15);
  return h & 0x8000 ? -v : v;
}

async function timeOne(
  device: GPUDevice,
  t: 'f32' | 'f16',
  n: number,
  a: Float64Array,
  b: Float64Array,
): Promise<{ gflops: number; maxRelErr: number }> {
  const bytes = t === 'f16' ? 2 : 4;
  const pack = (x: Float64Array): ArrayBuffer => (t === 'f16' ? Uint16Array.from(x, toHalf).buffer : Float32Array.from(x).buffer);
  const mk = (usage: number, size: number): GPUBuffer => device.createBuffer({ size, usage });
  const bufA = mk(GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST, n * n * bytes);
  const bufB = mk(GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST, n * n * bytes);
  const bufC = mk(GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC, n * n * bytes);
  const bufN = mk(GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, 16);
  const read = mk(GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, n * n * bytes);
  device.queue.writeBuffer(bufA, 0, pack(a));
  device.queue.writeBuffer(bufB, 0, pack(b));
  device.queue.writeBuffer(bufN, 0, new Uint32Array([n, 0, 0, 0]));
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: { module: device.createShaderModule({ code: shader(t) }), entryPoint: 'main' },
  });
  const bind = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [bufA, bufB, bufC, bufN].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const runs = async (count: number): Promise<number> => {
    const t0 = performance.now();
    const enc = device.createCommandEncoder();
    for (let r = 0; r < count; r++) {
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(n / 64, n / 64);
      pass.end();
    }
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    return performance.now() - t0;
  };
  await runs(1); // compiles and warms up
  let count = 1;
  let ms = await runs(count);
  while (ms < 200 && count < 256) {
    count *= 4;
    ms = await runs(count);
  } // long enough to time
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(bufC, 0, read, 0, n * n * bytes);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const raw = read.getMappedRange();
  const c = t === 'f16' ? Array.from(new Uint16Array(raw), fromHalf) : Array.from(new Float32Array(raw));
  read.unmap();
  let maxRelErr = 0;
  for (let s = 0; s < 32; s++) {
    const i = (s * 331) % n;
    const j = (s * 577 + 13) % n;
    let ref = 0;
    let scale = 0;
    for (let k = 0; k < n; k++) {
      ref += a[i * n + k] * b[k * n + j];
      scale += Math.abs(a[i * n + k] * b[k * n + j]);
    }
    maxRelErr = Math.max(maxRelErr, Math.abs(c[i * n + j] - ref) / Math.max(scale, 1e-30));
  }
  for (const x of [bufA, bufB, bufC, bufN, read]) x.destroy();
  return { gflops: (2 * n ** 3 * count) / (ms / 1000) / 1e9, maxRelErr };
}

/** f32 and (with shader-f16) f16 GFLOP/s of the plain shader on an n×n problem (n a multiple of 64). */
export async function rawMatmulGflops(n: number): Promise<RawMatmul> {
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) throw new Error('no WebGPU adapter');
  const f16 = adapter.features.has('shader-f16');
  const device = await adapter.requestDevice({ requiredFeatures: f16 ? ['shader-f16'] : [] });
  // Pseudo-random inputs in [-1, 1) with few mantissa bits, exactly representable in f16.
  let x = 12345;
  const next = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (((x >>> 16) % 64) - 32) / 32;
  };
  const a = Float64Array.from({ length: n * n }, next);
  const b = Float64Array.from({ length: n * n }, next);
  try {
    return { n, f32: await timeOne(device, 'f32', n, a, b), f16: f16 ? await timeOne(device, 'f16', n, a, b) : null };
  } finally {
    device.destroy();
  }
}
