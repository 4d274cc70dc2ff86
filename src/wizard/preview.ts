// What the wizard shows of the recommendation: a short live preview between questions, and the full
// result once the file is written. Renderers: plain data in, text out.
import type { Catalog } from '../catalog/schema.js';
import { patterns } from '../cost/monthly.js';
import { costWorkload } from '../cost/workload-cost.js';
import type { Palette } from '../ui/color.js';
import { usd } from '../ui/format.js';
import type { WorkloadFile } from '../workload/load.js';

export function renderPreview(file: WorkloadFile, catalog: Catalog, c: Palette): string {
  const lines = [''];
  let total = 0;
  for (const w of file.workloads) {
    const cost = costWorkload(w, catalog);
    total += cost.monthly.direct ?? 0;
    const all = patterns.map((p) => `${p} ${usd(cost.monthly[p])}`).join(' · ');
    lines.push(`  ${c.bold(w.name)}  ${c.dim(`${w.model.id}`)}  ${all} ${c.dim('per month')}`);
  }
  if (file.workloads.length > 1) lines.push(`  ${c.bold('total')} ${usd(total)} per month`);
  lines.push('');
  return lines.join('\n');
}

export function renderResult(file: WorkloadFile, catalog: Catalog, opts: { json: boolean; color: boolean }): string {
  if (opts.json) return JSON.stringify({ workloads: file.workloads.map((w) => ({ name: w.name, cost_usd_per_month: costWorkload(w, catalog).monthly })) }, null, 2);
  return renderPreview(file, catalog, { bold: (s) => s, dim: (s) => s } as Palette);
}
