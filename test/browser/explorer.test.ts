// The charts, completions explorer, diagnostics, grader toolbar and cake view on a test page with fixed,
// made-up runs (test-pages/charts.tsx): what a person sees and can do. Screenshots in light and dark,
// desktop and tablet, go to test-artifacts/.
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
});

async function open(query = ''): Promise<Page> {
  const page = await s.newPage();
  await page.goto(`${s.url}test-pages/charts.html${query}`);
  await page.getByTestId('reward-chart').locator('.recharts-surface').first().waitFor();
  return page;
}

test('charts: reward with bands and validation, one chart per metric, SFT and RFT overlaid', async () => {
  const page = await open();
  expect(await page.getByTestId('reward-chart').getAttribute('data-points')).toBe('30');
  // RFT mean, RFT validation, SFT validation (an SFT run has no training reward): 3 lines; 2 band areas
  expect(await page.getByTestId('reward-chart').locator('.recharts-line').count()).toBe(3);
  expect(await page.getByTestId('reward-chart').locator('.recharts-area').count()).toBe(2);
  const charts = await page
    .getByTestId('metric-charts')
    .locator('figure')
    .evaluateAll((fs) => fs.map((f) => f.getAttribute('data-chart')));
  expect(charts).toEqual(['by-class', 'per-grader', 'zero-std', 'kl', 'entropy', 'length', 'truncation', 'clip', 'loss', 'tokens', 'time']);
  // Charts far below the fold are drawn once scrolled near (a placeholder keeps their place until then).
  const timeChart = page.locator('[data-chart="time"]');
  const below = await page.evaluate(
    () => (document.querySelector('[data-chart="time"]')?.getBoundingClientRect().top ?? 0) > innerHeight + 300,
  );
  if (below) expect(await timeChart.locator('.recharts-surface').count()).toBe(0);
  await timeChart.scrollIntoViewIfNeeded();
  await timeChart.locator('.recharts-surface').first().waitFor();
  // the loss chart overlays both runs (policy loss of RFT, SFT loss of SFT): its legend names each run
  await page.locator('[data-chart="loss"] .recharts-legend-item-text').first().waitFor();
  const legend = await page.locator('[data-chart="loss"] .recharts-legend-item-text').allTextContents();
  expect(legend).toContain('SFT · SFT loss');
  expect(legend).toContain('RFT · policy loss');
  // validation by class: both runs' classes (the SFT run only validated the carry class here)
  await page.locator('[data-chart="by-class"] .recharts-legend-item-text').first().waitFor();
  expect(await page.locator('[data-chart="by-class"] .recharts-legend-item-text').allTextContents()).toEqual([
    'RFT · carry',
    'RFT · other',
    'SFT · carry',
  ]);
  expect(await page.locator('[data-chart="zero-std"] figcaption').textContent()).toMatch(
    /If this stays at 1\.0, every group scores the same: no signal/,
  );
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'charts-desktop');
  expect(s.errors).toEqual([]);
});

