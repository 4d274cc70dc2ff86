// One model as `aip models --json` prints it (SPEC "The catalog"): the catalog entry with every field it had
// before (none renamed), plus the SPEC's top-level long_context, max_input, service_tiers and lifecycle
// successor, with null where the data publishes nothing.
import type { Model } from './schema.js';

export function modelJson(m: Model): Record<string, unknown> {
  const successor = m.lifecycle.successor ?? m.lifecycle.replacement ?? null;
  return {
    ...m,
    prices: { ...m.prices },
    long_context: m.prices.long_context ?? null,
    context_window: m.context_window ?? null,
    max_input: m.max_input ?? null,
    max_output: m.max_output ?? null,
    service_tiers: [{ tier: 'standard' }, ...(m.service_tiers ?? [])],
    lifecycle: { ...m.lifecycle, successor, ...(successor ? { replacement: m.lifecycle.replacement ?? successor } : {}) },
  };
}
