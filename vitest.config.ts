import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['libs/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts'],
    globalSetup: ['libs/testkit/src/global-setup.ts'],
    // Two cores: more workers only queue behind nats-server and Postgres.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
