// Issue 7's last exports on the production build (cherry-arith on wasm): the reward chart's PNG button
// saves a real PNG at 2× the chart's size; a run's checkpoint zip, picked in the model panel's "Files…",
// loads back as the model (same parameter count, and a run on it trains; with the same seed it samples
// exactly what the weights it was saved from sampled); a damaged zip is reported in the model status,
// naming the archive.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { readFile, writeFile } from 'node:fs/promises';
import { ARTIFACTS, openSession, screenshot, type Session } from './harness';
import { encodeState } from '../../src/export/urlState';
import { resolveConfig, type RLConfig } from '../../src/rl/config';

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

const SMALL: Partial<RLConfig> = {
  batch_prompts: 2,
  num_generations: 2,
  max_completion_length: 4,
  eval_interval: 0,
  checkpoint_interval: 3,
  max_steps: 2,
};

async function open(config: Partial<RLConfig> = SMALL): Promise<Page> {
  const page = await s.newPage();
  await page.goto(`${s.url}?backend=wasm#${encodeState({ task: 'arithmetic', config: resolveConfig(config), grader: null })}`);
  await expect.poll(() => page.getByTestId('model-status').textContent(), { timeout: 60_000 }).toBe('ready');
  return page;
}

async function runToEnd(page: Page): Promise<void> {
  await page.getByTestId('run-start').click();
  await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 60_000 }).toBe('stopped');
}

const facts = async (page: Page): Promise<string> => (await page.getByTestId('model-facts').textContent()) ?? '';
const parameters = (text: string): string => /Parameters([\d,]+)/.exec(text)?.[1] ?? '';

test('the reward chart downloads as a PNG at twice its size', async () => {
  const page = await open();
  await runToEnd(page);
  // the plot: the chart's largest svg (legend icons are svgs too)
  const width = await page
    .getByTestId('reward-chart')
    .locator('svg')
    .evaluateAll((els) => Math.max(...els.map((e) => Math.round(e.getBoundingClientRect().width))));
  expect(width).toBeGreaterThan(100);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('reward-png').click()]);
  expect(dl.suggestedFilename()).toBe('cherry-reward.png');
  const png = new Uint8Array(await readFile(await dl.path()));
  await writeFile(`${ARTIFACTS}/exports-reward.png`, png); // to look at: colours and fonts inlined
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset);
  expect(view.getUint32(16)).toBe(2 * width); // IHDR width
  expect(view.getUint32(20)).toBe(2 * 280); // the chart is 280 px high (its legend drawn where it was)
  expect(png.byteLength).toBeGreaterThan(5_000);
  expect(await page.getByTestId('reward-png-error').count()).toBe(0);

  // Every metric chart has its own PNG button: the entropy chart, scrolled into view so it draws.
  const entropy = page.locator('figure.metric-chart[data-chart="entropy"]');
  await entropy.scrollIntoViewIfNeeded();
  const button = entropy.getByTestId('chart-png');
  await expect.poll(() => button.isEnabled(), { timeout: 10_000 }).toBe(true);
  const [metric] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(metric.suggestedFilename()).toBe('cherry-entropy.png');
  const mpng = new Uint8Array(await readFile(await metric.path()));
  expect([...mpng.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(mpng.byteLength).toBeGreaterThan(2_000);
});

