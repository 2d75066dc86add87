// HTTP for model files: status handling with messages that name the file, streamed bodies counted into
// progress, and the safetensors header read with two Range requests (to size a model before its weights).
// Plain fetch: it follows the Hub's 302 to its CDN by itself, streams bodies and takes an AbortSignal, so
// @huggingface/hub (whose downloadFile is the same fetch plus auth and its own cache) adds nothing needed here.
import type { ProgressTracker } from './progress';

export type FetchFn = typeof fetch;

/** A file that could not be downloaded: names the file, the URL and why. */
export class HubDownloadError extends Error {
  override name = 'HubDownloadError';
  constructor(
    readonly file: string,
    readonly url: string,
    reason: string,
    readonly status: number | null = null,
  ) {
    super(`${file}: ${reason} (${url})`);
  }
}

/** The download was cancelled through its AbortSignal; nothing was cached. */
export class DownloadCancelledError extends Error {
  override name = 'DownloadCancelledError';
  constructor(readonly file: string) {
    super(`download cancelled while fetching ${file}; nothing was cached`);
  }
}

/** What a request needs besides its URL. */
export interface RequestContext {
  /** The fetch to use (globalThis.fetch by default; tests and the page may pass their own). */
  fetch: FetchFn;
  /** Cancels the request and its body. */
  signal?: AbortSignal;
}

function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return `${e.message}${cause}`;
}

/**
 * GETs `url`. Returns null on 404 when `optional`; throws HubDownloadError for other failures and
 * DownloadCancelledError when the signal fired.
 */
export async function getFile(
  ctx: RequestContext,
  url: string,
  file: string,
  optional: false,
  headers?: Record<string, string>,
): Promise<Response>;
export async function getFile(
  ctx: RequestContext,
  url: string,
  file: string,
  optional: boolean,
  headers?: Record<string, string>,
): Promise<Response | null>;
export async function getFile(
  ctx: RequestContext,
  url: string,
  file: string,
  optional: boolean,
  headers?: Record<string, string>,
): Promise<Response | null> {
  let res: Response;
  try {
    res = await ctx.fetch(url, { signal: ctx.signal, redirect: 'follow', headers });
  } catch (e) {
    if (ctx.signal?.aborted) throw new DownloadCancelledError(file);
    throw new HubDownloadError(file, url, `could not connect (${describeError(e)}); check the address, the Hub endpoint and your network`);
  }
  if (res.ok) return res;
  await res.body?.cancel().catch(() => undefined);
  if (res.status === 404 && optional) return null;
  if (res.status === 404) throw new HubDownloadError(file, url, 'not found (HTTP 404); the model needs this file', 404);
  if (res.status === 401 || res.status === 403) {
    throw new HubDownloadError(
      file,
      url,
      `refused (HTTP ${res.status}): the repository does not exist, or it is private or gated (Cherry sends no access token)`,
      res.status,
    );
  }
  throw new HubDownloadError(file, url, `the server answered HTTP ${res.status} ${res.statusText}`.trim(), res.status);
}

/** The chunks as one array. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** The Content-Length of a full (200) response, or null. */
export function contentLength(res: Response): number | null {
  const v = res.headers.get('content-length');
  const n = v === null ? NaN : Number(v);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/**
 * The body of `res` as chunks, counted into `tracker`; throws HubDownloadError when the connection breaks
 * or fewer/more bytes than `expected` arrive, DownloadCancelledError when the signal fires.
 */
export async function* countedBody(
  ctx: RequestContext,
  res: Response,
  url: string,
  file: string,
  expected: number | null,
  tracker: ProgressTracker,
): AsyncGenerator<Uint8Array> {
  if (!res.body) throw new HubDownloadError(file, url, 'the response has no body');
  const reader = res.body.getReader();
  let got = 0;
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (e) {
        if (ctx.signal?.aborted) throw new DownloadCancelledError(file);
        throw new HubDownloadError(
          file,
          url,
          `the connection broke after ${got}${expected === null ? '' : ` of ${expected}`} bytes (${describeError(e)}); try again`,
        );
      }
      if (step.done) break;
      got += step.value.byteLength;
      if (expected !== null && got > expected)
        throw new HubDownloadError(file, url, `the server sent more than the ${expected} bytes it announced`);
      tracker.add(file, step.value.byteLength, got, expected, false);
      yield step.value;
    }
    if (ctx.signal?.aborted) throw new DownloadCancelledError(file);
    if (expected !== null && got !== expected)
      throw new HubDownloadError(file, url, `the download ended after ${got} of ${expected} bytes; try again`);
    tracker.add(file, 0, got, expected ?? got, true);
  } finally {
    reader.releaseLock();
    if (got !== expected) await res.body.cancel().catch(() => undefined);
  }
}

