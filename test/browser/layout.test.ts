// Issue 16's layout and finish facts on the production build, measured from element boxes: at 1280×800
// the run controls and the live reward chart are both inside the first screen, and no panel there is
// mostly empty space; at 390 px wide nothing sticks out sideways (every control lies inside the
// viewport or inside a scrolling box); and axe-core finds no violation of serious or critical impact
// in the light and the dark theme.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
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
});

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

async function open(width: number, height: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await s.newPage();
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme });
  await page.goto(`${s.url}?backend=wasm`);
  await page.getByTestId('run-start').waitFor();
  await page.getByTestId('reward-chart').waitFor();
  return page;
}

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
  height: number;
}
const box = (page: Page, testId: string): Promise<Box> =>
  page.getByTestId(testId).evaluate((e) => {
    const r = e.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
  });

test('1280×800: run controls and the live reward chart in the first screen; no panel there mostly empty', async () => {
  const page = await open(1280, 800);
  for (const id of ['run-start', 'run-pause', 'run-step', 'run-stop', 'step-counter', 'reward-chart']) {
    const b = await box(page, id);
    expect(b.top, id).toBeGreaterThanOrEqual(0);
    expect(b.bottom, `${id} ends at ${b.bottom}px`).toBeLessThanOrEqual(800);
    expect(b.right, id).toBeLessThanOrEqual(1280);
  }
  // Every panel that starts in the first screen: its content reaches at least half of its height.
  const fill = await page.evaluate(() =>
    [...document.querySelectorAll('.panel')].flatMap((p) => {
      const r = p.getBoundingClientRect();
      if (r.top >= 800 || r.height === 0) return [];
      const bottoms = [...p.children].map((c) => c.getBoundingClientRect().bottom);
      return [{ panel: p.getAttribute('aria-label'), used: (Math.max(r.top, ...bottoms) - r.top) / r.height }];
    }),
  );
  expect(fill.length).toBeGreaterThanOrEqual(4);
  for (const f of fill) expect(f.used, `${f.panel} uses ${(f.used * 100).toFixed(0)}% of its height`).toBeGreaterThanOrEqual(0.5);
  await screenshot(page, 'layout-1280');
});

test('390 px wide: no sideways scroll, and every control is inside the viewport or a scrolling box', async () => {
  const page = await open(390, 844);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const outside = await page.evaluate(() =>
    [...document.querySelectorAll('button, input, select, textarea, a[href], summary, [tabindex]')].flatMap((e) => {
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return []; // not rendered (closed details, hidden inputs)
      if (r.left >= -1 && r.right <= 391) return [];
      for (let a = e.parentElement; a; a = a.parentElement) {
        const st = getComputedStyle(a);
        if (/(auto|scroll)/.test(st.overflowX) && a.scrollWidth > a.clientWidth) return [];
      }
      return [
        `${e.tagName.toLowerCase()} ${e.getAttribute('data-testid') ?? e.getAttribute('aria-label') ?? e.textContent?.slice(0, 30)} at ${Math.round(r.left)}–${Math.round(r.right)}`,
      ];
    }),
  );
  expect(outside).toEqual([]);
  for (const id of ['run-start', 'reward-chart', 'update-view', 'samples-table']) {
    const b = await box(page, id);
    expect(b.left, id).toBeGreaterThanOrEqual(0);
  }
  await screenshot(page, 'layout-390');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe-core: no serious or critical violations (${scheme} theme)`, async () => {
    const page = await open(1280, 800, scheme);
    await page.getByText('Hyperparameters').click(); // the hyperparameter inputs are checked too
    await page.addScriptTag({ content: AXE });
    const found = await page.evaluate(async () => {
      // axe is a global once the script runs; typed here by what this test reads of its result
      const axe = (
        globalThis as unknown as {
          axe: {
            run(
              ctx: Document,
              o: object,
            ): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[]; failureSummary?: string }[] }[] }>;
          };
        }
      ).axe;
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.id} (${v.impact}): ${v.nodes
              .slice(0, 4)
              .map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`)
              .join(' | ')}`,
        );
    });
    expect(found).toEqual([]);
  });
}
