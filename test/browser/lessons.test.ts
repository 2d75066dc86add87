// Issue 16's lessons on the production build, on wasm with the real built-in models: each lesson opens
// from its link, runs with `lessonSteps=3` (short CI runs; the real lengths are in BENCHMARKS.md,
// scripts/benchLessons.ts), and its verdict's figures are checked against the runs' own records read
// straight from IndexedDB (or, for the grader lesson, against the completions listed on the page,
// graded again here by the rule the lesson's grader states).
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openSession, screenshot, type Session } from './harness';
import { arithmetic, arithmeticLabelAccuracy, rewardHacking } from '../../src/tasks';
import type { StepMetrics, SampleRecord } from '../../src/schema/metrics';

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

/** Opens a lesson's link on wasm, presses Run lesson, waits for the verdict; returns its figures by key. */
async function runLesson(query: string, name: string): Promise<{ page: Page; figures: Record<string, number | null> }> {
  s.errors.length = 0;
  const page = await s.newPage();
  await page.goto(`${s.url}${query}`);
  await page.waitForFunction(() => document.querySelector('[data-testid="backend-badge"]')?.textContent?.startsWith('wasm'), undefined, {
    timeout: 90_000,
  });
  expect(await page.getByTestId('lessons').count()).toBe(1);
  await page.getByTestId('lesson-run').click();
  await page.waitForSelector('[data-testid="lesson-verdict"], [data-testid="lesson-error"]', { timeout: 280_000 });
  expect(await page.getByTestId('lesson-error').count(), (await page.getByTestId('lesson-error').allTextContents()).join(' ')).toBe(0);
  await screenshot(page, `lesson-${name}`);
  const figures = await page.$$eval('[data-testid="lesson-verdict"] [data-figure]', (els) =>
    Object.fromEntries(
      els.map((e) => [
        e.getAttribute('data-figure') ?? '',
        e.getAttribute('data-value') === '' ? null : Number(e.getAttribute('data-value')),
      ]),
    ),
  );
  return { page, figures };
}

interface RawRun {
  algo: string;
  createdAt: number;
  metrics: StepMetrics[];
  samples: SampleRecord[][];
}

/** Every saved run, oldest first, with its metrics and samples, read from IndexedDB without src/storage. */
async function rawRuns(page: Page): Promise<RawRun[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('cherry');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const all = <T>(store: string) =>
      new Promise<T[]>((res, rej) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => res(r.result as T[]);
        r.onerror = () => rej(r.error); // IndexedDB rows are untyped
      });
    const runs = await all<{ id: string; createdAt: number; config: { algo: string } }>('runs');
    const metrics = await all<{ runId: string; step: number; metrics: StepMetrics }>('metrics');
    const samples = await all<{ runId: string; step: number; samples: SampleRecord[] }>('samples');
    db.close();
    return runs
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((r) => ({
        algo: r.config.algo,
        createdAt: r.createdAt,
        metrics: metrics
          .filter((m) => m.runId === r.id)
          .sort((a, b) => a.step - b.step)
          .map((m) => ({ ...m.metrics, step: m.step })),
        samples: samples
          .filter((m) => m.runId === r.id)
          .sort((a, b) => a.step - b.step)
          .map((m) => m.samples),
      }));
  });
}

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const values = (ms: StepMetrics[], f: (m: StepMetrics) => number | null | undefined) =>
  ms.flatMap((m) => {
    const v = f(m);
    return v === null || v === undefined ? [] : [v];
  });
const lastOf = (xs: number[]) => xs[xs.length - 1];

test("cake (?lesson=cake): SFT then GRPO from the same model; the verdict quotes both runs' last held-out rewards and carry class", async () => {
  const { page, figures } = await runLesson('?backend=wasm&lesson=cake&lessonSteps=3', 'cake');
  const runs = await rawRuns(page);
  expect(runs.map((r) => r.algo)).toEqual(['sft', 'grpo']);
  const [sft, grpo] = runs;
  expect(sft.metrics).toHaveLength(3);
  expect(figures.label_accuracy).toBeCloseTo(arithmeticLabelAccuracy(arithmetic.items('train', 2000)).overall, 12);
  expect(figures.sft_final).toBeCloseTo(lastOf(values(sft.metrics, (m) => m.eval_reward_mean)), 12);
  expect(figures.grpo_final).toBeCloseTo(lastOf(values(grpo.metrics, (m) => m.eval_reward_mean)), 12);
  expect(figures.sft_carry).toBeCloseTo(lastOf(values(sft.metrics, (m) => m.eval_reward_by_class?.carry)), 12);
  expect(figures.grpo_carry).toBeCloseTo(lastOf(values(grpo.metrics, (m) => m.eval_reward_by_class?.carry)), 12);
  const text = await page.getByTestId('lesson-verdict').textContent();
  expect(text).toContain(`${Math.round((figures.grpo_final ?? 0) * 100)}%`);
  // the lesson locks what it fixes
  await page.getByText('Hyperparameters').click();
  expect(await page.getByRole('spinbutton', { name: /^max_steps\b/ }).isDisabled()).toBe(true);
}, 300_000);

