// `aip simulate` for people: per workload a cost table, a latency table, charts and the growth projection.
import { inline } from '../../core/safe-text.js';
import { PATTERNS, type Pattern } from '../../core/recommend/pattern.js';
import type { PatternResult } from '../../core/montecarlo/engine.js';
import type { DurationHistogram } from '../../core/montecarlo/histogram.js';
import { chosenResult, minuteByMinuteRuns, recommendedLabel, type GrowthMonth, type SimulationReport, type WorkloadReport } from '../../core/montecarlo/run.js';
import { binCounts, plot, sparkline, type Series } from '../kit/chart.js';
import { palette, type Palette } from '../kit/color.js';
import { compact, count, duration, percent, usd, usdSig } from '../../core/format.js';
import { fillLine, renderColumns, renderTable, widest, wrapWords } from '../kit/table.js';
import { shortChoice } from '../recommend/summary.js';
import { patternLabel } from '../recommend/table.js';

export interface TextOptions {
  color: boolean;
  /** Leave out charts and notes. */
  quiet: boolean;
  width: number;
}

const MARKS: Record<Pattern, string> = { direct: 'd', streaming: 's', batch: 'b' };

export function simulationText(report: SimulationReport, o: TextOptions): string {
  const c = palette(o.color);
  const parts = [summaryText(report, o, c), ...report.workloads.map((w) => workloadText(w, report, o, c))];
  if (!o.quiet) {
    const minuteRuns = minuteByMinuteRuns(report);
    const note = [
      `Simulated: ${report.runs} runs of a 30-day month, seed ${report.seed} (same seed, same figures). Costs are estimates from list prices;`,
      'mean = the analytic cost + failure overhead of `aip recommend` within sampling error. Latency comes from traced requests',
      "(TTFT and speed spread around the catalog's typical figures, an estimate).",
      minuteRuns > 0 && minuteRuns < report.runs ? `Every run draws its bill; the first ${minuteRuns} also run minute by minute for the rate-limit queue, batch windows and traced latency.` : '',
      'The model: docs/commands/simulate.md.',
    ]
      .filter(Boolean)
      .join(' ');
    parts.push(c.dim(wrapWords(note, o.width, '')));
  }
  if (report.interrupted) parts.push(c.warn(`interrupted: figures cover the runs done before Ctrl-C`));
  return parts.join('\n\n');
}

/**
 * The answer first: per workload the pattern recommend chose, its simulated monthly bill (mean and p95 over
 * the runs) and the share of requests that met the tolerance; then the total.
 */
function summaryText(report: SimulationReport, o: TextOptions, c: Palette): string {
  const n = report.workloads.length;
  const head = c.bold(wrapWords(`Simulated ${n} workload${n === 1 ? '' : 's'}: ${report.runs} runs of a 30-day month each, seed ${report.seed}`, o.width, ''));
  const right = { align: 'right' as const };
  let mean = 0;
  let p95 = 0;
  const rows = report.workloads.map((w) => {
    // The chosen option's own month where it is a service tier or capacity: never standard's figures under its label.
    const res = chosenResult(w);
    mean += res?.cost.mean ?? 0;
    p95 += res?.cost.p95 ?? 0;
    return [inline(w.workload.name), shortChoice(w.recommendation), usdSig(res?.cost.mean, 3), usdSig(res?.cost.p95, 3), res ? duration(res.latency.quantile(0.95)) : '-', res ? sloCell(res, c, w.minWithinTolerance, ' ') : '-'];
  });
  const footer = n > 1 ? [[c.bold('total'), '', c.bold(usdSig(mean, 4)), usdSig(p95, 4), '', '']] : [];
  const table = renderColumns([{ header: 'workload' }, { header: 'choice' }, { header: '$/month', ...right }, { header: 'p95 bill', ...right }, { header: 'p95 time', ...right }, { header: 'SLO met', ...right }], rows, { footer, width: o.width });
  const [first, ...rest] = table.split('\n');
  const legend = [
    '$/month: the mean simulated bill of the chosen option; p95 bill: 19 months in 20 cost less; p95 time: 19 requests in 20 finish sooner;',
    `SLO met: share of requests done within the tolerance${report.workloads.some((w) => w.result.patterns.streaming?.slo.measuredOn === 'ttft' && w.recommendation.decision.pattern === 'streaming') ? ' (TTFT: the first token, for a stream a person watches)' : ''}.`,
  ];
  const lines = [head, widest(first!) > o.width || rows.length === 0 ? first! : c.dim(first!), ...rest];
  if (!o.quiet) lines.push(c.dim(wrapWords(legend.join(' '), o.width, '')));
  return lines.join('\n');
}

