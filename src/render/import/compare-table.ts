// "What you pay now vs what you could": per imported workload the traffic as it was sent (pattern, tier,
// list-price cost a month, the source's own spend figure) beside the recommended pattern, its cost and the
// saving; then the totals. Returns a string.
import { usd, usdSig } from '../../core/format.js';
import type { Comparison } from '../../core/import/compare.js';
import type { ImportResult } from '../../core/import/derive.js';
import { palette } from '../kit/color.js';
import { renderColumns, renderTable, widest, wrapWords } from '../kit/table.js';
import { periodText } from './workload-yaml.js';
import { tierName } from '../../core/import/tiers.js';

export function renderComparison(cmp: Comparison, imp: ImportResult, opts: { color: boolean; catalogAsOf: string; width?: number }): string {
  const c = palette(opts.color);
  const width = opts.width ?? 1000;
  const right = { align: 'right' as const };
  const rowsWith = (usd: (v: number | null | undefined) => string) => cmp.rows.map((r) => [
    r.name,
    `${r.now.pattern}${r.now.serviceTier !== 'standard' && r.now.serviceTier !== 'batch' ? ` (${r.now.serviceTier})` : ''}`,
    usd(r.now.usdPerMonth),
    r.reportedUsdPerMonth === null ? '' : usd(r.reportedUsdPerMonth),
    r.could ? (r.could.viaQueue && r.could.pattern === 'direct' ? 'direct (queue)' : r.could.pattern) : c.dim(r.why ?? '-'),
    r.could ? usd(r.could.usdPerMonth) : '-',
    r.savingUsdPerMonth === null ? '-' : r.savingUsdPerMonth > 0.005 ? c.good(usd(r.savingUsdPerMonth)) : Math.abs(r.savingUsdPerMonth) < 0.005 ? usd(0) : usd(r.savingUsdPerMonth),
  ]);
  const t = cmp.totals;
  const hasReported = cmp.rows.some((r) => r.reportedUsdPerMonth !== null);
  const columns = [{ header: 'workload' }, { header: 'sent as' }, { header: 'now $/month', ...right }, { header: 'reported', ...right }, { header: 'recommended' }, { header: 'could $/month', ...right }, { header: 'saving', ...right }];
  const keep = <T,>(cells: T[]): T[] => (hasReported ? cells : cells.filter((_, i) => i !== 3));
  const footerWith = (usd: (v: number | null | undefined) => string) => [keep([c.bold('total'), '', c.bold(usd(t.nowUsdPerMonth)), hasReported ? usd(sum(cmp.rows.map((r) => r.reportedUsdPerMonth))) : '', '', c.bold(usd(t.couldUsdPerMonth)), c.bold(usd(t.savingUsdPerMonth))])];
  let table = renderTable(keep(columns), rowsWith(usd).map(keep), { color: opts.color, footer: footerWith(usd) });
  if (widest(table) > width) {
    // Too wide: plain columns, short headers, money to 3 significant figures; a list if even that is too wide.
    const money = (v: number | null | undefined) => usdSig(v, 3);
    const short = [{ header: 'workload' }, { header: 'sent as' }, { header: 'now', ...right }, { header: 'reported', ...right }, { header: 'recommended' }, { header: 'could', ...right }, { header: 'saving', ...right }];
    table = renderColumns(keep(short), rowsWith(money).map(keep), { footer: footerWith(money), width });
    const [head, ...rest] = table.split('\n');
    table = [widest(head!) <= width ? c.dim(head!) : head!, ...rest].join('\n');
  }
  const lines = [c.bold(wrapWords(`What you pay now and what you could, USD/month (${periodText(imp)}, scaled to a month)`, width, '  ')), table];
  const pctSaving = t.nowUsdPerMonth > 0 ? ` (${Math.round((t.savingUsdPerMonth / t.nowUsdPerMonth) * 100)}%)` : '';
  const verdict =
    t.savingUsdPerMonth > 0.005
      ? `You pay ${c.bold(usd(t.nowUsdPerMonth))}/month for this traffic as it is sent; with the recommended patterns ${usd(t.couldUsdPerMonth)}: ${c.good(`saves ${usd(t.savingUsdPerMonth)}/month${pctSaving}`)}.`
      : `You pay ${c.bold(usd(t.nowUsdPerMonth))}/month for this traffic as it is sent; the recommended patterns cost the same or more (they are chosen to meet the latency tolerance, not only on price).`;
  lines.push(wrapWords(verdict, width, ''));
  const notes: string[] = [`USD at list prices (catalog as of ${opts.catalogAsOf}); "now" prices the tokens as sent (pattern, batch flag and tier as observed), cache writes aside.`];
  if (imp.tiers.length > 0) notes.push(`Recommended at ${imp.tiers.map((x) => `${x.provider} ${tierName(x.tier)}${x.from === 'inferred' ? ' (inferred from the spend; --tier states yours)' : ''}`).join(', ')}.`);
  if (hasReported) notes.push('"reported": the spend the source itself recorded, for a cross-check.');
  if (t.unpriced > 0) notes.push(`${t.unpriced} workload${t.unpriced === 1 ? '' : 's'} could not be priced (see the workload file's comments) and count in no total.`);
  if (t.withoutAdvice > 0) notes.push(`${t.withoutAdvice} without a recommendation count at their current cost in "could".`);
  lines.push(c.dim(wrapWords(notes.join(' '), width, '')));
  return lines.join('\n');
}

function sum(values: Array<number | null>): number {
  return values.reduce<number>((s, v) => s + (v ?? 0), 0);
}
