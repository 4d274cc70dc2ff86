// `aip check` for a terminal (the default): summary, per-workload table, drivers, thresholds, verdict.
import { describeRetired } from '../../core/check/thresholds.js';
import { palette } from '../kit/color.js';
import { renderColumns, renderTable, widest, wrapWords } from '../kit/table.js';
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
  const width = opts.width ?? 120;
  const wrap = (line: string, hang = '  ') => wrapWords(line, width, hang);
  const { diff, verdict } = report;
  const out: string[] = [];
  const base = inline(report.baseline.commit ? `${report.baseline.label} (${report.baseline.commit.slice(0, 12)})` : report.baseline.label);
  const delta = Math.abs(diff.deltaUsd) < 0.005 ? 'no change' : monthlyDelta(diff.deltaUsd, diff.deltaPct);
  const colored = diff.deltaUsd > 0.005 ? c.bad(delta) : diff.deltaUsd < -0.005 ? c.good(delta) : delta;
  // The answer first: the totals, then the verdict a CI log is read for.
  out.push(wrap(`${c.bold('Projected LLM spend')}: ${money(diff.beforeUsd)} → ${money(diff.afterUsd)} per month, ${colored} against ${base}`));
  if (verdict.failed) {
    for (const o of verdict.outcomes.filter((x) => x.crossed)) out.push(wrap(c.bad(`FAIL ${describeCrossing(o)}`)));
    for (const r of verdict.retired ?? []) out.push(wrap(c.bad(`FAIL ${describeRetired(r)} (${r.file}:${r.line})`)));
  } else out.push(c.good(report.rules.length === 0 ? 'PASS (no thresholds set)' : 'PASS'));

  if (!opts.quiet) {
    out.push('');
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
    const columns = [{ header: 'workload' }, { header: 'model' }, { header: 'choice' }, { header: 'before', ...right }, { header: 'after', ...right }, { header: 'delta', ...right }, { header: 'change', ...right }];
    const footer = [[c.bold('total'), '', '', money(diff.beforeUsd), money(diff.afterUsd), signedUsd(diff.deltaUsd), totalPct]];
    // A framed table of hundreds of rows takes seconds to lay out; long ones get plain columns.
    let table = rows.length > LONG_TABLE_ROWS ? renderColumns(columns, rows, { footer }) : renderTable(columns, rows, { color: opts.color, footer });
    if (widest(table) > width) {
      // Too wide: plain columns without the model (a changed model is named under "What drove the change"),
      // stacked into a list if even that does not fit.
      const drop = (r: string[]) => r.filter((_, i) => i !== 1);
      table = renderColumns(drop(columns as never) as never, rows.map(drop), { footer: footer.map(drop), width });
      const [head, ...rest] = table.split('\n');
      table = [widest(head!) <= width ? c.dim(head!) : head!, ...rest].join('\n');
    }
    out.push(table);
    const movers = diff.workloads.filter((w) => w.status !== 'unchanged');
    if (movers.length > 0) {
      out.push('', c.bold('What drove the change'));
      for (const w of movers) {
        out.push(wrap(`  ${inline(w.name)} ${signedUsd(w.deltaUsd)}/month`, '    '));
        for (const line of describeWorkloadChange(w)) out.push(wrap(`    ${line}`, '      '));
      }
    }
  }

  out.push('', c.bold('Thresholds'));
  if (report.rules.length === 0) out.push(wrap('  none set: reporting only (--max-increase, --max-increase-usd, --budget, or check: in the workload file)', '    '));
  for (const o of visibleOutcomes(verdict.outcomes)) {
    const mark = o.crossed ? c.bad('✗ crossed') : c.good('✓ ok');
    out.push(wrap(`  ${mark}  ${thresholdLabel(o.rule.kind)} ${formatLimit(o.rule)} for ${formatSubject(o)}: ${formatActual(o)}  ${c.dim(`(${formatSource(o.rule)})`)}`, '      '));
  }
  for (const note of report.notes) out.push('', c.dim(wrap(inline(note))));
  out.push('');
  out.push(c.dim(wrap(`Estimates at catalog list prices (as of ${report.catalogAsOf}); retry and failure overhead not included.`, '')));
  return out.join('\n');
}
