// The WebGPU half of scripts/benchGpu.sh: serves the production build, opens test-pages/bench.html in
// headless Chromium and runs `cherry bench` (src/bench/run.ts) on WebGPU in a Web Worker, as the app's
// train worker does (sampling with and without the KV cache, and a GRPO step with LoRA), then prints one table. Every timed call runs once untimed first (WebGPU compiles a
// shader per shape). With --tiny: scripts/configs/tiny.json and 256³ matmuls, so the whole path can be
// checked on a software adapter; the table then says it is not a GPU figure.
//   npx vite build --logLevel warn && npx tsx scripts/benchGpu.ts [--tiny]
import { readFileSync } from 'node:fs';
import { preview } from 'vite';
import { chromium } from 'playwright-core';
import type { BenchDone, BenchWorkerRequest } from '../test-pages/bench';

const tiny = process.argv.includes('--tiny');
const CONFIG = tiny ? 'scripts/configs/tiny.json' : 'scripts/configs/smollm2-135m.json';
const SIZES = tiny
  ? { batch: 2, seq: 4, nokvTokens: 4, matmulN: 256, loraRank: 4 }
  : { batch: 8, seq: 128, nokvTokens: 16, matmulN: 1024, loraRank: 16 };
const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  ...(process.env.CHROMIUM_FLAGS ?? '').split(' ').filter((f) => f !== ''),
];

function fmt(x: number | null, digits: number): string {
  return x === null ? '—' : x.toFixed(digits);
}

async function main(): Promise<void> {
  const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL; run `npx vite build` first');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: FLAGS });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.text().startsWith('bench:')) console.error(`  ${m.text()}`);
    });
    await page.goto(`${url}test-pages/bench.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const req: BenchWorkerRequest = {
      backend: 'webgpu',
      threads: null,
      config: JSON.parse(readFileSync(CONFIG, 'utf8')),
      configName: CONFIG,
      options: {
        batch: SIZES.batch,
        seq: SIZES.seq,
        prompt: 4,
        nokvTokens: SIZES.nokvTokens,
        trainRepeats: 1,
        skip: ['train'],
        warmup: 'same',
        matmulN: SIZES.matmulN,
        lora: { rank: SIZES.loraRank },
      },
    };
    const t0 = performance.now();
    const d: BenchDone = await page.evaluate((q) => window.cherryBench!.run(q), req);
    const r = d.result;
    const a = d.adapter;
    const adapter =
      a === null
        ? 'none'
        : `${[a.vendor, a.architecture, a.description].filter((s) => s !== '').join(' ')}${a.software ? ' (SOFTWARE adapter: not a GPU figure)' : ''}${a.shaderF16 ? ', shader-f16' : ', no shader-f16'}`;
    const raw = await page.evaluate((n) => window.cherryBench!.rawMatmulGflops(n), SIZES.matmulN);
    const rows: [string, string][] = [
      ['config', `${CONFIG} (${(r.params / 1e6).toFixed(2)}M params), batch ${r.batch}, ${r.seq} new tokens after a 4-token prompt`],
      ['Chromium / adapter', `${browser.version()} / ${adapter}`],
      [`tfjs matMul ${SIZES.matmulN}³ f32`, `${fmt(r.matmul_gflops, 1)} GFLOP/s`],
      [`WGSL matmul ${SIZES.matmulN}³ f32`, `${fmt(raw.f32.gflops, 1)} GFLOP/s (max rel. error ${raw.f32.maxRelErr.toExponential(1)})`],
      [
        `WGSL matmul ${SIZES.matmulN}³ f16`,
        raw.f16
          ? `${fmt(raw.f16.gflops, 1)} GFLOP/s (max rel. error ${raw.f16.maxRelErr.toExponential(1)})`
          : 'no shader-f16 on this adapter',
      ],
      [
        'sampling, KV cache, greedy',
        `${fmt(r.sample_tok_s, 1)} tokens/s, ratio ${fmt(r.sample_ratio, 3)} of the tfjs matMul; ${r.kernels_per_token} tfjs kernels (at most one dispatch each) per sampled token`,
      ],
      [`sampling, no cache (${r.nokv_tokens} tokens)`, `${fmt(r.sample_tok_s_nokv, 1)} tokens/s (KV speed-up ${fmt(r.kv_speedup, 2)}x)`],
      [
        `GRPO step with LoRA rank ${SIZES.loraRank} on every linear layer, batch ${r.batch} × ${r.seq}`,
        `${fmt(r.lora_train_tok_s, 1)} tokens/s, ratio ${fmt(r.lora_train_ratio, 3)} of the tfjs matMul`,
      ],
      ['wall time', `${((performance.now() - t0) / 1000).toFixed(0)} s`],
    ];
    console.log(['| measurement | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n'));
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
