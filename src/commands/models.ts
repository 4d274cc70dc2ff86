// aip models: the catalog as a table a person can read, or as JSON.
import type { Context } from '../context.js';
import { loadCatalog } from '../catalog/load.js';
import type { Model } from '../catalog/schema.js';
import { lifecycleWarning, staleWarning } from '../catalog/warnings.js';
import { UsageError } from '../errors.js';
import { palette } from '../ui/color.js';
import { compact, pricePerMillion } from '../ui/format.js';
import { renderTable } from '../ui/table.js';
import { closest } from '../util/suggest.js';

interface ModelsOptions {
  provider?: string;
  all?: boolean;
}

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
  if (!opts.all) models = models.filter((m) => m.lifecycle.status !== 'retired');
  const now = ctx.now();
  const warnings = models.flatMap((m) => [lifecycleWarning(m, now), staleWarning(m, catalog, now)].filter((w): w is string => w !== undefined));

  if (ctx.json) {
    ctx.out(JSON.stringify({ catalog_as_of: catalog.asOf, overlays: catalog.overlays, models, warnings }, null, 2));
    return 0;
  }

  const c = palette(ctx.color);
  const rows = models.map((m) => [
    m.provider,
    m.lifecycle.status === 'active' ? m.id : `${m.id} ${c.warn(`(${m.lifecycle.status})`)}`,
    pricePerMillion(m.prices.input),
    pricePerMillion(m.prices.cached_input),
    pricePerMillion(m.prices.cache_write),
    pricePerMillion(m.prices.output),
    m.batch_api ? `${pricePerMillion(m.prices.batch_input)}${m.prices.batch_derived ? '*' : ''}` : '-',
    m.batch_api ? `${pricePerMillion(m.prices.batch_output)}${m.prices.batch_derived ? '*' : ''}` : '-',
    compact(m.context_window),
    compact(m.max_output),
    `${m.speed.ttft_s.toFixed(1)} s`,
    String(Math.round(m.speed.output_tokens_per_s)),
    m.as_of,
  ]);
  const right = { align: 'right' as const };
  ctx.out(
    renderTable(
      [
        { header: 'provider' },
        { header: 'model' },
        { header: 'input', ...right },
        { header: 'cached', ...right },
        { header: 'cache write', ...right },
        { header: 'output', ...right },
        { header: 'batch in', ...right },
        { header: 'batch out', ...right },
        { header: 'context', ...right },
        { header: 'max out', ...right },
        { header: 'TTFT~', ...right },
        { header: 'tok/s~', ...right },
        { header: 'as of' },
      ],
      rows,
      { color: ctx.color },
    ),
  );
  const notes = [
    'Prices in USD per 1M tokens. TTFT~ and tok/s~ are typical figures (estimates), not guarantees.',
  ];
  if (models.some((m) => m.prices.batch_derived)) notes.push('* batch price derived as 50% of list: the provider states the discount but publishes no row.');
  if (catalog.overlays.length > 0) notes.push(`Entries from --catalog: ${catalog.overlays.join(', ')}.`);
  if (!ctx.quiet) ctx.out(c.dim(notes.join('\n')));
  for (const w of warnings) ctx.out(`${c.warn('warning:')} ${w}`);
  return 0;
}
