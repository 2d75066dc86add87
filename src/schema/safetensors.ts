// safetensors reader and writer (https://github.com/huggingface/safetensors format):
//   [u64 little-endian header length N][N bytes of JSON header][raw tensor bytes]
// header: { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": {...} }, offsets
// relative to the end of the header. F32, F16 and BF16 are read as float32; the writer emits F32.

export interface NamedTensor {
  /** Row-major shape, e.g. [out, in] for a Linear weight. */
  shape: number[];
  /** Values as float32 (converted from F16/BF16 when the file stores those). */
  data: Float32Array;
}

/** A safetensors file that cannot be read: names the file and what is wrong. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
  constructor(
    readonly source: string,
    problem: string,
  ) {
    super(`${source}: ${problem}`);
  }
}

const SIZES: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };

/** IEEE half (binary16) bits to a float. */
export function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // subnormal (or zero)
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const BITS = new Uint32Array(1);
const FLOAT = new Float32Array(BITS.buffer);

/** bfloat16 bits to a float: the top 16 bits of a float32. */
export function bf16ToF32(h: number): number {
  BITS[0] = (h & 0xffff) << 16;
  return FLOAT[0];
}

/** Every half value as float32, built on first use (a look-up per element instead of arithmetic). */
let halfTable: Float32Array | null = null;
function f16Table(): Float32Array {
  if (halfTable === null) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = f16ToF32(h);
  }
  return halfTable;
}

/** Whether this machine stores numbers little-endian, as safetensors does (every platform a browser runs on). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The float32 values of `raw` (a tensor's bytes, little-endian `dtype`), converted in bulk: the bytes are
 * copied once into aligned memory and read through typed arrays. (Reading them one DataView call at a
 * time, with a fresh buffer per bfloat16, took 177 s for SmolLM2-135M's 270 MB; BENCHMARKS "Real models".)
 */
function toFloat32(raw: Uint8Array, dtype: string, count: number): Float32Array {
  const data = new Float32Array(count);
  if (!LITTLE_ENDIAN) {
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    if (dtype === 'F32') for (let i = 0; i < count; i++) data[i] = dv.getFloat32(4 * i, true);
    else if (dtype === 'F16') for (let i = 0; i < count; i++) data[i] = f16ToF32(dv.getUint16(2 * i, true));
    else for (let i = 0; i < count; i++) data[i] = bf16ToF32(dv.getUint16(2 * i, true));
    return data;
  }
  if (dtype === 'F32') {
    new Uint8Array(data.buffer).set(raw);
    return data;
  }
  const half = new Uint16Array(count);
  new Uint8Array(half.buffer).set(raw);
  if (dtype === 'F16') {
    const table = f16Table();
    for (let i = 0; i < count; i++) data[i] = table[half[i]];
  } else {
    const bits = new Uint32Array(data.buffer);
    for (let i = 0; i < count; i++) bits[i] = half[i] << 16;
  }
  return data;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Parses a whole safetensors file. `source` (a path or name) is used in error messages. */
export function parseSafetensors(bytes: Uint8Array, source: string): Map<string, NamedTensor> {
  if (bytes.byteLength < 8)
    throw new SafetensorsError(
      source,
      `file is truncated (${bytes.byteLength} bytes; a safetensors file starts with an 8-byte header length)`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.byteLength) {
    throw new SafetensorsError(
      source,
      `header length ${n} is larger than the file (${bytes.byteLength} bytes): the file is truncated or not a safetensors file`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new SafetensorsError(source, `header is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(header)) throw new SafetensorsError(source, 'header must be a JSON object');
  const dataStart = 8 + n;
  const dataLen = bytes.byteLength - dataStart;
  const out = new Map<string, NamedTensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (!isObject(info)) throw new SafetensorsError(source, `tensor "${name}": header entry must be an object`);
    const { dtype, shape, data_offsets: offs } = info;
    if (typeof dtype !== 'string' || !(dtype in SIZES)) {
      throw new SafetensorsError(
        source,
        `tensor "${name}" has dtype ${JSON.stringify(dtype)}; supported: F32, F16, BF16 (convert the checkpoint, e.g. to float32)`,
      );
    }
    if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
      throw new SafetensorsError(source, `tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    }
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
      throw new SafetensorsError(source, `tensor "${name}" has invalid data_offsets ${JSON.stringify(offs)}`);
    }
    const dims = shape as number[]; // every element checked to be an integer above
    const [begin, end] = offs as number[]; // checked above
    const count = dims.reduce((a, b) => a * b, 1);
    const size = SIZES[dtype];
    if (end < begin || end > dataLen) {
      throw new SafetensorsError(
        source,
        `tensor "${name}" data_offsets [${begin}, ${end}] are out of range (data section is ${dataLen} bytes): the file is truncated or corrupt`,
      );
    }
    if (end - begin !== count * size) {
      throw new SafetensorsError(
        source,
        `tensor "${name}" occupies ${end - begin} bytes but shape [${dims.join(', ')}] of ${dtype} needs ${count * size}`,
      );
    }
    const data = toFloat32(bytes.subarray(dataStart + begin, dataStart + end), dtype, count);
    out.set(name, { shape: dims.slice(), data });
  }
  return out;
}

/** Writes tensors as F32 safetensors, names sorted, with `__metadata__: {format: "pt"}` as transformers expects. */
export function serializeSafetensors(tensors: Map<string, NamedTensor>): Uint8Array {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name);
    if (t === undefined) continue;
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length)
      throw new RangeError(`serializeSafetensors: tensor "${name}" has shape [${t.shape.join(', ')}] but ${t.data.length} values`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * count] };
    offset += 4 * count;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data section starts 8-byte aligned (as the reference writer does).
  while ((8 + new TextEncoder().encode(json).length) % 8 !== 0) json += ' ';
  const hb = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + hb.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  let at = 8 + hb.length;
  for (const name of names) {
    const t = tensors.get(name);
    if (t === undefined) continue;
    for (let i = 0; i < t.data.length; i++) view.setFloat32(at + 4 * i, t.data[i], true);
    at += 4 * t.data.length;
  }
  return out;
}
