// A local server that answers like the Hugging Face Hub, for tests (Node http on 127.0.0.1, port 0):
//   GET /{org}/{name}/resolve/{main|commit}/{file}  small files: 200 with ETag + X-Repo-Commit;
//       *.safetensors: 302 to /cdn/{commit}/{org}/{name}/{file} (as the Hub redirects LFS files to its CDN),
//       with X-Repo-Commit, X-Linked-Etag and X-Linked-Size; missing file: 404 (X-Error-Code: EntryNotFound);
//       unknown repo or revision: 401, as the Hub answers anonymous requests for them.
//   GET /cdn/{commit}/{org}/{name}/{file}          the bytes, with ETag and Range (206) support.
//   GET /static/{org}/{name}/{file}                a plain file server (ETag only, no commit): a "base URL".
// CORS headers as the Hub sends them, so a page on another origin can read ETag and X-Repo-Commit.
// Every request is logged; a file can be made to break (connection destroyed) or stall mid-body.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One repository: its files and the commit the server names. */
export interface HubRepo {
  /** File name → bytes. */
  files: Record<string, Uint8Array>;
  /** 40-hex commit sent as X-Repo-Commit; `main` resolves to it. */
  commit: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  /** The Range header, or null. */
  range: string | null;
}

export interface HubServer {
  /** http://127.0.0.1:PORT (no trailing slash): the Hub endpoint. */
  url: string;
  /** Every request received, in order. */
  requests: LoggedRequest[];
  /** Full-body GETs (no Range) that ended in the bytes of `file` (CDN or static or resolve 200). */
  bodyGets(file: string): number;
  /** Any request (Range or not, resolve or CDN) for `file`. */
  anyRequests(file: string): number;
  /** The next full-body GET of `file` sends `afterBytes` bytes, then the connection is destroyed. */
  breakNext(file: string, afterBytes: number): void;
  /** The next full-body GET of `file` sends `afterBytes` bytes, then stalls (until the client aborts or stop()). */
  stallNext(file: string, afterBytes: number): void;
  /** Stops listening and drops every connection; later requests fail to connect. */
  stop(): Promise<void>;
}

const digests = new WeakMap<Uint8Array, string>();

/** SHA-256 (hex) of `bytes`, computed once per array (the server sends it as ETag on every request). */
export function sha256(bytes: Uint8Array): string {
  let d = digests.get(bytes);
  if (d === undefined) {
    d = createHash('sha256').update(bytes).digest('hex');
    digests.set(bytes, d);
  }
  return d;
}

/** A 40-hex commit derived from a label (tests give each repo a different one). */
export function fakeCommit(label: string): string {
  return createHash('sha1').update(label).digest('hex');
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'X-Repo-Commit, ETag, Content-Length, Content-Range, X-Linked-Etag, X-Linked-Size, X-Error-Code',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/** Behaviour switches of the server. */
export interface HubServerOptions {
  /** Answer Range requests with the whole file (200), as some static servers do. */
  ignoreRange?: boolean;
}

export async function startHubServer(repos: Record<string, HubRepo>, opts: HubServerOptions = {}): Promise<HubServer> {
  const requests: LoggedRequest[] = [];
  const bodies: string[] = [];
  const faults = new Map<string, { mode: 'break' | 'stall'; after: number }>();

  function send(req: IncomingMessage, res: ServerResponse, file: string, bytes: Uint8Array, headers: Record<string, string>): void {
    const etag = `"${sha256(bytes)}"`;
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (m && !opts.ignoreRange) {
      const start = Number(m[1]);
      const end = Math.min(m[2] === '' ? bytes.length - 1 : Number(m[2]), bytes.length - 1);
      if (start >= bytes.length) {
        res.writeHead(416, { ...CORS, 'Content-Range': `bytes */${bytes.length}` }).end();
        return;
      }
      res.writeHead(206, {
        ...CORS,
        ...headers,
        ETag: etag,
        'Content-Range': `bytes ${start}-${end}/${bytes.length}`,
        'Content-Length': String(end - start + 1),
      });
      res.end(Buffer.from(bytes.subarray(start, end + 1)));
      return;
    }
    if (!m) bodies.push(file);
    res.writeHead(200, {
      ...CORS,
      ...headers,
      ETag: etag,
      'Content-Length': String(bytes.length),
      'Content-Type': 'application/octet-stream',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const fault = faults.get(file);
    if (!fault) {
      res.end(Buffer.from(bytes));
      return;
    }
    faults.delete(file);
    res.write(Buffer.from(bytes.subarray(0, fault.after)), () => {
      if (fault.mode === 'break') res.socket?.destroy();
    });
  }

  function notFound(res: ServerResponse, code: number, error: string): void {
    res.writeHead(code, { ...CORS, 'X-Error-Code': error, 'Content-Type': 'text/plain' }).end(error);
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ method: req.method ?? 'GET', path, range: req.headers.range ?? null });
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, 'Access-Control-Allow-Methods': 'GET, HEAD', 'Access-Control-Allow-Headers': 'Range' }).end();
      return;
    }
    const parts = path.split('/').slice(1).map(decodeURIComponent);
    if (parts[0] === 'cdn' && parts.length === 5) {
      const repo = repos[`${parts[2]}/${parts[3]}`];
      const bytes = repo?.commit === parts[1] ? repo.files[parts[4]] : undefined;
      if (!bytes) {
        notFound(res, 404, 'EntryNotFound');
        return;
      }
      send(req, res, parts[4], bytes, {});
      return;
    }
    if (parts[0] === 'static' && parts.length === 4) {
      const bytes = repos[`${parts[1]}/${parts[2]}`]?.files[parts[3]];
      if (!bytes) {
        notFound(res, 404, 'EntryNotFound');
        return;
      }
      send(req, res, parts[3], bytes, {});
      return;
    }
    if (parts.length === 5 && parts[2] === 'resolve') {
      const repo = repos[`${parts[0]}/${parts[1]}`];
      if (!repo || (parts[3] !== 'main' && parts[3] !== repo.commit)) {
        notFound(res, 401, 'RepoNotFound');
        return;
      }
      const file = parts[4];
      const bytes = repo.files[file];
      if (!bytes) {
        notFound(res, 404, 'EntryNotFound');
        return;
      }
      const commitHeader = { 'X-Repo-Commit': repo.commit };
      if (file.endsWith('.safetensors')) {
        res
          .writeHead(302, {
            ...CORS,
            ...commitHeader,
            'X-Linked-Etag': `"${sha256(bytes)}"`,
            'X-Linked-Size': String(bytes.length),
            Location: `/cdn/${repo.commit}/${parts[0]}/${parts[1]}/${encodeURIComponent(file)}`,
          })
          .end();
        return;
      }
      send(req, res, file, bytes, commitHeader);
      return;
    }
    notFound(res, 404, 'NotFound');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo; // test: listen() on a TCP port always yields an AddressInfo
  const fileOf = (r: LoggedRequest): string => decodeURIComponent(r.path.split('/').pop() ?? '');
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    bodyGets: (file) => bodies.filter((f) => f === file).length,
    anyRequests: (file) => requests.filter((r) => r.method !== 'OPTIONS' && fileOf(r) === file).length,
    breakNext: (file, after) => {
      faults.set(file, { mode: 'break', after });
    },
    stallNext: (file, after) => {
      faults.set(file, { mode: 'stall', after });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
