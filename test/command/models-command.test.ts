// aip models: the table fits 120 columns, filters by provider, hides retired models, warns about stale
// data and retiring models; --json is one document.
import { describe, expect, it } from 'vitest';
import { runAip } from '../helpers/run.js';

describe('aip models', () => {
  it('prints a table no wider than 120 columns, grouped by provider', async () => {
    const r = await runAip(['models'], { columns: 120 });
    expect(r.code).toBe(0);
    const widths = r.stdout.trimEnd().split('\n').map((l) => [...l].length);
    expect(Math.max(...widths)).toBeLessThanOrEqual(120);
    for (const heading of ['OpenAI', 'Anthropic', 'Google']) expect(r.stdout).toContain(heading);
    // gpt-5's batch prices are derived (50% of $1.25 and $10): marked with *.
    expect(r.stdout).toMatch(/gpt-5 \(old\)\s+│\s+\$1\.25 │\s+\$0\.125 │\s+- │\s+\$10\.00 │\s+\$0\.625\/\$5\.00\* │/);
    expect(r.stdout).not.toMatch(/claude-opus-4 /); // retired: hidden without --all
    expect(r.stdout).not.toMatch(/claude-sonnet-4-5 /); // retired on 2026-11-30
    expect(r.stdout).toMatch(/\d+ retired models hidden/);
    // The other providers are named with their model counts, one option away.
    expect(r.stdout).toMatch(/Also in the catalog: azure \(\d+\), bedrock \(\d+\), vertex_ai/);
  });

  it('warns on stderr about retiring models, and once about price data older than 90 days', async () => {
    const r = await runAip(['models'], { now: new Date('2026-11-25T12:00:00Z'), columns: 120 });
    expect(r.stderr).toMatch(/warning: gpt-5-nano is deprecated: retires 2026-12-11 \(in 16 days\)[\s\S]*move to gpt-5\.4-nano/);
    // The data's own date (the base snapshot, 2026-09-23) is 63 days old: no age warning yet.
    expect(r.stderr).not.toMatch(/days old/);
    // 2026-09-23 → 2027-01-10 is 109 days: one warning for the catalog, not one per model.
    const old = await runAip(['models', '--json'], { now: new Date('2027-01-10T00:00:00Z') });
    const warnings = JSON.parse(old.stdout).warnings.join('\n');
    expect(warnings.match(/days old/g)).toHaveLength(1);
    expect(warnings).toMatch(/109 days old \(as of 2026-09-23, over 90 days\)[\s\S]*aip catalog update/);
  });

  it('filters by provider and shows retired models with --all', async () => {
    const r = await runAip(['models', '--provider', 'anthropic', '--all', '--json']);
    const ids = (JSON.parse(r.stdout).models as Array<{ id: string; provider: string }>).map((m) => m.id);
    expect(ids).toContain('claude-opus-4');
    expect(ids.every((id) => id.startsWith('claude-'))).toBe(true);
  });

  it('exits 2 for an unknown provider with a suggestion', async () => {
    const r = await runAip(['models', '--provider', 'opneai']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--provider: unknown provider "opneai"[\s\S]*did you mean "openai"/);
  });
});

describe('models and tokens, one document each on stdout', () => {
  it('models --json is one parseable document on stdout', async () => {
    const r = await runAip(['models', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.models.length).toBeGreaterThanOrEqual(22);
    expect(doc.catalog_as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('tokens counts a file', async () => {
    const r = await runAip(['tokens', 'test/fixtures/README.md', '--model', 'gpt-4o-mini', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.files[0].path).toBe('test/fixtures/README.md');
    expect(doc.total_tokens).toBeGreaterThan(50);
  });

  it('exits 2 for an unknown model with a suggestion', async () => {
    const r = await runAip(['tokens', 'README.md', '--model', 'gpt-4o-mnii']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean "gpt-4o-mini"/);
  });
});
