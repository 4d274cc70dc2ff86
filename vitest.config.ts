// The tests in three layers, run in this order (sequence.groupOrder), two files at a time:
// unit (pure core and renderers) → command (aip in-process, loopback servers, temp dirs) → e2e (the built
// bin/aip.js in a child process). Only e2e needs dist/, so only its global setup builds it.
// How to run each layer and what goes where: docs/contributing.md.
import { defineConfig } from 'vitest/config';

const layer = (name: string, groupOrder: number, extra: { globalSetup?: string[] } = {}) => ({
  extends: true as const,
  test: { name, include: [`test/${name}/**/*.test.ts`], sequence: { groupOrder }, ...extra },
});

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two workers (vitest would use one on a 2-core machine): the tests are safe in parallel (own temp dirs,
    // AIP_CACHE_DIR where a cache is touched, port 0). Threads sharing their module graph between the files
    // of a worker (isolate: false) load aip and build each tokenizer once per worker instead of once per file:
    // no test mocks modules or changes process state, so nothing leaks from one file to the next.
    pool: 'threads',
    isolate: false,
    maxWorkers: 2,
    projects: [layer('unit', 0), layer('command', 1), layer('e2e', 2, { globalSetup: ['test/e2e/global-setup.ts'] })],
  },
});