function workloadText(r: WorkloadReport, report: SimulationReport, o: TextOptions, c: Palette): string {
  const sim = r.sim;
  const out: string[] = [];
  const tier = sim.limits ? `tier ${sim.limits.tier}` : 'no published limits';
  out.push(fillLine([c.bold(inline(r.workload.name)), inline(sim.model), `${compact(sim.requestsPerMonth)} requests/month`, `tolerance ${duration(sim.toleranceS)}${sim.userFacing ? ' (user-facing)' : ''}`, tier], ' · ', o.width, '  ', ''));
  out.push(c.dim(fillLine([`${r.result.runs} runs`, `arrivals: ${sim.arrivals.source}`, `${count(r.result.tracedRequests, 0)} requests traced for latency`, ...(r.recommendation.latency.measured ? [`speeds ${r.recommendation.latency.measured}`] : [])], ' · ', o.width, '  ', '')));
  out.push(`aip recommend: ${c.good(patternLabel(r.recommendation))}`);
  out.push(...patternTables(r, o, c));
  const batch = r.result.patterns.batch;
  if (batch?.batchesPerMonth !== undefined) out.push(c.dim(wrapWords(`batch: ${count(batch.batchesPerMonth, 0)} batches/month, one submission every ${duration(sim.batch.submitEveryS)}; SLO for streaming${sim.userFacing ? ' is measured on TTFT (the user sees text start)' : ' is measured on total latency'}.`, o.width, '  ')));

  if (!o.quiet) {
    out.push(costChart(r, c));
    out.push(latencyChart(r, o));
  }
  if (report.months > 1) out.push(growthText(r, report, o, c));
  for (const w of r.warnings) out.push(wrapWords(`${c.warn('warning:')} ${w}`, o.width, '  '));
  return out.join('\n');
}

/**
 * The figures per pattern, and the chosen option's right after its pattern: two wide tables (cost and failures;
 * latency, queue and SLO) where they fit, else three narrower ones (cost; latency; SLO, queue and failures),
 * each stacked as a list if even that is too wide. The option's row is labelled "direct · priority", or
 * "└ priority" under its pattern where the longer label alone would not fit.
 */
function patternTables(r: WorkloadReport, o: TextOptions, c: Palette): string[] {
  const right = { align: 'right' as const };
  const col = (header: string) => ({ header, ...right });
  const results = (optionLabel: string): Array<readonly [string, PatternResult | undefined]> =>
    PATTERNS.flatMap((p) => [[p, r.result.patterns[p]] as const, ...(r.option?.option.pattern === p ? [[optionLabel, r.option.result] as const] : [])]);
  const cost = (res: PatternResult) => [usd(res.cost.mean), usd(res.cost.p5), usd(res.cost.p50), usd(res.cost.p95), usd(res.analytic.totalUsdPerMonth)];
  const failures = (res: PatternResult) => [count(res.failures, 0), count(res.retries, 0), count(res.failedRequests, 0)];
  const latency = (res: PatternResult) => [res.latency, res.ttft].flatMap((h) => [0.5, 0.95, 0.99].map((q) => duration(h.quantile(q))));
  const queue = (res: PatternResult) => [percent(res.queue.fraction), duration(res.queue.wait.quantile(0.95))];
  const slo = (res: PatternResult) => sloCell(res, c, r.minWithinTolerance);
  const costHeads = ['mean/month', 'p5', 'p50', 'p95', 'analytic'].map(col);
  const latencyHeads = ['latency p50', 'p95', 'p99', 'TTFT p50', 'p95', 'p99'].map(col);
  const layouts = (optionLabel: string, width?: number) => {
    const list = results(optionLabel);
    const rows = (cells: (res: PatternResult) => string[], n: number) => list.map(([p, res]) => (res ? [p, ...cells(res)] : [p, ...Array<string>(n).fill('-')]));
    const opts = { color: o.color, ...(width === undefined ? {} : { width }) };
    return {
      wide: [
        renderTable([{ header: 'pattern' }, ...costHeads, ...['failed attempts', 'retries', 'gave up'].map(col)], rows((res) => [...cost(res), ...failures(res)], 8), { color: o.color }),
        renderTable([{ header: 'pattern' }, ...latencyHeads, ...['queued', 'wait p95', 'SLO met'].map(col)], rows((res) => [...latency(res), ...queue(res), slo(res)], 9), { color: o.color }),
      ],
      narrow: () => [
        renderTable([{ header: 'pattern' }, ...costHeads], rows(cost, 5), opts),
        renderTable([{ header: 'pattern' }, ...latencyHeads], rows(latency, 6), opts),
        renderTable([{ header: 'pattern' }, ...['SLO met', 'queued', 'wait p95', 'failed', 'retries', 'gave up'].map(col)], rows((res) => [slo(res), ...queue(res), ...failures(res)], 6), opts),
      ],
    };
  };
  const fits = (tables: string[]) => Math.max(...tables.map(widest)) <= o.width;
  const labels = r.option ? [r.option.label, shortLabel(r.option.label)] : [''];
  const tried = labels.map((label) => layouts(label));
  for (const t of tried) if (fits(t.wide)) return t.wide;
  for (const t of tried) {
    const narrow = t.narrow();
    if (fits(narrow)) return narrow;
  }
  return layouts(labels[0]!, o.width).narrow();
}

