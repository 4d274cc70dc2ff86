// What the wizard shows of the recommendation: a short live preview between questions (pattern, why,
// monthly cost of each pattern) and, once the file is written, exactly what `aip recommend` prints.
import type { Catalog } from '../core/catalog/schema.js';
import { PATTERNS } from '../core/recommend/pattern.js';
import { buildRecommendation, type RecommendOptions, type WorkloadRecommendation } from '../core/recommend/build.js';
import { recommendJson } from '../core/recommend/document.js';
import { patternLabel, renderRecommendTable } from '../render/recommend/table.js';
import type { Palette } from '../render/kit/color.js';
import { costWorkload } from '../core/recommend/cost/workload-cost.js';
import { count, duration, usd } from '../core/format.js';
import type { WorkloadFile } from '../core/workload/normalise.js';
import { wrapWords } from '../render/kit/table.js';

/** How long a result takes with the recommended pattern (typical figures: estimates). */
function timing(r: WorkloadRecommendation): string {
  const l = r.latency;
  if (r.decision.pattern === 'batch') return `results typically within ~${duration(l.batchTypicalS)}, guaranteed within ${duration(l.batchGuaranteeS)}`;
  if (r.decision.pattern === 'streaming') return `first words after ~${duration(l.ttftS)}, whole reply ~${duration(l.totalS)}`;
  return `~${duration(l.totalS)} per request`;
}

/** What the fine-tuning answers change, shown only when given (the default preview stays as it was). */
function fineTuneLines(r: WorkloadRecommendation, catalog: Catalog): string[] {
  const w = r.workload;
  const out: string[] = [];
  if (w.peakFactor !== 1) out.push(`peak ${w.peakFactor}× average: ${count(r.limits.peakRpm, 1)} requests/min checked against the rate limits`);
  if (w.output.p95 !== undefined) out.push(`timeout ${duration(r.resilience.timeoutS)} per request, from the p95 output of ${count(w.output.p95, 0)} tokens`);
  if (w.fallback) {
    // The fallback's bill if all of this workload's traffic moved to it, at its list prices.
    const moved = costWorkload({ ...w, model: w.fallback, pricing: undefined }, catalog).monthly[r.decision.pattern];
    out.push(`fallback ${w.fallback.id}: ${moved === null ? 'n/a' : `${usd(moved)}/month`} if all traffic moved to it`);
  }
  return out;
}

/** The live preview, each line broken between words to fit the terminal (never a word cut in half). */
export function renderPreview(file: WorkloadFile, catalog: Catalog, options: RecommendOptions, c: Palette, width = 80): string {
  const report = buildRecommendation([file], catalog, options);
  const lines: string[] = [];
  const fit = (line: string, hang: string) => wrapWords(line, width, hang);
  for (const r of report.workloads) {
    const chosen = r.recommendedCostUsdPerMonth;
    lines.push('', fit(`  ${c.bold(r.workload.name)} → ${c.good(patternLabel(r))}  ${c.bold(`${usd(chosen)}/month`)}  ${c.dim(timing(r))}`, '      '));
    for (const reason of r.decision.reasons) lines.push(fit(`    ${reason}`, '      '));
    lines.push(c.dim(fit(`    ${PATTERNS.map((p) => `${p} ${r.cost.monthly[p] === null ? 'n/a' : usd(r.cost.monthly[p])}`).join(' · ')} per month`, '      ')));
    lines.push(...fineTuneLines(r, catalog).map((l) => c.dim(fit(`    ${l}`, '      '))));
    for (const w of r.warnings) lines.push(fit(`    ${c.warn('!')} ${w}`, '      '));
  }
  if (report.workloads.length > 1) lines.push('', fit(`  ${c.bold('total')} ${usd(report.totals.recommended)}/month: ${report.mix}`, '    '));
  lines.push('');
  return lines.join('\n');
}

/** The recommendation of the written file, as `aip recommend FILE` (or `--json`) prints it. */
export function renderResult(file: WorkloadFile, catalog: Catalog, options: RecommendOptions, opts: { json: boolean; color: boolean; quiet: boolean; width?: number }): string {
  const report = buildRecommendation([file], catalog, options);
  if (opts.json) return JSON.stringify(recommendJson(report), null, 2);
  return renderRecommendTable(report, { color: opts.color, quiet: opts.quiet, width: opts.width });
}
