// The grader's try-it pane on the production build with the shipped models: sample completions of
// countdown's validation items from cherry-countdown and see a reward per completion and the spread per
// prompt; edit the grader (no button pressed) and see every reward follow; grade a hand-written output
// against a real countdown item (numbers and target), where a custom {reference_answer} item cannot.
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
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

test('countdown: sample from the shipped model, rewards per completion; edits re-grade without a press; a real item', async () => {
  const page = await s.newPage();
  await page.goto(`${s.url}?backend=wasm`);
  await page.getByTestId('task-select').selectOption('countdown');
  await expect.poll(() => page.getByTestId('model-facts').textContent(), { timeout: 90_000 }).toMatch(/cherry-countdown/);
  await expect.poll(() => page.getByTestId('model-status').textContent(), { timeout: 90_000 }).toBe('ready');

  // Switching task picked its first validation item for hand-written outputs.
  expect(JSON.parse(await page.getByTestId('grader-try-item-json').inputValue())).toMatchObject({
    numbers: expect.any(Array),
    target: expect.any(Number),
  });

  // Sample: 3 validation prompts × 4 completions, each with a reward (or "—" with the grader's reason).
  await page.getByTestId('grader-sample').click();
  const sampledRewards = page.getByTestId('grader-sample-result').locator('tbody td.num');
  await expect.poll(() => sampledRewards.count(), { timeout: 90_000 }).toBe(12);
  await expect
    .poll(() => sampledRewards.allTextContents(), { timeout: 30_000 })
    .toSatisfy((xs: string[]) => xs.every((x) => /^(\d\.\d{3}|—)$/.test(x)));
  expect(await page.getByTestId('grader-sample-result').locator('caption code').allTextContents()).toHaveLength(3);
  expect((await page.getByTestId('grader-sample-result').locator('caption code').first().textContent()) ?? '').toMatch(/^[\d ]+ -> \d+:$/);
  const spreads = page.getByTestId('grader-sample-spread');
  await expect.poll(() => spreads.count()).toBe(3);
  for (const t of await spreads.allTextContents()) expect(t).toMatch(/^(spread \d\.\d{3} \(|no signal: )/);
  await screenshot(page, 'tryit-sampled');

  // A constant grader typed in the editor: the same completions are re-graded without pressing anything.
  const content = page.getByTestId('grader-editor').locator('.cm-content');
  await content.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('function grade(sample, item) {\n  return 0.5;\n}\n');
  await expect.poll(() => sampledRewards.allTextContents(), { timeout: 30_000 }).toEqual(Array(12).fill('0.500'));
  expect(await spreads.allTextContents()).toEqual(Array(3).fill('no signal: all 4 rewards are 0.500'));
  await expect
    .poll(() => page.getByTestId('grader-try-result').locator('tbody td.num').allTextContents())
    .toEqual(['0.500', '0.500', '0.500']);

  // Back to countdown's grader; pick the first validation item: its numbers and target fill the item JSON.
  await page.getByTestId('grader-reset').click();
  expect(await page.getByTestId('grader-try-item').inputValue()).toBe('0'); // picked when the task changed
  await page.getByTestId('grader-try-item').selectOption('1');
  await page.getByTestId('grader-try-item').selectOption('0');
  const item = JSON.parse(await page.getByTestId('grader-try-item-json').inputValue()) as {
    reference_answer: string;
    numbers: number[];
    target: number;
  }; // a countdown item, as the page wrote it
  expect(item.numbers.length).toBeGreaterThanOrEqual(3);
  expect(typeof item.target).toBe('number');
  // Its reference solution scores 1; a number not among the item's numbers does not. Graded as typed.
  const unused = [...Array(30).keys()].map((k) => k + 13).find((k) => !item.numbers.includes(k) && k !== item.target) ?? 97;
  await page.getByTestId('grader-try-outputs').fill(`${item.reference_answer}\n${unused}`);
  const hand = page.getByTestId('grader-try-result').locator('tbody td.num');
  await expect.poll(() => hand.count(), { timeout: 30_000 }).toBe(2);
  await expect.poll(async () => (await hand.allTextContents())[0], { timeout: 30_000 }).toBe('1.000');
  expect(Number((await hand.allTextContents())[1])).toBeLessThan(1);
  await screenshot(page, 'tryit-item');
  expect(s.errors).toEqual([]);
});
