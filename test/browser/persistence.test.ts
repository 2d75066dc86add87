// Issue 7 on the production build, with the shipped cherry-arith model on wasm: a run is saved as it
// trains; after a reload mid-run it is listed and resumes from its last checkpoint with the same
// history (the resumed step repeats the step trained before the reload exactly: same seed stream,
// same weights and optimizer state) and a step counter that continues; deleting a run takes its
// checkpoints with it; a record with missing fields (written with raw IndexedDB) is reported and
// skipped; the grader draft survives a reload. Each test has its own browser context (empty storage).
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openSession, screenshot, type Session } from './harness';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { unzipSync, strFromU8 } from 'fflate';
import { encodeState } from '../../src/export/urlState';
import type { GraderSource } from '../../src/graders/types';
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
  max_steps: 1000,
};
const TIMELESS = ['sampling_ms', 'grading_ms', 'training_ms', 'step_ms', 'tokens_per_s'];

async function ready(page: Page): Promise<void> {
  try {
    await expect.poll(() => page.getByTestId('model-status').textContent(), { timeout: 60_000 }).toBe('ready');
  } catch (e) {
    const badge = await page
      .getByTestId('backend-badge')
      .textContent()
      .catch(() => null);
    const banner = await page
      .getByTestId('error-banner')
      .textContent()
      .catch(() => null);
    throw new Error(
      `model not ready; backend badge ${JSON.stringify(badge)}, banner ${JSON.stringify(banner)}, console ${JSON.stringify(s.errors)}: ${String(e)}`,
    );
  }
}

/** The page with a setup link (checkpoint_interval has no input on the page; a link sets every field). */
async function open(config: Partial<RLConfig> = SMALL, grader: GraderSource | null = null): Promise<Page> {
  const page = await s.newPage();
  await page.goto(`${s.url}?backend=wasm#${encodeState({ task: 'arithmetic', config: resolveConfig(config), grader })}`);
  await ready(page);
  return page;
}

const counter = async (page: Page): Promise<number> => Number(await page.getByTestId('step-counter').textContent());
const runs = (page: Page) => page.getByTestId('runs-list').locator('li[data-run-id]');

/** Raw IndexedDB reads (independent of src/storage): every metrics row and the checkpoint steps of a run. */
async function rawRun(page: Page, runId: string): Promise<{ metrics: Record<string, number | null>[]; checkpoints: number[] }> {
  return page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('cherry');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const all = <T>(store: string, q: IDBKeyRange, keys: boolean) =>
      new Promise<T[]>((res, rej) => {
        const os = db.transaction(store).objectStore(store);
        const r = keys ? os.getAllKeys(q) : os.getAll(q);
        r.onsuccess = () => res(r.result as T[]);
        r.onerror = () => rej(r.error);
      });
    const range = IDBKeyRange.bound([id, -Infinity], [id, Infinity]);
    const metrics = (await all<{ metrics: Record<string, number | null> }>('metrics', range, false)).map((m) => m.metrics);
    const checkpoints = (await all<[string, number]>('checkpoints', range, true)).map((k) => k[1]);
    db.close();
    return { metrics, checkpoints };
  }, runId);
}

const timeless = (m: Record<string, number | null> | undefined) =>
  Object.fromEntries(Object.entries(m ?? {}).filter(([k]) => !TIMELESS.includes(k)));

