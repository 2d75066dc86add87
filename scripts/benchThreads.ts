// wasm threads in Chromium's production build: `cherry bench` of the 0.8M Llama (batch 8 x 64) in a Web
// Worker of the bench page (test-pages/bench.ts, built unminified like the app's train worker), once with
// 1 thread and once with navigator.hardwareConcurrency threads, alternating ROUNDS times; of each side
// the round with the fastest training step is shown. Writes "## wasm threads (Chromium)" in BENCHMARKS.md.
//   npx vite build --logLevel warn && npx tsx scripts/benchThreads.ts
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { openSession } from '../test/browser/harness';
import type { BenchDone, BenchWorkerRequest } from '../test-pages/bench';
import { writeBenchmarkSection } from './benchmarksFile';

const CONFIG = 'scripts/configs/llama-0.8m.json';
const ROUNDS = 2;

function log(msg: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

async function main(): Promise<void> {
  const s = await openSession();
  const load0 = loadavg()[0];
  try {
    const page = await s.newPage();
    await page.goto(`${s.url}test-pages/bench.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const env = await page.evaluate(() => ({
      cores: window.cherryBench!.hardwareConcurrency,
      iso: window.cherryBench!.crossOriginIsolated,
    }));
    if (!env.iso) throw new Error('the bench page is not cross-origin isolated: wasm cannot use threads');
    const req = (threads: number): BenchWorkerRequest => ({
      backend: 'wasm',
      threads,
      config: JSON.parse(readFileSync(CONFIG, 'utf8')),
      configName: CONFIG,
      options: { batch: 8, seq: 64, prompt: 4, trainRepeats: 5, skip: ['nokv'], warmup: 'small' },
    });
    const runs: Record<'one' | 'many', BenchDone[]> = { one: [], many: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const side of ['one', 'many'] as const) {
        const d = await page.evaluate((q) => window.cherryBench!.run(q), req(side === 'one' ? 1 : env.cores));
        log(
          `${side}: ${d.threads} thread(s), train ${d.result.train_tok_s?.toFixed(0)} tok/s, sampling ${d.result.sample_tok_s.toFixed(0)} tok/s, matmul ${d.result.matmul_gflops.toFixed(1)} GFLOP/s`,
        );
        runs[side].push(d);
      }
    }
    const best = (ds: BenchDone[]): BenchDone => ds.reduce((a, b) => ((b.result.train_tok_s ?? 0) > (a.result.train_tok_s ?? 0) ? b : a));
    const one = best(runs.one);
    const many = best(runs.many);
    const x = (a: number | null, b: number | null): string => (a === null || b === null ? '—' : `${(b / a).toFixed(2)}x`);
    const row = (what: string, a: number | null, b: number | null, unit: string, digits = 1): string =>
      `| ${what} | ${a?.toFixed(digits) ?? '—'} ${unit} | ${b?.toFixed(digits) ?? '—'} ${unit} | ${x(a, b)} |`;
    const section = [
      '## wasm threads (Chromium)',
      '',
      `\`npx vite build --logLevel warn && npx tsx scripts/benchThreads.ts\`, ${new Date().toISOString().slice(0, 10)}, headless Chromium ${s.browser.version()}, production build, ` +
        `\`cherry bench\` of ${CONFIG} (${(one.result.params / 1e6).toFixed(2)}M params), batch 8 x 64, in a Web Worker of test-pages/bench.html (cross-origin isolated; workers are built unminified). ` +
        `navigator.hardwareConcurrency = ${env.cores}. ${ROUNDS} rounds alternating 1 thread and ${env.cores} threads; of each side the round with the fastest training step. ` +
        `Shared 2-core machine, 1-minute load average ${load0.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end: compare ratios.`,
      '',
      `Backend: ${many.reason}.`,
      '',
      `| measurement | 1 thread | ${many.threads} threads | speed-up |`,
      '|---|---|---|---|',
      row('matmul 1024³ f32', one.result.matmul_gflops, many.result.matmul_gflops, 'GFLOP/s'),
      row('full training step (fwd+bwd+AdamW), batch 8 x 64', one.result.train_tok_s, many.result.train_tok_s, 'tokens/s'),
      row("training ratio (FLOP/s ÷ the same run's matmul)", one.result.train_ratio, many.result.train_ratio, '', 3),
      row('sampling, batch 8, 64 new tokens, KV cache', one.result.sample_tok_s, many.result.sample_tok_s, 'tokens/s'),
      '',
      `All rounds, training tokens/s: 1 thread ${runs.one.map((d) => d.result.train_tok_s?.toFixed(0)).join(', ')}; ${many.threads} threads ${runs.many.map((d) => d.result.train_tok_s?.toFixed(0)).join(', ')}.`,
      '',
    ].join('\n');
    console.log(section);
    writeBenchmarkSection('wasm threads (Chromium)', section);
  } finally {
    await s.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