test('no-signal (#lesson=no-signal): the impossible grader leaves every group dead; the solvable task does not', async () => {
  const { page, figures } = await runLesson('?backend=wasm#lesson=no-signal&lessonSteps=3', 'no-signal');
  const [impossible, solvable] = await rawRuns(page);
  const dead = (r: RawRun) => avg(values(r.metrics, (m) => m.frac_groups_zero_std));
  expect(dead(impossible)).toBe(1); // nobody writes the product: all rewards 0
  expect(figures.dead_before).toBe(1);
  expect(figures.reward_before).toBe(0);
  expect(figures.dead_after).toBeCloseTo(dead(solvable), 12);
  expect(figures.dead_after).toBeLessThan(1);
  expect(figures.reward_after_end).toBeCloseTo(avg(values(solvable.metrics, (m) => m.reward_mean)), 12); // 3 steps < 10: all of them
}, 300_000);

test("hacking: the sloppy grader's reward against the honest grader's on the same completions", async () => {
  const { page, figures } = await runLesson('?backend=wasm&lesson=hacking&lessonSteps=3', 'hacking');
  const [sloppy, fixed] = await rawRuns(page);
  const last = sloppy.samples[sloppy.samples.length - 1];
  const answers = new Map(
    [...rewardHacking.items('train', 5000), ...rewardHacking.items('validation', 5000), ...rewardHacking.items('test', 5000)].map((it) => [
      String(it.prompt),
      String(it.reference_answer),
    ]),
  );
  const honest = last.map((x) => (x.completion.trim().toLowerCase() === answers.get(x.prompt) ? 1 : 0));
  expect(figures.hacked_reward).toBeCloseTo(
    avg(
      values(
        last.map((x, step) => ({ step, reward_mean: x.reward })),
        (m) => m.reward_mean,
      ),
    ),
    12,
  );
  expect(figures.honest_reward).toBeCloseTo(avg(honest), 12);
  expect(figures.fixed_reward).toBeCloseTo(avg(values(fixed.metrics, (m) => m.reward_mean)), 12);
  expect(figures.length_end).toBeCloseTo(lastOf(values(sloppy.metrics, (m) => m.completion_length_mean)), 12);
}, 300_000);

test('grader: fresh samples graded before training; the figures match the listed completions graded again here', async () => {
  const { page, figures } = await runLesson('?backend=wasm&lesson=grader', 'grader');
  expect(await rawRuns(page)).toEqual([]); // nothing trained
  const rows = await page.$$eval('[data-testid="lesson-grades-all"] tbody tr', (trs) =>
    trs.map((tr) => ({
      group: Number(tr.getAttribute('data-group')),
      reward: tr.getAttribute('data-reward') === '' ? null : Number(tr.getAttribute('data-reward')),
      prompt: tr.children[1]?.textContent ?? '',
      completion: JSON.parse(tr.children[2]?.textContent ?? '""') as string, // JSON.stringify'd on the page
    })),
  );
  expect(rows).toHaveLength(12 * 6);
  const answers = new Map(arithmetic.items('validation', 5000).map((it) => [String(it.prompt), Number(it.reference_answer)]));
  for (const r of rows) {
    const t = r.completion.trim();
    const diff = Math.abs(Number(t) - (answers.get(r.prompt) ?? NaN));
    expect(r.reward).toBe(/^-?\d+$/.test(t) ? (diff === 0 ? 1 : diff <= 10 ? 0.5 : 0) : null);
  }
  const scored = rows.flatMap((r) => (r.reward === null ? [] : [r.reward]));
  expect(figures.samples).toBe(rows.length);
  expect(figures.errors).toBe(rows.length - scored.length);
  expect(figures.mean).toBeCloseTo(avg(scored), 12);
  const groups = [...new Set(rows.map((r) => r.group))].map((g) =>
    rows.filter((r) => r.group === g && r.reward !== null).map((r) => r.reward ?? 0),
  );
  const deadShare = avg(groups.filter((g) => g.length > 0).map((g) => (Math.max(...g) === Math.min(...g) ? 1 : 0)));
  expect(figures.dead_groups).toBeCloseTo(deadShare, 12);
}, 300_000);

test('group-size: groups of 2 against groups of 8 at the same completions per step', async () => {
  const { page, figures } = await runLesson('?backend=wasm&lesson=group-size&lessonSteps=3', 'group-size');
  const [g2, g8] = await rawRuns(page);
  expect(figures.dead_g2).toBeCloseTo(avg(values(g2.metrics, (m) => m.frac_groups_zero_std)), 12);
  expect(figures.dead_g8).toBeCloseTo(avg(values(g8.metrics, (m) => m.frac_groups_zero_std)), 12);
  expect(figures.final_g8).toBeCloseTo(lastOf(values(g8.metrics, (m) => m.eval_reward_mean)), 12);
  expect(s.errors).toEqual([]);
}, 300_000);