test("a run's checkpoint zip loads back through the model panel and trains; a damaged zip is reported", async () => {
  const page = await open();
  const before = parameters(await facts(page));
  expect(before).not.toBe('');
  await runToEnd(page);
  const row = page.getByTestId('runs-list').locator('li[data-run-id]').first();
  if (!(await row.getByTestId('run-download-checkpoint-zip').isVisible())) await row.getByTestId('run-files').click();
  const [dl] = await Promise.all([page.waitForEvent('download'), row.getByTestId('run-download-checkpoint-zip').click()]);
  const zip = await readFile(await dl.path());

  // A damaged archive: the status names the file and says what to do; the loaded model stays.
  await page
    .getByTestId('model-files')
    .setInputFiles({ name: 'broken.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\x03\x04 not really a zip') });
  await expect
    .poll(() => page.getByTestId('model-status').textContent(), { timeout: 10_000 })
    .toMatch(/^error: broken\.zip: is not a readable zip archive/);
  // A zip without the weights: the missing file is named.
  const truncated = zip.subarray(0, 100);
  await page.getByTestId('model-files').setInputFiles({ name: 'cut.zip', mimeType: 'application/zip', buffer: Buffer.from(truncated) });
  await expect.poll(() => page.getByTestId('model-status').textContent(), { timeout: 10_000 }).toMatch(/^error: /);

  await page.getByTestId('model-files').setInputFiles({ name: dl.suggestedFilename(), mimeType: 'application/zip', buffer: zip });
  await expect.poll(() => page.getByTestId('model-status').textContent(), { timeout: 60_000 }).toBe('ready');
  const after = await facts(page);
  expect(parameters(after)).toBe(before);
  await screenshot(page, 'exports-imported');

  await runToEnd(page); // the imported model trains
  expect(Number(await page.getByTestId('step-counter').textContent())).toBe(2);
  expect(s.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
});

/** The first "Sample from model" of a page (seed = the config's seed): every completion's text, tokens and reward. */
async function sampleOnce(page: Page): Promise<string> {
  await page.getByTestId('grader-sample').click();
  const result = page.getByTestId('grader-sample-result');
  await expect.poll(() => result.locator('[data-testid="grader-sample-spread"]').count(), { timeout: 60_000 }).toBeGreaterThan(0);
  return (await result.locator('tbody').allTextContents()).join('\n');
}

/** A 3-step run at `learning_rate` on a fresh page: its checkpoint zip and the page's first "Sample from model". */
async function trainAndExport(learning_rate: number): Promise<{ name: string; zip: Buffer; sampled: string }> {
  const page = await open({ ...ROUND, learning_rate });
  await runToEnd(page);
  const row = page.getByTestId('runs-list').locator('li[data-run-id]').first();
  if (!(await row.getByTestId('run-download-checkpoint-zip').isVisible())) await row.getByTestId('run-files').click();
  const [dl] = await Promise.all([page.waitForEvent('download'), row.getByTestId('run-download-checkpoint-zip').click()]);
  return { name: dl.suggestedFilename(), zip: await readFile(await dl.path()), sampled: await sampleOnce(page) };
}

/** A fresh page with the zip imported: its first "Sample from model". */
async function importAndSample(name: string, zip: Buffer): Promise<string> {
  const page = await open(ROUND);
  await page.getByTestId('model-files').setInputFiles({ name, mimeType: 'application/zip', buffer: zip });
  await expect.poll(() => facts(page), { timeout: 60_000 }).toContain('local model'); // the import replaced the built-in
  await expect.poll(() => page.getByTestId('model-status').textContent(), { timeout: 60_000 }).toBe('ready');
  return sampleOnce(page);
}

const ROUND: Partial<RLConfig> = { ...SMALL, max_steps: 3, max_completion_length: 12 };

// "Sample from model" samples with the page's model, which a run leaves as it was loaded (the built-in):
// so a checkpoint of a run at learning rate 1e-12 (weights unchanged in float32) must sample exactly what the page did,
// and a checkpoint of a run that learned must sample something else (its trained weights came through).
test('round trip: a checkpoint zip imports to the same samples (same seed) as the weights it was saved from', async () => {
  const still = await trainAndExport(1e-12);
  const moved = await trainAndExport(0.002);
  expect(moved.sampled).toBe(still.sampled); // both pages sampled the built-in model
  const stillBack = await importAndSample(still.name, still.zip);
  const movedBack = await importAndSample(moved.name, moved.zip);
  console.log(`built-in:\n${still.sampled}\nimported (lr 1e-12):\n${stillBack}\nimported (lr 0.002):\n${movedBack}`);
  expect(stillBack).toBe(still.sampled);
  expect(movedBack).not.toBe(still.sampled);
});
