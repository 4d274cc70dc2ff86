// aip models: the catalog as a table a person can read (grouped by provider, prices aligned), or as JSON
// (SPEC "The catalog": every model with its prices, long-context tier, limits, service tiers, lifecycle).
import { finiteJson } from '../render/kit/json.js';
import type { Context } from '../io/context.js';
import { loadCatalog } from '../io/catalog/load.js';
import type { Catalog, Model } from '../core/catalog/schema.js';
import { catalogAgeWarning, lifecycleWarning } from '../core/catalog/warnings.js';
import { modelsOf, providerCounts, providerFor } from '../core/catalog/models.js';
import { UsageError } from '../core/errors.js';
import { palette } from '../render/kit/color.js';
import { renderModelsTable } from '../render/models.js';
import { wrap } from '../render/kit/wrap.js';
import { closest } from '../core/suggest.js';
import { modelJson } from '../core/catalog/model-json.js';

interface ModelsOptions {
  provider?: string;
  all?: boolean;
}

export async function modelsCommand(ctx: Context, opts: ModelsOptions): Promise<number> {
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });
  let models: Model[];
  const otherProviders: Record<string, number> = {};
  const wantedAll = opts.provider?.toLowerCase() === 'all';
  const counts = providerCounts(catalog);
  if (opts.provider && !wantedAll) {
    const term = providerFor(catalog, opts.provider);
    const id = term?.id ?? opts.provider.toLowerCase();
    if (!counts[id]) {
      const providers = Object.keys(counts);
      const guess = closest(opts.provider, providers, 1)[0];
      throw new UsageError(`unknown provider "${opts.provider}"`, {
        code: 'E_UNKNOWN_PROVIDER',
        option: '--provider',
        expected: `one of: ${providers.join(', ')} (or all)`,
        hint: guess ? `did you mean "${guess}"?` : undefined,
      });
    }
    models = modelsOf(catalog, id);
  } else if (!wantedAll && !ctx.json) {
    // The table shows the first-party APIs people call by plain names; the rest is one option away.
    const shown = catalog.providers.filter((p) => p.bare_names).map((p) => p.id);
    for (const [p, n] of Object.entries(counts)) if (!shown.includes(p)) otherProviders[p] = n;
    models = shown.flatMap((p) => modelsOf(catalog, p));
    if (catalog.overlays.length > 0) models.push(...catalog.models.filter((m) => !shown.includes(m.provider) && isOverlayModel(m, catalog)));
  } else models = catalog.models;
  const hiddenRetired = opts.all ? 0 : models.filter((m) => m.lifecycle.status === 'retired').length;
  if (!opts.all) models = models.filter((m) => m.lifecycle.status !== 'retired');
  const now = ctx.now();
  const age = catalogAgeWarning(catalog, now);
  const warnings = [...models.map((m) => lifecycleWarning(m, now)).filter((w): w is string => w !== undefined && models.length <= 200), ...(age ? [age] : [])];

  if (ctx.json) {
    const d = catalog.data;
    ctx.out(
      finiteJson({
        catalog_as_of: catalog.asOf,
        catalog: d ? { base: d.base, curated_as_of: d.curatedAsOf, origin: d.origin, ...(d.from ? { from: d.from } : {}) } : null,
        overlays: catalog.overlays,
        models: models.map(modelJson),
        warnings,
      }),
    );
    return 0;
  }

  ctx.out(renderModelsTable(models, catalog, { color: ctx.color, quiet: ctx.quiet, hiddenRetired, otherProviders, width: ctx.width }));
  const width = Math.min(ctx.width, 120);
  for (const w of warnings) ctx.err(wrap(`${palette(ctx.stderrColor).warn('warning:')} ${w}`, width));
  return 0;
}

/** A model an overlay added: shown in the default table whatever its provider. */
function isOverlayModel(m: Model, catalog: Catalog): boolean {
  return catalog.overlays.some((o) => m.source.includes(o));
}
