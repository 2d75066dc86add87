import { test, expect } from 'vitest';
import { parseJsonl, DatasetError } from '../../src/data';

const enc = new TextEncoder();

test('good rows in both forms, bad lines reported with 1-based line numbers', async () => {
  const text = [
    '{"prompt": "2+2=", "reference_answer": "4"}', // 1 ok
    '', // 2 blank
    '{"messages": [{"role": "system", "content": "Add."}, {"role": "user", "content": "1+2="}], "reference_answer": "3"}', // 3 ok
    '{"prompt": "a",}', // 4 bad JSON: '}' at column 16
    '[1, 2]', // 5 not an object
    '42', // 6 not an object
    '{"question": "x", "answer": "y"}', // 7 no prompt/messages
    '{"messages": "hi"}', // 8 messages not a list
    '{"messages": [{"content": "hi"}]}', // 9 no role
    '{"messages": [{"role": "user", "content": 5}]}', // 10 content not a string
    '{"prompt": 7}', // 11 prompt not a string
    '{"prompt": \'x\'}', // 12 bad JSON: single quotes at column 12
    '{"prompt": "tail", "n": 1}\r', // 13 ok (CRLF)
    '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}', // 14 ok: answer left out of the prompt
    '{"messages": [{"role": "assistant", "content": "hello"}]}', // 15 only an answer
  ].join('\n');
  const r = await parseJsonl(text, { source: 'mine.jsonl' });
  expect(r.items).toEqual([
    { prompt: '2+2=', reference_answer: '4' },
    {
      messages: [
        { role: 'system', content: 'Add.' },
        { role: 'user', content: '1+2=' },
      ],
      reference_answer: '3',
      prompt: 'Add.\n1+2=',
    },
    { prompt: 'tail', n: 1 },
    {
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
      ],
      prompt: 'hi',
    },
  ]);
  expect(r.errors.map((e) => e.line)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 15]);
  const msg = (line: number) => r.errors.find((e) => e.line === line)?.message ?? '';
  expect(r.errors[0].column).toBe(16);
  expect(msg(4)).toMatch(/invalid JSON at column 16: expected a property name/);
  expect(msg(5)).toMatch(/must be a JSON object.*got a list/);
  expect(msg(6)).toMatch(/got a number/);
  expect(msg(7)).toMatch(/no "prompt" or "messages" field \(found "question", "answer"\)/);
  expect(msg(8)).toMatch(/"messages" must be a list/);
  expect(msg(9)).toMatch(/"messages\[0\]\.role" must be a string/);
  expect(msg(10)).toMatch(/"messages\[0\]\.content" must be a string or a list of parts, got a number/);
  expect(msg(11)).toMatch(/"prompt" must be a string, got a number/);
  expect(r.errors[8].column).toBe(12);
  expect(msg(15)).toMatch(/only an assistant answer/);
  expect(r.summary).toMatchObject({
    source: 'mine.jsonl',
    lines: 14,
    blank: 1,
    accepted: 4,
    rejected: 10,
    formats: { messages: 2, prompt: 2 },
    fields: { reference_answer: 2, n: 1 },
  });
  expect(r.summary.text).toBe('mine.jsonl: 4 of 14 rows accepted (10 rejected, first at line 4); fields: reference_answer (2), n (1)');
});

test('maxErrors caps the list but not the count', async () => {
  const text = Array.from({ length: 10 }, () => 'nope').join('\n') + '\n{"prompt": "p"}';
  const r = await parseJsonl(text, { source: 'x', maxErrors: 3 });
  expect(r.errors.map((e) => e.line)).toEqual([1, 2, 3]);
  expect(r.summary.rejected).toBe(10);
  expect(r.items).toHaveLength(1);
});

test('an empty file is a DatasetError naming the file', async () => {
  await expect(parseJsonl('', { source: 'empty.jsonl' })).rejects.toThrow(DatasetError);
  await expect(parseJsonl('\n  \n', { source: 'blank.jsonl' })).rejects.toThrow(/blank\.jsonl: the file is empty \(2 blank lines\)/);
  const none = new ReadableStream<Uint8Array>({
    start(c) {
      c.close();
    },
  });
  await expect(parseJsonl(none, { source: 'stream.jsonl' })).rejects.toThrow(/stream\.jsonl: the file is empty/);
});

test('byte streams: lines and multi-byte characters split across chunks', async () => {
  const text = '\uFEFF{"prompt": "caf\u00e9 \u20ac"}\n{"prompt": "\u{1F352}"}\n{"prompt": "last"}';
  const bytes = enc.encode(text);
  // One byte per chunk splits every multi-byte character and every line ending.
  async function* oneByte() {
    for (const b of bytes) yield new Uint8Array([b]);
  }
  const a = await parseJsonl(oneByte(), { source: 's' });
  expect(a.items.map((i) => i.prompt)).toEqual(['caf\u00e9 \u20ac', '\u{1F352}', 'last']);
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bytes.slice(0, 7));
      c.enqueue(bytes.slice(7, 30));
      c.enqueue(bytes.slice(30));
      c.close();
    },
  });
  const b = await parseJsonl(stream, { source: 's' });
  expect(b.items).toEqual(a.items);
  expect(b.errors).toEqual([]);
});

test('a 50 MB file streams through in 64 KB chunks', async () => {
  // Rows of ~1 KB with the row index inside; every 1000th row is broken on purpose.
  const pad = 'x'.repeat(1000);
  const rowsPerChunk = 64;
  const chunks = 800; // 800 chunks * 64 rows * ~1 KB ~= 52 MB
  let bytesOut = 0;
  let maxChunk = 0;
  async function* gen(): AsyncGenerator<Uint8Array> {
    for (let c = 0; c < chunks; c++) {
      let s = '';
      for (let k = 0; k < rowsPerChunk; k++) {
        const i = c * rowsPerChunk + k;
        s += i % 1000 === 999 ? `{"prompt": "${i}"\n` : `{"prompt": "${i}+${pad}", "i": ${i}, "\u00e9": "\u20ac"}\n`;
      }
      const b = enc.encode(s);
      // Cut at an odd offset so chunk borders fall inside rows and inside multi-byte characters.
      const cut = 65_537 % b.length;
      bytesOut += b.length;
      maxChunk = Math.max(maxChunk, cut, b.length - cut);
      yield b.subarray(0, cut);
      yield b.subarray(cut);
    }
  }
  const t0 = Date.now();
  const r = await parseJsonl(gen(), { source: 'big.jsonl' });
  const total = chunks * rowsPerChunk;
  expect(bytesOut).toBeGreaterThan(50 * 1024 * 1024);
  expect(maxChunk).toBeLessThan(70_000);
  expect(r.summary.lines).toBe(total);
  expect(r.summary.rejected).toBe(Math.floor(total / 1000));
  expect(r.summary.accepted).toBe(total - Math.floor(total / 1000));
  expect(r.errors[0]).toMatchObject({ line: 1000, message: expect.stringMatching(/expected ',' or '}'/) });
  expect(r.items[12345]).toEqual({ prompt: `12357+${pad}`, i: 12357, '\u00e9': '\u20ac' }); // 12 broken rows before it
  expect(Date.now() - t0).toBeLessThan(20_000);
}, 30_000);
