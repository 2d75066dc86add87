import { afterAll, beforeAll, expect, test } from 'vitest';
import { openSession, screenshot, type Session } from './harness';

let s: Session;
beforeAll(async () => { s = await openSession(); });
afterAll(async () => { await s?.close(); });

test('the page loads with no console errors', async () => {
  const page = await s.newPage();
  await page.goto(s.url);
  await page.getByRole('heading', { name: 'Cherry' }).waitFor();
  await screenshot(page, 'home');
  expect(s.errors).toEqual([]);
});
