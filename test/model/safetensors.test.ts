import { test, expect } from 'vitest';
import { bf16ToF32, f16ToF32, parseSafetensors, serializeSafetensors, SafetensorsError } from '../../src/model';

/** A safetensors file built by hand (independent of the writer). */
function handMade(header: object, data: Uint8Array): Uint8Array {
  const hb = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + hb.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  out.set(data, 8 + hb.length);
  return out;
}

test('F16 and BF16 bit patterns convert to the hand-computed floats', () => {
  expect(f16ToF32(0x3c00)).toBe(1);
  expect(f16ToF32(0xc000)).toBe(-2);
  expect(f16ToF32(0x3555)).toBeCloseTo(0.333251953125, 12);
  expect(f16ToF32(0x0001)).toBe(2 ** -24);
  expect(f16ToF32(0x7c00)).toBe(Infinity);
  expect(bf16ToF32(0x3f80)).toBe(1);
  expect(bf16ToF32(0xc040)).toBe(-3);
  expect(bf16ToF32(0x3e80)).toBe(0.25);
});

test('reads F16 and BF16 tensors from a hand-made file', () => {
  const data = new Uint8Array([0x00, 0x3c, 0x00, 0xc0, 0x80, 0x3f, 0x40, 0xc0]); // LE: f16 1,-2 ; bf16 1,-3
  const bytes = handMade(
    { a: { dtype: 'F16', shape: [2], data_offsets: [0, 4] }, b: { dtype: 'BF16', shape: [1, 2], data_offsets: [4, 8] } },
    data,
  );
  const t = parseSafetensors(bytes, 'hand.safetensors');
  expect(Array.from(t.get('a')!.data)).toEqual([1, -2]);
  expect(t.get('b')!.shape).toEqual([1, 2]);
  expect(Array.from(t.get('b')!.data)).toEqual([1, -3]);
});

test('tensors at odd byte offsets (no header padding, the file inside a larger buffer) read the same values', () => {
  // f16: 1, -2, 2^-24 (subnormal), Infinity; bf16: 1, -3, -0; f32: 1.5, -2 (all little-endian)
  const f16 = [0x3c00, 0xc000, 0x0001, 0x7c00],
    bf16 = [0x3f80, 0xc040, 0x8000];
  const data: number[] = [];
  for (const h of [...f16, ...bf16]) data.push(h & 0xff, h >> 8);
  const f32 = new Uint8Array(Float32Array.from([1.5, -2]).buffer);
  data.push(...f32);
  const header = {
    h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] },
    b: { dtype: 'BF16', shape: [3], data_offsets: [8, 14] },
    f: { dtype: 'F32', shape: [2], data_offsets: [14, 22] },
  };
  const file = handMade(header, Uint8Array.from(data));
  for (const shift of [0, 1, 3]) {
    const host = new Uint8Array(file.length + shift);
    host.set(file, shift);
    const t = parseSafetensors(host.subarray(shift), 'odd.safetensors');
    expect(Array.from(t.get('h')!.data)).toEqual([1, -2, 2 ** -24, Infinity]);
    expect(Array.from(t.get('b')!.data)).toEqual([1, -3, -0]);
    expect(Object.is(t.get('b')!.data[2], -0)).toBe(true);
    expect(Array.from(t.get('f')!.data)).toEqual([1.5, -2]);
  }
});

test('round trip keeps names, shapes and values; header is 8-byte aligned with format pt', () => {
  const m = new Map([
    ['x.weight', { shape: [2, 3], data: Float32Array.from([1.5, -2, 3.25, 0, 1e-8, -7]) }],
    ['a.bias', { shape: [1], data: Float32Array.from([42]) }],
  ]);
  const bytes = serializeSafetensors(m);
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  expect((8 + n) % 8).toBe(0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  expect(header.__metadata__).toEqual({ format: 'pt' });
  const back = parseSafetensors(bytes, 'rt');
  expect([...back.keys()].sort()).toEqual(['a.bias', 'x.weight']);
  expect(back.get('x.weight')!.shape).toEqual([2, 3]);
  expect(Array.from(back.get('x.weight')!.data)).toEqual(Array.from(m.get('x.weight')!.data));
  expect(Array.from(back.get('a.bias')!.data)).toEqual([42]);
});

test('truncated file, oversized header, bad JSON, out-of-range offsets and bad dtype give named errors', () => {
  const good = serializeSafetensors(new Map([['w', { shape: [4], data: new Float32Array(4) }]]));
  expect(() => parseSafetensors(good.subarray(0, 5), 'm.safetensors')).toThrow(/m\.safetensors: file is truncated/);
  const big = good.slice();
  new DataView(big.buffer).setBigUint64(0, 10_000n, true);
  expect(() => parseSafetensors(big, 'm.safetensors')).toThrow(/m\.safetensors: header length 10000 is larger than the file/);
  expect(() => parseSafetensors(good.subarray(0, good.length - 4), 'cut.safetensors')).toThrow(
    /cut\.safetensors: tensor "w" data_offsets \[0, 16\] are out of range/,
  );
  const badJson = handMade({}, new Uint8Array(0));
  badJson[8] = 0x7a; // 'z' replaces '{'
  expect(() => parseSafetensors(badJson, 'j.safetensors')).toThrow(SafetensorsError);
  expect(() => parseSafetensors(badJson, 'j.safetensors')).toThrow(/j\.safetensors: header is not valid JSON/);
  const i8 = handMade({ w: { dtype: 'I8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1));
  expect(() => parseSafetensors(i8, 'q.safetensors')).toThrow(/q\.safetensors: tensor "w" has dtype "I8"; supported: F32, F16, BF16/);
});
