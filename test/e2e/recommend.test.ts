// aip recommend as a user runs it, through bin/aip.js: the README walk-through, --json on stdout, and a bad
// file exiting 2 with no stack trace.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run.js';

describe('aip recommend (end to end, bin/aip.js)', () => {
  it('runs the README walk-through', async () => {
    const r = await runBin(['recommend', 'examples/workloads.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Portfolio/); // summary first (issue 17)
  });

  it('--json is valid JSON on stdout', async () => {
    const r = await runBin(['recommend', 'examples/workloads.yaml', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).total_usd_per_month.recommended).toBeGreaterThan(0);
  });

  it('an unknown model exits 2 with did-you-mean and no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aip-rec-'));
    writeFileSync(join(dir, 'w.yaml'), `version: 1\nworkloads:\n  - name: a\n    model: gpt-4o-mnii\n    volume: 10/day\n    latency: 2h\n    input: { tokens: 10 }\n    output: { tokens: 5 }\n`);
    const r = await runBin(['recommend', 'w.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: w\.yaml:4:12: workloads\[0\]\.model: unknown model/);
    expect(r.stderr).toMatch(/did you mean/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
