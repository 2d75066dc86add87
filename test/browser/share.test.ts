// Sharing by link on the production build: a URL hash (made here with src/export/urlState, independently
// of the page) restores the task, hyperparameters, seed and grader; the grader is shown with a notice
// and NOT run: every message the page sends to its workers is recorded, and no tryGrader / start / step
// goes out before the person presses Try. "Copy link" writes the page's setup back into the hash.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { openSession, type Session } from './harness';
import { decodeState, encodeState } from '../../src/export/urlState';
import { resolveConfig } from '../../src/rl/config';

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

const GRADER = '// from a link 5521\nfunction grade(sample, item) {\n  return 0.25;\n}\n';

test('a link restores task, hyperparameters, seed and grader, and the grader does not run before Try', async () => {
  const page = await s.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __sent: string[] }; // test-only record of page → worker messages
    w.__sent = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: [StructuredSerializeOptions?]) {
      const kind = typeof message === 'object' && message !== null && 'kind' in message ? String(message.kind) : '?';
      w.__sent.push(kind);
      return post.call(this, message, ...rest);
    } as Worker['postMessage']; // one function standing in for both postMessage overloads
  });
  const hash = encodeState({
    task: 'arithmetic',
    config: resolveConfig({ seed: 77, learning_rate: 0.0007, batch_prompts: 3 }),
    grader: { kind: 'js', code: GRADER },
  });
  await page.goto(`${s.url}?backend=wasm#${hash}`);
  await expect.poll(() => page.getByTestId('model-status').textContent(), { timeout: 60_000 }).toBe('ready');
  expect(await page.getByTestId('share-notice').textContent()).toMatch(/Grader loaded from link — review it before running/);
  await expect.poll(() => page.getByTestId('grader-editor').textContent()).toContain('from a link 5521');
  await page.getByText('Hyperparameters').click();
  expect(await page.getByRole('spinbutton', { name: /^seed\b/ }).inputValue()).toBe('77');
  expect(await page.getByRole('spinbutton', { name: /^learning_rate\b/ }).inputValue()).toBe('0.0007');
  expect(await page.getByRole('spinbutton', { name: /^batch_prompts\b/ }).inputValue()).toBe('3');

  await page.waitForTimeout(1500); // give anything that would run it on its own the time to do so
  const sent = await page.evaluate(() => (window as unknown as { __sent: string[] }).__sent);
  expect(sent).toContain('loadModel'); // the recorder sees the page's requests
  expect(sent.filter((k) => k === 'tryGrader' || k === 'start' || k === 'step' || k === 'resumeRun')).toEqual([]);
  expect(await page.getByTestId('run-state').textContent()).toBe('idle');
  expect(await page.getByTestId('runs-list').locator('li').count()).toBe(0);

  await page.getByTestId('grader-try').click();
  await expect
    .poll(() => page.getByTestId('grader-try-result').locator('tbody td.num').allTextContents(), { timeout: 30_000 })
    .toEqual(['0.250', '0.250', '0.250']);
  expect(await page.evaluate(() => (window as unknown as { __sent: string[] }).__sent.filter((k) => k === 'tryGrader').length)).toBe(1);

  // Copy link: the hash now holds the page's setup, which decodes to the same values
  await page.getByTestId('share-link').click();
  const back = decodeState(new URL(page.url()).hash);
  expect(back.errors).toEqual([]);
  expect(back.state.task).toBe('arithmetic');
  expect(back.state.config.seed).toBe(77);
  expect(back.state.config.learning_rate).toBe(0.0007);
  expect(back.state.grader).toEqual({ kind: 'js', code: GRADER });
});
