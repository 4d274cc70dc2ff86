// The page of `aip report`: one self-contained HTML file (no script, no network: a Content-Security-Policy
// forbids both) to attach to a design doc or a pull request. The portfolio first, then per workload its options
// with the chosen one marked, cost across volume with the break-even, the simulated monthly bill and latency
// CDFs, then the assumptions and sources. Every figure comes from the recommend document (the same numbers
// `aip recommend --json` prints), the cost curves of `--chart`, and the Monte Carlo month of `aip simulate`.
// Pure: data in, an HTML string out. Untrusted text goes through escape.ts.
import type { CatalogData, Model, Thresholds } from '../../core/catalog/schema.js';
import type { RecommendJson } from '../../core/recommend/document.js';
import type { RecommendReport } from '../../core/recommend/build.js';
import { minuteByMinuteRuns, type SimulationReport, type WorkloadReport } from '../../core/montecarlo/run.js';
import type { PatternResult } from '../../core/montecarlo/engine.js';
import { SIM_ASSUMPTIONS } from '../../core/montecarlo/assumptions.js';
import { PATTERNS, type Pattern } from '../../core/recommend/pattern.js';
import { compact, count, duration, percent, pricePerMillion, usd } from '../../core/format.js';
import { CHART_MAX_REQUESTS, CHART_MIN_REQUESTS, type CostCurve } from '../recommend/chart.js';
import { billBins, cdfPoints, optionRows, type OptionRow, type WorkloadJson } from './data.js';
import { escapeHtml, html, sourceHtml } from './escape.js';
import { histogramChart, lineChart, linearTicks, logTicks, type LineSeries, type Marker, type Tick } from './svg.js';
import { REPORT_CSS } from './style.js';
import { longChoiceLabel } from '../../core/recommend/choice-label.js';

export interface ReportPageInput {
  /** The workload files as the user named them. */
  files: string[];
  /** The injected clock's date, YYYY-MM-DD. */
  generatedOn: string;
  version: string;
  /** The recommend document (what `aip recommend --json` prints for the same files). */
  doc: RecommendJson;
  /** The same recommendation before it became the document: the models with their sources. */
  report: RecommendReport;
  /** The cost curves of `aip recommend --chart`, in workload order. */
  curves: CostCurve[];
  /** The Monte Carlo month of `aip simulate` for the same files. */
  simulation: SimulationReport;
  catalog: { asOf: string; data?: CatalogData; overlays: string[]; thresholds: Thresholds['values'] };
}

/** A colour, a dash and a name per pattern: distinguishable in colour, in grey print and to a screen reader. */
const STYLE: Record<Pattern, { color: string; dash?: string }> = {
  direct: { color: '#0072B2' },
  streaming: { color: '#CC79A7', dash: '7 4' },
  batch: { color: '#009E73', dash: '2 3' },
};
const TTFT_STYLE = { color: '#E69F00', dash: '4 2 1 2' };
/** The chosen service tier or capacity (flex, priority, provisioned), drawn apart from its pattern. */
const OPTION_STYLE = { color: '#D55E00', dash: '9 3 2 3' };

/** How a page written by aip report begins its generator tag: -o replaces such a file without --force. */
export const REPORT_GENERATOR = '<meta name="generator" content="aip report';

