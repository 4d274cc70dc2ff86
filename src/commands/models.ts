// aip models: the catalog as a table a person can read (grouped by provider, prices aligned), or as JSON.
import type { Context } from '../io/context.js';
import { loadCatalog } from '../io/catalog/load.js';
import type { Catalog, Model } from '../core/catalog/schema.js';
import { lifecycleWarning, staleDays } from '../core/catalog/warnings.js';
import { UsageError } from '../core/errors.js';
import { palette } from '../render/kit/color.js';
import { compact, daysBetween, pricePerMillion } from '../core/format.js';
import { renderTable, type SectionRow } from '../render/kit/table.js';
import { wrap } from '../render/kit/wrap.js';
import { closest } from '../core/suggest.js';

interface ModelsOptions {
  provider?: string;
  all?: boolean;
}

const PROVIDER_NAMES: Record<Model['provider'], string> = { openai: 'OpenAI', anthropic: 'Anthropic', google: 'Google (Gemini Developer API)' };

export async function modelsCommand(ctx: Context, opts: ModelsOptions): Promise<number> {
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd });
  let models = catalog.models;
  if (opts.provider) {
    const providers = [...new Set(catalog.models.map((m) => m.provider))];
    const wanted = opts.provider.toLowerCase() === 'gemini' ? 'google' : opts.provider.toLowerCase();
    if (!providers.includes(wanted as Model['provider'])) {
      const guess = closest(opts.provider, providers, 1)[0];
      throw new UsageError(`unknown provider "${opts.provider}"`, {
        code: 'E_UNKNOWN_PROVIDER',
        option: '--provider',
        expected: `one of: ${providers.join(', ')}`,
        hint: guess ? `did you mean "${guess}"?` : undefined,
      });
    }
    models = models.filter((m) => m.provider === wanted);
  }
  const hiddenRetired = opts.all ? 0 : models.filter((m) => m.lifecycle.status === 'retired').length;
  if (!opts.all) models = models.filter((m) => m.lifecycle.status !== 'retired');
  const now = ctx.now();
  const warnings = [...models.map((m) => lifecycleWarning(m, now)).filter((w): w is string => w !== undefined), ...staleWarnings(models, catalog, now)];

  if (ctx.json) {
    ctx.out(JSON.stringify({ catalog_as_of: catalog.asOf, overlays: catalog.overlays, models, warnings }, null, 2));
    return 0;
  }

  const c = palette(ctx.color);
  const rows: Array<string[] | SectionRow> = [];
  for (const provider of ['openai', 'anthropic', 'google'] as const) {
    const group = models.filter((m) => m.provider === provider);
    if (group.length === 0) continue;
    rows.push({ section: c.bold(PROVIDER_NAMES[provider]) });
    for (const m of group) rows.push(modelRow(m, c));
  }
  const right = { align: 'right' as const };
  ctx.out(
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
      { color: ctx.color },
    ),
  );
  const notes = [
    'USD per 1M tokens. cached = cache read; write = cache write (5-minute TTL). context = window / max output tokens.',
    'speed~ = typical time to first token and output tokens per second: estimates, not guarantees.',
  ];
  if (models.some((m) => m.prices.batch_derived)) notes.push('* batch price derived as 50% of list: the provider states the discount but publishes no row.');
  if (models.some((m) => m.prices.long_context)) notes.push('+ a dearer tier applies above 200k input tokens (see --json: prices.long_context).');
  if (hiddenRetired > 0) notes.push(`${hiddenRetired} retired models hidden; --all shows them.`);
  if (catalog.overlays.length > 0) notes.push(`Entries from --catalog: ${catalog.overlays.join(', ')}.`);
  if (!ctx.quiet) ctx.out(c.dim(notes.join('\n')));
  const width = Math.min(ctx.stderr.columns ?? 120, 120);
  for (const w of warnings) ctx.err(wrap(`${palette(ctx.stderrColor).warn('warning:')} ${w}`, width));
  return 0;
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

/** One line per as_of date older than the threshold, naming the models, instead of one line per model. */
function staleWarnings(models: readonly Model[], catalog: Catalog, now: Date): string[] {
  const limit = staleDays(catalog);
  const byDate = new Map<string, string[]>();
  for (const m of models) if (daysBetween(m.as_of, now) > limit) byDate.set(m.as_of, [...(byDate.get(m.as_of) ?? []), m.id]);
  return [...byDate].sort().map(([asOf, ids]) => `catalog data is ${daysBetween(asOf, now)} days old (as_of ${asOf}, over ${limit} days) for ${ids.join(', ')}: check current prices or refresh with "aip catalog import-litellm"`);
}
