// A worker thread of `aip simulate` (io/simulate-workers.ts starts it): simulates the workloads it is handed,
// one at a time, and posts each report back. The catalog and the options come once, in workerData.
import { parentPort, workerData } from 'node:worker_threads';
import { histogramsOf, simulateWorkloadReport } from '../core/montecarlo/run.js';
import type { Workload } from '../core/workload/normalise.js';
import type { ToWorker, FromWorker, WorkerSetup } from './simulate-workers.js';

const { catalog, opts, stop } = workerData as WorkerSetup;
const stopFlag = new Int32Array(stop);
const port = parentPort!;
/** Runs done and not yet reported: sent at most every PROGRESS_MS, so progress costs no time to speak of. */
let unreported = 0;
let reportedAt = 0;
const PROGRESS_MS = 100;

port.on('message', (msg: ToWorker) => {
  void simulate(msg.index, msg.workload).catch((err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    post({ type: 'error', message: e.message, stack: e.stack });
  });
});

async function simulate(index: number, workload: Workload): Promise<void> {
  const one = await simulateWorkloadReport(workload, catalog, { ...opts, stopped: () => Atomics.load(stopFlag, 0) === 1 }, () => {
    unreported += 1;
    const now = performance.now();
    if (now - reportedAt >= PROGRESS_MS) {
      reportedAt = now;
      post({ type: 'progress', runs: unreported, name: workload.name });
      unreported = 0;
    }
  });
  const runs = unreported;
  unreported = 0;
  // The histograms' buffers move to the main thread instead of being copied.
  const transfer = one.report ? histogramsOf(one.report).map((h) => h.buffer as ArrayBuffer) : [];
  post({ type: 'done', index, runs, report: one.report, interrupted: one.interrupted }, transfer);
}

function post(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}
