// What a user should know about the catalog's age and the models' lifecycle, as plain sentences.
import type { Catalog, Model } from './schema.js';
import { daysBetween } from '../format.js';

export function staleDays(catalog: Catalog): number {
  return catalog.thresholds.values.stale_catalog_days.value;
}

/** The model's lifecycle on a date: a deprecated model whose retirement date has passed is retired. */
export function lifecycleOn(model: Model, today: string): { status: Model['lifecycle']['status']; retiresOn: string | undefined; successor: string | undefined } {
  const l = model.lifecycle;
  const retiresOn = l.retires_on;
  const status = l.status === 'retired' || (retiresOn !== undefined && retiresOn <= today) ? 'retired' : l.status;
  return { status, retiresOn, successor: l.successor ?? l.replacement };
}

/** "gpt-5-nano is deprecated: retires 2026-12-11 (in 16 days); consider gpt-5.4-nano" — undefined for active models. */
export function lifecycleWarning(model: Model, now: Date): string | undefined {
  const l = model.lifecycle;
  if (l.status === 'active' && !l.retires_on) return undefined;
  const today = now.toISOString().slice(0, 10);
  const { status, retiresOn, successor } = lifecycleOn(model, today);
  const parts: string[] = [];
  if (status === 'retired') parts.push(`${model.id} is retired${retiresOn ? ` since ${retiresOn}` : ''}`);
  else if (retiresOn) parts.push(`${model.id} is ${l.status === 'active' ? 'retiring' : l.status}: retires ${retiresOn} (in ${-daysBetween(retiresOn, now)} days)`);
  else parts.push(`${model.id} is ${l.status}${l.deprecated_on ? ` since ${l.deprecated_on}` : ''}`);
  if (l.note) parts.push(l.note);
  if (successor) parts.push(`move to ${successor}`);
  return parts.join('; ');
}

/**
 * Once per run, not once per workload: "the catalog's data is 120 days old (as of 2026-07-24): refresh it
 * with "aip catalog update"" — undefined while the data is younger than the threshold (data/thresholds.yaml).
 */
export function catalogAgeWarning(catalog: Catalog, now: Date): string | undefined {
  const age = daysBetween(catalog.asOf, now);
  const limit = staleDays(catalog);
  if (age <= limit) return undefined;
  return `the catalog's price data is ${age} days old (as of ${catalog.asOf}, over ${limit} days): prices may have changed; refresh it with "aip catalog update"`;
}
