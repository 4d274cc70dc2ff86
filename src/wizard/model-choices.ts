// The model picker's list: catalog models grouped by provider with their prices, filtered as the user types.
import type { Catalog, Model } from '../core/catalog/schema.js';
import { compact, pricePerMillion } from '../core/format.js';
import type { Choice, Heading } from './ask.js';
import type { Situation } from './situations.js';

/**
 * Models that fit the situation (embeddings need an embedding model, text work a chat or reasoning one),
 * among the first-party APIs people call by plain names and any model a --catalog file added.
 */
export function modelsFor(catalog: Catalog, s: Situation): Model[] {
  const firstParty = new Set(catalog.providers.filter((p) => p.bare_names).map((p) => p.id));
  return catalog.models.filter((m) => {
    if (!firstParty.has(m.provider) && !catalog.overlays.some((o) => m.source.includes(o))) return false;
    if (m.lifecycle.status === 'retired') return false;
    if (s.modelKind === 'embedding') return m.kind === 'embedding';
    if (s.modelKind === 'text') return m.kind !== 'embedding';
    return true;
  });
}

/** The situation's suggestion that the catalog has, else the cheapest fitting model. */
export function suggestedModel(catalog: Catalog, s: Situation): Model {
  const fitting = modelsFor(catalog, s);
  for (const id of s.models) {
    const m = fitting.find((x) => x.id === id);
    if (m) return m;
  }
  const cheapest = [...fitting].sort((a, b) => a.prices.input + a.prices.output - (b.prices.input + b.prices.output))[0];
  if (!cheapest) throw new Error(`the catalog has no model for ${s.id}`);
  return cheapest;
}

/** Every word of the term appears in the model's id, name, provider or aliases. */
export function matches(m: Model, term: string): boolean {
  const hay = [m.id, m.name, m.provider, ...m.aliases].join(' ').toLowerCase();
  return term
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => hay.includes(word));
}

/** "$0.15 in · $0.60 out" plus what the model offers for batch and caching. */
export function priceLine(m: Model): string {
  const parts = [`${pricePerMillion(m.prices.input)} in`, `${pricePerMillion(m.prices.output)} out`];
  if (m.batch_api) parts.push('batch');
  if (m.caching) parts.push('cache');
  return parts.join(' · ');
}

/**
 * The list for `term`: the suggested model's provider first and the suggested model at its top (so Enter
 * takes it), the other providers after, each under a heading.
 */
export function modelChoices(models: readonly Model[], suggested: Model, term: string): Array<Choice<string> | Heading> {
  const found = models.filter((m) => matches(m, term));
  const providers = [...new Set(found.map((m) => m.provider))].sort((a, b) => Number(b === suggested.provider) - Number(a === suggested.provider));
  const width = Math.max(0, ...found.map((m) => m.id.length));
  const out: Array<Choice<string> | Heading> = [];
  for (const provider of providers) {
    out.push({ heading: `── ${provider} ──` });
    const group = found.filter((m) => m.provider === provider).sort((a, b) => Number(b.id === suggested.id) - Number(a.id === suggested.id));
    for (const m of group) {
      const status = m.lifecycle.status === 'active' ? '' : ` (${m.lifecycle.status})`;
      out.push({
        value: m.id,
        short: m.id,
        name: `${m.id.padEnd(width)}  ${priceLine(m)}${status}`,
        description: `${m.name}: USD per 1M tokens; context ${compact(m.context_window)}, ~${Math.round(m.speed.output_tokens_per_s)} tok/s${m.lifecycle.note ? `; ${m.lifecycle.note}` : ''}`,
      });
    }
  }
  return out;
}
