// The pure builders of `aip report`: escaping of untrusted text, the SVG charts (where points and ticks land,
// their accessible names), the options table's rows from a recommend document (with and without `options[]`),
// the CDF points and bill bins taken from the Monte Carlo month's results.
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, sourceHtml } from '../../src/render/report/escape.js';
import { axisFraction, histogramChart, lineChart, linearTicks, logTicks, type Axis } from '../../src/render/report/svg.js';
import { billBins, cdfPoints, CDF_PROBABILITIES, optionRows, type WorkloadJson } from '../../src/render/report/data.js';
import { DurationHistogram } from '../../src/core/montecarlo/histogram.js';
import { moneyTicks } from '../../src/render/report/page.js';

describe('escaping', () => {
  it('makes markup in untrusted text plain text, in elements and in quoted attributes', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&amp;`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;amp;');
    expect(html('</title><script>alert(1)</script>')).toBe('&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows control and bidirectional characters visibly', () => {
    expect(html('a\u202Eb\nc\x1b[31m')).toBe('a\\u{202E}b\\x0Ac\\x1B[31m');
  });

  it('links only http(s) sources, with credentials removed and the URL escaped', () => {
    expect(sourceHtml('https://user:pw@example.com/prices?key=abc&x=1')).toBe('<a href="https://example.com/prices?key=REDACTED&amp;x=1" rel="noreferrer">https://example.com/prices?key=REDACTED&amp;x=1</a>');
    expect(sourceHtml('javascript:alert(1)')).toBe('javascript:alert(1)');
    expect(sourceHtml('seed 003 <b>')).toBe('seed 003 &lt;b&gt;');
  });
});

const logX: Axis = { kind: 'log', min: 1, max: 100, label: 'x', ticks: logTicks(1, 100, String) };
const linY: Axis = { kind: 'linear', min: 0, max: 10, label: 'y', ticks: linearTicks(0, 10, 5, String) };

describe('axes and ticks', () => {
  it('places values on log and linear axes', () => {
    expect(axisFraction(logX, 10)).toBeCloseTo(0.5, 12);
    expect(axisFraction(logX, 100)).toBe(1);
    expect(axisFraction(linY, 2.5)).toBe(0.25);
  });

  it('ticks at powers of ten and at round steps', () => {
    expect(logTicks(1e3, 1e7, String).map((t) => t.value)).toEqual([1e3, 1e4, 1e5, 1e6, 1e7]);
    expect(logTicks(0.05, 20, String).map((t) => t.value)).toEqual([0.1, 1, 10]);
    expect(linearTicks(0, 1, 4, String).map((t) => t.value)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    // A bill that varies by cents gets the decimals that tell its ticks apart.
    expect(moneyTicks(4.137, 4.151).map((t) => t.label)).toEqual(['$4.140', '$4.145', '$4.150']); // 0.014 ÷ 5 → steps of 0.005
    expect(moneyTicks(1390, 1400).map((t) => t.label)).toEqual(['$1,390.00', '$1,392.00', '$1,394.00', '$1,396.00', '$1,398.00', '$1,400.00']);
    expect(linearTicks(932.4, 942.6, 5, String).map((t) => t.value)).toEqual([932.5, 935, 937.5, 940, 942.5]); // 10.2 ÷ 5 = 2.04 → steps of 2.5;
  });
});

describe('lineChart', () => {
  const svg = lineChart({
    id: 'c1',
    title: 'cost of <b>',
    desc: 'a "chart"',
    x: logX,
    y: linY,
    series: [
      { key: 'direct', label: 'direct', color: '#000', points: [[1, 0], [10, 5], [100, 10], [1000, 1]], dots: true },
      { key: 'batch', label: 'batch', color: '#111', dash: '2 3', points: [[10, 2.5]] },
    ],
    markers: [{ at: 10, kind: 'break-even', label: 'break-even 10' }, { at: 5000, kind: 'volume', label: 'off the chart' }],
  });

  it('is an accessible image named by its title and description, both escaped', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="c1-title c1-desc"/);
    expect(svg).toContain('<title id="c1-title">cost of &lt;b&gt;</title><desc id="c1-desc">a &quot;chart&quot;</desc>');
  });

  it('draws each point inside the axes where it belongs (720×340, margins 78/24/40/50)', () => {
    // Plot area 618 × 250 from (78, 40): x = 10 is half-way on the log axis, y = 5 half-way up.
    const dots = [...svg.matchAll(/<circle class="point" cx="([\d.]+)" cy="([\d.]+)"[^>]*data-x="([\d.]+)" data-y="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
    expect(dots).toEqual([
      [78, 290, 1, 0],
      [387, 165, 10, 5],
      [696, 40, 100, 10],
    ]);
    expect(svg).toContain('data-series="direct" data-points="3"');
    expect(svg).toContain('<polyline points="387,227.5"');
  });

  it('draws markers inside the x range only, and the ticks with their labels', () => {
    expect(svg).toContain('class="marker marker-break-even" data-x="10"');
    expect(svg).not.toContain('off the chart');
    expect((svg.match(/class="axis axis-x"[\s\S]*?<\/g>/)![0].match(/<text /g) ?? []).length).toBe(4); // 1, 10, 100 and the label
  });
});

describe('histogramChart', () => {
  it('draws one bar per non-empty bin, the counts adding up to the runs', () => {
    const bins = billBins([10, 10.5, 11, 11, 12, 14], 4);
    const svg = histogramChart({ id: 'h', title: 't', desc: 'd', panels: [{ key: 'direct', label: 'direct', color: '#000', bins, x: { kind: 'linear', min: 10, max: 14, label: 'USD', ticks: linearTicks(10, 14, 4, String) }, markers: [] }] });
    const counts = [...svg.matchAll(/data-count="(\d+)"/g)].map((m) => Number(m[1]));
    expect(counts).toEqual([2, 2, 1, 1]); // [10,11): 10, 10.5 · [11,12): 11, 11 · [12,13): 12 · [13,14]: 14
    expect(svg).toContain('data-series="direct" data-runs="6"');
  });
});

describe('billBins and cdfPoints', () => {
  it('bins runs equally between their min and max; equal runs make one bin', () => {
    const bins = billBins([1, 2, 3, 4], 2);
    expect(bins).toEqual([
      { lo: 1, hi: 2.5, count: 2 },
      { lo: 2.5, hi: 4, count: 2 },
    ]);
    expect(billBins([5, 5, 5], 10)).toEqual([{ lo: 4.975, hi: 5.025, count: 3 }]);
    expect(billBins([], 10)).toEqual([]);
  });

  it('takes the CDF from the histogram: increasing, one point per probability, none when nothing was traced', () => {
    const h = new DurationHistogram();
    for (let i = 1; i <= 1000; i++) h.record(i / 100); // 0.01 s … 10 s, uniform
    const pts = cdfPoints(h);
    expect(pts).toHaveLength(CDF_PROBABILITIES.length);
    for (let i = 1; i < pts.length; i++) expect(pts[i]![0]).toBeGreaterThanOrEqual(pts[i - 1]![0]);
    expect(pts[49]![1]).toBe(0.5);
    expect(pts[49]![0]).toBeCloseTo(5, 1); // the median of 0.01…10 s, within the histogram's 1%
    expect(cdfPoints(new DurationHistogram())).toEqual([]);
  });
});

const workloadDoc = (extra: Record<string, unknown> = {}) =>
  ({
    name: 'w',
    model: 'gpt-4o-mini',
    pattern: 'batch',
    requests_per_month: 1000,
    tokens: { input: 10, output: 10, cached_fraction: 0 },
    cost_usd_per_month: { direct: 2, streaming: 2, batch: 1 },
    latency_s: { ttft: 0.5, total: 2, total_p95: 4, batch_typical: 3600, batch_guarantee: 86400 },
    limits: { fits: true, realtime_fits: false, batch: { queue: null } },
    alternatives: [
      { pattern: 'direct', cost_usd_per_month: 2, overhead_usd_per_month: 0, delta_usd_per_month: 1, why_not: 'costs more' },
      { pattern: 'streaming', cost_usd_per_month: 2, overhead_usd_per_month: 0, delta_usd_per_month: 1, why_not: 'no one watches' },
    ],
    ...extra,
  }) as unknown as WorkloadJson;

describe('optionRows', () => {
  it('makes the three patterns options where the document has no options[]', () => {
    const rows = optionRows(workloadDoc());
    expect(rows.map((r) => [r.pattern, r.serviceTier, r.costUsdPerMonth, r.chosen, r.fits, r.whyNot])).toEqual([
      ['direct', null, 2, false, false, 'costs more'],
      ['streaming', null, 2, false, false, 'no one watches'],
      ['batch', null, 1, true, true, null],
    ]);
    expect(rows[2]!.latency).toEqual({ ttft: null, total: 3600, p95: 86400 });
    expect(rows[0]!.latency).toEqual({ ttft: 0.5, total: 2, p95: 4 });
  });

  it('marks an unavailable pattern (no streaming for embeddings)', () => {
    const rows = optionRows(workloadDoc({ pattern: 'direct', cost_usd_per_month: { direct: 2, streaming: null, batch: 1 } }));
    expect(rows[1]).toMatchObject({ pattern: 'streaming', available: false, fits: null, latency: { ttft: null, total: null, p95: null } });
    expect(rows[0]!.chosen).toBe(true);
  });

  it('shows options[] as they are, the chosen one by pattern and service tier', () => {
    const options = [
      { pattern: 'batch', service_tier: 'standard', cost_usd_per_month: 1, latency_s: { ttft: null, total: 3600, p95: 7200 }, within_tolerance: 0.99, fits: true, available: true, why_not: 'flex is cheaper' },
      { pattern: 'direct', service_tier: 'flex', cost_usd_per_month: 0.9, latency_s: { ttft: 2, total: 9, p95: 30 }, within_tolerance: 1, fits: true, available: true, why_not: null },
      { pattern: 'direct', service_tier: 'priority', cost_usd_per_month: 3, latency_s: { ttft: 0.3, total: 1, p95: 2 }, within_tolerance: 1, fits: true, available: false, why_not: 'not offered' },
    ];
    const rows = optionRows(workloadDoc({ pattern: 'direct', service_tier: 'flex', options }));
    expect(rows.map((r) => [r.pattern, r.serviceTier, r.costUsdPerMonth, r.withinTolerance, r.available, r.chosen])).toEqual([
      ['batch', 'standard', 1, 0.99, true, false],
      ['direct', 'flex', 0.9, 1, true, true],
      ['direct', 'priority', 3, 1, false, false],
    ]);
    expect(rows[1]!.latency).toEqual({ ttft: 2, total: 9, p95: 30 });
  });
});
