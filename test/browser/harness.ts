// Browser test harness: serves the production build (dist/) with vite's preview server and drives
// Debian Chromium through playwright-core. Screenshots land in test-artifacts/.
import { mkdirSync } from 'node:fs';
import { preview, type PreviewServer } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ARTIFACTS = 'test-artifacts';

export interface Session {
  url: string;
  browser: Browser;
  /** Console errors and uncaught page errors seen so far, across all pages opened by newPage. */
  errors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function openSession(): Promise<Session> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const server: PreviewServer = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL; was `vite build` run first?');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  const errors: string[] = [];
  return {
    url,
    browser,
    errors,
    async newPage() {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}
