// The answer first: the portfolio of a recommendation in one screen. Per workload one line (the choice, its
// monthly cost, the saving against calling the model directly, whether it fits the limits, the reason that
// decided it), the total and the saving, the warnings grouped with the workloads they concern, and a legend
// for the marks used. Fits the width it is given: a column layout that does not fit becomes a list.
import { inline } from '../../core/safe-text.js';
import { duration, percent, usdSig } from '../../core/format.js';
import type { RecommendReport, WorkloadRecommendation } from '../../core/recommend/build.js';
import type { Palette } from '../kit/color.js';
import { renderColumns, widest, wrapWords } from '../kit/table.js';
import { shortChoiceLabel } from '../../core/recommend/choice-label.js';
import { groupWarnings, nameList, type WarningGroup } from './warnings.js';

export interface SummaryOptions {
  c: Palette;
  width: number;
  quiet: boolean;
  /** How to get the full story (printed under the summary, unless quiet). */
  hint?: string;
}

/** Significant figures of the summary's money columns: cents of a monthly bill are noise at a glance. */
const SIG = 3;

export function renderSummary(report: RecommendReport, opts: SummaryOptions): string {
  const { c, width } = opts;
  const out: string[] = [];
  const mixLine = `Portfolio: ${report.mix}`;
  out.push(c.bold(widest(mixLine) <= width ? mixLine : wrapWords(`Portfolio of ${report.workloads.length} workloads: ${patternCounts(report)}`, width, '  ')));
  out.push(portfolioTable(report, c, width));
  const t = report.totals;
  const pct = t.allDirect > 0 ? ` (${percent(t.saving / t.allDirect)})` : '';
  out.push(wrapWords(`Recommended ${c.bold(usdSig(t.recommended, 4))}/month against ${usdSig(t.allDirect, 4)} with every workload direct: ${t.saving > 0.005 ? `saves ${c.good(usdSig(t.saving, 4))}/month${pct}` : 'no saving'}.`, width, ''));
  if (opts.quiet) return out.join('\n');
  const groups = groupWarnings(report);
  const own = groups.filter((g) => !g.aboutData);
  const data = groups.filter((g) => g.aboutData);
  if (own.length > 0) {
    out.push('', c.bold(`${own.length} warning${own.length === 1 ? '' : 's'}`));
    for (const g of own) out.push(groupLine(g, c.warn('!'), width));
  }
  if (data.length > 0) {
    out.push('', c.dim(`Notes on aip's estimates (not problems in your file):`));
    for (const g of data) out.push(c.dim(groupLine(g, '·', width)));
  }
  out.push('', c.dim(wrapWords(legend(report).join(' '), width, '')));
  if (opts.hint) out.push(c.dim(wrapWords(opts.hint, width, '')));
  return out.join('\n');
}

