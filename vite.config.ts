import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// COOP/COEP make the page cross-origin isolated, which the wasm backend needs for
// SharedArrayBuffer (multi-threaded kernels). Both dev and preview servers send them.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// Pages used only by browser tests (each test-pages/*.html exposes a module to page.evaluate).
const testPages = Object.fromEntries(
  readdirSync(resolve(import.meta.dirname, 'test-pages'))
    .filter((f) => f.endsWith('.html'))
    .map((f) => [f.slice(0, -5), resolve(import.meta.dirname, 'test-pages', f)]),
);

// Python graders run Pyodide from our own origin (never a CDN): copy its runtime from node_modules into
// dist/pyodide/ at build time, and serve the same files under /pyodide/ in dev.
const PYODIDE_FILES = ['pyodide.js', 'pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];
const PYODIDE_TYPES: Record<string, string> = {
  js: 'text/javascript',
  mjs: 'text/javascript',
  wasm: 'application/wasm',
  zip: 'application/zip',
  json: 'application/json',
};
function pyodideRuntime(): Plugin {
  const dir = resolve(import.meta.dirname, 'node_modules/pyodide');
  return {
    name: 'cherry-pyodide-runtime',
    generateBundle() {
      for (const f of PYODIDE_FILES) this.emitFile({ type: 'asset', fileName: `pyodide/${f}`, source: readFileSync(resolve(dir, f)) });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = /^\/pyodide\/([\w.-]+)(\?.*)?$/.exec(req.url ?? '');
        if (!m || !PYODIDE_FILES.includes(m[1])) {
          next();
          return;
        }
        res.setHeader('Content-Type', PYODIDE_TYPES[m[1].split('.').pop() ?? ''] ?? 'application/octet-stream');
        res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        res.end(readFileSync(resolve(dir, m[1])));
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), pyodideRuntime()],
  server: { headers: isolation },
  preview: { headers: isolation },
  // Workers are not minified: tfjs starts each wasm thread from the source text of a bundled function,
  // and minified names break it ("e is not defined"), which would leave wasm single-threaded.
  worker: { format: 'es', rolldownOptions: { output: { minify: false } } },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rollupOptions: { input: { main: resolve(import.meta.dirname, 'index.html'), ...testPages } },
  },
});
