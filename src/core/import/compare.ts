// What the traffic costs as it was sent next to what the recommended options would cost: per workload and
// in total, the saving in dollars a month. Pure: the import and recommend's report in, rows out.
import type { RecommendReport } from '../recommend/build.js';
import type { ImportResult } from './derive.js';

export interface CompareRow {
  name: string;
  model: string;
  /** As sent: pattern and tier, and its list-price cost a month (null where it cannot be priced). */
  now: { pattern: string; serviceTier: string; usdPerMonth: number | null; note: string | null };
  /** The source's own spend figure a month (LiteLLM, Langfuse, aip bench), where it has one. */
  reportedUsdPerMonth: number | null;
  /** The recommended pattern and its cost; null where recommend could not run for this workload. */
  could: { pattern: string; usdPerMonth: number | null; viaQueue: boolean } | null;
  savingUsdPerMonth: number | null;
  /** Why there is no recommendation (latency not set, model unknown, requests not counted). */
  why: string | null;
}

export interface Comparison {
  rows: CompareRow[];
  totals: { nowUsdPerMonth: number; couldUsdPerMonth: number; savingUsdPerMonth: number; unpriced: number; withoutAdvice: number };
}

export function compareCosts(imp: ImportResult, report: RecommendReport | null): Comparison {
  const recs = new Map((report?.workloads ?? []).map((r) => [r.workload.name, r]));
  const rows: CompareRow[] = [];
  let now = 0;
  let could = 0;
  let unpriced = 0;
  let withoutAdvice = 0;
  for (const w of imp.workloads) {
    if (w.requests === 0 && w.failures.failed > 0) continue;
    const rec = recs.get(w.name);
    const nowUsd = w.observed.costUsdPerMonth;
    const couldUsd = rec ? rec.recommendedCostUsdPerMonth : null;
    const why = rec
      ? null
      : !w.modelKnown
        ? 'model not in the catalog'
        : w.requests === null
          ? 'requests not counted by the source'
          : !w.latency
            ? 'latency tolerance not set (--latency)'
            : 'no recommendation';
    const saving = nowUsd !== null && couldUsd !== null && couldUsd !== undefined ? nowUsd - couldUsd : null;
    if (nowUsd === null) unpriced += 1;
    else {
      now += nowUsd;
      could += saving !== null ? couldUsd! : nowUsd;
    }
    if (!rec) withoutAdvice += 1;
    rows.push({
      name: w.name,
      model: w.model,
      now: { pattern: w.observed.pattern, serviceTier: w.observed.serviceTier ?? 'standard', usdPerMonth: nowUsd, note: w.observed.costNote },
      reportedUsdPerMonth: w.observed.reported?.usdPerMonth ?? null,
      could: rec ? { pattern: rec.decision.pattern, usdPerMonth: couldUsd ?? null, viaQueue: rec.decision.viaQueue } : null,
      savingUsdPerMonth: saving,
      why,
    });
  }
  return { rows, totals: { nowUsdPerMonth: now, couldUsdPerMonth: could, savingUsdPerMonth: now - could, unpriced, withoutAdvice } };
}