/** Reads the first `n` bytes of `url` with a Range request (a server that ignores Range is read up to n). */
async function readPrefix(
  ctx: RequestContext,
  url: string,
  file: string,
  start: number,
  n: number,
  optional: boolean,
): Promise<Uint8Array | null> {
  const res = await getFile(ctx, url, file, optional, { Range: `bytes=${start}-${start + n - 1}` });
  if (res === null) return null;
  if (!res.body) throw new HubDownloadError(file, url, 'the response has no body');
  const need = (res.status === 206 ? 0 : start) + n; // 200 = the server ignored Range and sends the whole file
  const parts: Uint8Array[] = [];
  let have = 0;
  const reader = res.body.getReader();
  try {
    while (have < need) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (e) {
        if (ctx.signal?.aborted) throw new DownloadCancelledError(file);
        throw new HubDownloadError(file, url, `the connection broke while reading the safetensors header (${describeError(e)})`);
      }
      if (step.done) break;
      parts.push(step.value);
      have += step.value.byteLength;
    }
  } finally {
    reader.releaseLock();
    await res.body.cancel().catch(() => undefined);
  }
  if (have < need)
    throw new HubDownloadError(
      file,
      url,
      `the file ends inside its safetensors header (${have} of ${need} bytes): it is truncated or not a safetensors file`,
    );
  return concat(parts).subarray(need - n, need);
}

/** What a safetensors header says about its file. */
export interface SafetensorsInfo {
  /** Number of parameters (sum of the tensors' element counts). */
  params: number;
  /** The file's full size: 8 + header + data. */
  fileSize: number;
}

const MAX_HEADER = 100_000_000; // safetensors' own limit on the header length

/** Reads only the header of a remote safetensors file; null when it is absent (404) and `optional`. */
export async function remoteSafetensorsInfo(
  ctx: RequestContext,
  url: string,
  file: string,
  optional: boolean,
): Promise<SafetensorsInfo | null> {
  const len = await readPrefix(ctx, url, file, 0, 8, optional);
  if (len === null) return null;
  const n = Number(new DataView(len.buffer, len.byteOffset, 8).getBigUint64(0, true));
  if (n === 0 || n > MAX_HEADER) throw new HubDownloadError(file, url, `header length ${n} is not plausible: not a safetensors file`);
  const head = await readPrefix(ctx, url, file, 8, n, false);
  if (head === null) throw new HubDownloadError(file, url, 'disappeared between two requests');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(head));
  } catch (e) {
    throw new HubDownloadError(file, url, `the safetensors header is not valid JSON (${describeError(e)})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new HubDownloadError(file, url, 'the safetensors header is not a JSON object');
  let params = 0;
  let end = 0;
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const shape: unknown = typeof info === 'object' && info !== null ? Reflect.get(info, 'shape') : undefined;
    const offs: unknown = typeof info === 'object' && info !== null ? Reflect.get(info, 'data_offsets') : undefined;
    if (
      !Array.isArray(shape) ||
      !Array.isArray(offs) ||
      offs.length !== 2 ||
      ![...shape, ...offs].every((d) => Number.isInteger(d) && d >= 0)
    ) {
      throw new HubDownloadError(file, url, `tensor "${name}" has an invalid shape or data_offsets in the safetensors header`);
    }
    params += shape.reduce((a: number, b: number) => a * b, 1);
    end = Math.max(end, Number(offs[1]));
  }
  return { params, fileSize: 8 + n + end };
}
