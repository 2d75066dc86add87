// src/hub in Chromium: a download from the local Hub-like server (cross-origin, CORS, 302 to the CDN
// path) into Cache Storage, byte-identical to the served files; after a page reload and with the server
// stopped the same model loads from the cache; the cache manager lists it with its size and deletes it;
// a connection killed mid-file and a cancelled download leave no entry. Needs `npx vite build` first (the harness serves dist/).
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openSession, type Session } from './harness';
import type { HubPageApi, LoadReport } from '../../test-pages/hub';
import { fakeCommit, sha256, startHubServer, type HubServer } from '../helpers/hubServer';
import { tinyModelFiles } from '../hub/tinyModel';

declare global {
  interface Window {
    cherryHub?: HubPageApi;
  }
}

let s: Session;
let page: Page;
let server: HubServer;
let files: Record<string, Uint8Array>;

async function open(): Promise<void> {
  await page.goto(`${s.url}test-pages/hub.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
}

function load(source: string, endpoint: string, cancelAt = ''): Promise<LoadReport | { name: string; message: string }> {
  return page.evaluate(
    ([src, ep, at]) => {
      if (!window.cherryHub) throw new Error('hub test page did not load');
      return window.cherryHub.load(src, ep, at === '' ? undefined : at);
    },
    [source, endpoint, cancelAt] as const,
  );
}

function report(r: LoadReport | { name: string; message: string }): LoadReport {
  if (!('manifest' in r)) throw new Error(`load failed: ${r.name}: ${r.message}`);
  return r;
}

beforeAll(async () => {
  files = await tinyModelFiles(4);
  server = await startHubServer({ 'org/tiny': { files, commit: fakeCommit('browser') } });
  s = await openSession();
  page = await s.newPage();
  await open();
  await page.evaluate(() => window.cherryHub?.clear());
});
afterAll(async () => {
  await server?.stop();
  await s?.close();
});

test('download into Cache Storage, reload, load again offline, list and delete', async () => {
  const total = Object.values(files).reduce((a, b) => a + b.length, 0);
  expect(await page.evaluate(() => window.cherryHub?.available())).toBeGreaterThan(total); // navigator.storage.estimate()

  // a connection killed mid-file: a named error, and nothing in Cache Storage
  server.breakNext('model.safetensors', 50_000);
  const broken = await load('hf:org/tiny', server.url);
  expect(broken).toMatchObject({ name: 'HubDownloadError' });
  expect('message' in broken && broken.message).toMatch(/^model\.safetensors: the connection broke after \d+ of \d+ bytes/);
  expect(await page.evaluate(() => window.cherryHub?.cacheKeys())).toEqual([]);

  // cancelled mid-file through the AbortSignal: the same, with its own error
  server.stallNext('model.safetensors', 40_000);
  expect(await load('hf:org/tiny', server.url, 'model.safetensors')).toEqual({
    name: 'DownloadCancelledError',
    message: 'download cancelled while fetching model.safetensors; nothing was cached',
  });
  expect(await page.evaluate(() => window.cherryHub?.cacheKeys())).toEqual([]);

  const first = report(await load('hf:org/tiny', server.url));
  expect(first.fromCache).toBe(false);
  expect(first.files.map((f) => [f.name, f.size, f.sha256]).sort()).toEqual(
    Object.entries(files)
      .map(([n, b]) => [n, b.length, sha256(b)])
      .sort(),
  );
  expect(first.manifest.commit).toBe(fakeCommit('browser'));
  expect(server.requests.some((r) => r.path === `/cdn/${fakeCommit('browser')}/org/tiny/model.safetensors` && r.range === null)).toBe(true);
  const ev = first.events;
  for (let i = 1; i < ev.length; i++) expect(ev[i].bytes).toBeGreaterThanOrEqual(ev[i - 1].bytes);
  expect(ev[ev.length - 1]).toMatchObject({
    file: 'model.safetensors',
    fileDone: true,
    fileBytes: files['model.safetensors'].length,
    bytes: total,
    total,
  });

  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await server.stop();
  const before = server.requests.length;
  const second = report(await load('hf:org/tiny', server.url));
  expect(second.fromCache).toBe(true);
  expect(second.files).toEqual(first.files);
  expect(second.events).toEqual([]);
  expect(server.requests.length).toBe(before);

  const listed = await page.evaluate(() => window.cherryHub?.list());
  expect(listed?.map((m) => [m.source, m.commit, m.totalBytes, m.files.length])).toEqual([
    [`${server.url}/org/tiny`, fakeCommit('browser'), total, Object.keys(files).length],
  ]);
  const repo = listed?.[0].repo ?? '';
  expect(await page.evaluate(([r, c]) => window.cherryHub?.remove(r, c), [repo, fakeCommit('browser')] as const)).toBe(true);
  expect(await page.evaluate(() => window.cherryHub?.list())).toEqual([]);
  expect(await page.evaluate(() => window.cherryHub?.cacheKeys())).toEqual([]);
  const gone = await load('hf:org/tiny', server.url);
  expect(gone).toMatchObject({ name: 'HubDownloadError' });
  expect('message' in gone && gone.message).toMatch(/^config\.json: could not connect/);
  expect(s.errors.filter((e) => !e.includes('Failed to load resource') && !e.includes('ERR_'))).toEqual([]);
});
