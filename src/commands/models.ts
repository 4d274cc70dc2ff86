// aip models: the catalog as a table a person can read (grouped by provider, prices aligned), or as JSON.
import type { Context } from '../io/context.js';
import { loadCatalog } from '../io/catalog/load.js';
import type { Catalog, Model } from '../core/catalog/schema.js';
import { lifecycleWarning, staleDays } from '../core/catalog/warnings.js';
import { UsageError } from '../core/errors.js';
import { palette } from '../render/kit/color.js';
import { daysBetween } from '../core/format.js';
import { renderModelsTable } from '../render/models.js';
import { wrap } from '../render/kit/wrap.js';
import { closest } from '../core/suggest.js';

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
  const hiddenRetired = opts.all ? 0 : models.filter((m) => m.lifecycle.status === 'retired').length;
  if (!opts.all) models = models.filter((m) => m.lifecycle.status !== 'retired');
  const now = ctx.now();
  const warnings = [...models.map((m) => lifecycleWarning(m, now)).filter((w): w is string => w !== undefined), ...staleWarnings(models, catalog, now)];

  if (ctx.json) {
    ctx.out(JSON.stringify({ catalog_as_of: catalog.asOf, overlays: catalog.overlays, models, warnings }, null, 2));
    return 0;
  }

  ctx.out(renderModelsTable(models, catalog, { color: ctx.color, quiet: ctx.quiet, hiddenRetired }));
  const width = Math.min(ctx.stderr.columns ?? 120, 120);
  for (const w of warnings) ctx.err(wrap(`${palette(ctx.stderrColor).warn('warning:')} ${w}`, width));
  return 0;
}

/** One line per as_of date older than the threshold, naming the models, instead of one line per model. */
function staleWarnings(models: readonly Model[], catalog: Catalog, now: Date): string[] {
  const limit = staleDays(catalog);
  const byDate = new Map<string, string[]>();
  for (const m of models) if (daysBetween(m.as_of, now) > limit) byDate.set(m.as_of, [...(byDate.get(m.as_of) ?? []), m.id]);
  return [...byDate].sort().map(([asOf, ids]) => `catalog data is ${daysBetween(asOf, now)} days old (as_of ${asOf}, over ${limit} days) for ${ids.join(', ')}: check current prices or refresh with "aip catalog import-litellm"`);
}