/** "5 batch, 4 direct, 2 streaming, 1 direct from a queue" */
function patternCounts(report: RecommendReport): string {
  const counts = new Map<string, number>();
  for (const r of report.workloads) counts.set(shortChoice(r), (counts.get(shortChoice(r)) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([p, n]) => `${n} ${p}`)
    .join(', ');
}

function groupLine(g: WarningGroup, mark: string, width: number): string {
  const who = g.workloads.length > 0 ? ` (${nameList(g.workloads.map(inline))})` : '';
  return wrapWords(`  ${mark} ${inline(g.headline)}${who}`, width, '    ');
}

/** The label of the choice in a narrow column. */
export function shortChoice(r: WorkloadRecommendation): string {
  return shortChoiceLabel({ pattern: r.decision.pattern, viaQueue: r.decision.viaQueue, serviceTier: r.options.chosen.serviceTier });
}

/** What the recommended option saves against calling the model directly at standard (the obvious alternative). */
export function savingAgainstDirect(r: WorkloadRecommendation): number | null {
  const direct = r.cost.monthly.direct;
  return direct === null ? null : direct - r.recommendedCostUsdPerMonth;
}

/** The one reason that decided a workload, in a few words: a limit it breaks comes before the rule. */
export function shortReason(r: WorkloadRecommendation): string {
  const l = r.limits;
  const tier = l.tier === '-' ? l.provider : `tier ${l.tier}`;
  // A few words that fit the portfolio's last column at 80 columns (19 characters) without wrapping.
  if (r.fits === false) return r.decision.pattern === 'batch' ? `over ${tier} queue` : `over ${tier} limits`;
  const tol = duration(r.workload.toleranceSeconds);
  if (r.options.chosen.serviceTier === 'priority') return `priority for ${tol}`;
  switch (r.decision.rule) {
    case 'watched-stream':
      return `watched; ${duration(r.latency.totalS)}`;
    case 'watched-direct':
      return 'watched; short and fast';
    case 'chain-direct':
      return 'model chain step';
    case 'realtime-direct':
    case 'queue-direct':
      return `due within ${tol}`;
    case 'batch':
      return `no one waits (${tol})`;
    case 'batch-saving-too-small':
      return `batch saves < ${usdSig(r.minBatchSavingUsd, 2)}`;
    case 'no-batch-api':
      return 'no batch API';
    default:
      return r.decision.rule;
  }
}

function fitsMark(r: WorkloadRecommendation, c: Palette): string {
  if (r.fits === false) return c.bad('no');
  if (r.fits === null) return '?';
  return r.decision.pattern !== 'batch' && r.limits.nearLimits.length > 0 ? c.warn('near') : 'yes';
}

function portfolioTable(report: RecommendReport, c: Palette, width: number): string {
  const columns = [{ header: 'workload' }, { header: 'choice' }, { header: '$/month', align: 'right' as const }, { header: 'saving', align: 'right' as const }, { header: 'fits' }, { header: 'why' }];
  const rows = report.workloads.map((r) => {
    const saving = savingAgainstDirect(r);
    return [inline(r.workload.name), shortChoice(r), usdSig(r.recommendedCostUsdPerMonth, SIG), saving === null ? '-' : usdSig(saving, SIG), fitsMark(r, c), shortReason(r)];
  });
  const t = report.totals;
  const footer = [[c.bold('total'), '', c.bold(usdSig(t.recommended, SIG)), c.bold(usdSig(t.saving, SIG)), '', '']];
  // The reason column wraps within itself; the table becomes a list only when even that leaves it too narrow.
  const fixed = renderColumns(columns.slice(0, -1), [...rows, ...footer].map((r) => r.slice(0, -1))).split('\n');
  const start = Math.max(...fixed.map((l) => widest(l))) + 2;
  const room = width - start;
  const longest = Math.max(3, ...rows.map((r) => r[5]!.length));
  if (room < Math.min(18, longest)) return renderColumns(columns, [...rows, ...footer.map((f) => f.slice(0, -1))], { width });
  const lines: string[] = [];
  const all = [columns.map((col) => col.header), ...rows, ...footer];
  fixed.forEach((line, i) => {
    const why = all[i]![5] ?? '';
    const pieces = why ? wrapWords(why, room, '').split('\n') : [''];
    const head = i === 0 ? c.dim(`${line.padEnd(start)}${pieces[0]}`) : `${line}${' '.repeat(Math.max(0, start - widest(line)))}${pieces[0]}`;
    lines.push(head.trimEnd(), ...pieces.slice(1).map((p) => `${' '.repeat(start)}${p}`));
  });
  return lines.join('\n');
}

/** The marks the summary uses, explained the first time they appear. */
function legend(report: RecommendReport): string[] {
  const items = [`USD per month at list prices (catalog as of ${report.catalogAsOf});`, 'saving: against calling the model directly.'];
  if (report.workloads.some((r) => r.fits === null)) items.push('fits "?": no published limits for that model and tier.');
  if (report.workloads.some((r) => r.fits === true && r.decision.pattern !== 'batch' && r.limits.nearLimits.length > 0)) items.push('"near": fits, but the peak uses most of a limit and bursts will queue.');
  return items;
}
