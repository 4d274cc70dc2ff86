// Output for people fits the terminal (issue 17): no line wider than the columns given, at 80 and 120, each
// command's answer on its first screen, and nothing cut mid-word.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { loadWorkloadFile } from '../../src/io/workload-files.js';
import { palette } from '../../src/render/kit/color.js';
import { renderPreview } from '../../src/wizard/preview.js';
import { FIXED_NOW, ROOT, runAip } from '../helpers/run.js';

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));
const EX = 'examples/workloads.yaml';

describe.each([80, 120])('at %i columns', (columns) => {
  it('recommend fits and opens with the portfolio and its total', async () => {
    const r = await runAip(['recommend', EX], { columns });
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
    const screen = r.stdout.split('\n').slice(0, 30).join('\n');
    for (const name of ['support-chat', 'nightly-digest', 'invoice-extraction']) expect(screen).toContain(name);
    // product-labeling direct (its batch queue overflows at Gemini tier 1), comment-moderation at priority (95% within 800 ms)
    expect(screen).toMatch(/^total +\$3,596 +\$1,061/m);
    expect(screen).toMatch(/Recommended \$3,596\/month against \$4,657/);
  });

  it('recommend --details and explain fit, each shared plan line printed once', async () => {
    const r = await runAip(['recommend', EX, '--details'], { columns });
    expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
    expect(r.stdout.match(/retry ≤3×/g)).toHaveLength(1);
    expect(r.stdout.match(/failures below zero/g)).toHaveLength(1);
    const e = await runAip(['explain', 'nightly-digest', EX], { columns });
    expect(e.code).toBe(0);
    expect(widest(e.stdout)).toBeLessThanOrEqual(columns);
    expect(e.stdout).toMatch(/→ BATCH/);
    expect(e.stdout).not.toMatch(/support-chat/);
  });
});

describe('explain', () => {
  it('an unknown name exits 2 with did-you-mean', async () => {
    const r = await runAip(['explain', 'nightly-digets', EX]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean "nightly-digest"/);
  });
});

/** The first screen: what a person sees before scrolling. */
const firstScreen = (text: string) => text.split('\n').slice(0, 30).join('\n');

