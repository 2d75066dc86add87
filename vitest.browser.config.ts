import { defineConfig } from 'vitest/config';

// Browser tests: playwright-core drives Debian Chromium against the production build (dist/).
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
