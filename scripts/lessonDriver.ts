// Runs guided lessons at their real length on the production build (dist/), in Debian Chromium on wasm:
// opens `?lesson=<name>`, presses Run lesson, waits for the verdict. Shared by scripts/benchLessons.ts
// (lengths → BENCHMARKS.md) and scripts/lessonShots.ts (end states → docs/lessons/<name>.png).
import { preview } from 'vite';
import { chromium, type Page } from 'playwright-core';

const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LessonRun {
  name: string;
  /** Wall seconds from the click on Run lesson to the verdict (model load included). */
  seconds: number;
  /** The verdict's sentence, or the error the lesson ended with. */
  verdict: string;
  ok: boolean;
  /** The backend badge's text (e.g. "wasm · 2 threads"). */
  backend: string;
}

/** Runs each lesson in a fresh page; `atEnd` sees the page once the verdict is there. */
export async function driveLessons(
  names: readonly string[],
  atEnd: (page: Page, run: LessonRun) => Promise<void> = async () => {},
): Promise<LessonRun[]> {
  const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL; run `npx vite build --logLevel warn` first.');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  const out: LessonRun[] = [];
  try {
    for (const name of names) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${url}?backend=wasm&lesson=${name}`);
      await page.waitForFunction(
        () => document.querySelector('[data-testid="backend-badge"]')?.textContent?.startsWith('wasm'),
        undefined,
        { timeout: 120_000 },
      );
      const backend = (await page.getByTestId('backend-badge').textContent()) ?? '';
      const t0 = Date.now();
      await page.getByTestId('lesson-run').click();
      await page.waitForSelector('[data-testid="lesson-verdict"], [data-testid="lesson-error"]', { timeout: 900_000 });
      const seconds = (Date.now() - t0) / 1000;
      const ok = (await page.getByTestId('lesson-verdict').count()) > 0;
      const verdict = (
        (await page.locator(ok ? '[data-testid="lesson-verdict"] > p:first-child' : '[data-testid="lesson-error"]').textContent()) ?? ''
      ).trim();
      const run = { name, seconds, verdict, ok, backend };
      console.log(`${name}: ${seconds.toFixed(1)} s, ${ok ? 'verdict' : 'ERROR'}: ${verdict}`);
      await atEnd(page, run);
      out.push(run);
      await page.context().close();
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
  return out;
}

/** Lesson names from the command line (all when none). */
export function lessonArgs(all: readonly string[]): string[] {
  const picked = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const unknown = picked.filter((a) => !all.includes(a));
  if (unknown.length > 0) throw new Error(`Unknown lesson(s) ${unknown.join(', ')}; lessons: ${all.join(', ')}.`);
  return picked.length > 0 ? picked : [...all];
}