// check needs a baseline and a change: the examples, copied, their baseline, then a busier support-chat and a
// dearer model for blog-drafts.
const dir = mkdtempSync(join(tmpdir(), 'aip-width-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(ROOT, 'examples'), dir, { recursive: true });

describe.each([80, 120])('simulate, check, bench and models at %i columns', (columns) => {
  it('models opens with what it lists and stacks its table instead of wrapping rows', async () => {
    const r = await runAip(['models'], { columns });
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
    expect(r.stdout).toMatch(/^\d+ models: OpenAI \d+, Anthropic \d+, Google \(Gemini API\) \d+/);
    expect(firstScreen(r.stdout)).toMatch(/prices in USD per 1M tokens/);
    // One line per model at both widths: at 80 without cache write, speed and date (a note says so).
    if (columns === 80) {
      expect(r.stdout).toMatch(/^gpt-4o-mini +\$0\.15 +\$0\.075 +\$0\.60 +\$0\.075\/\$0\.30 +128K\/16\.4K$/m);
      expect(r.stdout.replace(/\n +/g, ' ')).toMatch(/Cache write prices, speed~ \(typical speeds\) and as-of dates are left out at this width/);
    } else expect(r.stdout).toMatch(/^│ gpt-4o-mini +│ +\$0\.15 │ +\$0\.075 │ +- │ +\$0\.60 │/m);
  });

  it('simulate opens with the portfolio and its total, and every table fits', async () => {
    const r = await runAip(['simulate', EX, '--runs', '5'], { columns });
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
    const screen = firstScreen(r.stdout);
    expect(screen).toMatch(/^Simulated 12 workloads: 5 runs of a 30-day month each, seed 1$/m);
    for (const name of ['support-chat', 'nightly-digest', 'invoice-extraction']) expect(screen).toContain(name);
    expect(screen).toMatch(/^total +\$\d,\d\d\d +\$\d,\d\d\d$/m);
    // The per-pattern figures stay tables at 80 columns (three narrower ones), not lists.
    expect(r.stdout).toMatch(/│ pattern +│ mean\/month │/);
    expect(r.stdout).toMatch(/│ pattern +│ latency p50 │/);
  });

  it('simulate with growth fits', async () => {
    const r = await runAip(['simulate', EX, '--workload', 'comment-moderation', '--months', '8', '--growth', '50', '--runs', '5'], { columns });
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
    // A table at every width: "batch saves" (direct − batch) is left out before the table turns into a list.
    expect(r.stdout).toMatch(/^ *month +requests +direct +streaming +batch +(batch saves +)?queued +recommend +its bill$|│ month │ requests │/m);
  });

  it('check opens with the totals and the verdict, and fits', async () => {
    const file = join(dir, 'workloads.yaml');
    const changed = join(dir, `changed-${columns}.yaml`);
    writeFileSync(changed, readFileSync(file, 'utf8').replace('volume: 300k/month', 'volume: 900k/month').replace('model: gpt-4.1-mini', 'model: gpt-4.1'));
    const base = await runAip(['baseline', file, '-o', join(dir, `base-${columns}.json`)]);
    expect(base.code, base.stderr).toBe(0);
    const r = await runAip(['check', changed, '--baseline', join(dir, `base-${columns}.json`), '--max-increase', '10'], { columns });
    expect(r.code).toBe(1);
    expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
    const top = r.stdout.split('\n').slice(0, 5).join('\n');
    expect(top).toMatch(/^Projected LLM spend: \$3,596\.02 → \$4,\d{3}\.\d\d per month/);
    expect(top).toMatch(/^FAIL total: monthly increase/m);
    expect(r.stdout).toMatch(columns === 80 ? /^support-chat +streaming +\$130\.94/m : /^│ support-chat +│ gpt-4o-mini +│ streaming +│ +\$130\.94/m);
  });

  it('bench opens with the answer, fits, and prints figures with their units', async () => {
    const r = await runAip(['bench', '--latency-scale', '0.05', '--requests', '4', '--threshold', 'direct.latency_ms.p50<0.001', '--threshold', 'direct.errors_rate<0.5'], { columns });
    expect(r.code).toBe(1);
    expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
    const flat = r.stdout.replace(/\s+/g, ' ');
    expect(flat).toMatch(/Median: direct answers in [\d.]+ m?s, streaming shows the first token in [\d.]+ m?s and ends in [\d.]+ m?s, batch came back in [\d.]+ m?s; 12 of 12 requests ok, \$0\.000\d\d at list prices; 1 FAIL \(below\)\./);
    expect(flat).toMatch(/FAIL direct\.latency_ms\.p50<0\.001 \(actual [\d.]+ m?s\)/);
    expect(flat).toMatch(/pass direct\.errors_rate<0\.5 \(actual 0\.0%\)/);
    expect(flat).toMatch(/spend: \$0\.000\d\d at catalog list prices/); // two significant figures, not $0.000819
  });
});

describe.each([80, 120])('import --recommend at %i columns', (columns) => {
  it('fits, the saving stated in a sentence', async () => {
    const r = await runAip(['import', join(ROOT, 'test/fixtures/import/otlp-openinference.json'), '--recommend', '--latency', '24h'], { columns });
    expect(r.code, r.stderr).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
    expect(r.stdout).toMatch(/rag-api-gpt-4o-streaming/);
    // At openai tier 2, inferred from the spend ($261.03/month as sent passes tier 1's $100 cap): batch fits its queue.
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/saves \$106\.12\/month \(41%\)/);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/Recommended at openai tier 2/);
  });
});

describe('the wizard\'s live preview', () => {
  it('breaks between words at 80 columns: the same words as at 1000, none cut', async () => {
    const catalog = await loadCatalog();
    const file = await loadWorkloadFile(EX, { catalog, cwd: ROOT });
    const options = { now: FIXED_NOW, version: '0.0.0' };
    const narrow = renderPreview(file, catalog, options, palette(false), 80);
    const wide = renderPreview(file, catalog, options, palette(false), 1000);
    expect(widest(wide)).toBeGreaterThan(80);
    expect(widest(narrow)).toBeLessThanOrEqual(80);
    expect(narrow.split(/\s+/)).toEqual(wide.split(/\s+/));
  });
});
