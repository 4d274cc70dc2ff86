// The cost-by-volume chart (--chart): monthly cost of each pattern from 1K to 10M requests per month on
// log axes, where batch starts saving the threshold (break-even), and the workload's own volume. Pure:
// data from `costCurve`, text from `renderCostChart`.
import type { Pattern } from '../../core/recommend/pattern.js';
import { decidePattern } from '../../core/recommend/decide.js';
import type { Thresholds } from '../../core/catalog/schema.js';
import type { Palette } from '../kit/color.js';
import { compact, usd, usdSig } from '../../core/format.js';
import type { WorkloadRecommendation } from '../../core/recommend/build.js';

export const CHART_MIN_REQUESTS = 1e3;
export const CHART_MAX_REQUESTS = 1e7;

export interface CostCurvePoint {
  requestsPerMonth: number;
  direct: number | null;
  streaming: number | null;
  batch: number | null;
  /** The pattern the rules pick at this volume (the same workload otherwise). */
  pattern: Pattern;
}

export interface CostCurve {
  name: string;
  model: string;
  requestsPerMonth: number;
  perRequest: Record<Pattern, number | null>;
  /** Requests per month from which batch saves at least the threshold; null without a batch API or saving. */
  breakEvenRequestsPerMonth: number | null;
  minBatchSavingUsd: number;
  /** The flex tier of the synchronous pattern, where offered: cost per request (its shed share at standard included) and the volume from which it saves the same threshold. */
  flex: { perRequest: number; breakEvenRequestsPerMonth: number | null } | null;
  /** Provisioned capacity, where priced: its size here, fee, and the volume from which the fee beats pay-as-you-go at standard. */
  provisioned: { units: number; feeUsdPerMonth: number; breakEvenRequestsPerMonth: number | null } | null;
  points: CostCurvePoint[];
}

export function costCurve(r: WorkloadRecommendation, thresholds: Thresholds['values']): CostCurve {
  const per = {
    direct: r.cost.perRequest.direct?.total ?? null,
    streaming: r.cost.perRequest.streaming?.total ?? null,
    batch: r.cost.perRequest.batch?.total ?? null,
  };
  const overheadPer = {
    direct: (r.cost.overhead.direct ?? 0) / r.workload.requestsPerMonth,
    streaming: (r.cost.overhead.streaming ?? 0) / r.workload.requestsPerMonth,
    batch: (r.cost.overhead.batch ?? 0) / r.workload.requestsPerMonth,
  };
  const savingPer = per.direct !== null && per.batch !== null ? per.direct - per.batch : null;
  const breakEven = savingPer !== null && savingPer > 0 ? r.minBatchSavingUsd / savingPer : null;
  const points: CostCurvePoint[] = [];
  for (let e = 3; e <= 7; e++) {
    const n = 10 ** e;
    const monthly = { direct: scale(per.direct, n), streaming: scale(per.streaming, n), batch: scale(per.batch, n) };
    const d = decidePattern({
      modelId: r.workload.model.id,
      userFacing: r.workload.userFacing,
      task: r.workload.task,
      toleranceS: r.workload.toleranceSeconds,
      outputTokens: r.workload.output.tokens,
      cost: { monthly, overhead: { direct: overheadPer.direct * n, streaming: overheadPer.streaming * n, batch: overheadPer.batch * n } },
      latency: r.latency,
      batchCadence: r.batchCadence,
      thresholds,
      minBatchSavingUsd: r.minBatchSavingUsd,
      minBatchSavingFrom: 'catalog',
    });
    points.push({ requestsPerMonth: n, ...monthly, pattern: d.pattern });
  }
  const sync: Pattern = r.decision.pattern === 'batch' ? 'direct' : r.decision.pattern;
  const R = Math.max(1, r.workload.requestsPerMonth);
  const usable = (tier: string) => r.options.options.filter((o) => o.pattern === sync && o.serviceTier === tier && o.available && o.costUsdPerMonth !== null).sort((a, b) => a.costUsdPerMonth! - b.costUsdPerMonth!)[0];
  const flexOption = usable('flex');
  const flexPer = flexOption ? flexOption.costUsdPerMonth! / R : null;
  const flexSaving = flexPer !== null && per[sync] !== null ? per[sync]! - flexPer : null;
  const flex = flexPer === null ? null : { perRequest: flexPer, breakEvenRequestsPerMonth: flexSaving !== null && flexSaving > 0 ? r.minBatchSavingUsd / flexSaving : null };
  const prov = usable('provisioned')?.provisioned;
  const provisioned = prov ? { units: prov.units, feeUsdPerMonth: prov.feeUsdPerMonth, breakEvenRequestsPerMonth: prov.breakEvenRequestsPerMonth } : null;
  return { name: r.workload.name, model: r.workload.model.id, requestsPerMonth: r.workload.requestsPerMonth, perRequest: per, breakEvenRequestsPerMonth: breakEven, minBatchSavingUsd: r.minBatchSavingUsd, flex, provisioned, points };
}

function scale(perRequest: number | null, n: number): number | null {
  return perRequest === null ? null : perRequest * n;
}

const WIDTH = 49; // columns for 1K..10M: 12 per decade, +1 (the chart with its axis fits 80 columns)
const ROWS_PER_DECADE = 2;

