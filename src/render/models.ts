// `aip models` for people: the catalog grouped by provider, prices aligned, with the notes that explain the columns.
import type { Catalog, Model } from '../core/catalog/schema.js';
import { compact, pricePerMillion } from '../core/format.js';
import { palette } from './kit/color.js';
import { renderTable, type SectionRow } from './kit/table.js';

const PROVIDER_NAMES: Record<Model['provider'], string> = { openai: 'OpenAI', anthropic: 'Anthropic', google: 'Google (Gemini Developer API)' };

export function renderModelsTable(models: readonly Model[], catalog: Catalog, opts: { color: boolean; quiet: boolean; hiddenRetired: number }): string {
  const { hiddenRetired } = opts;
  const c = palette(opts.color);
  const rows: Array<string[] | SectionRow> = [];
  for (const provider of ['openai', 'anthropic', 'google'] as const) {
    const group = models.filter((m) => m.provider === provider);
    if (group.length === 0) continue;
    rows.push({ section: c.bold(PROVIDER_NAMES[provider]) });
    for (const m of group) rows.push(modelRow(m, c));
  }
  const right = { align: 'right' as const };
  const lines = [
    renderTable(
      [
        { header: 'model' },
        { header: 'input', ...right },
        { header: 'cached', ...right },
        { header: 'write', ...right },
        { header: 'output', ...right },
        { header: 'batch in/out', ...right },
        { header: 'context', ...right },
        { header: 'speed~', ...right },
        { header: 'as of' },
      ],
      rows,
      { color: opts.color },
    ),
  ];
  const notes = [
    'USD per 1M tokens. cached = cache read; write = cache write (5-minute TTL). context = window / max output tokens.',
    'speed~ = typical time to first token and output tokens per second: estimates, not guarantees.',
  ];
  if (models.some((m) => m.prices.batch_derived)) notes.push('* batch price derived as 50% of list: the provider states the discount but publishes no row.');
  if (models.some((m) => m.prices.long_context)) notes.push('+ a dearer tier applies above 200k input tokens (see --json: prices.long_context).');
  if (hiddenRetired > 0) notes.push(`${hiddenRetired} retired models hidden; --all shows them.`);
  if (catalog.overlays.length > 0) notes.push(`Entries from --catalog: ${catalog.overlays.join(', ')}.`);
  if (!opts.quiet) lines.push(c.dim(notes.join('\n')));
  return lines.join('\n');
}

const STATUS_SHORT: Record<Model['lifecycle']['status'], string> = { active: 'active', legacy: 'legacy', deprecated: 'depr.', retired: 'retired' };

function modelRow(m: Model, c: ReturnType<typeof palette>): string[] {
  const p = m.prices;
  const star = p.batch_derived ? '*' : '';
  const embedding = m.kind === 'embedding';
  const status = m.lifecycle.status === 'active' ? '' : ` ${c.warn(`(${STATUS_SHORT[m.lifecycle.status]})`)}`;
  const batch = !m.batch_api ? '-' : embedding ? `${pricePerMillion(p.batch_input)}${star}` : `${pricePerMillion(p.batch_input)}/${pricePerMillion(p.batch_output)}${star}`;
  return [
    `${m.id}${p.long_context ? '+' : ''}${status}`,
    pricePerMillion(p.input),
    pricePerMillion(p.cached_input),
    pricePerMillion(p.cache_write),
    embedding ? '-' : pricePerMillion(p.output),
    batch,
    embedding ? compact(m.context_window) : `${compact(m.context_window)}/${compact(m.max_output)}`,
    embedding ? `${m.speed.ttft_s}s` : `${m.speed.ttft_s}s ${Math.round(m.speed.output_tokens_per_s)}/s`,
    m.as_of,
  ];
}
