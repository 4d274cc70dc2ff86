// aip report in a real browser: Debian's Chromium (/usr/bin/chromium) driven by playwright-core. The page of
// examples/workloads.yaml must render without a console error or a request of any kind, its tables must hold
// the figures `aip recommend --json` prints for the same file, its charts the points of `--chart`, and it must
// make a screenshot and a printed PDF. Skipped, saying why, only where /usr/bin/chromium is absent
// (.ci/run installs it).
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { usd } from '../../src/core/format.js';
import { runAip } from '../helpers/run.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const FILE = 'examples/workloads.yaml';
if (!HAS_CHROMIUM) console.warn(`aip report browser test SKIPPED: ${CHROMIUM} is absent (install Debian's chromium package: apt-get install -y chromium)`);

interface Doc {
  catalog_as_of: string;
  total_usd_per_month: { recommended: number; all_direct: number; saving: number };
  workloads: Array<{
    name: string;
    pattern: string;
    service_tier: string;
    recommended_cost_usd_per_month: number;
    cost_usd_per_month: Record<string, number | null>;
    options: Array<{ pattern: string; service_tier: string; cost_usd_per_month: number | null; why_not: string | null }>;
  }>;
  charts: Array<{ name: string; break_even_requests_per_month: number | null; points: Array<Record<string, number | null | string>> }>;
}

