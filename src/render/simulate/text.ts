// `aip simulate` for people: per workload a cost table, a latency table, charts and the growth projection.
import { inline } from '../../core/safe-text.js';
import { PATTERNS, type Pattern } from '../../core/recommend/pattern.js';
import type { PatternResult } from '../../core/montecarlo/engine.js';
import type { DurationHistogram } from '../../core/montecarlo/histogram.js';
import type { SimulationReport, WorkloadReport } from '../../core/montecarlo/run.js';
import { binCounts, plot, sparkline, type Series } from '../kit/chart.js';
import { palette, type Palette } from '../kit/color.js';
import { compact, count, duration, percent, usd } from '../../core/format.js';
import { renderTable } from '../kit/table.js';

export interface TextOptions {
  color: boolean;
  /** Leave out charts and notes. */
  quiet: boolean;
  width: number;
}

const MARKS: Record<Pattern, string> = { direct: 'd', streaming: 's', batch: 'b' };

export function simulationText(report: SimulationReport, o: TextOptions): string {
  const c = palette(o.color);
  const parts = report.workloads.map((w) => workloadText(w, report, o, c));
  if (!o.quiet) {
    parts.push(
      c.dim(
        [
          `Simulated: ${report.runs} runs of a 30-day month, seed ${report.seed} (same seed, same figures). Costs are estimates from list prices;`,
          'mean = the analytic cost + failure overhead of `aip recommend` within sampling error. Latency comes from traced requests',
          '(TTFT and speed spread around the catalog\'s typical figures, an estimate). The model: docs/commands/simulate.md.',
        ].join('\n'),
      ),
    );
  }
  if (report.interrupted) parts.push(c.warn(`interrupted: figures cover the runs done before Ctrl-C`));
  return parts.join('\n\n');
}

function workloadText(r: WorkloadReport, report: SimulationReport, o: TextOptions, c: Palette): string {
  const sim = r.sim;
  const out: string[] = [];
  const tier = sim.limits ? `tier ${sim.limits.tier}` : 'no published limits';
  out.push(`${c.bold(inline(r.workload.name))} · ${inline(sim.model)} · ${compact(sim.requestsPerMonth)} requests/month · tolerance ${duration(sim.toleranceS)}${sim.userFacing ? ' (user-facing)' : ''} · ${tier}`);
  out.push(c.dim(`${r.result.runs} runs · arrivals: ${sim.arrivals.source} · ${count(r.result.tracedRequests, 0)} requests traced for latency${r.recommendation.latency.measured ? ` · speeds ${r.recommendation.latency.measured}` : ''}`));
  out.push(`aip recommend: ${c.good(r.recommendation.decision.pattern)}${r.recommendation.decision.viaQueue ? ' (direct calls fed from a queue)' : ''}`);
  const right = { align: 'right' as const };
  const results = PATTERNS.map((p) => [p, r.result.patterns[p]] as const);

  out.push(
    renderTable(
      [{ header: 'pattern' }, { header: 'mean/month', ...right }, { header: 'p5', ...right }, { header: 'p50', ...right }, { header: 'p95', ...right }, { header: 'analytic', ...right }, { header: 'failed attempts', ...right }, { header: 'retries', ...right }, { header: 'gave up', ...right }],
      results.map(([p, res]) =>
        res
          ? [p, usd(res.cost.mean), usd(res.cost.p5), usd(res.cost.p50), usd(res.cost.p95), usd(res.analytic.totalUsdPerMonth), count(res.failures, 0), count(res.retries, 0), count(res.failedRequests, 0)]
          : [p, '-', '-', '-', '-', '-', '-', '-', '-'],
      ),
      { color: o.color },
    ),
  );
  out.push(
    renderTable(
      [{ header: 'pattern' }, { header: 'latency p50', ...right }, { header: 'p95', ...right }, { header: 'p99', ...right }, { header: 'TTFT p50', ...right }, { header: 'p95', ...right }, { header: 'p99', ...right }, { header: 'queued', ...right }, { header: 'wait p95', ...right }, { header: 'SLO met', ...right }],
      results.map(([p, res]) =>
        res
          ? [
              p,
              duration(res.latency.quantile(0.5)),
              duration(res.latency.quantile(0.95)),
              duration(res.latency.quantile(0.99)),
              duration(res.ttft.quantile(0.5)),
              duration(res.ttft.quantile(0.95)),
              duration(res.ttft.quantile(0.99)),
              percent(res.queue.fraction),
              duration(res.queue.wait.quantile(0.95)),
              sloCell(res, c),
            ]
          : [p, '-', '-', '-', '-', '-', '-', '-', '-', '-'],
      ),
      { color: o.color },
    ),
  );
  const batch = r.result.patterns.batch;
  if (batch?.batchesPerMonth !== undefined) out.push(c.dim(`batch: ${count(batch.batchesPerMonth, 0)} batches/month, one submission every ${duration(sim.batch.submitEveryS)}; SLO for streaming${sim.userFacing ? ' is measured on TTFT (the user sees text start)' : ' is measured on total latency'}.`));

  if (!o.quiet) {
    out.push(costChart(r, c));
    out.push(latencyChart(r, o));
  }
  if (report.months > 1) out.push(growthText(r, report, o, c));
  for (const w of r.warnings) out.push(`${c.warn('warning:')} ${w}`);
  return out.join('\n');
}

function sloCell(res: PatternResult, c: Palette): string {
  const text = `${percent(res.slo.attainment, 1)}${res.slo.measuredOn === 'ttft' ? ' (TTFT)' : ''}`;
  return res.slo.attainment >= 0.99 ? c.good(text) : res.slo.attainment >= 0.9 ? c.warn(text) : c.bad(text);
}

function costChart(r: WorkloadReport, c: Palette): string {
  const lines = [c.bold(`monthly cost over ${r.result.runs} runs`)];
  for (const p of PATTERNS) {
    const res = r.result.patterns[p];
    if (!res) continue;
    const { counts, min, max } = binCounts(res.cost.runs, 24);
    lines.push(`  ${p.padEnd(9)} ${usd(min).padStart(11)} ${sparkline(counts)} ${usd(max).padEnd(11)} mean ${usd(res.cost.mean)}`);
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
  });
  return `${palette(o.color).bold('latency CDF: share of requests done by time (log scale), p1 to p99')}\n${chart}`;
}

function growthText(r: WorkloadReport, report: SimulationReport, o: TextOptions, c: Palette): string {
  const right = { align: 'right' as const };
  const lines = [c.bold(`growth: ${report.growthPct}% a month over ${report.months} months`)];
  lines.push(
    renderTable(
      [{ header: 'month', ...right }, { header: 'requests', ...right }, { header: 'direct', ...right }, { header: 'streaming', ...right }, { header: 'batch', ...right }, { header: 'batch saves', ...right }, { header: 'queued', ...right }, { header: 'recommend' }],
      r.growth.map((g) => [
        String(g.month),
        compact(g.requestsPerMonth),
        usd(g.cost.direct?.mean),
        usd(g.cost.streaming?.mean),
        usd(g.cost.batch?.mean),
        usd(g.batchSavingUsd),
        g.fits ? '0%' : c.warn(percent(g.queuedFraction, 1)),
        g.recommended,
      ]),
      { color: o.color },
    ),
  );
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
  for (const ch of r.changes) lines.push(`month ${ch.month}: ${ch.message}`);
  return lines.join('\n');
}