test('charts of a growing run (a step every 60 ms, from one step): no SVG attribute gets NaN, the brush follows the last step', async () => {
  s.errors.length = 0;
  const page = await s.newPage();
  await page.goto(`${s.url}test-pages/charts.html?grow=60`);
  const nanNodes = () =>
    page.evaluate(() => [...document.querySelectorAll('svg *')].filter((e) => [...e.attributes].some((a) => a.value === 'NaN')).length);
  let seen = 0;
  for (let i = 0; i < 60 && (await page.getByTestId('grown').textContent()) !== '30'; i++) {
    seen += await nanNodes();
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(await page.getByTestId('grown').textContent()).toBe('30');
  await expect.poll(() => page.getByTestId('reward-chart').getAttribute('data-points')).toBe('30');
  expect(seen).toBe(0);
  // recharts logs '<rect> attribute x: Expected length, "NaN"' when it draws one: none in the console either
  expect(s.errors).toEqual([]);
  const ticks = (
    await page.locator('[data-testid="reward-chart"] .recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents()
  ).map(Number);
  expect(Math.max(...ticks)).toBe(29);
});

test('zoom: dragging the reward chart brush narrows every chart to those steps; "show all" resets', async () => {
  const page = await open();
  const brush = page.getByTestId('reward-chart').locator('.recharts-brush');
  await brush.scrollIntoViewIfNeeded(); // the mouse can only drag what is on screen
  const box = await brush.boundingBox();
  const left = await page.getByTestId('reward-chart').locator('.recharts-brush-traveller').first().boundingBox();
  if (box === null || left === null) throw new Error('no brush on the reward chart');
  await page.mouse.move(left.x + left.width / 2, left.y + left.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, left.y + left.height / 2, { steps: 8 });
  await page.mouse.up();
  const reset = page.getByRole('button', { name: /Show all steps/ });
  await reset.waitFor();
  const m = /\((\d+)–(\d+) shown\)/.exec((await reset.textContent()) ?? '');
  if (m === null) throw new Error('the reset button does not name the range');
  const [from, to] = [Number(m[1]), Number(m[2])];
  expect(from).toBeGreaterThan(8); // the left handle went to about the middle of 0..29
  expect(from).toBeLessThan(22);
  expect(to).toBe(29);
  const xTicks = async (chart: string) => {
    const ticks = (await page.locator(`${chart} .recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value`).allTextContents()).map(
      Number,
    );
    if (ticks.length === 0) throw new Error(`no x ticks on ${chart}`);
    return ticks;
  };
  const klTicks = () => xTicks('[data-chart="kl"]');
  expect(Math.min(...(await klTicks()))).toBeGreaterThanOrEqual(from);
  await reset.click();
  await expect.poll(async () => Math.min(...(await klTicks()))).toBe(0);
  // the reward chart shows every step again too
  await expect.poll(async () => (await xTicks('[data-testid="reward-chart"]'))[0]).toBe(0);
  expect(s.errors).toEqual([]);
});

test('diagnostics: each banner says what is wrong and links to the fix', async () => {
  const page = await open();
  const ids = await page
    .getByTestId('diagnostics')
    .locator('[data-diagnostic]')
    .evaluateAll((ls) => ls.map((l) => l.getAttribute('data-diagnostic')));
  expect(ids).toEqual(['no-signal', 'truncation', 'grader-errors', 'possible-hacking']);
  expect(await page.locator('[data-diagnostic="no-signal"]').textContent()).toMatch(/90% of groups .* never succeeds/);
  expect(await page.locator('[data-diagnostic="no-signal"] button').textContent()).toMatch(/partial credit/);
});

test('explorer: latest step by default, filter by reward and text, errors only, compare before/after', async () => {
  const page = await open();
  const table = page.getByTestId('samples-table');
  const completions = () => table.locator('tbody tr:not(.group-head) td:nth-child(2) code').allTextContents();
  expect(await table.locator('tr.group-head').count()).toBe(3); // step 29: three prompts
  expect((await completions()).length).toBe(12);
  await page.getByLabel('Reward from').fill('0.5');
  expect(await completions()).toEqual(['42', '42', '42', '84', '84', '84', '23', '23', '23']);
  await page.getByLabel('Reward from').fill('');
  await page.getByLabel('Search').fill('84');
  expect(await table.locator('tr.group-head').count()).toBe(1);
  await page.getByLabel('Search').fill('');
  await page.locator('.explorer-filters select').selectOption('0');
  await page.getByLabel('errors only').check();
  expect(await completions()).toEqual(['13']);
  expect(await table.locator('.error-text').textContent()).toMatch(/line 3, column 9/);
  await page.getByLabel('errors only').uncheck();
  await table.getByRole('button', { name: 'compare across steps' }).first().click();
  const cmp = page.getByTestId('explorer-compare');
  // 17+25=: at step 0 one of four right (mean 0.25), at step 29 three of four (0.75)
  expect(
    await cmp.locator('tbody tr').evaluateAll((rs) => rs.map((r) => [...r.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent))),
  ).toEqual([
    ['0', '0.250', '4/4'],
    ['29', '0.750', '4/4'],
  ]);
  await screenshot(page, 'explorer-compare');
  expect(s.errors).toEqual([]);
});

test('grader toolbar: template inserted, contract drawer, JSON import error with line and column', async () => {
  const page = await open();
  await page.getByTestId('grader-template').selectOption('string_check');
  expect(JSON.parse((await page.getByTestId('toolbar-code').textContent()) ?? '')).toMatchObject({ type: 'string_check', operation: 'eq' });
  await page.getByRole('button', { name: 'Contract & examples' }).click();
  expect(await page.getByTestId('grader-help').textContent()).toMatch(/sample\.output_text/);
  await page.getByTestId('grader-import').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{\n  "type": "regex",\n  "name": "x"\n  "pattern": "a"\n}'),
  });
  await expect.poll(() => page.getByTestId('grader-io-message').textContent()).toMatch(/^broken\.json, line 4, column 3: /);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('grader.json');
  expect(s.errors).toEqual([]);
});

test('cake view, dark theme and tablet width', async () => {
  const page = await open('?theme=dark');
  expect(await page.getByTestId('cake-verdict').textContent()).toMatch(/^RFT reached 82%, past the 55% its labels would allow/);
  expect(await page.getByTestId('cake-view').locator('.recharts-reference-line').count()).toBe(1);
  await screenshot(page, 'charts-dark');
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.waitForTimeout(300);
  // nothing wider than the viewport at tablet width
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
  await screenshot(page, 'charts-tablet');
  expect(s.errors).toEqual([]);
});
