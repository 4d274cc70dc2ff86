// The document `aip baseline` writes: `aip recommend --json` (which already names each workload's file and
// prompt files) with each workload's pricing override added, so a changed override is told from a catalog change.
import type { Snapshot } from './snapshot.js';

export function baselineDocument(snapshot: Snapshot): Record<string, unknown> {
  const rec = snapshot.recommendation;
  const workloads = rec.workloads.map((w, i) => {
    const point = snapshot.workloads[i]!;
    return { ...w, pricing: point.pricing ?? null };
  });
  return { ...rec, workloads };
}
