// `aip models` for people: the catalog grouped by provider, prices aligned, with the notes that explain the columns.
import { inline } from '../core/safe-text.js';
import type { Catalog, Model } from '../core/catalog/schema.js';
import { compact, pricePerMillion } from '../core/format.js';
import { palette } from './kit/color.js';
import { fillLine, renderColumns, renderTable, widest, type SectionRow } from './kit/table.js';
import { wrap } from './kit/wrap.js';

export interface ModelsTableOptions {
  color: boolean;
  quiet: boolean;
  hiddenRetired: number;
  /** The columns to fit; a wider table is stacked. */
  width?: number;
  /** Providers not shown (the default table shows the first-party APIs): id → model count. */
  otherProviders: Record<string, number>;
}

export function renderModelsTable(models: readonly Model[], catalog: Catalog, opts: ModelsTableOptions): string {
  const { hiddenRetired } = opts;
  const c = palette(opts.color);
  const rows: Array<string[] | SectionRow> = [];
  const order = [...catalog.providers.map((p) => p.id), ...new Set(models.map((m) => m.provider))];
  for (const provider of new Set(order)) {
    const group = models.filter((m) => m.provider === provider);
    if (group.length === 0) continue;
    rows.push({ section: c.bold(catalog.providers.find((p) => p.id === provider)?.name ?? provider) });
    for (const m of group) rows.push(modelRow(m, c));
  }
  const right = { align: 'right' as const };
  const columns = [
    { header: 'model' },
    { header: 'input', ...right },
    { header: 'cached', ...right },
    { header: 'write', ...right },
    { header: 'output', ...right },
    { header: 'batch in/out', ...right },
    { header: 'context', ...right },
    { header: 'speed~', ...right },
    { header: 'as of' },
  ];
  const width = opts.width ?? 1000;
  let table = renderTable(columns, rows, { color: opts.color });
  // Narrower than the full table: one line per model still, without cache write, speed and date (a note says
  // so); a list per model only when even that does not fit.
  const NARROW = [0, 1, 2, 4, 5, 6];
  let narrowed = false;
  if (widest(table) > width) {
    const pick = <T,>(cells: T[]) => NARROW.map((i) => cells[i]!);
    const plain = rows.map((r) => (Array.isArray(r) ? pick(r) : [`── ${r.section} ──`, ...NARROW.slice(1).map(() => '')]));
    table = renderColumns(pick(columns), plain, { width });
    narrowed = widest(table) <= width;
    if (!narrowed) table = renderTable(columns, rows, { color: opts.color, width });
    else table = [c.dim(table.split('\n')[0]!), ...table.split('\n').slice(1)].join('\n');
  }
  const lines = [summaryLine(models, catalog, opts), table];
  const data = catalog.data;
  const notes = [
    `USD per 1M tokens. cached = cache read${narrowed ? '' : '; write = cache write (5-minute TTL)'}. context = window / max output tokens (? = not published).`,
    '(old) = legacy: superseded but still served; (depr.) = deprecated: a retirement date is set.',
    narrowed
      ? 'Cache write prices, speed~ (typical speeds) and as-of dates are left out at this width: COLUMNS=120 (or --json) shows them.'
      : 'speed~ = typical time to first token and output tokens per second: estimates, not guarantees.',
  ];
  if (models.some((m) => m.prices.batch_derived)) notes.push('* batch price derived from the provider\'s stated discount (usually 50% of list): no published row.');
  if (models.some((m) => m.prices.long_context)) notes.push('+ a dearer tier applies above a prompt length (200k or 272k input tokens; see --json: long_context).');
  const others = Object.entries(opts.otherProviders);
  if (others.length > 0) notes.push(`Also in the catalog: ${others.map(([p, n]) => `${p} (${n})`).join(', ')}. Show them with --provider NAME or --provider all.`);
  if (hiddenRetired > 0) notes.push(`${hiddenRetired} retired models hidden; --all shows them.`);
  if (data) notes.push(`Catalog as of ${data.asOf}: ${data.base.name} ${data.base.version} (${data.base.as_of})${data.origin === 'cache' ? `, updated by "aip catalog update" from ${data.from ?? 'a download'}` : ''}, and aip's curated layer (batch terms, limits, lifecycle; checked ${data.curatedAsOf}).`);
  if (catalog.overlays.length > 0) notes.push(`Entries from --catalog: ${catalog.overlays.map(inline).join(', ')}.`);
  if (!opts.quiet) lines.push(c.dim(notes.map((n) => wrap(n, Math.min(opts.width ?? 120, 120))).join('\n')));
  return lines.join('\n');
}

/** The answer first: how many models of which providers, the unit of the prices, the catalog's date. */
function summaryLine(models: readonly Model[], catalog: Catalog, opts: ModelsTableOptions): string {
  const counts = new Map<string, number>();
  for (const m of models) {
    const name = catalog.providers.find((p) => p.id === m.provider)?.name ?? m.provider;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const items = [`${models.length} model${models.length === 1 ? '' : 's'}: ${[...counts].map(([p, n]) => `${inline(p)} ${n}`).join(', ')}`, 'prices in USD per 1M tokens'];
  if (catalog.data) items.push(`catalog as of ${catalog.data.asOf}`);
  const more = Object.values(opts.otherProviders).reduce((a, b) => a + b, 0);
  if (more > 0) items.push(`${more} more from other providers (--provider all)`);
  return palette(opts.color).bold(fillLine(items, ' · ', opts.width ?? 120, '  ', ''));
}

const STATUS_SHORT: Record<Model['lifecycle']['status'], string> = { active: 'active', legacy: 'old', deprecated: 'depr.', retired: 'retired' };

/** Prices of $100 and more without cents, so the table keeps within 120 columns. */
function price(v: number | null | undefined): string {
  return v !== null && v !== undefined && v >= 100 ? `$${Math.round(v)}` : pricePerMillion(v);
}

function modelRow(m: Model, c: ReturnType<typeof palette>): string[] {
  const p = m.prices;
  const star = p.batch_derived ? '*' : '';
  const embedding = m.kind === 'embedding';
  const status = m.lifecycle.status === 'active' ? '' : ` ${c.warn(`(${STATUS_SHORT[m.lifecycle.status]})`)}`;
  const batch = !m.batch_api ? '-' : embedding ? `${price(p.batch_input)}${star}` : `${price(p.batch_input)}/${price(p.batch_output)}${star}`;
  const window = m.context_window === undefined ? '?' : compact(m.context_window);
  return [
    `${inline(m.id)}${p.long_context ? '+' : ''}${status}`,
    price(p.input),
    price(p.cached_input),
    price(p.cache_write),
    embedding ? '-' : price(p.output),
    batch,
    embedding ? window : `${window}/${m.max_output === undefined ? '?' : compact(m.max_output)}`,
    embedding ? `${m.speed.ttft_s}s` : `${m.speed.ttft_s}s ${Math.round(m.speed.output_tokens_per_s)}/s`,
    m.as_of,
  ];
}
