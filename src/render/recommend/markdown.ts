// The recommendation as Markdown (--format markdown): for a design doc, a wiki page or a pull request.
import { mdCode, mdText } from '../../core/safe-text.js';
import { PATTERNS } from '../../core/recommend/pattern.js';
import { count, duration, percent, usd, usdSig } from '../../core/format.js';
import { shortReason } from './summary.js';
import type { RecommendReport, WorkloadRecommendation } from '../../core/recommend/build.js';
import { cents, limitsLine, patternLabel } from './table.js';
import { optionsMarkdown } from './options.js';
import { palette } from '../kit/color.js';


export function renderRecommendMarkdown(report: RecommendReport, opts: { charts?: Map<string, string> } = {}): string {
  const t = report.totals;
  const out: string[] = [];
  out.push('# LLM call patterns: recommendation', '');
  out.push(`**${cap(report.mix)}.** Recommended **${usd(t.recommended)}/month** against ${usd(t.allDirect)} with every workload direct: ${t.saving > 0 ? `saves **${usd(t.saving)}/month**${t.allDirect > 0 ? ` (${percent(t.saving / t.allDirect)})` : ''}` : 'no saving'}.`, '');
  out.push('| workload | model | pattern | recommended $/month | all direct $/month | saving | fits limits | why |', '| --- | --- | --- | ---: | ---: | ---: | --- | --- |');
  for (const r of report.workloads) {
    out.push(`| ${mdCode(r.workload.name, { inTable: true })} | ${mdCode(r.workload.model.id, { inTable: true })} | ${patternLabel(r)} | ${usd(r.recommendedCostUsdPerMonth)} | ${usd(r.cost.monthly.direct)} | ${usd((r.cost.monthly.direct ?? 0) - r.recommendedCostUsdPerMonth)} | ${r.fits === null ? 'unknown' : r.fits ? (r.decision.pattern !== 'batch' && r.limits.nearLimits.length > 0 ? 'yes, near the limit' : 'yes') : '**no**'} | ${esc(shortReason(r))} |`);
  }
  out.push(`| **total** | | | **${usd(t.recommended)}** | ${usd(t.allDirect)} | **${usd(t.saving)}** | | |`, '');
  for (const r of report.workloads) out.push(...workloadSection(r, opts.charts?.get(r.workload.name)));
  for (const w of report.catalogWarnings) out.push(`> **Warning:** ${mdText(w)}`, '');
  out.push(`_USD per month at list prices, catalog as of ${report.catalogAsOf}. "Failures" is the expected extra spend from failed attempts and retries, net of requests that never succeed (negative where requests refused for good, such as by a content filter, are never billed). Latencies are typical figures, not guarantees._`);
  return out.join('\n');
}

function workloadSection(r: WorkloadRecommendation, chart: string | undefined): string[] {
  const w = r.workload;
  const out: string[] = [];
  out.push(`## ${mdCode(w.name)}: ${patternLabel(r)}`, '');
  out.push(`${mdCode(w.model.id)} · ${count(w.requestsPerMonth, 0)} requests/month · ${count(w.input.tokens, 0)}${w.input.approximate ? ' (estimated)' : ''} input / ${count(w.output.tokens, 0)} output tokens · tolerance ${duration(w.toleranceSeconds)}${w.userFacing ? ' · user-facing' : ''} · ${mdCode(`${w.file}:${w.line}`)}`, '');
  for (const reason of r.decision.reasons) out.push(`- ${reason}`);
  out.push('', '| pattern | $/month | failures $/month | per 1K requests | |', '| --- | ---: | ---: | ---: | --- |');
  for (const p of PATTERNS) {
    const chosen = p === r.decision.pattern;
    const note = r.cost.monthly[p] === null ? (r.decision.alternatives.find((a) => a.pattern === p)?.whyNot ?? 'not available') : chosen ? '**recommended**' : (r.decision.alternatives.find((a) => a.pattern === p)?.whyNot ?? '');
    out.push(`| ${chosen ? `**${p}**` : p} | ${usd(r.cost.monthly[p])} | ${cents(r.cost.overhead[p])} | ${usdSig(r.cost.per1k[p], 3)} | ${esc(note)} |`);
  }
  out.push('');
  out.push(...optionsMarkdown(r));
  const res = r.resilience;
  // The same limit figures as the terminal (peak of limit for each published limit, the tier that fits).
  const limits = mdText(limitsLine(r, palette(false)));
  if (r.decision.pattern === 'batch') {
    out.push(`- **Latency:** batch turnaround typically ~${duration(r.latency.batchTypicalS)}, guaranteed within ${duration(r.latency.batchGuaranteeS)}`);
    out.push(`- **Batches:** ${limits}`);
  } else {
    out.push(`- **Latency:** first token ${duration(r.latency.ttftS)}, total ${duration(r.latency.totalS)} (p95 ${duration(r.latency.totalP95S)})`);
    out.push(`- **Limits:** ${limits}`);
  }
  out.push(
    `- **Resilience:** timeout ${res.timeoutS} s${res.idleTimeoutS !== null ? `, idle ${res.idleTimeoutS} s` : ''}; retry up to ${res.retry.maxRetries}× (${res.retry.delaysS.join(', ')} s with jitter, honour retry-after); circuit breaker after ${res.circuitBreaker.consecutiveFailures} failures, ${res.circuitBreaker.cooldownS} s cool-down; ${res.fallback.model ? `fallback ${res.fallback.model}${res.fallback.suggested ? ' (suggested)' : ''}` : 'no fallback'}${res.batch ? `; submit a batch every ${duration(res.batch.submitEveryS)}, poll every ${res.batch.pollIntervalS} s` : ''}; spend cap ${usd(res.spendCapUsdPerMonth, { cents: false })}/month`,
  );
  for (const warning of r.warnings) out.push(`- ⚠️ ${mdText(warning)}`);
  if (chart) out.push('', '```text', chart, '```');
  out.push('');
  return out;
}

function esc(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
