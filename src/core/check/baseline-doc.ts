// The document `aip baseline` writes: the `aip recommend --json` document (the same schema), which names each
// workload's file, prompt files and pricing override (set here again from the loaded workload, so the baseline
// always has it).
import type { RecommendJson } from '../recommend/document.js';

/** One side of a check as computed now: its recommend document and, per workload, the override as loaded. */
interface ComputedSide {
  recommendation: RecommendJson;
  workloads: ReadonlyArray<{ pricing?: Record<string, number> | undefined }>;
}

export function baselineDocument(snapshot: ComputedSide): RecommendJson {
  const rec = snapshot.recommendation;
  const workloads = rec.workloads.map((w, i) => {
    const point = snapshot.workloads[i]!;
    return { ...w, pricing: point.pricing ?? null };
  });
  return { ...rec, workloads };
}
