// What a user should know about the catalog's age and the models' lifecycle, as plain sentences.
import type { Catalog, Model } from './schema.js';
import { daysBetween } from '../format.js';

export function staleDays(catalog: Catalog): number {
  return catalog.thresholds.values.stale_catalog_days.value;
}

/** "gpt-5-nano is deprecated: retires 2026-12-11 (use gpt-5-mini)" — undefined for active models. */
export function lifecycleWarning(model: Model, now: Date): string | undefined {
  const l = model.lifecycle;
  if (l.status === 'active' && !l.retires_on) return undefined;
  const today = now.toISOString().slice(0, 10);
  const parts: string[] = [];
  if (l.status === 'retired') parts.push(`${model.id} is retired`);
  else if (l.retires_on && l.retires_on <= today) parts.push(`${model.id} was due to retire on ${l.retires_on}`);
  else if (l.retires_on) parts.push(`${model.id} is ${l.status === 'active' ? 'retiring' : l.status}: retires ${l.retires_on} (in ${-daysBetween(l.retires_on, now)} days)`);
  else parts.push(`${model.id} is ${l.status}`);
  if (l.note) parts.push(l.note);
  if (l.replacement) parts.push(`consider ${l.replacement}`);
  return parts.join('; ');
}

/** "prices of gpt-4o-mini are 120 days old (as_of 2026-07-28)" — undefined when fresh. */
export function staleWarning(model: Model, catalog: Catalog, now: Date): string | undefined {
  const age = daysBetween(model.as_of, now);
  if (age <= staleDays(catalog)) return undefined;
  return `catalog data for ${model.id} is ${age} days old (as_of ${model.as_of}); check current prices or refresh with "aip catalog import-litellm"`;
}
