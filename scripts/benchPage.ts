// The playground page as a person first meets it, on the production build (dist/):
//  1. first-load size: gzip of the JS and CSS that dist/index.html loads (entry script, module preloads,
//     stylesheet), and apart from it what loads in the background until the model is ready (the train
//     worker's scripts, chunks imported on demand, tfjs wasm binaries, the model files);
//  2. time to ready: page load → model-status 'ready' with the shipped cherry-arith model on wasm, in a
//     fresh browser context each time (no cache), median of RUNS.
// Writes "## Page" in BENCHMARKS.md (other sections untouched).
//   npx vite build --logLevel warn && npx tsx scripts/benchPage.ts
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { openSession } from '../test/browser/harness';
import { writeBenchmarkSection } from './benchmarksFile';

/** Page loads timed (each in a fresh context). */
const RUNS = 5;
const DIST = 'dist';

/** gzip size (level 9, as a static host would precompress) of a file under dist/, bytes. */
function gzipped(path: string): number {
  return gzipSync(readFileSync(`${DIST}${path}`), { level: 9 }).length;
}

/** The JS and CSS paths dist/index.html loads itself. */
function firstLoadAssets(): string[] {
  if (!existsSync(`${DIST}/index.html`)) throw new Error('dist/index.html is missing: run `npx vite build` first.');
  const html = readFileSync(`${DIST}/index.html`, 'utf8');
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
}

const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const first = firstLoadAssets();
  const firstGz = first.reduce((n, p) => n + gzipped(p), 0);
  const firstRaw = first.reduce((n, p) => n + readFileSync(`${DIST}${p}`).length, 0);
  const s = await openSession();
  const times: number[] = [];
  let background = new Map<string, number>();
  try {
    for (let i = 0; i < RUNS; i++) {
      const context = await s.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const seen = new Set<string>();
      // Requests from the page and from its workers (context-wide).
      context.on('request', (r) => { const u = new URL(r.url()); if (u.origin === new URL(s.url).origin) seen.add(u.pathname); });
      const t0 = Date.now();
      await page.goto(`${s.url}?backend=wasm`);
      await page.waitForFunction(() => document.querySelector('[data-testid="model-status"]')?.textContent === 'ready', undefined, { timeout: 120_000, polling: 20 });
      times.push(Date.now() - t0);
      if (i === 0) {
        background = new Map([...seen].filter((p) => p.startsWith('/assets/') || p.startsWith('/models/'))
          .filter((p) => !first.includes(p) && existsSync(`${DIST}${p}`)).map((p) => [p, gzipped(p)]));
      }
      await context.close();
    }
  } finally {
    await s.close();
  }
  const sum = (pred: (p: string) => boolean) => [...background].filter(([p]) => pred(p)).reduce((n, [, b]) => n + b, 0);
  const isModel = (p: string) => p.startsWith('/models/');
  const isWasm = (p: string) => p.endsWith('.wasm');
  const scripts = sum((p) => !isModel(p) && !isWasm(p)), wasm = sum((p) => isWasm(p) && !isModel(p)), model = sum(isModel);
  const section = [
    '## Page',
    '',
    'The playground page as a person first meets it: production build (`vite build`) served by `vite preview`, headless',
    'Chromium, `?backend=wasm`, the shipped `cherry-arith` model. Sizes are gzip level 9 of the files in `dist/`.',
    '',
    '    npx vite build --logLevel warn && npx tsx scripts/benchPage.ts',
    '',
    '| what | size (gzip) |',
    '|---|---|',
    `| first load: the ${first.length} JS/CSS files dist/index.html loads (${kb(firstRaw)} before gzip) | ${kb(firstGz)} |`,
    `| background until ready: train worker and on-demand scripts (${files([...background.keys()].filter((p) => !isModel(p) && !isWasm(p)).length)}) | ${kb(scripts)} |`,
    `| background until ready: tfjs wasm binary (${[...background.keys()].filter((p) => isWasm(p)).map((p) => p.split('/').pop()).join(', ')}) | ${kb(wasm)} |`,
    `| background until ready: model files (${[...background.keys()].filter(isModel).map((p) => p.split('/').pop()).join(', ')}) | ${kb(model)} |`,
    '',
    `Time to ready (page load → model-status "ready", a fresh context each time, so nothing cached), ${RUNS} loads:`,
    `median ${(median(times) / 1000).toFixed(2)} s (${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s).`,
    '',
  ].join('\n');
  console.log(section);
  writeBenchmarkSection('Page', section);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
