// What the report draws, taken from the documents and results other commands already produce: the options of
// a workload from the recommend document (its `options[]` where present, else its three patterns), the
// points of a latency CDF from the Monte Carlo month's histograms, the bins of the monthly bill from its runs.
// Pure: plain data in, plain data out.
import type { RecommendJson } from '../../core/recommend/document.js';
import { PATTERNS } from '../../core/recommend/pattern.js';
import { binCounts } from '../kit/chart.js';

export type WorkloadJson = RecommendJson['workloads'][number];

/** One way to run a workload, as the report's options table shows it (SPEC: recommend `options[]`). */
export interface OptionRow {
  pattern: string;
  /** null where the document has no service tiers (the three patterns, standard tier). */
  serviceTier: string | null;
  costUsdPerMonth: number | null;
  latency: { ttft: number | null; total: number | null; p95: number | null };
  /** Share of requests within the tolerance (null where the document does not say). */
  withinTolerance: number | null;
  fits: boolean | null;
  available: boolean;
  whyNot: string | null;
  chosen: boolean;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const record = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * The options of a workload. A document with `options[]` (service tiers) is shown as it is, the chosen one the
 * option with the workload's pattern and service tier (standard where none is named); an older document's
 * three patterns become three options, standard tier.
 */
export function optionRows(w: WorkloadJson): OptionRow[] {
  const doc = w as WorkloadJson & { options?: unknown; service_tier?: unknown; within_tolerance?: unknown };
  const chosenTier = str(doc.service_tier) ?? 'standard';
  if (Array.isArray(doc.options) && doc.options.length > 0) {
    const rows = doc.options.map((o): OptionRow => {
      const r = record(o);
      const lat = record(r.latency_s);
      const pattern = str(r.pattern) ?? '?';
      const tier = str(r.service_tier);
      return {
        pattern,
        serviceTier: tier,
        costUsdPerMonth: num(r.cost_usd_per_month),
        latency: { ttft: num(lat.ttft), total: num(lat.total), p95: num(lat.p95) },
        withinTolerance: num(r.within_tolerance),
        fits: bool(r.fits),
        available: bool(r.available) ?? true,
        whyNot: str(r.why_not),
        // The recommended option is the one without a why_not (SPEC); older documents: its pattern and tier.
        chosen: 'why_not' in r ? r.why_not === null && (bool(r.available) ?? true) : pattern === w.pattern && (tier ?? 'standard') === chosenTier,
      };
    });
    return rows;
  }
  const within = record(doc.within_tolerance);
  const l = w.latency_s;
  return PATTERNS.map((p): OptionRow => {
    const cost = w.cost_usd_per_month[p];
    const alternative = w.alternatives?.find((a) => a.pattern === p);
    const batch = p === 'batch';
    const fits = batch ? (w.limits ? (w.limits.batch.queue?.fits ?? (w.limits.fits === null ? null : true)) : null) : (w.limits?.realtime_fits ?? null);
    return {
      pattern: p,
      serviceTier: null,
      costUsdPerMonth: cost,
      latency: l && cost !== null ? (batch ? { ttft: null, total: l.batch_typical, p95: l.batch_guarantee } : { ttft: l.ttft, total: l.total, p95: l.total_p95 }) : { ttft: null, total: null, p95: null },
      withinTolerance: num(within[p]),
      fits: cost === null ? null : fits,
      available: cost !== null,
      whyNot: alternative?.why_not ?? null,
      chosen: p === w.pattern,
    };
  });
}

/** Anything with quantiles: the Monte Carlo month's duration histograms. */
export interface Quantiles {
  total: number;
  quantile(q: number): number;
}

/** The probabilities a CDF is drawn at: 1% to 99% by 1%, then the tail. */
export const CDF_PROBABILITIES: readonly number[] = [...Array.from({ length: 99 }, (_, i) => (i + 1) / 100), 0.995, 0.999];

/** Points (seconds, probability) of the distribution; none where nothing was traced. Values of 0 s are left out (log axis). */
export function cdfPoints(h: Quantiles): Array<[number, number]> {
  if (h.total === 0) return [];
  return CDF_PROBABILITIES.map((q): [number, number] => [h.quantile(q), q]).filter(([x]) => x > 0);
}

export interface Bin {
  lo: number;
  hi: number;
  count: number;
}

/** Equal-width bins of the runs' bills; all runs alike make one bin around the value. */
export function billBins(runs: readonly number[], bins: number): Bin[] {
  if (runs.length === 0) return [];
  const { counts, min, max } = binCounts(runs, bins);
  if (max === min) {
    const half = Math.max(Math.abs(min) * 0.005, 0.005);
    return [{ lo: min - half, hi: min + half, count: runs.length }];
  }
  const width = (max - min) / bins;
  return counts.map((count, i) => ({ lo: min + i * width, hi: i === bins - 1 ? max : min + (i + 1) * width, count }));
}
