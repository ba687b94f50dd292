import { defineConfig } from 'vitest/config';

/**
 * Two projects: fast unit and API tests beside the code, and the slower
 * cross-cutting tests under tests/ (real Chromium, GnuPG, the built client).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          root: '.',
          include: ['{crypto,db,server,client,common,scripts}/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'journeys',
          root: '.',
          include: ['tests/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
