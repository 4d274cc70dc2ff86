// `aip check` for a terminal (the default): summary, per-workload table, drivers, thresholds, verdict.
import { describeRetired } from '../../core/check/thresholds.js';
import { palette } from '../kit/color.js';
import { renderColumns, renderTable } from '../kit/table.js';
import {
  changeLabel,
  money,
  describeCrossing,
  describeWorkloadChange,
  formatActual,
  formatLimit,
  formatSource,
  formatSubject,
  monthlyDelta,
  signedPercent,
  signedUsd,
  thresholdLabel,
  visibleOutcomes,
  statusName,
  optionName,
} from './describe.js';
import { inline } from '../../core/safe-text.js';
import type { CheckReport } from '../../core/check/report.js';

const LONG_TABLE_ROWS = 100;

export function renderCheckTable(report: CheckReport, opts: { color: boolean; quiet?: boolean; width?: number }): string {
  const c = palette(opts.color);
  const { diff, verdict } = report;
  const out: string[] = [];
  const base = inline(report.baseline.commit ? `${report.baseline.label} (${report.baseline.commit.slice(0, 12)})` : report.baseline.label);
  const delta = Math.abs(diff.deltaUsd) < 0.005 ? 'no change' : monthlyDelta(diff.deltaUsd, diff.deltaPct);
  const colored = diff.deltaUsd > 0.005 ? c.bad(delta) : diff.deltaUsd < -0.005 ? c.good(delta) : delta;
  out.push(`${c.bold('Projected LLM spend')}: ${money(diff.beforeUsd)} → ${money(diff.afterUsd)} per month, ${colored} against ${base}`);

  if (!opts.quiet) {
    const rows = diff.workloads.map((w) => [
      statusName(w, c.dim),
      inline(w.after?.model ?? w.before?.model ?? '-'),
      inline(optionName(w.before) && optionName(w.after) && optionName(w.before) !== optionName(w.after) ? `${optionName(w.before)} → ${optionName(w.after)}` : (optionName(w.after) ?? optionName(w.before) ?? '-')),
      w.before ? money(w.beforeUsd) : '-',
      w.after ? money(w.afterUsd) : '-',
      signedUsd(w.deltaUsd),
      changeLabel(w),
    ]);
    const totalPct = diff.deltaPct === null ? '-' : signedPercent(diff.deltaPct);
    const right = { align: 'right' as const };
    const columns = [{ header: 'workload' }, { header: 'model' }, { header: 'pattern' }, { header: 'before', ...right }, { header: 'after', ...right }, { header: 'delta', ...right }, { header: 'change', ...right }];
    const footer = [[c.bold('total'), '', '', money(diff.beforeUsd), money(diff.afterUsd), signedUsd(diff.deltaUsd), totalPct]];
    // A framed table of hundreds of rows takes seconds to lay out; long ones get plain columns.
    out.push(rows.length > LONG_TABLE_ROWS ? renderColumns(columns, rows, { footer, width: opts.width }) : renderTable(columns, rows, { color: opts.color, footer, width: opts.width }));
    const movers = diff.workloads.filter((w) => w.status !== 'unchanged');
    if (movers.length > 0) {
      out.push('', c.bold('What drove the change'));
      for (const w of movers) {
        out.push(`  ${inline(w.name)} ${signedUsd(w.deltaUsd)}/month`);
        for (const line of describeWorkloadChange(w)) out.push(`    ${line}`);
      }
    }
  }

  out.push('', c.bold('Thresholds'));
  if (report.rules.length === 0) out.push('  none set: reporting only (--max-increase, --max-increase-usd, --budget, or check: in the workload file)');
  for (const o of visibleOutcomes(verdict.outcomes)) {
    const mark = o.crossed ? c.bad('✗ crossed') : c.good('✓ ok');
    out.push(`  ${mark}  ${thresholdLabel(o.rule.kind)} ${formatLimit(o.rule)} for ${formatSubject(o)}: ${formatActual(o)}  ${c.dim(`(${formatSource(o.rule)})`)}`);
  }
  for (const note of report.notes) out.push('', c.dim(inline(note)));
  out.push('');
  if (verdict.failed) {
    for (const o of verdict.outcomes.filter((x) => x.crossed)) out.push(c.bad(`FAIL ${describeCrossing(o)}`));
    for (const r of verdict.retired ?? []) out.push(c.bad(`FAIL ${describeRetired(r)} (${r.file}:${r.line})`));
  } else out.push(c.good('PASS'));
  out.push(c.dim(`Estimates at catalog list prices (as of ${report.catalogAsOf}); retry and failure overhead not included.`));
  return out.join('\n');
}
