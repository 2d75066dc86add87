// `npm run build:models -- --device browser|auto`: the training phases run in headless Chromium
// (test/browser/harness.ts launches it, serving dist/), on the page's WebGPU or wasm backend; the page
// is test-pages/build.ts. Checkpoint files and progress cross over through two exposed functions, so
// the cache folder, resume and the progress bar work as in a Node build. Node only.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build as viteBuild } from 'vite';
import type { Page } from 'playwright-core';
import { openSession, type Session } from '../../test/browser/harness';
import { nodeCacheStore } from './cacheStoreNode';
import { checkCacheName } from './cacheStore';
import { CACHE_BINDING, type CacheCall } from './cacheStoreBrowser';
import { recipeHash, specData, scaleSpec } from './train';
import type { ModelSpec } from './specs';
import { adapterLabel } from '../../src/worker/backendPolicy';
import type { ProgressSink } from './progress';
import type { AdapterProbe, ProgressCall, TrainResult } from '../../test-pages/build';

/** Name of the page's exposed progress function (PROGRESS_BINDING in test-pages/build.ts; not imported: that module runs page code). */
const PROGRESS_BINDING = 'cherryBuildProgress';
/** The built page, relative to the repository root. */
const PAGE = 'dist/test-pages/build.html';
/** Sources the page is bundled from: dist/ older than any of them is rebuilt. */
const SOURCES = ['src', 'scripts/models', 'test-pages'];

/** The browser could not run the build (no page, a refused software adapter, a page error). */
export class BrowserBuildError extends Error {
  override name = 'BrowserBuildError';
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs;
  for (const e of readdirSync(path)) t = Math.max(t, newestMtime(join(path, e)));
  return t;
}

/** Runs `vite build` when dist/ has no build page or is older than its sources; says so on `progress`. */
export async function ensurePageBuilt(progress: ProgressSink): Promise<void> {
  const why = !existsSync(PAGE)
    ? `${PAGE} is missing`
    : SOURCES.some((s) => newestMtime(s) > statSync(PAGE).mtimeMs)
      ? `${PAGE} is older than its sources`
      : null;
  if (why === null) return;
  progress.note(`build:models: ${why}; running vite build (about a minute)`);
  await viteBuild({ logLevel: 'warn' });
}

/** A Chromium page ready to train: open() launches it, close() ends it. */
export class BrowserBuild {
  private constructor(
    private readonly session: Session,
    private readonly page: Page,
    private readonly cacheRoot: string,
  ) {}

  /** Builds the page if needed, launches Chromium and opens the build page with its two bindings. */
  static async open(cacheRoot: string, progress: ProgressSink): Promise<BrowserBuild> {
    await ensurePageBuilt(progress);
    const session = await openSession();
    try {
      const page = await session.newPage();
      await page.exposeFunction(CACHE_BINDING, (call: CacheCall) => cacheCall(cacheRoot, call));
      await page.exposeFunction(PROGRESS_BINDING, (c: ProgressCall) => {
        forward(progress, c);
      });
      await page.goto(`${session.url}test-pages/build.html`);
      await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
      return new BrowserBuild(session, page, cacheRoot);
    } catch (e) {
      await session.close();
      throw e;
    }
  }

  /** The WebGPU adapter Chromium offers and why `auto` would skip it (null: a hardware GPU). */
  probeAdapter(): Promise<AdapterProbe> {
    return this.page.evaluate(() => window.cherryBuild!.probeAdapter()); // the page sets cherryBuild before `ready`
  }

  /**
   * Sets the page's backend. WebGPU on a software adapter is refused unless `allowSoftware`: it runs
   * ~50x slower than wasm (a full build would take many hours). Returns chooseBackend's reason.
   */
  async useBackend(backend: 'webgpu' | 'wasm', allowSoftware: boolean): Promise<string> {
    if (backend === 'webgpu') {
      const probe = await this.probeAdapter();
      if (probe.adapter === null)
        throw new BrowserBuildError(
          `--backend webgpu: Chromium offers no WebGPU adapter (${probe.skip ?? 'none'}); use --backend wasm or --device node.`,
        );
      if (probe.adapter.software && !allowSoftware) {
        throw new BrowserBuildError(
          `--backend webgpu: Chromium's WebGPU adapter is a software one (${adapterLabel(probe.adapter)}), which trains ~50x slower than wasm (hours for a full build). Use --device node or --backend wasm, or pass --allow-software to run it anyway.`,
        );
      }
    }
    const got = await this.page.evaluate((b) => window.cherryBuild!.useBackend(b), backend);
    if (got.backend !== backend) throw new BrowserBuildError(`asked Chromium for tfjs ${backend}, got ${got.backend} (${got.reason})`);
    return got.reason;
  }

  /** Trains (or resumes) `spec` scaled by `scale` in the page; its checkpoint lands in <cacheRoot>/<name>. */
  async train(spec: ModelSpec, scale: number, opts: { sessionSteps: number | null; checkpointMs: number }): Promise<TrainResult> {
    const scaled = scaleSpec(spec, scale);
    const req = { model: spec.name, scale, recipe: recipeHash(scaled), specData: specData(scaled), ...opts };
    try {
      return await this.page.evaluate((r) => window.cherryBuild!.train(r), req);
    } catch (e) {
      const errors = this.session.errors.length ? ` (page errors: ${this.session.errors.slice(-3).join(' | ')})` : '';
      throw new BrowserBuildError(
        `training ${spec.name} in Chromium failed: ${e instanceof Error ? e.message : String(e)}${errors}; the cache ${join(this.cacheRoot, spec.name)} keeps the last checkpoint, rerun to resume.`,
      );
    }
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}

/** Serves one cache request of the page from <cacheRoot>/<model>. */
export async function cacheCall(cacheRoot: string, call: CacheCall): Promise<string | null> {
  const store = nodeCacheStore(join(cacheRoot, checkCacheName(call.model)));
  if (call.op === 'read') {
    const b = await store.read(call.name);
    return b === null ? null : Buffer.from(b).toString('base64');
  }
  if (call.op === 'write') await store.write(call.name, new Uint8Array(Buffer.from(call.base64, 'base64')));
  else await store.remove(call.name);
  return null;
}

function forward(p: ProgressSink, c: ProgressCall): void {
  switch (c.kind) {
    case 'start':
      p.start(c.label, c.total, c.done);
      break;
    case 'tick':
      p.tick(c.done, c.note);
      break;
    case 'note':
      p.note(c.text);
      break;
    case 'done':
      p.done();
      break;
  }
}