describe.skipIf(!HAS_CHROMIUM)(`aip report in Chromium${HAS_CHROMIUM ? '' : ` (SKIPPED: ${CHROMIUM} is absent)`}`, () => {
  let browser: Browser;
  let page: Page;
  let doc: Doc;
  let dir: string;
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aip-report-browser-'));
    const written = await runAip(['report', FILE, '-o', join(dir, 'report.html'), '--runs', '20']);
    expect(written.code, written.stderr).toBe(0);
    doc = JSON.parse((await runAip(['recommend', FILE, '--json', '--chart'])).stdout) as Doc;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM });
    page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('renders without a console error, and asks for nothing but the page itself', async () => {
    await expect(page.title()).resolves.toBe(`aip report: ${FILE}`);
    await expect(page.locator('h1').innerText()).resolves.toMatch(/recommendation and simulation/);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(dir, 'report.html')).href]);
  });

  it("holds the recommend document's figures in its tables", async () => {
    await expect(page.locator('.catalog-date').innerText()).resolves.toBe(doc.catalog_as_of);
    const total = page.locator('table.portfolio tfoot');
    await expect(total.locator('td.cost').innerText()).resolves.toBe(usd(doc.total_usd_per_month.recommended));
    await expect(total.locator('td.direct').innerText()).resolves.toBe(usd(doc.total_usd_per_month.all_direct));
    await expect(total.locator('td.saving').innerText()).resolves.toBe(usd(doc.total_usd_per_month.saving));
    const portfolioRows = page.locator('table.portfolio tbody tr');
    await expect(portfolioRows.count()).resolves.toBe(doc.workloads.length);
    for (const [i, w] of doc.workloads.entries()) {
      const row = portfolioRows.nth(i);
      await expect(row.locator('th').innerText()).resolves.toBe(w.name);
      await expect(row.locator('td.cost').innerText()).resolves.toBe(usd(w.recommended_cost_usd_per_month));
      const options = page.locator(`#w${i + 1}-options`);
      // One row per option of the document (pattern × service tier × cache lifetime), the recommended one
      // (the option without a why_not) marked.
      const rows = options.locator('tbody tr');
      await expect(rows.count()).resolves.toBe(w.options.length);
      for (const [j, o] of w.options.entries()) {
        const option = rows.nth(j);
        await expect(option.getAttribute('data-pattern')).resolves.toBe(o.pattern);
        await expect(option.getAttribute('data-tier')).resolves.toBe(o.service_tier);
        await expect(option.locator('td.cost').innerText()).resolves.toBe(o.cost_usd_per_month === null ? '-' : usd(o.cost_usd_per_month));
        const isChosen = o.why_not === null;
        expect((await option.getAttribute('class'))!.split(' ').includes('chosen')).toBe(isChosen);
        if (isChosen) {
          expect(o.pattern).toBe(w.pattern);
          expect(o.service_tier).toBe(w.service_tier);
          await expect(option.locator('th').innerText()).resolves.toMatch(/^✓ .*\(chosen\)$/);
        }
      }
      await expect(options.locator('tbody tr.chosen').count()).resolves.toBe(1);
    }
  });

  it('draws the points of --chart and names every chart for a screen reader', async () => {
    for (const [i, chart] of doc.charts.entries()) {
      const svg = page.locator(`#w${i + 1}-cost`);
      await expect(svg.getAttribute('role')).resolves.toBe('img');
      for (const pattern of ['direct', 'streaming', 'batch']) {
        const expected = chart.points.filter((p) => typeof p[pattern] === 'number' && (p[pattern] as number) > 0).map((p) => [p.requests_per_month, p[pattern]]);
        const drawn = await svg.locator(`g[data-series="${pattern}"] circle.point`).evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-x')), Number(e.getAttribute('data-y'))]));
        expect(drawn).toEqual(expected);
        // Laid out by the browser inside the chart's plot area (the first <rect> of the chart).
        const plot = await svg.locator('rect').first().boundingBox();
        const dots = await svg.locator(`g[data-series="${pattern}"] circle.point`).evaluateAll((els) => els.map((e) => {
          const r = e.getBoundingClientRect();
          return { x: r.x + r.width / 2, y: r.y + r.height / 2, width: r.width };
        }));
        for (const dot of dots) {
          expect(dot.width).toBeGreaterThan(0);
          expect(dot.x).toBeGreaterThanOrEqual(plot!.x - 0.5);
          expect(dot.x).toBeLessThanOrEqual(plot!.x + plot!.width + 0.5);
          expect(dot.y).toBeGreaterThanOrEqual(plot!.y - 0.5);
          expect(dot.y).toBeLessThanOrEqual(plot!.y + plot!.height + 0.5);
        }
      }
      if (chart.break_even_requests_per_month !== null && chart.break_even_requests_per_month >= 1e3 && chart.break_even_requests_per_month <= 1e7) {
        await expect(svg.locator('.marker-break-even').getAttribute('data-x')).resolves.toBe(String(doc.charts[i]!.break_even_requests_per_month));
      }
    }
    // Three charts per workload, each an image with a name and a description.
    await expect(page.getByRole('img').count()).resolves.toBe(3 * doc.workloads.length);
    await expect(page.getByRole('img', { name: /support-chat: monthly cost by volume/ }).count()).resolves.toBe(1);
    await expect(page.getByRole('img', { name: /support-chat: simulated monthly bill/ }).count()).resolves.toBe(1);
    await expect(page.getByRole('img', { name: /support-chat: simulated latency/ }).count()).resolves.toBe(1);
    // Latency CDFs: a line per simulated pattern, rising from left to right.
    const cdf = await page.locator('#w1-latency g[data-series="direct"] polyline').getAttribute('points');
    const ys = cdf!.split(' ').map((p) => Number(p.split(',')[1]));
    expect(ys.length).toBeGreaterThan(50);
    for (let k = 1; k < ys.length; k++) expect(ys[k]).toBeLessThanOrEqual(ys[k - 1]!);
    // Bill histograms: 20 simulated months per pattern.
    const runs = await page.locator('#w1-bill g.panel').evaluateAll((els) => els.map((e) => e.getAttribute('data-runs')));
    expect(runs).toEqual(['20', '20', '20']);
  });

  it('makes a screenshot and prints without the navigation, nothing wider than the page', async () => {
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: false });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    const overflowing = () =>
      page.locator('table, svg, section, figure, p').evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().right > e.ownerDocument.documentElement.clientWidth + 1).map((e) => `${e.tagName.toLowerCase()}#${e.id}`));
    await expect(overflowing()).resolves.toEqual([]);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('nav').isVisible()).resolves.toBe(false);
    // The width of an A4 page inside its margins (210 mm − 2 × 12 mm at 96 px per inch).
    await page.setViewportSize({ width: 703, height: 1000 });
    await expect(overflowing()).resolves.toEqual([]);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });
    expect(problems).toEqual([]);
  });
});