/** "direct · priority" under its pattern's row: "└ priority". */
const shortLabel = (label: string) => `└ ${label.split(' · ').slice(1).join(' · ')}`;

/** Good at recommend's threshold for the tolerance (data/thresholds.yaml), a warning within 9 points under it. */
function sloCell(res: PatternResult, c: Palette, minShare: number, short?: ' '): string {
  const ttft = res.slo.measuredOn === 'ttft' ? (short ? ' TTFT' : ' (TTFT)') : '';
  const text = `${percent(res.slo.attainment, 1)}${ttft}`;
  return res.slo.attainment >= minShare ? c.good(text) : res.slo.attainment >= minShare - 0.09 ? c.warn(text) : c.bad(text);
}

function costChart(r: WorkloadReport, c: Palette): string {
  const lines = [c.bold(`monthly cost over ${r.result.runs} runs`)];
  const rows: Array<[string, PatternResult]> = [];
  for (const p of PATTERNS) {
    const res = r.result.patterns[p];
    if (res) rows.push([p, res]);
    // Under its pattern, by its tier alone ("└ priority"): the row stays within 80 columns.
    if (r.option?.option.pattern === p) rows.push([shortLabel(r.option.label), r.option.result]);
  }
  const pad = Math.max(9, ...rows.map(([label]) => label.length));
  for (const [label, res] of rows) {
    const { counts, min, max } = binCounts(res.cost.runs, 24);
    lines.push(`  ${label.padEnd(pad)} ${usd(min).padStart(11)} ${sparkline(counts)} ${usd(max).padEnd(11)} mean ${usd(res.cost.mean)}`);
  }
  return lines.join('\n');
}

function latencyChart(r: WorkloadReport, o: TextOptions): string {
  const series: Series[] = [];
  let lo = Infinity;
  let hi = 0;
  const add = (label: string, mark: string, h: DurationHistogram) => {
    if (h.total === 0) return;
    const points: Array<[number, number]> = [];
    for (let q = 1; q <= 99; q++) points.push([h.quantile(q / 100), q]);
    lo = Math.min(lo, h.quantile(0.01));
    hi = Math.max(hi, h.quantile(0.99));
    series.push({ label, mark, points });
  };
  // Drawn in this order, later marks on top: direct and streaming finish alike, streaming starts early.
  const streaming = r.result.patterns.streaming;
  if (streaming) add('streaming TTFT', 't', streaming.ttft);
  for (const p of ['batch', 'streaming', 'direct'] as const) {
    const res = r.result.patterns[p];
    if (res) add(p, MARKS[p], res.latency);
  }
  // The chosen tier or capacity on top: the option recommend picked.
  if (r.option) add(r.option.label, 'o', r.option.result.latency);
  if (series.length === 0) return '';
  const width = Math.max(30, Math.min(70, o.width - 12));
  const chart = plot(series, {
    width,
    height: 10,
    xLog: true,
    xMin: lo * 0.9,
    xMax: hi * 1.1,
    yMin: 0,
    yMax: 100,
    formatX: (x) => duration(x),
    formatY: (y) => `${Math.round(y)}%`,
    markers: [{ x: r.sim.toleranceS, label: `tolerance ${duration(r.sim.toleranceS)}` }],
    connect: true,
    legendWidth: o.width,
  });
  return `${palette(o.color).bold('latency CDF: share of requests done by time (log scale), p1 to p99')}\n${chart}`;
}