test('reload mid-run, resume: same history, the resumed step repeats exactly, the counter continues', async () => {
  const page = await open();
  await page.getByTestId('run-start').click();
  await expect.poll(() => counter(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  await expect.poll(() => runs(page).count(), { timeout: 10_000 }).toBe(1);
  const runId = (await runs(page).first().getAttribute('data-run-id')) ?? '';
  // a checkpoint every 3 steps (the newest 2 kept): reload mid-run once there are two
  await expect.poll(async () => (await rawRun(page, runId)).checkpoints.length, { timeout: 30_000 }).toBe(2);
  await page.reload();
  await ready(page);
  // As if the tab had died while writing the newest checkpoint: delete it, so the resume starts from the
  // one before and the steps between are trained a second time (they must come out the same).
  const newest = Math.max(...(await rawRun(page, runId)).checkpoints);
  await page.evaluate(
    async ([id, step]) => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open('cherry');
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      await new Promise<void>((res, rej) => {
        const tx = db.transaction('checkpoints', 'readwrite');
        tx.objectStore('checkpoints').delete([id, step]);
        tx.oncomplete = () => res();
        tx.onerror = () => rej(tx.error);
      });
      db.close();
    },
    [runId, newest] as const,
  );
  const before = await rawRun(page, runId);
  const C = Math.max(...before.checkpoints);
  expect(C).toBe(newest - 3);
  console.log(`reload: ${before.metrics.length} steps saved, last checkpoint at step ${C}`);
  expect(C % 3).toBe(0);
  expect(before.metrics.length).toBeGreaterThanOrEqual(C + 3);
  expect(await runs(page).count()).toBe(1);
  const row = runs(page).first();
  expect(await row.getAttribute('data-run-id')).toBe(runId);
  expect(await row.getAttribute('data-status')).toBe('running'); // the tab died mid-run
  expect(await counter(page)).toBe(0);

  await row.getByTestId('run-resume').click();
  await expect.poll(() => counter(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(newest + 1);
  await page.getByTestId('run-pause').click();
  await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 60_000 }).toBe('paused');
  const n = await counter(page);
  console.log(`resumed and paused at step ${n}`);
  // every step 0..n-1 on the chart: C from the saved history and the new ones
  await expect.poll(async () => Number(await page.getByTestId('reward-chart').getAttribute('data-points')), { timeout: 5_000 }).toBe(n);
  const after = await rawRun(page, runId);
  expect(after.metrics.map((m) => m.step)).toEqual(Array.from({ length: n }, (_, i) => i));
  for (let i = 0; i < C; i++) expect(after.metrics[i], `step ${i}`).toEqual(before.metrics[i]); // history kept as saved
  // the steps after the checkpoint, trained before the reload and again after the resume: identical
  for (let i = C; i < before.metrics.length && i < n; i++)
    expect(timeless(after.metrics[i]), `step ${i}`).toEqual(timeless(before.metrics[i]));
  expect(await runs(page).count()).toBe(1); // resumed, not a new run
  await expect.poll(() => runs(page).first().getAttribute('data-status')).toBe('paused');
  await screenshot(page, 'persistence-resumed');
});

/** Clicks a run's download button and returns the file's name and bytes. */
async function download(page: Page, kind: string): Promise<{ name: string; bytes: Uint8Array }> {
  const row = runs(page).first();
  if (!(await row.getByTestId(`run-download-${kind}`).isVisible())) await row.getByTestId('run-files').click();
  const [dl] = await Promise.all([page.waitForEvent('download'), row.getByTestId(`run-download-${kind}`).click()]);
  return { name: dl.suggestedFilename(), bytes: new Uint8Array(await readFile(await dl.path())) };
}

const EXACT = {
  type: 'string_check',
  name: 'exact',
  input: '{{ sample.output_text }}',
  reference: '{{ item.reference_answer }}',
  operation: 'eq',
} as const;

test('a finished run downloads (metrics CSV, checkpoint zip, OpenAI grader, TRL script); deleting it deletes its metrics and checkpoints', async () => {
  const page = await open({ ...SMALL, max_steps: 2, learning_rate: 0.0002 }, { kind: 'spec', spec: EXACT });
  await page.getByTestId('run-start').click();
  await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 60_000 }).toBe('stopped');
  await expect.poll(() => runs(page).count(), { timeout: 10_000 }).toBe(1);
  const runId = (await runs(page).first().getAttribute('data-run-id')) ?? '';
  const saved = await rawRun(page, runId);
  expect(saved.metrics).toHaveLength(2);
  expect(saved.checkpoints).toEqual([2]); // the end checkpoint (max_steps 2)
  await expect.poll(() => runs(page).first().getAttribute('data-status')).toBe('done');

  const csv = strFromU8((await download(page, 'metrics-csv')).bytes)
    .trim()
    .split('\n');
  expect(csv).toHaveLength(3); // header + steps 0 and 1
  const header = csv[0].split(','),
    col = header.indexOf('reward_mean');
  expect(col).toBeGreaterThan(-1);
  expect(csv.slice(1).map((l) => Number(l.split(',')[col]))).toEqual(saved.metrics.map((m) => m.reward_mean));

  const zip = await download(page, 'checkpoint-zip');
  expect(zip.name).toMatch(/-step2\.zip$/);
  const files = unzipSync(zip.bytes);
  const names = Object.keys(files).map((n) => n.split('/').pop());
  expect(names.sort()).toEqual(['cherry_run.json', 'config.json', 'model.safetensors', 'tokenizer.json']);
  const entry = (n: string) => Object.entries(files).find(([k]) => k.endsWith(`/${n}`))?.[1] ?? new Uint8Array(0);
  expect(JSON.parse(strFromU8(entry('cherry_run.json'))).step).toBe(2);
  const storedHash = await page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('cherry');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const row = await new Promise<{ weights: Uint8Array<ArrayBuffer> }>((res, rej) => {
      const r = db.transaction('checkpoints').objectStore('checkpoints').get([id, 2]);
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    db.close();
    return [...new Uint8Array(await crypto.subtle.digest('SHA-256', row.weights))].map((b) => b.toString(16).padStart(2, '0')).join('');
  }, runId);
  expect(createHash('sha256').update(entry('model.safetensors')).digest('hex')).toBe(storedHash);

  expect(JSON.parse(strFromU8((await download(page, 'openai-grader')).bytes))).toEqual(EXACT);
  const trl = strFromU8((await download(page, 'trl-script')).bytes);
  expect(trl).toContain('GRPOTrainer');
  expect(trl).toMatch(/learning_rate=0\.0002\b/);
  expect(trl).toMatch(/num_generations=2\b/);
  await runs(page).first().getByTestId('run-delete').click();
  await expect.poll(() => runs(page).count(), { timeout: 10_000 }).toBe(0);
  expect(await rawRun(page, runId)).toEqual({ metrics: [], checkpoints: [] });
});