export function renderCostChart(curve: CostCurve, c: Palette): string {
  const direct = curve.perRequest.direct;
  const batch = curve.perRequest.batch;
  const lines: string[] = [];
  lines.push(c.bold(`${curve.name}: monthly cost by volume (${curve.model}, log scales)`));
  if (direct === null || direct === 0) {
    lines.push('  no cost to draw (free or unpriced)');
    return lines.join('\n');
  }
  const lowest = Math.min(direct, batch ?? direct) * CHART_MIN_REQUESTS;
  const highest = direct * CHART_MAX_REQUESTS;
  const lo = Math.floor(Math.log10(lowest));
  const hi = Math.max(Math.ceil(Math.log10(highest)), lo + 1);
  const HEIGHT = (hi - lo) * ROWS_PER_DECADE + 1;
  const grid = Array.from({ length: HEIGHT }, () => Array.from({ length: WIDTH }, () => ' '));
  const rowOf = (cost: number) => HEIGHT - 1 - Math.round(((Math.log10(cost) - lo) / (hi - lo)) * (HEIGHT - 1));
  const colOf = (n: number) => Math.round(((Math.log10(n) - 3) / 4) * (WIDTH - 1));
  const onChart = (n: number | null | undefined) => (n !== null && n !== undefined && n >= CHART_MIN_REQUESTS && n <= CHART_MAX_REQUESTS ? colOf(n) : undefined);
  const breakCol = onChart(curve.breakEvenRequestsPerMonth);
  const flexCol = onChart(curve.flex?.breakEvenRequestsPerMonth);
  const provCol = onChart(curve.provisioned?.breakEvenRequestsPerMonth);
  // Break-evens as vertical marks: batch ¦, flex ⁝, provisioned capacity │ (the later one drawn wins a shared column).
  if (breakCol !== undefined) for (const row of grid) row[breakCol] = '¦';
  if (flexCol !== undefined) for (const row of grid) row[flexCol] = '⁝';
  if (provCol !== undefined) for (const row of grid) row[provCol] = '│';
  for (let x = 0; x < WIDTH; x++) {
    const n = 10 ** (3 + (4 * x) / (WIDTH - 1));
    const rd = rowOf(direct * n);
    grid[rd]![x] = 'D';
    if (batch !== null && batch > 0) {
      const rb = rowOf(batch * n);
      grid[rb]![x] = rb === rd ? '*' : 'B';
    }
    if (curve.flex && curve.flex.perRequest > 0) {
      const rf = rowOf(curve.flex.perRequest * n);
      if (rf >= 0 && rf < HEIGHT) grid[rf]![x] = rf === rd || grid[rf]![x] === 'B' || grid[rf]![x] === '*' ? '*' : 'F';
    }
  }
  for (let r = 0; r < HEIGHT; r++) {
    const value = 10 ** (lo + ((HEIGHT - 1 - r) / (HEIGHT - 1)) * (hi - lo));
    const label = (HEIGHT - 1 - r) % ROWS_PER_DECADE === 0 ? usdShort(value) : '';
    const row = grid[r]!.join('').replace(/D/g, c.cyan('D')).replace(/B/g, c.green('B')).replace(/F/g, c.yellow('F'));
    lines.push(`${label.padStart(7)} ┤${row}`.trimEnd());
  }
  lines.push(`${' '.repeat(7)} └${'─'.repeat(WIDTH)}`);
  const axis = Array.from({ length: WIDTH + 12 }, () => ' ');
  for (let e = 3; e <= 7; e++) {
    const text = compact(10 ** e);
    const at = 8 + colOf(10 ** e) - Math.floor(text.length / 2);
    for (let i = 0; i < text.length; i++) if (at + i >= 0 && at + i < axis.length) axis[at + i] = text[i]!;
  }
  lines.push(`${axis.join('').trimEnd()}  requests/month`);
  if (curve.requestsPerMonth >= CHART_MIN_REQUESTS && curve.requestsPerMonth <= CHART_MAX_REQUESTS) {
    lines.push(`${' '.repeat(8 + colOf(curve.requestsPerMonth))}▲ ${compact(curve.requestsPerMonth)} (this workload)`);
  }
  const legend = [`${c.cyan('D')} direct = streaming`, batch !== null ? `${c.green('B')} batch` : `no batch API`];
  if (breakCol !== undefined) legend.push(`¦ batch saves ${usd(curve.minBatchSavingUsd)}/month from ${compact(Math.round(curve.breakEvenRequestsPerMonth!))} requests/month`);
  else if (curve.breakEvenRequestsPerMonth !== null) legend.push(`batch saves ${usd(curve.minBatchSavingUsd)}/month from ${compact(Math.round(curve.breakEvenRequestsPerMonth))} requests/month`);
  lines.push(`  ${legend.join('   ')}`);
  if (curve.flex) lines.push(`  ${c.yellow('F')} flex${flexCol !== undefined ? `   ⁝ flex saves ${usd(curve.minBatchSavingUsd)}/month from ${compact(Math.round(curve.flex.breakEvenRequestsPerMonth!))} requests/month` : ''}`);
  if (curve.provisioned && curve.provisioned.breakEvenRequestsPerMonth !== null) {
    const p = curve.provisioned;
    lines.push(`  ${provCol !== undefined ? '│ ' : ''}provisioned (${compact(p.units)} units, ${usd(p.feeUsdPerMonth)}/month) pays from ${compact(Math.round(p.breakEvenRequestsPerMonth!))} requests/month`);
  }
  lines.push(`  ${curve.points.map((p) => `${compact(p.requestsPerMonth)}: ${usdSig(p.direct, 3)}${p.batch !== null ? ` / ${usdSig(p.batch, 3)}` : ''} → ${p.pattern}`).join(' · ')}`);
  return lines.join('\n');
}

function usdShort(v: number): string {
  if (v >= 1) return `$${compact(v)}`;
  return `$${Number(v.toPrecision(1))}`;
}
