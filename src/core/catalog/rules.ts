// Rules across catalog entries that a schema of one entry cannot state.
import type { Catalog } from './schema.js';

/** Cross-entry rules: unique ids and aliases, references that resolve, prices that match the flags. */
export function checkCatalogRules(catalog: Omit<Catalog, 'overlays' | 'providers' | 'asOf'> & { providers?: Catalog['providers'] }): string[] {
  const problems: string[] = [];
  const names = new Map<string, string>();
  const ids = new Set(catalog.models.map((m) => m.id));
  for (const m of catalog.models) {
    const successor = m.lifecycle.successor ?? m.lifecycle.replacement;
    if (successor !== undefined && !ids.has(successor)) problems.push(`${m.id}: successor "${successor}" is not a model id of the catalog`);
    if (m.lifecycle.status === 'retired' && successor === undefined) problems.push(`${m.id}: a retired model needs a successor (lifecycle.successor)`);
    for (const name of [m.id, ...m.aliases]) {
      const owner = names.get(name);
      if (owner) problems.push(`model name "${name}" is used by both ${owner} and ${m.id}`);
      names.set(name, m.id);
    }
    const p = m.prices;
    if (m.batch_api && (p.batch_input === null || p.batch_output === null)) problems.push(`${m.id}: batch_api is true but batch prices are missing`);
    if (!m.batch_api && (p.batch_input !== null || p.batch_output !== null)) problems.push(`${m.id}: batch prices are set but batch_api is false`);
    if (m.caching && p.cached_input === null) problems.push(`${m.id}: caching is true but cached_input is null`);
    if (m.max_input !== undefined && m.context_window !== undefined && m.max_input > m.context_window) problems.push(`${m.id}: max_input ${m.max_input} is larger than context_window ${m.context_window}`);
    if (m.rate_limit_class !== null) {
      const provider = catalog.rateLimits.find((r) => r.provider === m.provider);
      if (!provider?.classes.some((c) => c.class === m.rate_limit_class)) {
        problems.push(`${m.id}: rate_limit_class "${m.rate_limit_class}" is not a class of ${m.provider} in rate_limits.yaml`);
      }
    }
  }
  for (const p of catalog.rateLimits) {
    const tiers = p.tier_systems.flatMap((s) => s.tiers);
    if (!tiers.includes(p.default_tier)) problems.push(`${p.provider}: default_tier "${p.default_tier}" is not one of its tiers`);
    for (const c of p.classes) {
      for (const t of Object.keys(c.limits)) if (!tiers.includes(t)) problems.push(`${p.provider}/${c.class}: tier "${t}" is not one of ${tiers.join(', ')}`);
      for (const id of c.models) {
        const m = catalog.models.find((x) => x.id === id);
        if (!m) problems.push(`${p.provider}/${c.class}: lists "${id}", which is not a model id in models.yaml`);
        else if (c.above_input_tokens === undefined && m.rate_limit_class !== c.class) problems.push(`${p.provider}/${c.class}: lists ${id}, but ${id} has rate_limit_class ${m.rate_limit_class ?? 'null'}`);
      }
    }
  }
  return problems;
}
