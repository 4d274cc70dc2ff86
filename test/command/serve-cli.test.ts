// aip serve as a command: options checked (exit 2), and in-process serving until the signal (as a child
// process: test/e2e/serve.test.ts).
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { run } from '../../src/cli.js';
import type { InStream, Proc } from '../../src/io/context.js';
import { ROOT, runAip } from '../helpers/run.js';

describe('aip serve options', () => {
  it('refuses an unknown fault kind naming the option, exit 2', async () => {
    const r = await runAip(['serve', '--fault', 'meteor:0.1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--fault/);
    expect(r.stderr).toMatch(/unknown fault kind "meteor"/);
    expect(r.stdout).toBe('');
  });

  it('a port in use is a usage error naming --port, with the fix', async () => {
    const { loadCatalog } = await import('../../src/io/catalog/load.js');
    const { startSimulator } = await import('../../src/provider-sim/index.js');
    const taken = await startSimulator({ catalog: await loadCatalog(), latencyScale: 0 });
    try {
      const r = await runAip(['serve', '--port', String(taken.port)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--port: cannot listen on 127\.0\.0\.1:\d+ \(the port is in use\)/);
      expect(r.stderr).toMatch(/--port 0/);
      expect(r.stdout).toBe('');
    } finally {
      await taken.close();
    }
  });

  it('refuses a rate outside 0..1 and a negative latency scale', async () => {
    expect((await runAip(['serve', '--fault', '429:2'])).code).toBe(2);
    const r = await runAip(['serve', '--latency-scale', '-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--latency-scale/);
  });
});

describe('aip serve in-process', () => {
  it('serves until the signal arrives, then closes and returns 0', async () => {
    const listeners = new Map<string, () => void>();
    let stdout = '';
    let stderr = '';
    const exits: number[] = [];
    const proc: Proc = {
      argv: ['node', 'aip', 'serve', '--port', '0', '--latency-scale', '0', '--fault', '500:0'],
      env: { NO_COLOR: '1' },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: Readable.from([]) as unknown as InStream,
      cwd: () => ROOT,
      on: (event, listener) => listeners.set(event, listener),
      off: (event) => listeners.delete(event),
      // The entry point's fallback exit (3 s after a signal) must not end the test process.
      exit: ((code: number) => void exits.push(code)) as Proc['exit'],
    };
    const finished = run(proc);
    while (!stdout.includes('\n')) await new Promise((r) => setTimeout(r, 10));
    const url = /^listening on (\S+)\n/.exec(stdout)![1]!;
    expect((await fetch(`${url}/v1/models`)).status).toBe(200);
    listeners.get('SIGTERM')!();
    expect(await finished).toBe(0);
    expect(exits).toEqual([]);
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(stderr).toMatch(/stopped after 1 request \(0 SSE events\)/);
    await expect(fetch(`${url}/v1/models`)).rejects.toThrow();
  });
});
