// --json and --format decide the output the same way in every command that has both.
import { describe, expect, it } from 'vitest';
import { runAip } from '../helpers/run.js';

describe('--json with --format', () => {
  it.each([
    [['recommend', 'examples/workloads.yaml', '--json', '--format', 'markdown']],
    [['simulate', 'examples/workloads.yaml', '--workload', 'support-chat', '--json', '--format', 'table']],
    [['check', 'examples/workloads.yaml', '--baseline', 'none.json', '--json', '--format', 'github']],
  ])('refuses a disagreement instead of picking one silently: %j', async (args) => {
    const r = await runAip(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--json and --format \w+ ask for different outputs/);
  });

  it('accepts --json alone and --json with --format json', async () => {
    for (const args of [['recommend', 'examples/workloads.yaml', '--json'], ['recommend', 'examples/workloads.yaml', '--json', '--format', 'json']]) {
      const r = await runAip(args);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).workloads.length).toBeGreaterThan(0);
    }
  });

  it('suggests the closest format for a typo', async () => {
    const r = await runAip(['recommend', 'examples/workloads.yaml', '--format', 'mardown']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "markdown"?');
  });
});
