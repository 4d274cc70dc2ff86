// `aip simulate` across worker threads: the workloads of a file shared among threads, one at a time each,
// and the reports put back in the file's order. Each workload's randomness comes from the seed and its name
// only (core/montecarlo/run.ts), so the figures, and the JSON, are the same bytes with 1 thread or N.
// Loaded only when a file has enough workloads to pay for the threads (io/simulate-threads.ts decides).
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Catalog } from '../core/catalog/schema.js';
import { reviveReport, simulateFile, type SimulateOptions, type SimulationReport, type WorkloadReport } from '../core/montecarlo/run.js';
import type { Workload } from '../core/workload/normalise.js';
import { packageRoot } from './paths.js';

/** The options a worker gets: SimulateOptions without the hooks (functions stay on the main thread). */
export type WorkerOptions = Omit<SimulateOptions, 'onProgress' | 'pause' | 'stopped'>;

export interface WorkerSetup {
  catalog: Catalog;
  opts: WorkerOptions;
  /** One Int32: 1 once the user asked to stop (read by the worker between runs, without waiting for a message). */
  stop: SharedArrayBuffer;
}

export interface ToWorker {
  index: number;
  workload: Workload;
}

export type FromWorker =
  | { type: 'progress'; runs: number; name: string }
  | { type: 'done'; index: number; runs: number; report: WorkloadReport | null; interrupted: boolean }
  | { type: 'error'; message: string; stack?: string };

/** The worker's script: the built dist/simulate-worker.js (from src/, as in tests, there is none to run). */
function workerFile(): string | null {
  if (import.meta.url.endsWith('.ts')) return null;
  return join(packageRoot(), 'dist', 'simulate-worker.js');
}

/**
 * simulateFile on `threads` worker threads (in-process when 1, or when there is no built worker to start).
 * Progress and Ctrl-C work as in-process: onProgress as runs complete, and after `stopped()` each thread ends
 * its workload at the run it is on; the report then holds the workloads handed out so far, in file order.
 */
export async function simulateFileOnThreads(workloads: readonly Workload[], catalog: Catalog, opts: SimulateOptions, threads: number, file = workerFile()): Promise<SimulationReport> {
  if (threads <= 1 || file === null || workloads.length < 2) return simulateFile(workloads, catalog, opts);
  const { onProgress, pause: _pause, stopped, ...plain } = opts;
  const stop = new SharedArrayBuffer(4);
  const stopFlag = new Int32Array(stop);
  const setup: WorkerSetup = { catalog, opts: plain, stop };
  const total = workloads.length * opts.runs * opts.months;
  const results: ({ report: WorkloadReport | null; interrupted: boolean } | undefined)[] = Array.from({ length: workloads.length });
  let done = 0;
  let next = 0;
  const pool = Array.from({ length: Math.min(threads, workloads.length) }, () => new Worker(file, { workerData: setup }));
  const askedToStop = (): boolean => {
    if (Atomics.load(stopFlag, 0) === 0 && stopped?.()) Atomics.store(stopFlag, 0, 1);
    return Atomics.load(stopFlag, 0) === 1;
  };
  // Ctrl-C between messages (a thread reports progress every 100 ms, but a signal should not wait for it).
  const poll = setInterval(askedToStop, 50);
  try {
    await new Promise<void>((resolve, reject) => {
      let busy = 0;
      const handOut = (w: Worker): void => {
        if (next >= workloads.length || askedToStop()) {
          if (busy === 0) resolve();
          return;
        }
        const index = next++;
        busy += 1;
        w.postMessage({ index, workload: workloads[index]! } satisfies ToWorker);
      };
      for (const w of pool) {
        w.on('message', (msg: FromWorker) => {
          if (msg.type === 'error') {
            const err = new Error(msg.message);
            err.stack = msg.stack;
            reject(err);
            return;
          }
          done += msg.runs;
          if (msg.type === 'progress') onProgress?.(done, total, msg.name);
          else {
            results[msg.index] = { report: msg.report && reviveReport(msg.report), interrupted: msg.interrupted };
            if (msg.report) onProgress?.(done, total, msg.report.workload.name);
            busy -= 1;
            handOut(w);
          }
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          if (code !== 0) reject(new Error(`aip simulate: a worker thread exited with code ${code}`));
        });
      }
      for (const w of pool) handOut(w);
    });
  } finally {
    clearInterval(poll);
    await Promise.all(pool.map((w) => w.terminate()));
  }
  // Every workload handed out came back (whole, or cut short by a stop): they are the file's first `next`.
  const reports: WorkloadReport[] = [];
  let interrupted = false;
  for (const r of results.slice(0, next)) {
    if (r?.report) reports.push(r.report);
    interrupted ||= r?.interrupted ?? false;
  }
  interrupted ||= next < workloads.length;
  return { seed: opts.seed, runs: opts.runs, months: opts.months, growthPct: opts.growthPct, workloads: reports, interrupted };
}
