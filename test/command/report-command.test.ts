// aip report in-process: the page it writes (self-contained, the recommend document's figures, the charts, the
// simulation with its seed), how it writes it (never over another file, never through a link), and escaping of
// untrusted names.
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAip } from '../helpers/run.js';

const HOSTILE = `<img src=x onerror=alert(1)> "q" & 'a'`;

const YAML = `version: 1
tiers: { openai: 4, anthropic: build }
workloads:
  - name: support-chat
    model: gpt-4o-mini
    volume: 300k/month
    latency: 3s
    user_facing: true
    task: chat
    input: { tokens: 1200, cached: 0.6 }
    output: { tokens: 450, p95: 1500 }
    peak_factor: 3
  - name: ${JSON.stringify(HOSTILE)}
    model: claude-haiku-4-5
    volume: 12k/day
    latency: overnight
    input: { tokens: 2000 }
    output: { tokens: 600 }
`;

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'aip-report-'));
  writeFileSync(join(d, 'w.yaml'), YAML);
  return d;
}

const RUNS = ['--runs', '5'];

describe('aip report', () => {
  it('writes one self-contained page holding the recommend document figures', async () => {
    const d = dir();
    const r = await runAip(['report', 'w.yaml', '-o', 'report.html', ...RUNS], { cwd: d });
    expect(r.stderr).toMatch(/^wrote report\.html: 2 workloads, 5 simulated months each \(seed 1\)/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const page = readFileSync(join(d, 'report.html'), 'utf8');
    const doc = JSON.parse((await runAip(['recommend', 'w.yaml', '--json'], { cwd: d })).stdout) as {
      catalog_as_of: string;
      total_usd_per_month: { recommended: number; all_direct: number; saving: number };
      workloads: Array<{ name: string; pattern: string; cost_usd_per_month: Record<string, number | null> }>;
    };
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
    // Nothing loaded from anywhere: no script, no external reference, and a policy that forbids both.
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(page).not.toMatch(/<script|<link |src="http|url\(/i);
    expect(page).toContain(`<strong class="catalog-date">${doc.catalog_as_of}</strong>`);
    // The worked example of docs/spec.md: $135 streaming (its cached prefix is under the provider's minimum, so
    // priced uncached), $900 batch, $1,035 in all.
    const totals = page.match(/<tfoot><tr><th scope="row">total<\/th><td><\/td><td><\/td>(.*?)<\/tr><\/tfoot>/)![1]!;
    expect(totals).toContain(`data-value="${doc.total_usd_per_month.recommended}">$1,035.00<`);
    expect(totals).toContain(`data-value="${doc.total_usd_per_month.all_direct}">$1,935.00<`);
    expect(totals).toContain(`data-value="${doc.total_usd_per_month.saving}">$900.00<`);
    // Each workload's options table: one row per pattern with the document's cost, the chosen one marked.
    for (const [i, w] of doc.workloads.entries()) {
      const table = page.match(new RegExp(`<table class="options" id="w${i + 1}-options">[\\s\\S]*?</table>`))![0];
      for (const [pattern, cost] of Object.entries(w.cost_usd_per_month)) {
        const row = table.match(new RegExp(`<tr class="([^"]*)" data-pattern="${pattern}"[^>]*>(.*?)</tr>`))!;
        expect(row[1]!.includes('chosen')).toBe(pattern === w.pattern);
        expect(row[2]).toContain(`data-value="${cost}"`);
      }
    }
    // Charts: accessible images with their points; the cost chart's break-even and the latency tolerance.
    expect(page.match(/<svg [^>]*role="img"/g)).toHaveLength(6);
    expect(page).toContain('<title id="w1-cost-title">support-chat: monthly cost by volume (gpt-4o-mini)</title>');
    expect(page.match(/<g class="series" data-series="batch" data-points="5">/g)!.length).toBeGreaterThanOrEqual(2);
    expect(page).toMatch(/class="marker marker-break-even"/);
    expect(page).toMatch(/class="marker marker-tolerance" data-x="3"/);
    expect(page.match(/data-runs="5"/g)).toHaveLength(6); // 2 workloads × 3 patterns, 5 months each
  });

  it("draws the chosen service tier in the simulation's charts and the flex break-even on the cost chart", async () => {
    // The 15-minute gpt-5-mini job of issue 13: flex is chosen (its p95 ~77 s fits), so the page draws flex's
    // own simulated month next to direct, and flex's cost line with the volume from which it saves the minimum.
    const d = mkdtempSync(join(tmpdir(), 'aip-report-'));
    writeFileSync(join(d, 'w.yaml'), 'version: 1\ntiers: { openai: 3 }\nworkloads:\n  - name: backend-job\n    model: gpt-5-mini\n    volume: 500000\n    latency: 15m\n    input: { tokens: 2000 }\n    output: { tokens: 1500 }\n');
    const r = await runAip(['report', 'w.yaml', ...RUNS], { cwd: d });
    expect(r.code).toBe(0);
    const doc = JSON.parse((await runAip(['recommend', 'w.yaml', '--json', '--chart'], { cwd: d })).stdout) as {
      workloads: Array<{ pattern: string; service_tier: string }>;
      charts: Array<{ break_even_requests_per_month: number | null; flex: { usd_per_request: number; break_even_requests_per_month: number | null } | null }>;
    };
    expect(doc.workloads[0]).toMatchObject({ pattern: 'direct', service_tier: 'flex' });
    const page = r.stdout;
    const flex = doc.charts[0]!.flex!;
    // The cost chart: flex's line at its price per request (5 volumes), and its break-even where --chart puts it.
    const cost = page.match(/<svg [^>]*id="w1-cost"[\s\S]*?<\/svg>/)![0];
    expect(cost).toContain('<g class="series" data-series="flex" data-points="5">');
    expect(cost).toContain(`data-x="100000" data-y="${flex.usd_per_request * 100000}"`);
    expect(cost).toContain(`class="marker marker-flex-break-even" data-x="${flex.break_even_requests_per_month}"`);
    expect(cost).toContain(`class="marker marker-break-even" data-x="${doc.charts[0]!.break_even_requests_per_month}"`);
    // The bill histograms and latency curves: flex's own month, marked chosen; direct is not.
    expect(page).toMatch(/direct · flex \(chosen\): mean \$/);
    expect(page).not.toMatch(/direct \(chosen\)/);
    expect(page).toMatch(/<g class="series" data-series="direct-flex"/);
  });

  it('escapes untrusted names everywhere they appear', async () => {
    const d = dir();
    const r = await runAip(['report', 'w.yaml', ...RUNS], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('<img');
    expect(r.stdout).not.toContain(HOSTILE);
    expect(r.stdout).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;q&quot; &amp; &#39;a&#39;');
  });

  it('gives the same page for the same seed, another for another seed', async () => {
    const d = dir();
    const a = await runAip(['report', 'w.yaml', ...RUNS], { cwd: d });
    const b = await runAip(['report', 'w.yaml', ...RUNS], { cwd: d });
    const c = await runAip(['report', 'w.yaml', ...RUNS, '--seed', '2'], { cwd: d });
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
  });

  it('replaces its own report, but no other file without --force, and never writes through a link', async () => {
    const d = dir();
    expect((await runAip(['report', 'w.yaml', '-o', 'r.html', ...RUNS], { cwd: d })).code).toBe(0);
    expect((await runAip(['report', 'w.yaml', '-o', 'r.html', ...RUNS], { cwd: d })).code).toBe(0);

    writeFileSync(join(d, 'notes.html'), '<p>mine</p>');
    const refused = await runAip(['report', 'w.yaml', '-o', 'notes.html', ...RUNS], { cwd: d });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing to overwrite a file that is not an aip report/);
    expect(readFileSync(join(d, 'notes.html'), 'utf8')).toBe('<p>mine</p>');
    expect((await runAip(['report', 'w.yaml', '-o', 'notes.html', '--force', ...RUNS], { cwd: d })).code).toBe(0);

    symlinkSync(join(d, 'elsewhere.html'), join(d, 'link.html'));
    const link = await runAip(['report', 'w.yaml', '-o', 'link.html', ...RUNS], { cwd: d });
    expect(link.code).toBe(2);
    expect(link.stderr).toMatch(/symbolic link/);
    expect(existsSync(join(d, 'elsewhere.html'))).toBe(false);

    const input = await runAip(['report', 'w.yaml', '-o', 'w.yaml', '--force', ...RUNS], { cwd: d });
    expect(input.code).toBe(2);
    expect(readFileSync(join(d, 'w.yaml'), 'utf8')).toBe(YAML);
  });

  it('refuses --json and bad option values before any work (exit 2)', async () => {
    const d = dir();
    const json = await runAip(['report', 'w.yaml', '--json'], { cwd: d });
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/aip report writes an HTML page, not JSON/);
    const runs = await runAip(['report', 'w.yaml', '--runs', '0'], { cwd: d });
    expect(runs.code).toBe(2);
    expect(runs.stderr).toMatch(/--runs/);
  });
});