/** " 3" or "s 1–8" or "s 1–2, 5": consecutive months as ranges. */
function monthList(months: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < months.length; ) {
    let j = i;
    while (j + 1 < months.length && months[j + 1] === months[j]! + 1) j++;
    parts.push(j === i ? `${months[i]}` : `${months[i]}–${months[j]}`);
    i = j + 1;
  }
  return `${months.length === 1 ? '' : 's'} ${parts.join(', ')}`;
}

function growthText(r: WorkloadReport, report: SimulationReport, o: TextOptions, c: Palette): string {
  const right = { align: 'right' as const };
  const lines = [c.bold(`growth: ${report.growthPct}% a month over ${report.months} months`)];
  const columns = [{ header: 'month', ...right }, { header: 'requests', ...right }, { header: 'direct', ...right }, { header: 'streaming', ...right }, { header: 'batch', ...right }, { header: 'batch saves', ...right }, { header: 'queued', ...right }, { header: 'recommend' }, { header: 'its bill', ...right }];
  const rows = (money: (v: number | null | undefined) => string, choice: (g: GrowthMonth) => string = recommendedLabel) =>
    r.growth.map((g) => [String(g.month), compact(g.requestsPerMonth), money(g.cost.direct?.mean), money(g.cost.streaming?.mean), money(g.cost.batch?.mean), money(g.batchSavingUsd), g.fits ? '0%' : c.warn(percent(g.queuedFraction, 1)), choice(g), money(g.recommendedCost?.mean)]);
  const framed = renderTable(columns, rows(usd), { color: o.color });
  // Too wide: plain columns, money to 4 significant figures; then without "batch saves" (direct − batch); then
  // the pattern alone, its tier said below the table (a list only if even that does not fit).
  const sig = (v: number | null | undefined) => usdSig(v, 4);
  const plain = renderColumns(columns, rows(sig));
  const SAVES = 5;
  const narrow = (choice?: (g: GrowthMonth) => string, width?: number) =>
    renderColumns(
      columns.filter((_, k) => k !== SAVES),
      rows(sig, choice).map((row) => row.filter((_, k) => k !== SAVES)),
      width === undefined ? {} : { width },
    );
  const tiers = [...new Set(r.growth.filter((g) => g.recommendedServiceTier !== 'standard').map((g) => g.recommendedServiceTier))];
  if (widest(framed) <= o.width) lines.push(framed);
  else if (widest(plain) <= o.width) lines.push(plain);
  else if (widest(narrow()) <= o.width || tiers.length === 0) lines.push(narrow(undefined, o.width));
  else {
    lines.push(narrow((g) => g.recommended, o.width));
    for (const tier of tiers) lines.push(c.dim(wrapWords(`recommend: at the ${tier} tier in month${monthList(r.growth.filter((g) => g.recommendedServiceTier === tier).map((g) => g.month))}`, o.width, '  ')));
  }
  if (!o.quiet && r.growth.length > 1) {
    const series: Series[] = PATTERNS.filter((p) => r.growth[0]!.cost[p]).map((p) => ({ label: p, mark: MARKS[p], points: r.growth.map((g) => [g.month, g.cost[p]!.mean] as const) }));
    lines.push(
      plot(series, {
        width: Math.max(24, Math.min(60, o.width - 16)),
        height: 8,
        yMin: 0,
        formatX: (x) => `month ${Math.round(x)}`,
        formatY: (y) => usd(y, { cents: false }),
        connect: true,
      }),
    );
  }
  if (r.changes.length === 0) lines.push(c.dim('no change of advice over these months'));
  for (const ch of r.changes) lines.push(wrapWords(`month ${ch.month}: ${ch.message}`, o.width, '  '));
  return lines.join('\n');
}