/** The page. */
export function renderReportPage(input: ReportPageInput): string {
  const { doc } = input;
  const title = `aip report: ${input.files.join(', ')}`;
  const body: string[] = [];
  body.push(`<header><h1>LLM call patterns: recommendation and simulation</h1>`);
  body.push(
    `<p class="meta">Workload file${input.files.length > 1 ? 's' : ''}: ${input.files.map((f) => `<code>${html(f)}</code>`).join(', ')} · generated ${html(input.generatedOn)} by aip ${html(input.version)} · ` +
      `prices of the catalog as of <strong class="catalog-date">${html(doc.catalog_as_of)}</strong> · simulation seed ${input.simulation.seed}, ${count(input.simulation.runs, 0)} simulated months per workload</p></header>`,
  );
  body.push(nav(doc));
  body.push('<main>');
  body.push(summary(doc));
  doc.workloads.forEach((w, i) => body.push(workloadSection(w, i, input.curves[i], simulationOf(input.simulation, w, i), input.simulation.seed)));
  body.push(assumptions(input));
  body.push('</main>');
  body.push(`<footer><p>Made by <code>aip report</code> ${html(input.version)}. USD per month at list prices; latencies are the catalog's typical figures and the simulation's draws around them, not guarantees. The contracts behind every figure: docs/spec.md ("Arithmetic", "JSON documents").</p></footer>`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // No script, no request of any kind: the file shows the same offline, in a mail client or an archive.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `${REPORT_GENERATOR} ${escapeHtml(input.version)}">`,
    `<title>${html(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const anchor = (i: number) => `w${i + 1}`;

/** The simulation of the i-th workload (simulate runs them in the same order; an interrupted run has fewer). */
function simulationOf(s: SimulationReport, w: WorkloadJson, i: number): WorkloadReport | undefined {
  const sim = s.workloads[i];
  return sim?.workload.name === w.name ? sim : undefined;
}

function nav(doc: RecommendJson): string {
  const items = doc.workloads.map((w, i) => `<li><a href="#${anchor(i)}">${html(w.name)}</a></li>`);
  return `<nav aria-label="Workloads"><ol>${items.join('')}<li><a href="#assumptions">Assumptions and sources</a></li></ol></nav>`;
}

function patternOf(w: WorkloadJson): string {
  const tier = (w as { service_tier?: unknown }).service_tier;
  return longChoiceLabel({ pattern: w.pattern, viaQueue: w.via_queue, serviceTier: typeof tier === 'string' ? tier : null });
}

/** The cost of what was chosen: the document's own figure where it has one (service tiers), else the pattern's. */
function chosenCost(w: WorkloadJson): number | null {
  const own = (w as { recommended_cost_usd_per_month?: unknown }).recommended_cost_usd_per_month;
  return typeof own === 'number' ? own : w.cost_usd_per_month[w.pattern];
}

const fitsText = (fits: boolean | null | undefined) => (fits === null || fits === undefined ? 'unknown' : fits ? 'yes' : 'no');
const moneyCell = (v: number | null | undefined, cls = 'num') => `<td class="${cls}"${typeof v === 'number' ? ` data-value="${v}"` : ''}>${usd(v)}</td>`;

function summary(doc: RecommendJson): string {
  const t = doc.total_usd_per_month;
  const out: string[] = ['<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Portfolio</h2>'];
  out.push(`<p class="lede">${html(cap(doc.mix))}. Recommended <strong data-value="${t.recommended}">${usd(t.recommended)}/month</strong> against ${usd(t.all_direct)} with every workload direct: ${t.saving > 0 ? `saves <strong data-value="${t.saving}">${usd(t.saving)}/month</strong>${t.all_direct > 0 ? ` (${percent(t.saving / t.all_direct)})` : ''}` : 'no saving'}.</p>`);
  out.push('<table class="portfolio"><caption>Per workload: the option chosen, its monthly cost, the saving against calling the model directly, whether it fits the rate limits, and the main reason.</caption>');
  out.push('<thead><tr><th scope="col">workload</th><th scope="col">model</th><th scope="col">chosen</th><th scope="col" class="num">$/month</th><th scope="col" class="num">all direct $/month</th><th scope="col" class="num">saving</th><th scope="col">fits limits</th><th scope="col">why</th></tr></thead><tbody>');
  doc.workloads.forEach((w, i) => {
    const cost = chosenCost(w);
    const direct = w.cost_usd_per_month.direct;
    const saving = direct !== null && cost !== null ? direct - cost : null;
    const fits = w.limits?.fits;
    out.push(
      `<tr data-workload="${html(w.name)}"><th scope="row"><a href="#${anchor(i)}">${html(w.name)}</a></th><td><code>${html(w.model)}</code></td><td class="chosen-option">${html(patternOf(w))}</td>` +
        `${moneyCell(cost, 'num cost')}${moneyCell(direct, 'num direct')}${moneyCell(saving === null ? null : Math.round(saving * 1e4) / 1e4, 'num saving')}` +
        `<td class="fits fits-${fitsText(fits)}">${fitsText(fits)}</td><td class="why">${html(firstSentence(w.reasons?.[0] ?? ''))}</td></tr>`,
    );
  });
  out.push(`</tbody><tfoot><tr><th scope="row">total</th><td></td><td></td>${moneyCell(t.recommended, 'num cost')}${moneyCell(t.all_direct, 'num direct')}${moneyCell(t.saving, 'num saving')}<td></td><td></td></tr></tfoot></table>`);
  for (const warning of doc.catalog_warnings ?? []) out.push(`<p class="warning" role="note"><strong>Warning:</strong> ${html(warning)}</p>`);
  out.push('</section>');
  return out.join('\n');
}

/** "a, b: c" → the part a reader needs in a summary row: up to the first colon or full stop that ends a clause. */
function firstSentence(text: string): string {
  const cut = text.search(/[:;](\s|$)|\.(\s|$)/);
  return cut > 20 ? text.slice(0, cut) : text;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function workloadSection(w: WorkloadJson, i: number, curve: CostCurve | undefined, sim: WorkloadReport | undefined, seed: number): string {
  const id = anchor(i);
  const out: string[] = [`<section class="workload" id="${id}" aria-labelledby="${id}-h">`];
  out.push(`<h2 id="${id}-h">${html(w.name)}: ${html(patternOf(w))}</h2>`);
  const facts = [
    `<code>${html(w.model)}</code>`,
    `${count(w.requests_per_month, 0)} requests/month`,
    `${count(w.tokens.input, 0)}${w.tokens.approximate ? ' (estimated)' : ''} input / ${count(w.tokens.output, 0)} output tokens`,
    w.latency_tolerance_s === undefined ? undefined : `tolerance ${duration(w.latency_tolerance_s)}`,
    w.user_facing ? 'a person watches' : undefined,
    w.file ? `<code>${html(`${w.file}:${w.line ?? ''}`)}</code>` : undefined,
  ].filter((f): f is string => f !== undefined);
  out.push(`<p class="facts">${facts.join(' · ')}</p>`);
  if (w.reasons?.length) out.push(`<ul class="reasons">${w.reasons.map((r) => `<li>${html(r)}</li>`).join('')}</ul>`);
  out.push(optionsTable(w, id));
  out.push('<div class="charts">');
  if (curve) out.push(costFigure(curve, `${id}-cost`));
  if (sim) out.push(billFigure(sim, `${id}-bill`, seed), latencyFigure(sim, `${id}-latency`), simulationTable(sim, id));
  else out.push('<p class="note">Not simulated (the simulation was stopped before this workload).</p>');
  out.push('</div>');
  if (w.warnings?.length) out.push(`<div class="warnings"><h3>Warnings</h3><ul>${w.warnings.map((x) => `<li>${html(x)}</li>`).join('')}</ul></div>`);
  out.push('</section>');
  return out.join('\n');
}

function optionsTable(w: WorkloadJson, id: string): string {
  const rows = optionRows(w);
  const tiers = rows.some((r) => r.serviceTier !== null);
  const within = rows.some((r) => r.withinTolerance !== null);
  const chosen = rows.find((r) => r.chosen);
  const head = [
    '<th scope="col">option</th>',
    tiers ? '<th scope="col">service tier</th>' : '',
    '<th scope="col" class="num">$/month</th>',
    '<th scope="col" class="num">vs chosen</th>',
    '<th scope="col" class="num">first token</th>',
    '<th scope="col" class="num">total</th>',
    '<th scope="col" class="num">p95 / guarantee</th>',
    within ? '<th scope="col" class="num">within tolerance</th>' : '',
    '<th scope="col">fits limits</th>',
    '<th scope="col">why not</th>',
  ].join('');
  const body = rows.map((r) => optionRow(r, chosen, tiers, within)).join('');
  return (
    `<table class="options" id="${id}-options"><caption>Options for ${html(w.name)}: monthly cost at list prices, typical latency, and why each other option lost. The chosen option is marked ✓.</caption>` +
    `<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`
  );
}

function optionRow(r: OptionRow, chosen: OptionRow | undefined, tiers: boolean, within: boolean): string {
  const delta = r.costUsdPerMonth !== null && chosen?.costUsdPerMonth !== null && chosen !== undefined && !r.chosen ? r.costUsdPerMonth - chosen.costUsdPerMonth! : null;
  const cells = [
    `<th scope="row">${r.chosen ? '<span class="mark" aria-hidden="true">✓ </span>' : ''}${html(r.pattern)}${r.chosen ? ' <span class="chosen-label">(chosen)</span>' : ''}</th>`,
    tiers ? `<td>${html(r.serviceTier ?? 'standard')}</td>` : '',
    moneyCell(r.costUsdPerMonth, 'num cost'),
    `<td class="num delta">${delta === null ? (r.chosen ? '—' : '-') : usd(delta, { sign: true })}</td>`,
    `<td class="num">${duration(r.latency.ttft)}</td>`,
    `<td class="num">${duration(r.latency.total)}</td>`,
    `<td class="num">${duration(r.latency.p95)}</td>`,
    within ? `<td class="num">${percent(r.withinTolerance, 1)}</td>` : '',
    `<td>${r.available ? fitsText(r.fits) : 'not offered'}</td>`,
    `<td class="why">${r.chosen ? '' : html(r.whyNot ?? (r.available ? '' : 'not offered for this model'))}</td>`,
  ];
  return `<tr class="${r.chosen ? 'chosen' : ''}${r.available ? '' : ' unavailable'}" data-pattern="${html(r.pattern)}"${r.serviceTier ? ` data-tier="${html(r.serviceTier)}"` : ''}${r.chosen ? ' aria-current="true"' : ''}>${cells.join('')}</tr>`;
}

function figure(id: string, caption: string, svg: string): string {
  return `<figure id="${id}-figure">${svg}<figcaption>${caption}</figcaption></figure>`;
}

function usdTick(v: number): string {
  if (v >= 1000) return `$${compact(v)}`;
  return `$${v >= 1 ? Math.round(v) : Number(v.toPrecision(1))}`;
}

function costFigure(c: CostCurve, id: string): string {
  const series: LineSeries[] = [];
  for (const p of PATTERNS) {
    const points = c.points.filter((pt) => pt[p] !== null && pt[p]! > 0).map((pt): [number, number] => [pt.requestsPerMonth, pt[p]!]);
    if (points.length > 0) series.push({ key: p, label: p, ...STYLE[p], points, dots: true });
  }
  // The flex tier of the synchronous pattern, where offered: the same volumes at its price (shed share included).
  if (c.flex && c.flex.perRequest > 0) series.push({ key: 'flex', label: 'flex tier', ...OPTION_STYLE, points: c.points.map((pt): [number, number] => [pt.requestsPerMonth, c.flex!.perRequest * pt.requestsPerMonth]), dots: true });
  if (series.length === 0) return `<p class="note" id="${id}-figure">No cost to draw for ${html(c.name)} (free or unpriced).</p>`;
  const ys = series.flatMap((s) => s.points.map((pt) => pt[1]));
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const markers: Marker[] = [];
  // Whole requests, as `aip recommend --json --chart` gives it.
  const be = c.breakEvenRequestsPerMonth === null ? null : Math.round(c.breakEvenRequestsPerMonth);
  const onChart = (v: number | null | undefined): v is number => v !== null && v !== undefined && v >= CHART_MIN_REQUESTS && v <= CHART_MAX_REQUESTS;
  if (onChart(be)) markers.push({ at: be, kind: 'break-even', label: `break-even ${compact(be)}/month` });
  const flexBe = c.flex?.breakEvenRequestsPerMonth == null ? null : Math.round(c.flex.breakEvenRequestsPerMonth);
  if (onChart(flexBe)) markers.push({ at: flexBe, kind: 'flex-break-even', label: `flex pays ${compact(flexBe)}/month` });
  const provBe = c.provisioned?.breakEvenRequestsPerMonth == null ? null : Math.round(c.provisioned.breakEvenRequestsPerMonth);
  if (onChart(provBe)) markers.push({ at: provBe, kind: 'provisioned-break-even', label: `provisioned pays ${compact(provBe)}/month` });
  if (c.requestsPerMonth >= CHART_MIN_REQUESTS && c.requestsPerMonth <= CHART_MAX_REQUESTS) markers.push({ at: c.requestsPerMonth, kind: 'volume', label: `this workload ${compact(c.requestsPerMonth)}` });
  const describe = series.map((s) => `${s.label} from ${usd(s.points[0]![1])} at ${compact(s.points[0]![0])} to ${usd(s.points[s.points.length - 1]![1])} at ${compact(s.points[s.points.length - 1]![0])} requests per month`).join('; ');
  const outside = (v: number) => (onChart(v) ? '' : ' (outside the chart)');
  const beText = [
    be === null ? 'Batch never saves the minimum here (no batch API, or no saving).' : `Batch saves at least ${usd(c.minBatchSavingUsd)} a month from ${compact(be)} requests per month${outside(be)}.`,
    ...(c.flex ? [flexBe === null ? 'The flex tier never saves the minimum here.' : `The flex tier saves at least ${usd(c.minBatchSavingUsd)} a month from ${compact(flexBe)} requests per month${outside(flexBe)}.`] : []),
    ...(c.provisioned && provBe !== null ? [`Provisioned capacity (${compact(c.provisioned.units)} units, ${usd(c.provisioned.feeUsdPerMonth)} a month) costs less than pay-as-you-go from ${compact(provBe)} requests per month${outside(provBe)}.`] : []),
  ].join(' ');
  const svg = lineChart({
    id,
    title: `${c.name}: monthly cost by volume (${c.model})`,
    desc: `Log-log chart of monthly cost against requests per month: ${describe}. ${beText} This workload sends ${compact(c.requestsPerMonth)} requests per month.`,
    x: { kind: 'log', min: CHART_MIN_REQUESTS, max: CHART_MAX_REQUESTS, label: 'requests per month (log scale)', ticks: logTicks(CHART_MIN_REQUESTS, CHART_MAX_REQUESTS, compact) },
    y: { kind: 'log', min: yMin, max: yMax, label: 'USD per month (log scale)', ticks: logTicks(yMin, yMax, usdTick) },
    series,
    markers,
    pointTitle: (s, x, y) => `${s.label}: ${usd(y)}/month at ${compact(x)} requests/month`,
  });
  return figure(id, `Monthly cost of each pattern from ${compact(CHART_MIN_REQUESTS)} to ${compact(CHART_MAX_REQUESTS)} requests a month, at this workload's tokens and prices. ${html(beText)}`, svg);
}

function simPatterns(sim: WorkloadReport): Pattern[] {
  return PATTERNS.filter((p) => sim.result.patterns[p] !== undefined);
}

function billFigure(sim: WorkloadReport, id: string, seed: number): string {
  const panels = simEntries(sim).map(({ key, label, r, chosen, color }) => {
    const bins = billBins(r.cost.runs, 24);
    const lo = bins[0]?.lo ?? 0;
    const hi = bins[bins.length - 1]?.hi ?? 1;
    return {
      key,
      label: `${label}${chosen ? ' (chosen)' : ''}: mean ${usd(r.cost.mean)}, 90% between ${usd(r.cost.p5)} and ${usd(r.cost.p95)}`,
      color,
      bins,
      x: { kind: 'linear' as const, min: lo, max: hi, label: 'USD per month', ticks: moneyTicks(lo, hi) },
      markers: [
        { at: r.cost.p50, kind: 'median', label: `median ${usd(r.cost.p50)}` },
        { at: r.analytic.totalUsdPerMonth, kind: 'analytic', label: `recommend ${usd(r.analytic.totalUsdPerMonth)}` },
      ],
    };
  });
  const runs = sim.result.runs;
  const desc = panels.map((p) => p.label).join('; ');
  const svg = histogramChart({ id, title: `${sim.workload.name}: simulated monthly bill, ${runs} months per pattern`, desc: `Histograms of the monthly bill over ${runs} simulated months. ${desc}.`, panels });
  return figure(id, `The monthly bill over ${count(runs, 0)} simulated months (arrivals, token lengths, failures and retries drawn at random; seed ${seed}). Dashed: recommend's expected cost plus failure overhead; dotted: the median.`, svg);
}

function latencyFigure(sim: WorkloadReport, id: string): string {
  const series: LineSeries[] = [];
  for (const { key, label, p, r, style } of simEntries(sim)) {
    const pts = cdfPoints(r.latency);
    if (pts.length > 0) series.push({ key, label: `${label} total`, ...style, points: pts });
    if (p === 'streaming' && key === p) {
      const ttft = cdfPoints(r.ttft);
      if (ttft.length > 0) series.push({ key: 'streaming-ttft', label: 'streaming first token', ...TTFT_STYLE, points: ttft });
    }
  }
  if (series.length === 0) return `<p class="note" id="${id}-figure">No latency traced for ${html(sim.workload.name)}.</p>`;
  const xs = series.flatMap((s) => s.points.map((pt) => pt[0]));
  const tol = sim.sim.toleranceS;
  const xMin = 10 ** Math.floor(Math.log10(Math.min(...xs)));
  const xMax = 10 ** Math.ceil(Math.log10(Math.max(...xs, tol)));
  const describe = series
    .map((s) => {
      const at = (q: number) => s.points.find((pt) => pt[1] >= q)?.[0];
      return `${s.label}: median ${duration(at(0.5))}, p95 ${duration(at(0.95))}, p99 ${duration(at(0.99))}`;
    })
    .join('; ');
  const svg = lineChart({
    id,
    title: `${sim.workload.name}: simulated latency, cumulative share of requests`,
    desc: `Cumulative distribution of latency per pattern on a log time axis. ${describe}. Tolerance ${duration(tol)}.`,
    x: { kind: 'log', min: xMin, max: xMax, label: 'seconds (log scale)', ticks: timeTicks(xMin, xMax) },
    y: { kind: 'linear', min: 0, max: 1, label: 'share of requests', ticks: linearTicks(0, 1, 4, (v) => percent(v)) },
    series,
    markers: [{ at: tol, kind: 'tolerance', label: `tolerance ${duration(tol)}` }],
  });
  return figure(id, `Share of requests answered within a time, per pattern, from ${count(sim.result.tracedRequests, 0)} traced requests. A line further left is faster; where it crosses the tolerance line is the share within the tolerance.`, svg);
}

/** Round ticks of a narrow money range, with as many decimals as it takes to tell them apart ($4.1375, $4.1400). */
export function moneyTicks(lo: number, hi: number): Tick[] {
  const ticks = linearTicks(lo, hi, 5, String);
  for (let d = 2; d <= 6; d++) {
    const labels = ticks.map((t) => `$${t.value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })}`);
    if (new Set(labels).size === labels.length) return ticks.map((t, i) => ({ value: t.value, label: labels[i]! }));
  }
  return ticks;
}

/** Ticks people read on a time axis: 10 ms … 1 s, 10 s, 1 min, 10 min, 1 h, 6 h, 24 h, 1 week. */
function timeTicks(min: number, max: number): Array<{ value: number; label: string }> {
  const all = [0.001, 0.01, 0.1, 1, 10, 60, 600, 3600, 6 * 3600, 86400, 7 * 86400, 30 * 86400];
  return all.filter((v) => v >= min && v <= max).map((v) => ({ value: v, label: v === 60 ? '1 min' : v === 86400 ? '24 h' : v === 7 * 86400 ? '7 days' : v === 30 * 86400 ? '30 days' : duration(v) }));
}

interface SimEntry {
  /** data-series / panel key: the pattern, or "direct-priority" for the chosen option under it. */
  key: string;
  p: Pattern;
  label: string;
  r: PatternResult;
  chosen: boolean;
  tier?: string;
  color: string;
  style: { color: string; dash?: string };
}

/** Each simulated pattern, and the chosen service tier or capacity (simulated as its own month) right under its pattern: chosen, not it. */
function simEntries(sim: WorkloadReport): SimEntry[] {
  const entries: SimEntry[] = [];
  for (const p of simPatterns(sim)) {
    entries.push({ key: p, p, label: p, r: sim.result.patterns[p]!, chosen: !sim.option && p === sim.recommendation.decision.pattern, color: STYLE[p].color, style: STYLE[p] });
    const o = sim.option;
    if (o?.option.pattern === p) entries.push({ key: `${p}-${o.option.serviceTier}`, p, label: o.label, r: o.result, chosen: true, tier: o.option.serviceTier, color: OPTION_STYLE.color, style: OPTION_STYLE });
  }
  return entries;
}

function simulationTable(sim: WorkloadReport, id: string): string {
  const entries = simEntries(sim);
  const rows = entries.map(({ p, label, r, chosen, tier }) => {
    return (
      `<tr data-pattern="${p}"${tier ? ` data-service-tier="${tier}"` : ''}${chosen ? ' class="chosen"' : ''}><th scope="row">${chosen ? '<span class="mark" aria-hidden="true">✓ </span>' : ''}${html(label)}</th>` +
      `${moneyCell(Math.round(r.cost.mean * 1e4) / 1e4, 'num')}${moneyCell(Math.round(r.cost.p5 * 1e4) / 1e4)}${moneyCell(Math.round(r.cost.p95 * 1e4) / 1e4)}` +
      `<td class="num">${duration(r.latency.quantile(0.5))}</td><td class="num">${duration(r.latency.quantile(0.95))}</td>` +
      `<td class="num">${percent(r.slo.attainment, 1)}</td><td class="num">${percent(r.queue.fraction, 1)}</td><td class="num">${count(r.retries, 0)}</td></tr>`
    );
  });
  return (
    `<table class="simulation" id="${id}-simulation"><caption>Simulated month (${count(sim.result.runs, 0)} runs): the bill's mean and 90% range, latency, the share within the tolerance (${sim.sim.userFacing ? 'first token for streaming, total otherwise' : 'total latency'}), requests that waited for the rate limit, and retries per month.</caption>` +
    `<thead><tr><th scope="col">pattern</th><th scope="col" class="num">mean $/month</th><th scope="col" class="num">p5</th><th scope="col" class="num">p95</th><th scope="col" class="num">median latency</th><th scope="col" class="num">p95 latency</th><th scope="col" class="num">within tolerance</th><th scope="col" class="num">queued</th><th scope="col" class="num">retries</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function assumptions(input: ReportPageInput): string {
  const out: string[] = ['<section id="assumptions" aria-labelledby="assumptions-h"><h2 id="assumptions-h">Assumptions and sources</h2>'];
  const data = input.catalog.data;
  out.push(
    `<p>Prices, limits and speeds: the catalog as of <strong>${html(input.catalog.asOf)}</strong>${data ? `, built on ${html(data.base.name)} ${html(data.base.version)} (${sourceHtml(data.base.url)}, as of ${html(data.base.as_of)}) with aip's curated layer checked ${html(data.curatedAsOf)}${data.origin === 'cache' ? ', updated by aip catalog update' : ''}` : ''}.` +
      `${input.catalog.overlays.length ? ` Overridden by ${input.catalog.overlays.map((o) => `<code>${html(o)}</code>`).join(', ')}.` : ''}</p>`,
  );
  out.push('<p>Monthly cost = requests × (uncached input × input price + cached input × cached price + output × output price) ÷ 1M, with the batch prices for batch; failure overhead from the failure rates per pattern and the retry policy; latency = time to first token + output tokens ÷ output speed. The simulation draws a month of arrivals minute by minute (the daily cycle and the peak factor), token lengths, speeds and failures around these figures.</p>');
  // Models: prices used and where they come from.
  const models = new Map<string, { model: Model; w: WorkloadJson }>();
  input.report.workloads.forEach((r, i) => {
    if (!models.has(r.workload.model.id)) models.set(r.workload.model.id, { model: r.workload.model, w: input.doc.workloads[i]! });
  });
  out.push('<table class="models"><caption>Models: the prices used (USD per 1M tokens) and the typical speeds latency is computed from.</caption><thead><tr><th scope="col">model</th><th scope="col" class="num">input</th><th scope="col" class="num">cached input</th><th scope="col" class="num">output</th><th scope="col" class="num">batch input</th><th scope="col" class="num">batch output</th><th scope="col" class="num">first token</th><th scope="col" class="num">output tokens/s</th><th scope="col">as of</th></tr></thead><tbody>');
  for (const { model, w } of models.values()) {
    const p = w.prices;
    out.push(
      `<tr><th scope="row"><code>${html(model.id)}</code></th><td class="num">${pricePerMillion(p?.input)}</td><td class="num">${pricePerMillion(p?.cached_input)}</td><td class="num">${pricePerMillion(p?.output)}</td><td class="num">${pricePerMillion(p?.batch_input)}</td><td class="num">${pricePerMillion(p?.batch_output)}</td>` +
        `<td class="num">${duration(model.speed.ttft_s)}</td><td class="num">${count(model.speed.output_tokens_per_s, 0)}</td><td class="num">${html(model.as_of)}</td></tr>`,
    );
  }
  out.push('</tbody></table>');
  out.push('<h3>Where the figures come from</h3><dl class="sources">');
  for (const { model } of models.values()) out.push(`<dt><code>${html(model.id)}</code></dt><dd><span class="what">prices:</span> ${sourceHtml(model.source)}</dd><dd><span class="what">speed:</span> ${sourceHtml(model.speed.source)}</dd>`);
  out.push('</dl>');
  // Thresholds the decision and the plan read.
  out.push('<details open><summary>Thresholds (data/thresholds.yaml)</summary><table class="thresholds"><caption>The numbers behind the decision rules and the resilience plan.</caption><thead><tr><th scope="col">name</th><th scope="col" class="num">value</th><th scope="col">meaning</th><th scope="col">source</th></tr></thead><tbody>');
  for (const [name, t] of Object.entries(input.catalog.thresholds)) {
    out.push(`<tr><th scope="row"><code>${html(name)}</code></th><td class="num">${html(`${t.value} ${t.unit}`)}</td><td>${html(t.note)}</td><td>${sourceHtml(t.source)}</td></tr>`);
  }
  out.push('</tbody></table></details>');
  out.push('<table class="sim-assumptions"><caption>The simulation\'s own assumptions where the catalog has no figure (src/core/montecarlo/assumptions.ts).</caption><thead><tr><th scope="col">assumption</th><th scope="col" class="num">value</th></tr></thead><tbody>');
  for (const [name, value] of Object.entries(SIM_ASSUMPTIONS)) out.push(`<tr><th scope="row"><code>${html(name)}</code></th><td class="num">${html(String(value))}</td></tr>`);
  const minuteRuns = minuteByMinuteRuns(input.simulation);
  out.push(
    `<tr><th scope="row"><code>seed</code></th><td class="num">${input.simulation.seed}</td></tr><tr><th scope="row"><code>runs</code></th><td class="num">${input.simulation.runs}</td></tr>` +
      `<tr><th scope="row"><code>runs minute by minute</code> (rate-limit queue, batch windows, traced latency; every run draws its bill)</th><td class="num">${minuteRuns}</td></tr></tbody></table>`,
  );
  out.push('</section>');
  return out.join('\n');
}
