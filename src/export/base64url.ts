// base64url (RFC 4648 §5, no padding) for bytes, and deflate + base64url for text: how a grader's
// source rides in a URL hash. Plain code (no btoa/Buffer) so it runs the same in Node, a page and a worker.
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const INDEX = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));

/** Text that is not valid base64url, or whose bytes do not inflate back to text. */
export class Base64UrlError extends Error {
  override name = 'Base64UrlError';
}

/** Bytes → base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

/** base64url (padding optional) → bytes; throws Base64UrlError naming the first bad character. */
export function fromBase64Url(text: string): Uint8Array {
  const s = text.replace(/=+$/, '');
  if (s.length % 4 === 1) throw new Base64UrlError(`base64url text of length ${s.length} cannot encode whole bytes (was it cut short?)`);
  const out = new Uint8Array(Math.floor((s.length * 6) / 8));
  let bits = 0,
    acc = 0,
    o = 0;
  for (let i = 0; i < s.length; i++) {
    const v = INDEX.get(s[i]);
    if (v === undefined)
      throw new Base64UrlError(`character ${JSON.stringify(s[i])} at position ${i + 1} is not base64url (A-Z a-z 0-9 - _)`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out;
}

/** UTF-8 text → raw deflate → base64url. */
export function compressText(text: string): string {
  return toBase64Url(deflateSync(strToU8(text), { level: 9 }));
}

/** Inverse of compressText; throws Base64UrlError when the data is not valid. */
export function decompressText(encoded: string): string {
  const bytes = fromBase64Url(encoded);
  try {
    return strFromU8(inflateSync(bytes));
  } catch (e) {
    throw new Base64UrlError(`compressed data does not inflate (${e instanceof Error ? e.message : String(e)}); the link may be truncated`);
  }
}
