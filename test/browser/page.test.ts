// The playground page on the production build: every panel's hook is there, the task's built-in model
// loads by itself, nothing logs an error, the theme toggles, the grader editor follows the task until
// edited, the error banner shows worker errors and can be dismissed. Screenshots of the main screen in
// light and dark, at desktop and tablet sizes, go to test-artifacts/.
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
}); // also after a failure

const HOOKS = [
  'backend-badge',
  'model-status',
  'task-select',
  'grader-editor',
  'grader-try',
  'grader-try-result',
  'grader-sample',
  'run-start',
  'run-pause',
  'run-step',
  'run-stop',
  'step-counter',
  'reward-chart',
  'samples-table',
  'diagnostics',
];

async function ready(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Cherry' }).waitFor();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="backend-badge"]')?.textContent?.startsWith('wasm') === true,
    undefined,
    { timeout: 60_000 },
  );
}

test('the page loads with every panel, no console errors', async () => {
  const page = await s.newPage();
  await page.goto(`${s.url}?backend=wasm`);
  await ready(page);
  for (const id of HOOKS) expect(await page.getByTestId(id).count(), id).toBe(1);
  expect(await page.getByTestId('step-counter').textContent()).toBe('0');
  // The task's built-in model (public/models/cherry-arith) loads by itself.
  await expect.poll(() => page.getByTestId('model-status').textContent(), { timeout: 60_000 }).toBe('ready');
  expect(await page.getByTestId('model-facts').textContent()).toMatch(/^Modelcherry-arith/);
  expect(await page.getByTestId('samples-table').locator('tbody tr').count()).toBe(1); // the empty-state row
  // The editor is CodeMirror with the arithmetic task's own grader, highlighted as JavaScript.
  expect(await page.getByTestId('grader-editor').locator('.cm-content').textContent()).toContain('// Exact answer: the completion');
  expect(await page.getByTestId('grader-origin').textContent()).toMatch(/default grader of Arithmetic/);
  expect(await page.getByTestId('grader-editor').locator('.cm-content span').count()).toBeGreaterThan(5);
  await screenshot(page, 'home');
  await page.getByText('Hyperparameters').click();
  const lr = page.getByRole('spinbutton', { name: /learning_rate/ });
  expect(await lr.inputValue()).toBe('0.0002'); // DEFAULT_CONFIG.learning_rate, shown as the default
  await lr.fill('0.0003');
  expect(await lr.inputValue()).toBe('0.0003');
  await screenshot(page, 'run-hyperparameters');
  expect(s.errors).toEqual([]);
  await page.close();
});

test('typing in the grader editor edits the grader', async () => {
  const page = await s.newPage();
  await page.goto(`${s.url}?backend=wasm`);
  await ready(page);
  await page.getByTestId('grader-editor').locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n// edited');
  expect(await page.getByTestId('grader-editor').locator('.cm-content').textContent()).toContain('// edited');
  expect(s.errors).toEqual([]);
  await page.close();
});

test('try the default grader on hand-written outputs: exact answer 1, anything else 0', async () => {
  const page = await s.newPage();
  await page.goto(`${s.url}?backend=wasm`);
  await ready(page);
  await page.getByTestId('grader-try').click();
  const rewards = page.getByTestId('grader-try-result').locator('tbody td.num');
  await expect.poll(() => rewards.allTextContents(), { timeout: 30_000 }).toEqual(['1.000', '0.000', '0.000']); // "42", "41", "The answer is 42" vs "42"
  await screenshot(page, 'grader-try');
  expect(s.errors).toEqual([]);
});

test('a grader that throws: the try-it pane shows the error and its line', async () => {
  const page = await s.newPage();
  await page.goto(`${s.url}?backend=wasm`);
  await ready(page);
  await page.getByTestId('grader-editor').locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('function grade(sample, item) {\n  const x = 1;\n  throw new Error("boom " + x);\n}\n');
  await page.getByTestId('grader-try').click();
  const result = page.getByTestId('grader-try-result');
  await expect.poll(() => result.textContent(), { timeout: 30_000 }).toMatch(/threw on sample 0 at line 3, column 9: Error: boom 1/);
  expect(await result.locator('tbody td.num').allTextContents()).toEqual(['—', '—', '—']); // unscorable, not 0
  // The editor underlines line 3 and marks it in the gutter.
  const editor = page.getByTestId('grader-editor');
  await editor.locator('.cm-lintRange-error').first().waitFor();
  expect(await editor.locator('.cm-lintRange-error').first().textContent()).toBe('new Error("boom " + x);');
  expect(await editor.locator('.cm-lint-marker-error').count()).toBe(1);
  await screenshot(page, 'grader-error-line');
  expect(s.errors).toEqual([]);
});

