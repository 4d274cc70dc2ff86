import { describe, expect, it } from 'vitest';
import { runAip } from '../helpers/run.js';

describe('the CLI frame', () => {
  it('lists the built commands in --help and exits 0', async () => {
    const r = await runAip(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('models');
  });

  it('exits 2, not 1, for an unknown option and suggests the right one', async () => {
    const r = await runAip(['models', '--provdier', 'openai']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--provdier'/);
    expect(r.stderr).toMatch(/--provider/);
  });

  it('exits 2 for an unknown command with a suggestion', async () => {
    const r = await runAip(['modles']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/models/);
  });
});
