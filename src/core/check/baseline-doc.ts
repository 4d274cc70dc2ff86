// The document `aip baseline` writes: the `aip recommend --json` document, which names each workload's file,
// prompt files and pricing override (set here again from the loaded workload, so the baseline always has it).
import type { Snapshot } from '../../io/check-snapshot.js';

export function baselineDocument(snapshot: Snapshot): Record<string, unknown> {
  const rec = snapshot.recommendation;
  const workloads = rec.workloads.map((w, i) => {
    const point = snapshot.workloads[i]!;
    return { ...w, pricing: point.pricing ?? null };
  });
  return { ...rec, workloads };
}
