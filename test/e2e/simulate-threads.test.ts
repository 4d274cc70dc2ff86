// aip simulate on worker threads, through the built bin/aip.js (dist/simulate-worker.js is the threads'
// entry): the same seed gives the same bytes in-process and on 2 or 3 threads, and Ctrl-C still stops it
// with the runs done so far.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runBin } from '../helpers/run.js';

const ARGS = ['simulate', 'examples/workloads.yaml', '--runs', '6', '--months', '2', '--growth', '40', '--seed', '7'];

describe('aip simulate on worker threads (end to end, bin/aip.js)', () => {
  it('prints the same JSON and text with 1, 2 and 3 threads', async () => {
    const outputs = await Promise.all(
      ['1', '2', '3'].flatMap((n) => [runBin([...ARGS, '--json'], { env: { AIP_SIMULATE_WORKERS: n } }), runBin(ARGS, { env: { AIP_SIMULATE_WORKERS: n } })]),
    );
    for (const r of outputs) expect(r.code, r.stderr).toBe(0);
    const [json1, text1, ...rest] = outputs.map((r) => r.stdout);
    expect(JSON.parse(json1!).workloads).toHaveLength(12);
    for (let i = 0; i < rest.length; i += 2) {
      expect(rest[i]).toBe(json1);
      expect(rest[i + 1]).toBe(text1);
    }
  });

  it('stops on Ctrl-C with the workloads begun so far, in the file\'s order', async () => {
    // 100,000 runs a workload: far more than 1.5 s takes, so the signal comes mid-simulation.
    const child = spawn(process.execPath, [BIN, 'simulate', 'examples/workloads.yaml', '--runs', '100000', '--json'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', AIP_NO_CACHE: '1', AIP_SIMULATE_WORKERS: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    setTimeout(() => child.kill('SIGINT'), 1500);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    const doc = JSON.parse(stdout) as { interrupted: boolean; workloads: { name: string; runs: number }[] };
    expect(doc.interrupted).toBe(true);
    expect(doc.workloads.length).toBeGreaterThan(0);
    const names = (parse(readFileSync(join(ROOT, 'examples/workloads.yaml'), 'utf8')) as { workloads: { name: string }[] }).workloads.map((w) => w.name);
    expect(doc.workloads.map((w) => w.name)).toEqual(names.slice(0, doc.workloads.length));
    // Stopped before the end: fewer runs than asked over the file. (A thread stops mid-workload, so the last
    // ones handed out usually hold fewer runs than asked; a signal between two workloads leaves them whole.)
    const runs = doc.workloads.map((w) => w.runs);
    expect(runs.reduce((a, b) => a + b, 0), runs.join(', ')).toBeLessThan(names.length * 100_000);
    expect(runs.every((r) => r > 0 && r <= 100_000), runs.join(', ')).toBe(true);
  });
});
