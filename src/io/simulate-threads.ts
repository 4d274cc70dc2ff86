// Whether `aip simulate` (and `aip report`) share the workloads among worker threads, and how many: the
// decision only, so a small file never loads the thread machinery (io/simulate-workers.ts).
import { availableParallelism } from 'node:os';
import type { Catalog } from '../core/catalog/schema.js';
import { simulateFile, type SimulateOptions, type SimulationReport } from '../core/montecarlo/run.js';
import type { Workload } from '../core/workload/normalise.js';
import { UsageError } from '../core/errors.js';

/**
 * Workloads per thread below which a thread does not pay for itself: starting one, handing it the catalog and
 * warming its compiler take ~0.2 s, what about 10 workloads take at 100 runs.
 */
const MIN_WORKLOADS_PER_THREAD = 16;

/**
 * How many threads to simulate `workloads` workloads on: AIP_SIMULATE_WORKERS when set (a whole number ≥ 1; 1
 * keeps it in-process; anything else exits 2), else one per core, fewer when there are not 16 workloads for
 * each; 1 on one core.
 */
export function simulateThreads(workloads: number, env: Record<string, string | undefined>, cores = availableParallelism()): number {
  const asked = env.AIP_SIMULATE_WORKERS?.trim();
  if (asked) {
    if (!/^[1-9]\d{0,3}$/.test(asked)) {
      // The value is the user's own, but it is quoted only when short (an environment can hold anything).
      throw new UsageError(`${asked.length <= 12 ? `"${asked}"` : 'the value'} is not a number of threads`, { code: 'E_ENV', option: 'AIP_SIMULATE_WORKERS', expected: 'a whole number from 1 (in-process) to 9999', hint: `unset AIP_SIMULATE_WORKERS for one thread per core, or set it to ${cores}` });
    }
    return Math.min(Number(asked), Math.max(1, workloads));
  }
  return Math.max(1, Math.min(cores, Math.floor(workloads / MIN_WORKLOADS_PER_THREAD)));
}

/** simulateFile, on worker threads where simulateThreads says they pay (the same report, byte for byte). */
export async function simulateWorkloads(workloads: readonly Workload[], catalog: Catalog, opts: SimulateOptions, env: Record<string, string | undefined>): Promise<SimulationReport> {
  const threads = simulateThreads(workloads.length, env);
  if (threads <= 1) return simulateFile(workloads, catalog, opts);
  const { simulateFileOnThreads } = await import('./simulate-workers.js');
  return simulateFileOnThreads(workloads, catalog, opts, threads);
}
