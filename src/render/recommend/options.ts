// One workload's options table (issue 13: delivery × service tier × capacity × cache lifetime): its cost,
// p95 latency, share within the tolerance and fit, the chosen one marked, and why the cheaper or equal ones
// lost. Self-contained so the terminal and markdown layouts can place it where they like. Within 80 columns.
import type { WorkloadRecommendation } from '../../core/recommend/build.js';
import type { ServiceOption } from '../../core/recommend/options.js';
import { duration, percent, usd } from '../../core/format.js';
import { mdText } from '../../core/safe-text.js';
import type { Palette } from '../kit/color.js';
import { renderColumns } from '../kit/table.js';

/** "direct flex", "streaming standard 1h": short enough for an 80-column row. */
function label(o: ServiceOption): string {
  return `${o.pattern} ${o.serviceTier}${o.cacheTtl ? ` ${o.cacheTtl}` : ''}`;
}

/** The share within the tolerance; one decimal from 99% up, where a whole percent would read 99.6% as 100% and hide how far above the 99% threshold it is. */
function within(share: number | null): string {
  if (share === null) return '-';
  return share >= 0.99 && share < 1 ? percent(share, 1) : percent(share);
}

const total = (o: ServiceOption) => (o.costUsdPerMonth ?? 0) + (o.cacheWriteUsdPerMonth ?? 0);

function cells(o: ServiceOption, chosen: boolean): string[] {
  if (!o.available) return [label(o), '-', '-', '-', '-', 'not priced'];
  const cost = usd(o.costUsdPerMonth) + (o.cacheWriteUsdPerMonth ? ` +${usd(o.cacheWriteUsdPerMonth)}` : '');
  return [
    label(o),
    cost,
    o.latency ? duration(o.latency.p95S) : '-',
    within(o.withinTolerance),
    o.fits === null ? '?' : o.fits ? 'yes' : 'no',
    chosen ? '◀ recommended' : '',
  ];
}

/** The options as indented terminal lines (colour through the palette); empty when there is only one. */
export function optionsLines(r: WorkloadRecommendation, c: Palette): string[] {
  const { options, chosen } = r.options;
  if (!hasChoice(options)) return [];
  // Tiers offered but not priced are named once below the table, not as rows of dashes.
  const shown = options.filter((o) => o.available || o.serviceTier === 'standard');
  const rows = shown.map((o) => cells(o, o === chosen));
  const table = renderColumns(
    [{ header: 'option' }, { header: shown.some((o) => o.cacheWriteUsdPerMonth) ? '$/month +writes' : '$/month', align: 'right' }, { header: 'p95', align: 'right' }, { header: 'in tol.', align: 'right' }, { header: 'fits' }, { header: '' }],
    rows,
  ).split('\n');
  const out = [c.dim(`  ${table[0]}`), ...table.slice(1).map((l, i) => (shown[i] === chosen ? c.good(`  ${l}`) : `  ${l}`))];
  for (const o of whyNotShown(options, chosen)) out.push(`  ${c.dim(`not ${label(o)}: ${o.whyNot ?? ''}`)}`);
  const unpriced = options.filter((o) => !o.available && o.serviceTier !== 'standard');
  if (unpriced.length > 0) out.push(`  ${c.dim(`not priced: ${[...new Set(unpriced.map((o) => o.whyNot ?? ''))].join('; ')}`)}`);
  const prov = options.find((o) => o === chosen && o.provisioned) ?? options.find((o) => o.provisioned);
  if (prov?.provisioned) {
    const p = prov.provisioned;
    out.push(`  ${c.dim(`provisioned: ${p.units} units for a peak of ${Math.round(p.peakInputTpm).toLocaleString('en-US')} input tok/min, ${usd(p.feeUsdPerMonth)}/month (720 h), ${percent(p.utilisation)} used on average; beats pay-as-you-go from ${p.breakEvenRequestsPerMonth === null ? '-' : Math.round(p.breakEvenRequestsPerMonth).toLocaleString('en-US')} requests/month`)}`);
  }
  return out;
}

/** Only where there is more to choose than the three patterns at standard (shown in the pattern table). */
function hasChoice(options: ServiceOption[]): boolean {
  return options.some((o) => o.serviceTier !== 'standard' || o.cacheTtl !== null);
}

/** The options a reader asks about: those priced at or under the chosen one that did not win. */
function whyNotShown(options: ServiceOption[], chosen: ServiceOption): ServiceOption[] {
  return options.filter((o) => o !== chosen && o.available && o.whyNot && total(o) <= total(chosen) + 0.005);
}

/** The options as a markdown table with every option's reason. */
export function optionsMarkdown(r: WorkloadRecommendation): string[] {
  const { options, chosen } = r.options;
  if (!hasChoice(options)) return [];
  const out = ['| option | $/month | cache writes | p95 | within tolerance | fits | |', '| --- | ---: | ---: | ---: | ---: | --- | --- |'];
  for (const o of options) {
    const name = o === chosen ? `**${label(o)}**` : label(o);
    const note = o === chosen ? '**recommended**' : mdText(o.whyNot ?? '').replace(/\|/g, '\\|');
    if (!o.available) out.push(`| ${name} | - | - | - | - | - | ${note} |`);
    else out.push(`| ${name} | ${usd(o.costUsdPerMonth)} | ${usd(o.cacheWriteUsdPerMonth ?? 0)} | ${o.latency ? duration(o.latency.p95S) : '-'} | ${within(o.withinTolerance)} | ${o.fits === null ? 'unknown' : o.fits ? 'yes' : '**no**'} | ${note} |`);
  }
  out.push('');
  return out;
}
