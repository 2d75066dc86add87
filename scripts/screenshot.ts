// Makes docs/screenshot.png, the README's picture: the production build in headless Chromium (wasm), the
// built-in arithmetic task and model, one whole GRPO run with the default hyperparameters, then the top
// of the page (model, task, run, grader, reward chart) at 1280 px wide.
//   npx vite build --logLevel warn && npx tsx scripts/screenshot.ts [--out docs/screenshot.png]
import { parseArgs, str } from '../src/cli/args';
import { DEFAULT_CONFIG } from '../src/rl/config';
import { openSession } from '../test/browser/harness';

const args = parseArgs(process.argv.slice(2));
const out = str(args, 'out', 'docs/screenshot.png');
const s = await openSession();
try {
  const page = await s.newPage();
  await page.setViewportSize({ width: 1280, height: 1250 });
  await page.goto(`${s.url}?backend=wasm`);
  await page.waitForFunction(() => document.querySelector('[data-testid="model-status"]')?.textContent === 'ready', null, {
    timeout: 120_000,
  });
  await page.getByTestId('task-select').selectOption('arithmetic');
  await page.getByTestId('run-start').click();
  const last = String(DEFAULT_CONFIG.max_steps);
  await page.waitForFunction(
    (n) =>
      document.querySelector('[data-testid="step-counter"]')?.textContent === n &&
      document.querySelector('[data-testid="run-state"]')?.textContent !== 'running',
    last,
    { timeout: 600_000, polling: 1000 },
  );
  await page.waitForTimeout(2000); // the charts take their last step in turns
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: out });
  console.log(`wrote ${out} after ${last} steps (${await page.getByTestId('run-state').textContent()})`);
  if (s.errors.length) console.log(`page errors: ${s.errors.join(' | ')}`);
} finally {
  await s.close();
}
