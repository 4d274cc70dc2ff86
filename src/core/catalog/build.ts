// The catalog from its inputs (pure): the base snapshot and aip's curated layer are assembled into models,
// each model is validated, and the rules across entries are checked. The same function runs at build time
// (data/ → dist/catalog.json), in `aip catalog update` (a newer base + the shipped curated layer) and when an
// updated catalog must be re-merged with a newer curated layer.
import { createHash } from 'node:crypto';
import { assembleModels, type CuratedModels } from './assemble.js';
import type { BaseSnapshot } from './base-data.js';
import { checkCatalogRules } from './rules.js';
import { Model, type Catalog, type CatalogData, type FailureRates, type ProviderLimits, type ProviderTerms, type Thresholds } from './schema.js';

/** Everything aip curates (data/ minus the base snapshot): shipped inside the compiled catalog. */
export interface CuratedInputs {
  providers: ProviderTerms[];
  providersAsOf: string;
  models: CuratedModels;
  rateLimits: ProviderLimits[];
  failureRates: FailureRates;
  thresholds: Thresholds;
}

export interface BuiltCatalog {
  catalog: Omit<Catalog, 'overlays'>;
  problems: string[];
  skipped: Array<{ provider: string; id: string; reason: string }>;
}

/** A fingerprint of the curated inputs: an updated catalog built with other curated data is re-merged. */
export function curatedHash(c: CuratedInputs): string {
  return createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 16);
}

export function buildCatalog(base: BaseSnapshot, curated: CuratedInputs, origin: CatalogData['origin'] = 'shipped'): BuiltCatalog {
  const assembled = assembleModels(base, curated.providers, curated.models);
  const problems = [...assembled.problems];
  const models: Model[] = [];
  for (const draft of assembled.models) {
    const parsed = Model.safeParse(draft);
    if (parsed.success) models.push(parsed.data);
    else {
      const issue = parsed.error.issues[0]!;
      problems.push(`model ${String(draft.id)}: ${issue.path.join('.') || '(entry)'}: ${issue.message}`);
    }
  }
  models.sort(byProviderThenId(curated.providers));
  const data: CatalogData = {
    asOf: base.as_of,
    base: { name: base.name, version: base.version, as_of: base.as_of, url: base.url },
    curatedAsOf: curated.models.as_of > curated.providersAsOf ? curated.models.as_of : curated.providersAsOf,
    origin,
  };
  const catalog = { models, providers: curated.providers, rateLimits: curated.rateLimits, failureRates: curated.failureRates, thresholds: curated.thresholds, asOf: data.asOf, data };
  problems.push(...checkCatalogRules(catalog));
  return { catalog, problems, skipped: assembled.skipped };
}

/** Providers in the order of data/providers.yaml (first-party first), then models by id. */
function byProviderThenId(providers: readonly ProviderTerms[]): (a: Model, b: Model) => number {
  const order = new Map(providers.map((p, i) => [p.id, i]));
  return (a, b) => (order.get(a.provider) ?? 999) - (order.get(b.provider) ?? 999) || a.id.localeCompare(b.id);
}

/** How many priced chat and embedding models per provider: the coverage figure of docs/catalog.md. */
export function coverage(models: readonly Model[]): { models: number; chat: number; embedding: number; providers: Record<string, number> } {
  const providers: Record<string, number> = {};
  let chat = 0;
  let embedding = 0;
  for (const m of models) {
    providers[m.provider] = (providers[m.provider] ?? 0) + 1;
    if (m.kind === 'embedding') embedding++;
    else chat++;
  }
  return { models: models.length, chat, embedding, providers };
}
