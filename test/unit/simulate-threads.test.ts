// aip simulate on threads, the parts that need none: how many threads, and that a workload's report is the
// same simulated alone, after the workloads before it, and after crossing a thread (a structured clone).
// test/e2e/simulate-threads.test.ts runs the threads themselves through the built bin/aip.js.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { histogramsOf, reviveReport, simulateFile, simulateWorkloadReport, type SimulateOptions } from '../../src/core/montecarlo/run.js';
import { simulationJson } from '../../src/render/simulate/json.js';
import { loadWorkloadFile } from '../../src/io/workload-files.js';
import type { WorkloadFile } from '../../src/core/workload/normalise.js';
import { simulateThreads } from '../../src/io/simulate-threads.js';
import { ROOT } from '../helpers/paths.js';

let catalog: Catalog;
let file: WorkloadFile;
beforeAll(async () => {
  catalog = await loadCatalog();
  file = await loadWorkloadFile('examples/workloads.yaml', { catalog, cwd: ROOT });
});

const OPTS: SimulateOptions = { seed: 3, runs: 3, months: 2, growthPct: 25, now: new Date('2026-11-25T12:00:00Z'), version: 't' };

describe('threads for aip simulate', () => {
  it('one per core when there are 16 workloads for each, in-process below; AIP_SIMULATE_WORKERS decides when set', () => {
    expect(simulateThreads(10, {}, 2)).toBe(1);
    expect(simulateThreads(31, {}, 2)).toBe(1);
    expect(simulateThreads(32, {}, 2)).toBe(2);
    expect(simulateThreads(1000, {}, 2)).toBe(2);
    expect(simulateThreads(1000, {}, 1)).toBe(1);
    expect(simulateThreads(1000, {}, 8)).toBe(8);
    expect(simulateThreads(12, { AIP_SIMULATE_WORKERS: '3' }, 2)).toBe(3);
    expect(simulateThreads(2, { AIP_SIMULATE_WORKERS: '3' }, 2)).toBe(2);
    expect(simulateThreads(1000, { AIP_SIMULATE_WORKERS: '1' }, 2)).toBe(1);
    // Empty: the default. Not a whole number ≥ 1: exit 2 naming the variable, not a silent default.
    expect(simulateThreads(1000, { AIP_SIMULATE_WORKERS: '' }, 2)).toBe(2);
    for (const bad of ['0', 'all', '2.5', '-1', '99999']) {
      expect(() => simulateThreads(1000, { AIP_SIMULATE_WORKERS: bad }, 2)).toThrow(expect.objectContaining({ exitCode: 2, code: 'E_ENV', where: { option: 'AIP_SIMULATE_WORKERS' } }));
    }
  });
});

describe('a workload\'s report does not depend on where it is simulated', () => {
  it('alone, last of the file, or cloned across a thread: the same JSON', async () => {
    const whole = await simulateFile(file.workloads, catalog, OPTS);
    const last = file.workloads.length - 1;
    const alone = await simulateWorkloadReport(file.workloads[last]!, catalog, OPTS, () => {});
    // What a worker thread posts: a structured clone, the histograms' buffers transferred (detached here).
    const buffers = histogramsOf(alone.report!).map((h) => h.buffer as ArrayBuffer);
    const cloned = reviveReport(structuredClone(alone.report!, { transfer: buffers }));
    expect(buffers.every((b) => b.byteLength === 0)).toBe(true);
    const doc = (workloads: typeof whole.workloads) => JSON.stringify(simulationJson({ ...whole, workloads }, catalog, 't'));
    expect(doc([cloned])).toBe(doc([whole.workloads[last]!]));
    expect(cloned.result.patterns.direct!.latency.quantile(0.95)).toBe(whole.workloads[last]!.result.patterns.direct!.latency.quantile(0.95));
  });
});
