// A scripted OpenAI-compatible server on 127.0.0.1 for judge tests: records every request (path, headers,
// JSON body) and answers from a queue of replies the test gives (status, body, delay). Any origin may call
// it (CORS, as api.openai.com allows), so the page's worker can in the browser tests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  status?: number;
  /** A chat answer text (wrapped as choices[0].message.content), or a raw JSON body. */
  content?: string;
  body?: unknown;
  delayMs?: number;
  headers?: Record<string, string>;
}

export interface Recorded {
  path: string;
  auth: string | undefined;
  body: Record<string, unknown>;
}

export interface FakeOpenAI {
  baseURL: string;
  requests: Recorded[];
  /** Replies used in order; when empty, `fallback` answers. */
  replies: Reply[];
  fallback: (req: Recorded) => Reply;
  close(): Promise<void>;
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const fake: FakeOpenAI = {
    baseURL: '',
    requests: [],
    replies: [],
    fallback: () => ({ status: 500, body: { error: 'no reply scripted' } }),
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server: Server = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      // a CORS preflight: not a request of the judge, so not recorded
      res.writeHead(204, { 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'authorization, content-type' });
      res.end();
      return;
    }
    let data = '';
    req.on('data', (c: Buffer) => {
      data += c.toString('utf8');
    });
    req.on('end', () => {
      const parsed: unknown = JSON.parse(data || '{}');
      const body =
        typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.fromEntries(Object.entries(parsed)) : {};
      const rec: Recorded = { path: req.url ?? '', auth: req.headers.authorization, body };
      fake.requests.push(rec);
      const reply = fake.replies.shift() ?? fake.fallback(rec);
      const send = (): void => {
        if (res.destroyed) return;
        const out =
          reply.content !== undefined
            ? {
                id: 'x',
                object: 'chat.completion',
                choices: [{ index: 0, message: { role: 'assistant', content: reply.content }, finish_reason: 'stop' }],
              }
            : reply.body;
        res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json', ...(reply.headers ?? {}) });
        res.end(JSON.stringify(out));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`; // listen() on a TCP port gives an AddressInfo
  return fake;
}
