// Issue 16's "what one update did" view on the production build (wasm): after one step (paused) the
// view opens a traced group with its G completions; each token's tint comes from its log-prob change,
// and the numbers it shows agree with each other (Δ = after − before per token, the row's Δ log p is
// their sum) and with what a policy-gradient step must do: Σ advantage × mean Δ log p over the group
// is positive (the update climbed the objective). The log-probs themselves are checked against an
// independent recompute in test/rl/updateDelta.test.ts.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { openSession, screenshot, type Session } from './harness';
import { modelFiles } from '../worker/modelFiles';
import { getTask } from '../../src/tasks';

let s: Session;
let files: Map<string, Uint8Array>;
const MODEL = getTask('arithmetic').model;

beforeAll(async () => {
  await tf.setBackend('cpu');
  files = await modelFiles();
  s = await openSession();
});
afterAll(async () => {
  await s?.close();
});
afterEach(async () => {
  for (const c of s.browser.contexts()) await c.close();
});

/** "−0.123" / "+0.123" / "±0.000" → number. */
const num = (t: string): number => Number(t.replace('−', '-').replace('±', '').replace('+', ''));

test('one step, paused: the update view shows a group, tokens tinted by after − before, and the step climbed the objective', async () => {
  s.errors.length = 0;
  const page = await s.newPage();
  await page.context().route(`**/models/${MODEL}/*`, async (route) => {
    const body = files.get(new URL(route.request().url()).pathname.split('/').pop() ?? '');
    if (body === undefined) {
      await route.fulfill({ status: 404, body: 'not found' });
      return;
    }
    await route.fulfill({
      status: 200,
      body: Buffer.from(body),
      headers: { 'content-type': 'application/octet-stream', 'cross-origin-resource-policy': 'same-origin' },
    });
  });
  await page.goto(`${s.url}?backend=wasm`);
  await expect.poll(() => page.getByTestId('model-status').textContent(), { timeout: 90_000 }).toBe('ready');
  // A grader with a spread in every group (first character's code), so the update has a direction.
  await page.getByTestId('grader-editor').locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(
    'function grade(sample) { const t = sample.output_text; return t.length ? (t.charCodeAt(0) % 5) / 4 : 0; }',
  );
  await page.getByText('Hyperparameters').click();
  const settings = { batch_prompts: 2, num_generations: 4, max_completion_length: 5, eval_interval: 0, learning_rate: 0.01 };
  for (const [k, v] of Object.entries(settings)) await page.getByRole('spinbutton', { name: new RegExp(`^${k}\\b`) }).fill(String(v));
  await expect.poll(() => page.getByTestId('run-step').isEnabled(), { timeout: 60_000 }).toBe(true);
  await page.getByTestId('run-step').click();
  await expect.poll(() => page.getByTestId('step-counter').textContent(), { timeout: 120_000 }).toBe('1');

  const view = page.getByTestId('update-view');
  await expect.poll(() => view.getByTestId('update-completion').count(), { timeout: 30_000 }).toBe(4); // G = 4
  const rows = await view.getByTestId('update-completion').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
      const tokens = [...tr.querySelectorAll<HTMLElement>('.update-token')].map((t) => ({
        delta: Number(t.dataset.delta),
        title: t.title,
        background: t.style.background,
      }));
      return { advantage: cells[3], seq: cells[4], tokens };
    }),
  );
  let objective = 0,
    moved = 0;
  for (const r of rows) {
    expect(r.tokens.length).toBeGreaterThan(0);
    let sum = 0;
    for (const t of r.tokens) {
      const m = /log p (-?[\d.]+) → (-?[\d.]+)/.exec(t.title);
      if (!m) throw new Error(`token title without log-probs: ${t.title}`);
      expect(t.delta).toBeCloseTo(Number(m[2]) - Number(m[1]), 2); // shown to 3 decimals
      expect(Number(m[1])).toBeLessThanOrEqual(0);
      if (t.delta !== 0) {
        moved++;
        expect(t.background).toMatch(t.delta > 0 ? /22, 163, 74|22 163 74/ : /220, 38, 38|220 38 38/);
      }
      sum += t.delta;
    }
    expect(num(r.seq)).toBeCloseTo(sum, 2);
    objective += (num(r.advantage) * sum) / r.tokens.length;
  }
  expect(moved).toBeGreaterThan(0);
  expect(rows.some((r) => num(r.advantage) !== 0)).toBe(true);
  expect(objective).toBeGreaterThan(0);
  await screenshot(page, 'update-view');
  expect(s.errors).toEqual([]);
});
