// The tests in three layers, run in this order (sequence.groupOrder), two files at a time:
// unit (pure core and renderers) → command (aip in-process, loopback servers, temp dirs) → e2e (the built
// bin/aip.js in a child process). Only e2e needs dist/, so only its global setup builds it.
// How to run each layer and what goes where: docs/contributing.md.
import { defineConfig } from 'vitest/config';

// Files that change process-wide state a later file in the same worker would meet (a global OpenTelemetry
// provider, an SDK class patched by an instrumentation): each runs in a fresh worker of its own.
const OWN_WORKER = ['test/command/import-otel.test.ts', 'test/command/import-openinference.test.ts'];
// Files that compare bench's timings with what a server on loopback did (within milliseconds): they run after the
// rest of the command layer, alone, so no other test file competes with them for the two cores.
const ALONE = ['test/command/bench-external.test.ts'];

const project = (name: string, groupOrder: number, test: { include: string[]; exclude?: string[]; isolate?: boolean; globalSetup?: string[] }) => ({
  extends: true as const,
  test: { name, sequence: { groupOrder }, ...test },
});

export default defineConfig({
  test: {
    // Limits that catch a hang, not a slow machine: no test asserts on time (speed is what `npm run bench:*`
    // measures), and two workers on a busy 2-core machine can take a CPU-bound test well past 20 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two workers (vitest would use one on a 2-core machine): the tests are safe in parallel (own temp dirs,
    // AIP_CACHE_DIR where a cache is touched, port 0). A worker keeps its module graph from one file to the
    // next (isolate: false), so aip is loaded and each tokenizer built once per worker instead of once per
    // file, which halves the suite's CPU time; no other test mocks modules or changes process state. Forks,
    // not threads: the command tests start many git processes, cheaper to fork from a smaller process.
    pool: 'forks',
    isolate: false,
    maxWorkers: 2,
    projects: [
      project('unit', 0, { include: ['test/unit/**/*.test.ts'] }),
      project('command', 1, { include: ['test/command/**/*.test.ts'], exclude: [...OWN_WORKER, ...ALONE] }),
      project('command-own-worker', 1, { include: OWN_WORKER, isolate: true }),
      project('command-alone', 2, { include: ALONE }),
      project('e2e', 3, { include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/e2e/global-setup.ts'] }),
      // A real browser (Debian's Chromium through playwright-core): last, in a worker of its own, so its start-up
      // never slows the other layers. `npx vitest run --project browser` runs it alone.
      project('browser', 4, { include: ['test/browser/**/*.test.ts'], isolate: true }),
    ],
  },
});
