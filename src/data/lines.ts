// Streams text lines out of bytes, without ever holding the whole input as one string: a 50 MB
// JSONL file is decoded chunk by chunk and only the current partial line is carried over.

/** What a dataset can be read from: a string, a byte stream (File.stream(), fetch body) or chunks. */
export type TextSource = string | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

function isReadableStream(s: TextSource): s is ReadableStream<Uint8Array> {
  return typeof s === 'object' && 'getReader' in s;
}

async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  // getReader() rather than `for await (const c of stream)`: Safari's streams are not async-iterable.
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** One line of text (without its "\n" or "\r\n") and its 1-based number. */
export interface NumberedLine {
  line: number;
  text: string;
}

/** Yields the lines of `source` with 1-based numbers. A UTF-8 byte order mark at the start is dropped. */
export async function* readLines(source: TextSource): AsyncGenerator<NumberedLine> {
  let lineNo = 0;
  const strip = (s: string) => (s.endsWith('\r') ? s.slice(0, -1) : s);
  if (typeof source === 'string') {
    let start = source.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (start <= source.length) {
      const nl = source.indexOf('\n', start);
      const end = nl < 0 ? source.length : nl;
      if (nl >= 0 || end > start) yield { line: ++lineNo, text: strip(source.slice(start, end)) };
      if (nl < 0) return;
      start = nl + 1;
    }
    return;
  }
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let first = true;
  const iterable: AsyncIterable<Uint8Array> = isReadableStream(source) ? chunksOf(source) : source;
  for await (const chunk of iterable) {
    let text = carry + decoder.decode(chunk, { stream: true });
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      yield { line: ++lineNo, text: strip(text.slice(start, nl)) };
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  carry += decoder.decode();
  if (first && carry.charCodeAt(0) === 0xfeff) carry = carry.slice(1);
  if (carry.length > 0) yield { line: ++lineNo, text: strip(carry) };
}