test("the grader editor follows the task (a JSON spec for reverse-words, tried as is) until edited; reset brings the task's back", async () => {
  const page = await s.newPage();
  await page.goto(`${s.url}?backend=wasm`);
  await ready(page);
  const content = page.getByTestId('grader-editor').locator('.cm-content');
  await page.getByTestId('task-select').selectOption('reverse-words');
  await expect.poll(() => content.textContent()).toMatch(/^\{\s*"type": "text_similarity"/);
  // The spec runs as grader JSON against the task's first validation item (picked when the task changed):
  // its exact answer scores 1, a one-character slip keeps part of the reward.
  expect(await page.getByTestId('grader-try-item').inputValue()).toBe('0');
  const ref = (JSON.parse(await page.getByTestId('grader-try-item-json').inputValue()) as { reference_answer: string }).reference_answer; // the page wrote the item JSON
  await page.getByTestId('grader-try-outputs').fill(`${ref}\n${ref.slice(0, -1)}${ref.endsWith('x') ? 'y' : 'x'}\nzzz`);
  await page.getByTestId('grader-try').click();
  const rewards = page.getByTestId('grader-try-result').locator('tbody td.num');
  await expect.poll(() => rewards.count(), { timeout: 30_000 }).toBe(3);
  const values = (await rewards.allTextContents()).map(Number);
  expect(values[0]).toBe(1);
  expect(values[1]).toBeGreaterThan(0);
  expect(values[1]).toBeLessThan(1);
  expect(await page.getByTestId('grader-reset').count()).toBe(0);
  // Edited, the text stays when the task changes, and a reset button offers the task's grader.
  await content.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('function grade(sample, item) {\n  return 0.5; // mine\n}\n');
  await page.getByTestId('task-select').selectOption('countdown');
  expect(await content.textContent()).toContain('// mine');
  await page.getByTestId('grader-reset').click();
  await expect.poll(() => content.textContent()).toMatch(/^\/\/ Countdown: the answer must be an expression/);
  expect(await page.getByTestId('grader-origin').textContent()).toMatch(/default grader of Countdown/);
  await page.getByTestId('task-select').selectOption('arithmetic');
  await expect.poll(() => content.textContent()).toContain('// Exact answer: the completion');
  // Broken grader JSON is refused before it reaches the worker, underlined at its line.
  await content.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('{\n  "type": "string_check"\n  "name": "eq"\n}\n');
  await page.getByTestId('grader-try').click();
  await expect.poll(() => page.getByTestId('grader-try-result').textContent(), { timeout: 30_000 }).toMatch(/line 3, column 3/);
  await page.getByTestId('grader-editor').locator('.cm-lintRange-error').first().waitFor();
  expect(s.errors).toEqual([]);
  await page.close();
});

test('a grader with a syntax error: the message names the line, and it shows in the banner too', async () => {
  const page = await s.newPage();
  await page.goto(`${s.url}?backend=wasm`);
  await ready(page);
  await page.getByTestId('grader-editor').locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('function grade(sample, item) {\n  return 1 +;\n}\n');
  await page.getByTestId('grader-try').click();
  const result = page.getByTestId('grader-try-result');
  await expect.poll(() => result.textContent(), { timeout: 30_000 }).toMatch(/syntax error at line 2/);
  expect(await page.getByTestId('error-banner').textContent()).toMatch(/GraderLoadError.*line 2/);
  await page.getByTestId('grader-editor').locator('.cm-lintRange-error').first().waitFor();
  expect(s.errors).toEqual([]);
});

test("Validate checks a grader as OpenAI's graders/validate does: valid, not for OpenAI, or the field that is wrong; no banner", async () => {
  s.errors.length = 0;
  const page = await s.newPage();
  await page.goto(`${s.url}?backend=wasm`);
  await ready(page);
  const validate = async (code: string): Promise<string> => {
    await page.getByTestId('grader-editor').locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(code);
    const note = page.getByTestId('grader-io-message');
    const before = (await note.count()) === 0 ? '' : ((await note.textContent()) ?? '');
    await page.getByTestId('grader-validate').click();
    await expect.poll(async () => (await page.getByTestId('grader-io-message').textContent()) ?? '', { timeout: 30_000 }).not.toBe(before);
    return (await page.getByTestId('grader-io-message').textContent()) ?? '';
  };
  const check = { type: 'string_check', name: 'exact', input: '{{ sample.output_text }}', reference: '{{ item.reference_answer }}' };
  expect(await validate(JSON.stringify({ ...check, operation: 'eq' }))).toBe(
    "Valid string_check grader 'exact'. OpenAI RFT accepts it as it is.",
  );
  expect(
    await validate(
      JSON.stringify({ type: 'regex', name: 'digits', input: '{{ sample.output_text }}', pattern: '^\\d+$', mode: 'full_match' }),
    ),
  ).toMatch(/^Valid regex grader 'digits'\. Not for OpenAI: .*regex/);
  expect(await validate(JSON.stringify({ ...check, operation: 'equals' }))).toMatch(/^grader spec, field "operation": .*equals/);
  expect(await validate('function grade(sample, item) {\n  return 1 +;\n}\n')).toMatch(/line 2/);
  expect(await page.getByTestId('error-banner').count()).toBe(0); // a verdict, not an error of the page
  expect(s.errors).toEqual([]);
});

test('a worker error shows in the banner, and the banner can be dismissed', async () => {
  const page = await s.newPage();
  await page.goto(`${s.url}?backend=wasm`);
  await ready(page);
  expect(await page.getByTestId('error-banner').count()).toBe(0);
  // A local model folder whose config.json is cut off: the worker refuses it, naming the file.
  const broken = [
    {
      name: 'config.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"architectures": ["LlamaForCausalLM"], "hidden_size": 64,'),
    },
    { name: 'model.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.alloc(16) },
    { name: 'tokenizer.json', mimeType: 'application/json', buffer: Buffer.from('{}') },
  ];
  await expect.poll(() => page.getByTestId('model-files').isEnabled(), { timeout: 60_000 }).toBe(true);
  await page.getByTestId('model-files').setInputFiles(broken);
  await page.getByTestId('error-banner').waitFor({ timeout: 30_000 });
  // 58 characters, then the end where a property name should be: line 1, column 59.
  const where = 'config.json: invalid JSON at line 1, column 59: expected a property name';
  expect(await page.getByTestId('error-banner').textContent()).toContain('CheckpointError');
  expect(await page.getByTestId('error-banner').textContent()).toContain(where);
  expect(await page.getByTestId('model-status').textContent()).toBe(
    `error: ${where} in "double quotes", found the end of the text — still using cherry-arith`,
  ); // the built-in model stays loaded
  await screenshot(page, 'error-banner');
  const dismiss = page.getByTestId('error-banner').getByRole('button', { name: 'Dismiss' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
  expect(await page.getByTestId('error-banner').count()).toBe(0);
  expect(s.errors).toEqual([]); // errors go to the banner, not to the console
  await page.close();
});

test('uploading a JSONL file with bad lines: each message names its line; the good rows are previewed and split', async () => {
  const page = await s.newPage();
  await page.goto(`${s.url}?backend=wasm`);
  await ready(page);
  const jsonl = [
    '{"prompt": "2+2=", "reference_answer": "4"}',
    '{"prompt": "3+3=", "reference_answer": "6"',
    '{"prompt": "1+1=", "reference_answer": "2"}',
    '{"answer": "x"}',
  ].join('\n');
  await page.getByTestId('dataset-upload').setInputFiles({ name: 'mine.jsonl', mimeType: 'text/plain', buffer: Buffer.from(jsonl) });
  const summary = page.getByTestId('dataset-summary');
  await summary.waitFor();
  const errors = await page.getByTestId('dataset-errors').locator('li').allTextContents();
  expect(errors).toHaveLength(2);
  expect(errors[0]).toMatch(/^line 2, column 43: invalid JSON/); // the missing } after the last value
  expect(errors[1]).toMatch(/^line 4: no "prompt" or "messages" field \(found "answer"\)/);
  const text = (await summary.textContent()) ?? '';
  expect(text).toContain('mine.jsonl: 2 of 4 rows accepted');
  const split = /Split: (\d+) train, (\d+) validation/.exec(text);
  expect(split !== null && Number(split[1]) + Number(split[2])).toBe(2); // the 2 accepted rows, split by content hash
  expect(await summary.locator('.preview li').allTextContents()).toEqual([
    '{"prompt":"2+2=","reference_answer":"4"}',
    '{"prompt":"1+1=","reference_answer":"2"}',
  ]);
  await screenshot(page, 'dataset-upload');
  expect(s.errors).toEqual([]);
});

test('dark theme via the toggle and via prefers-color-scheme; tablet layout', async () => {
  const page = await s.newPage();
  await page.goto(`${s.url}?backend=wasm`);
  await ready(page);
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.getByTestId('theme-toggle').click(); // system → light
  expect(await bg()).toBe(light);
  await page.getByTestId('theme-toggle').click(); // light → dark
  const dark = await bg();
  expect(dark).not.toBe(light);
  await screenshot(page, 'home-dark');
  await page.getByTestId('theme-toggle').click(); // dark → system (light here)
  expect(await bg()).toBe(light);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await bg()).toBe(dark);
  await page.getByTestId('theme-toggle').click(); // system → light, although the system is dark
  expect(await bg()).toBe(light);
  await page.getByTestId('theme-toggle').click(); // light → dark
  expect(await bg()).toBe(dark);
  await page.setViewportSize({ width: 820, height: 1180 });
  await screenshot(page, 'home-tablet-dark');
  expect(s.errors).toEqual([]);
  await page.close();
});
