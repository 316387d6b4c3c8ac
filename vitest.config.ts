import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure rooms, fakes only, fast) and `integration` (real Asterisk, SIPp,
// Chromium inside the test network namespace; files run one at a time because each starts its
// own Asterisk on the namespace's loopback with the default ports).
export default defineConfig({
  test: {
    reporters: ['default', 'junit'],
    outputFile: { junit: 'test-results/junit.xml' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/unit/setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/integration/setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
