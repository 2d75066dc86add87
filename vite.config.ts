import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
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

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rollupOptions: { input: { main: resolve(import.meta.dirname, 'index.html'), ...testPages } },
  },
});
