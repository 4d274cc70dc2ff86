// Measured speeds → a catalog overlay (`--catalog` file): per model the median time to first token and
// output tokens per second of its streamed calls, with percentiles, failures by class, and the number of
// requests and the period they rest on, so recommend and simulate can say "measured: N requests, period".
import type { Catalog } from '../catalog/schema.js';
import type { ImportAggregator, SpeedAcc } from './aggregate.js';
import { findImportedModel } from './derive.js';
import { Distribution } from './stats.js';
import { measuredLabel } from '../recommend/latency.js';

export interface CalibrationFigures {
  requests: number;
  period: { start: string; end: string };
  ttft_s?: { p50: number; p95: number; p99: number };
  output_tokens_per_s?: { p50: number; p95: number; p99: number };
  total_s?: { p50: number; p95: number; p99: number };
  failure_rate?: number;
  failures?: Record<string, number>;
}

export interface CalibrationEntry {
  id: string;
  speed: {
    ttft_s?: number;
    output_tokens_per_s?: number;
    source: string;
    measured: CalibrationFigures & { by_tier?: Record<string, CalibrationFigures> };
  };
}

export interface Calibration {
  models: CalibrationEntry[];
  /** Models left out, and why (no streamed calls to time, not in the catalog). */
  skipped: string[];
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

function pct(d: Distribution): { p50: number; p95: number; p99: number } | undefined {
  if (d.count === 0) return undefined;
  return { p50: r3(d.quantile(0.5)!), p95: r3(d.quantile(0.95)!), p99: r3(d.quantile(0.99)!) };
}

function figures(s: SpeedAcc): CalibrationFigures {
  const out: CalibrationFigures = { requests: s.requests, period: { start: iso(s.startMs), end: iso(s.endMs) } };
  const ttft = pct(s.ttftS);
  const tps = pct(s.outputTokensPerS);
  const total = pct(s.totalS);
  if (ttft) out.ttft_s = ttft;
  if (tps) out.output_tokens_per_s = tps;
  if (total) out.total_s = total;
  const all = s.requests + s.failed;
  if (all > 0) out.failure_rate = Math.round((s.failed / all) * 1e6) / 1e6;
  if (s.failures.size > 0) out.failures = Object.fromEntries([...s.failures.entries()].sort((a, b) => b[1] - a[1]));
  return out;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function buildCalibration(agg: ImportAggregator, catalog: Catalog): Calibration {
  const byModel = new Map<string, SpeedAcc[]>();
  const skipped: string[] = [];
  for (const s of agg.speeds.values()) {
    const model = findImportedModel(catalog, s.model, s.provider);
    if (!model) {
      skipped.push(`${s.model}: not in the catalog (add the model with --catalog first)`);
      continue;
    }
    byModel.set(model.id, [...(byModel.get(model.id) ?? []), s]);
  }
  const models: CalibrationEntry[] = [];
  for (const [id, list] of [...byModel.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    // The standard tier's calls set the model's speed; other tiers are listed beside it.
    const standard = list.filter((s) => s.tier === null || s.tier === 'standard');
    const main = standard.length > 0 ? standard : list;
    const merged = mergeSpeeds(main);
    const f = figures(merged);
    if (!f.ttft_s && !f.output_tokens_per_s) {
      skipped.push(`${id}: no streamed calls with a recorded first chunk, so first-token time and output speed cannot be told apart`);
      continue;
    }
    const others = list.filter((s) => !main.includes(s));
    const measured: CalibrationEntry['speed']['measured'] = { ...f };
    if (others.length > 0) measured.by_tier = Object.fromEntries(others.map((s) => [s.tier ?? 'unknown', figures(s)]));
    models.push({
      id,
      speed: {
        ...(f.ttft_s ? { ttft_s: f.ttft_s.p50 } : {}),
        ...(f.output_tokens_per_s && f.output_tokens_per_s.p50 > 0 ? { output_tokens_per_s: f.output_tokens_per_s.p50 } : {}),
        source: measuredLabel(f),
        measured,
      },
    });
  }
  return { models, skipped };
}

/** Several groups of one model and tier (e.g. an alias and its dated snapshot) add up. */
function mergeSpeeds(list: SpeedAcc[]): SpeedAcc {
  if (list.length === 1) return list[0]!;
  const out: SpeedAcc = { ...list[0]!, failures: new Map(), requests: 0, failed: 0, ttftS: new Distribution(), outputTokensPerS: new Distribution(), totalS: new Distribution() };
  for (const s of list) {
    out.requests += s.requests;
    out.failed += s.failed;
    out.startMs = Math.min(out.startMs, s.startMs);
    out.endMs = Math.max(out.endMs, s.endMs);
    for (const [k, v] of s.failures) out.failures.set(k, (out.failures.get(k) ?? 0) + v);
    out.ttftS.absorb(s.ttftS);
    out.outputTokensPerS.absorb(s.outputTokensPerS);
    out.totalS.absorb(s.totalS);
  }
  return out;
}
