// --catalog overlays through the command: a bad overlay is reported with file:line:col and exit 2, and every
// bad overlay of a run is reported together.
import { describe, expect, it } from 'vitest';
import { runAip } from '../helpers/run.js';

describe('--catalog overlays', () => {
  it('reports a bad overlay with file:line:col and exit 2', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'aip-overlay-'));
    writeFileSync(join(dir, 'bad.yaml'), 'models:\n  - id: gpt-4o-mini\n    prices: { input: -1 }\n    source: "my contract"\n    as_of: 2026-11-01\n');
    const r = await runAip(['--catalog', 'bad.yaml', 'models'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:3:\d+/);
    expect(r.stderr).toMatch(/prices\.input/);
  });

  it('reports the problems of every bad overlay in one run (a good one in between is not blamed)', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'aip-overlay-'));
    writeFileSync(join(dir, 'bad-price.yaml'), 'models:\n  - id: gpt-4o-mini\n    prices: { input: -1 }\n    source: "my contract"\n    as_of: 2026-11-01\n');
    writeFileSync(join(dir, 'good.yaml'), 'models:\n  - id: gpt-4o-mini\n    prices: { input: 0.10 }\n    source: "my contract"\n    as_of: 2026-11-01\n');
    writeFileSync(join(dir, 'syntax.yaml'), 'models: [\n');
    writeFileSync(join(dir, 'no-source.yaml'), 'models:\n  - id: gpt-4o\n    prices: { input: 2 }\n');
    const r = await runAip(['--catalog', 'bad-price.yaml', '--catalog', 'good.yaml', '--catalog', 'syntax.yaml', '--catalog', 'no-source.yaml', 'models'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/bad-price\.yaml:3:\d+: [^\n]*prices\.input/);
    expect(r.stderr).toMatch(/syntax\.yaml:\d+:\d+/);
    expect(r.stderr).toMatch(/no-source\.yaml:2:\d+: [^\n]*source/);
    expect(r.stderr).not.toMatch(/good\.yaml/);
  });
});
