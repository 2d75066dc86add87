import { defineConfig } from 'vitest/config';

// Unit and integration tests: Node, tfjs on the cpu and wasm backends.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    setupFiles: ['test/setup/quietTfjs.ts'],
  },
});
