// What the wizard shows of the recommendation: a short live preview between questions (pattern, why,
// monthly cost of each pattern) and, once the file is written, exactly what `aip recommend` prints.
import type { Catalog } from '../catalog/schema.js';
import { patterns } from '../cost/monthly.js';
import { buildRecommendation, type RecommendOptions, type WorkloadRecommendation } from '../recommend/build.js';
import { recommendJson } from '../recommend/json.js';
import { patternLabel, renderRecommendTable } from '../recommend/render-table.js';
import type { Palette } from '../ui/color.js';
import { duration, usd } from '../ui/format.js';
import type { WorkloadFile } from '../workload/load.js';

/** How long a result takes with the recommended pattern (typical figures: estimates). */
function timing(r: WorkloadRecommendation): string {
  const l = r.latency;
  if (r.decision.pattern === 'batch') return `results typically within ~${duration(l.batchTypicalS)}, guaranteed within ${duration(l.batchGuaranteeS)}`;
  if (r.decision.pattern === 'streaming') return `first words after ~${duration(l.ttftS)}, whole reply ~${duration(l.totalS)}`;
  return `~${duration(l.totalS)} per request`;
}

export function renderPreview(file: WorkloadFile, catalog: Catalog, options: RecommendOptions, c: Palette): string {
  const report = buildRecommendation([file], catalog, options);
  const lines: string[] = [];
  for (const r of report.workloads) {
    const chosen = r.cost.monthly[r.decision.pattern];
    lines.push('', `  ${c.bold(r.workload.name)} → ${c.good(patternLabel(r))}  ${c.bold(`${usd(chosen)}/month`)}  ${c.dim(timing(r))}`);
    for (const reason of r.decision.reasons) lines.push(`    ${reason}`);
    lines.push(c.dim(`    ${patterns.map((p) => `${p} ${r.cost.monthly[p] === null ? 'n/a' : usd(r.cost.monthly[p])}`).join(' · ')} per month`));
    for (const w of r.warnings) lines.push(`    ${c.warn('!')} ${w}`);
  }
  if (report.workloads.length > 1) lines.push('', `  ${c.bold('total')} ${usd(report.totals.recommended)}/month: ${report.mix}`);
  lines.push('');
  return lines.join('\n');
}

/** The recommendation of the written file, as `aip recommend FILE` (or `--json`) prints it. */
export function renderResult(file: WorkloadFile, catalog: Catalog, options: RecommendOptions, opts: { json: boolean; color: boolean; quiet: boolean }): string {
  const report = buildRecommendation([file], catalog, options);
  if (opts.json) return JSON.stringify(recommendJson(report), null, 2);
  return renderRecommendTable(report, { color: opts.color, quiet: opts.quiet });
}