test('a saved run with missing fields is reported and skipped; the grader draft and its undo survive a reload', async () => {
  const page = await open();
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('cherry');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    await new Promise<void>((res, rej) => {
      const tx = db.transaction('runs', 'readwrite');
      tx.objectStore('runs').put({ id: 'broken-run', name: 'half a run' }); // no config, grader, data, status...
      tx.oncomplete = () => res();
      tx.onerror = () => rej(tx.error);
    });
    db.close();
  });
  for (const text of [
    '// my draft 1111\nfunction grade(sample, item) { return 0; }\n',
    '// my draft 7431\nfunction grade(sample, item) { return 1; }\n',
  ]) {
    await page.getByTestId('grader-editor').locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(text);
    await page.waitForTimeout(800); // the draft saves after 300 ms of quiet
  }
  await page.reload();
  await ready(page);
  await expect.poll(() => page.getByTestId('runs-skipped').textContent(), { timeout: 10_000 }).toMatch(/runs 'broken-run'/);
  expect(await runs(page).count()).toBe(0);
  await expect.poll(() => page.getByTestId('grader-editor').textContent(), { timeout: 10_000 }).toContain('my draft 7431');
  // the draft's edit history survived the reload too
  await page.getByTestId('draft-undo').click();
  await expect.poll(() => page.getByTestId('grader-editor').textContent(), { timeout: 10_000 }).toContain('my draft 1111');
  await page.getByTestId('draft-redo').click();
  await expect.poll(() => page.getByTestId('grader-editor').textContent(), { timeout: 10_000 }).toContain('my draft 7431');
});

test('two saved runs, renamed, compare on one reward chart', async () => {
  const page = await open({ ...SMALL, max_steps: 2 });
  for (const [i, name] of ['first', 'second'].entries()) {
    await page.getByTestId('run-start').click();
    await expect.poll(() => runs(page).count(), { timeout: 30_000 }).toBe(i + 1);
    await expect.poll(() => runs(page).first().getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    const input = runs(page).first().getByTestId('run-name'); // newest first
    await input.fill(name);
    await input.press('Enter');
    await expect.poll(() => runs(page).first().getAttribute('data-name'), { timeout: 10_000 }).toBe(name); // saved and listed again
  }
  await page.reload();
  await ready(page);
  expect(
    await runs(page)
      .locator('[data-testid="run-name"]')
      .evaluateAll((els) => els.map((e) => (e instanceof HTMLInputElement ? e.value : null))),
  ).toEqual(['second', 'first']); // renames are saved
  for (const row of await runs(page).all()) await row.getByTestId('run-compare').check();
  const legend = page.getByTestId('runs-compare').locator('.recharts-legend-item-text');
  await expect.poll(async () => (await legend.allTextContents()).sort(), { timeout: 10_000 }).toEqual(['first · mean', 'second · mean']);
  expect(Number(await page.getByTestId('runs-compare').getByTestId('reward-chart').getAttribute('data-points'))).toBe(2);
});

test('a failed write (the run record deleted under a running run) reaches the banner once; training goes on', async () => {
  const page = await open();
  await page.getByTestId('run-start').click();
  await expect.poll(() => runs(page).count(), { timeout: 30_000 }).toBe(1);
  const runId = (await runs(page).first().getAttribute('data-run-id')) ?? '';
  await page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('cherry');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    await new Promise<void>((res, rej) => {
      const tx = db.transaction('runs', 'readwrite');
      tx.objectStore('runs').delete(id);
      tx.oncomplete = () => res();
      tx.onerror = () => rej(tx.error);
    });
    db.close();
  }, runId);
  const at = await counter(page);
  await expect.poll(() => page.getByTestId('error-banner').textContent(), { timeout: 30_000 }).toContain(`No saved run with id '${runId}'`);
  await expect.poll(() => counter(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(at + 3);
  const text = (await page.getByTestId('error-banner').textContent()) ?? '';
  expect(text.split(`No saved run with id '${runId}'`).length - 1).toBe(1); // reported once, not once per step
  await page.getByTestId('run-stop').click();
});
