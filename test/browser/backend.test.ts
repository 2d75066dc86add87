// The backend badge shows the backend the worker really got, on the production build in Chromium.
// This machine's headless Chromium (--enable-unsafe-webgpu) has only a software WebGPU adapter
// (SwiftShader), so `auto` must land on wasm while an explicit `webgpu` request gets webgpu.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openSession, screenshot, type Session } from './harness';

let s: Session;
beforeAll(async () => {
  s = await openSession();
});
afterAll(async () => {
  await s?.close();
});
afterEach(async () => {
  for (const c of s.browser.contexts()) await c.close();
}); // also after a failure

// The worker is built unminified (vite.config.ts), so tfjs's threaded wasm starts with one thread per
// logical core (navigator.hardwareConcurrency, at most 8; src/worker/backend.ts lifts tfjs's cap of half of them).
const WASM_OK = String.raw`wasm: ok, \d+ threads? SIMD`;

/** "N threads" for this browser's core count (at most 8), as the badge and the reason word it. */
async function coreThreads(page: Page): Promise<string> {
  const n = Math.min(8, await page.evaluate(() => navigator.hardwareConcurrency));
  return `${n} thread${n === 1 ? '' : 's'}`;
}

/** Opens the page with a query string and waits until the worker has answered `init`. */
async function openWith(query: string): Promise<Page> {
  const page = await s.newPage();
  await page.goto(`${s.url}${query}`);
  await page.waitForFunction(
    () => {
      const t = document.querySelector('[data-testid="backend-badge"]')?.textContent ?? '';
      return t !== '' && t !== 'starting…';
    },
    undefined,
    { timeout: 60_000 },
  );
  return page;
}

async function badge(page: Page): Promise<{ text: string; reason: string }> {
  const el = page.getByTestId('backend-badge');
  return { text: (await el.textContent()) ?? '', reason: (await el.getAttribute('title')) ?? '' };
}

test('?backend=webgpu gets webgpu (the software adapter, chosen explicitly)', async () => {
  const page = await openWith('?backend=webgpu');
  const b = await badge(page);
  expect(b.text).toBe('webgpu');
  expect(b.reason).toMatch(/^requested webgpu — webgpu: ok, software adapter \(SwiftShader\), chosen explicitly/);
  await page.getByTestId('backend-badge').click();
  await screenshot(page, 'backend-webgpu-details');
  expect(s.errors).toEqual([]);
  await page.close();
});

test('?backend=wasm gets wasm with SIMD; the page is cross-origin isolated (threads possible)', async () => {
  const page = await openWith('?backend=wasm');
  const b = await badge(page);
  expect(b.text).toBe(`wasm · ${await coreThreads(page)}`);
  expect(b.reason).toMatch(new RegExp(`^requested wasm — ${WASM_OK}$`));
  expect(b.reason).toContain(`${await coreThreads(page)} SIMD`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByTestId('backend-badge').click();
  await expect
    .poll(() => page.getByTestId('backend-details').textContent())
    .toContain('Cross-origin isolated (needed for wasm threads): true');
  expect(s.errors).toEqual([]);
  await page.close();
});

test('auto skips the software WebGPU adapter and lands on wasm', async () => {
  const page = await openWith('');
  const b = await badge(page);
  expect(b.text).toBe(`wasm · ${await coreThreads(page)}`);
  expect(b.reason).toMatch(new RegExp(`^auto — webgpu: skipped, software adapter \\(SwiftShader\\), slower than wasm here; ${WASM_OK}$`));
  await screenshot(page, 'backend-auto');
  expect(s.errors).toEqual([]);
  await page.close();
});

test('the switcher restarts the worker on the chosen backend and records it in the URL', async () => {
  const page = await openWith('?backend=wasm');
  await page.getByTestId('backend-select').selectOption('cpu');
  await expect.poll(async () => (await badge(page)).text, { timeout: 60_000 }).toBe('cpu');
  expect(new URL(page.url()).searchParams.get('backend')).toBe('cpu');
  await page.getByTestId('backend-select').selectOption('webgl');
  await expect.poll(async () => (await badge(page)).text, { timeout: 60_000 }).toBe('webgl');
  expect((await badge(page)).reason).toBe('requested webgl — webgl: ok');
  expect(s.errors).toEqual([]);
  await page.close();
});
