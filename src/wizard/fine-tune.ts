// The wizard's optional fine-tuning step: peak factor, output p95, a fallback model and a pricing
// override. Asked only when chosen after the preview, so the typical feature stays a few Enters long.
import type { Catalog, Model } from '../core/catalog/schema.js';
import { pricePerMillion } from '../core/format.js';
import type { Ask, Choice, Heading } from './ask.js';
import type { PriceField, WorkloadDraft } from './draft.js';
import { modelChoices, modelsFor } from './model-choices.js';
import { numberCheck, rules, typedCount, typedNumber } from './rules.js';
import { situation } from './situations.js';

/** The override fields the wizard asks about, in order (cache writes and batch caching stay the catalog's). */
export const priceFields: readonly PriceField[] = ['input', 'output', 'cached_input', 'batch_input', 'batch_output'];

const priceLabels: Record<PriceField, string> = {
  input: 'Input',
  output: 'Output',
  cached_input: 'Cached input',
  batch_input: 'Batch input',
  batch_output: 'Batch output',
};

/** Someone waiting sees bursts (a chat's busy hour is ~3× its average); work nobody waits for can be spread. */
export function defaultPeakFactor(w: Pick<WorkloadDraft, 'user_facing' | 'latency'>): number {
  return w.user_facing || w.latency === 'interactive' ? 3 : 1;
}

/** Long replies have a long tail (~3× the mean); a label or a score of a few tokens has none worth naming. */
export function defaultOutputP95(meanTokens: number): number | undefined {
  return meanTokens >= 100 ? meanTokens * 3 : undefined;
}

/** Per 1M tokens of the workload's own mix: what "comparable price" is measured by. */
function blendedPrice(m: Model, w: WorkloadDraft, inputTokens: number): number {
  return (inputTokens * m.prices.input + w.output.tokens * m.prices.output) / Math.max(1, inputTokens + w.output.tokens);
}

/**
 * The fallback to offer: a model of another provider whose price for this workload is closest to the
 * primary's (a failover should not change the bill by an order of magnitude); the same provider's only if
 * no other provider has a fitting model.
 */
export function suggestedFallback(catalog: Catalog, w: WorkloadDraft, inputTokens: number): Model | undefined {
  const primary = catalog.models.find((m) => m.id === w.model)!;
  const fitting = modelsFor(catalog, situation(w.task)).filter((m) => m.id !== primary.id && m.lifecycle.status === 'active' && (primary.kind === 'embedding') === (m.kind === 'embedding'));
  const others = fitting.filter((m) => m.provider !== primary.provider);
  const pool = others.length > 0 ? others : fitting;
  const target = blendedPrice(primary, w, inputTokens);
  const distance = (m: Model) => Math.abs(Math.log((blendedPrice(m, w, inputTokens) + 1e-9) / (target + 1e-9)));
  return [...pool].sort((a, b) => distance(a) - distance(b) || a.id.localeCompare(b.id))[0];
}

/** The draft with the fine-tuning answers; the draft's own values (from an earlier pass) are the defaults. */
export async function askFineTune(ask: Ask, catalog: Catalog, draft: WorkloadDraft, inputTokens: number): Promise<WorkloadDraft> {
  const model = catalog.models.find((m) => m.id === draft.model)!;
  const out: WorkloadDraft = { ...draft, output: { ...draft.output } };

  const peak = await ask.input({
    id: 'peak_factor',
    message: 'Peak factor: the busiest minute\'s rate ÷ the average rate (1 = steady)',
    default: String(draft.peak_factor ?? defaultPeakFactor(draft)),
    validate: (t) => numberCheck(t, rules.peakFactor, 'a number of at least 1, e.g. 3'),
  });
  out.peak_factor = typedNumber(peak)!;

  if (model.kind !== 'embedding' && draft.output.tokens > 0) {
    const mean = draft.output.tokens;
    const suggested = draft.output.p95 ?? defaultOutputP95(mean);
    const text = (
      await ask.input({
        id: 'output_p95',
        message: `Output tokens at p95 (the long replies that set the timeout; at least the mean ${mean}, or "none")`,
        default: suggested === undefined ? 'none' : String(suggested),
        validate: (t) => (t.trim().toLowerCase() === 'none' ? true : numberCheck(t, (n) => rules.outputP95(n, mean), `a whole number of tokens of at least ${mean}, or none`, typedCount)),
      })
    ).trim();
    if (text.toLowerCase() === 'none') delete out.output.p95;
    else out.output.p95 = typedCount(text)!;
  }

  const fallback = await askFallback(ask, catalog, draft, model, inputTokens);
  if (fallback === undefined) delete out.fallback;
  else out.fallback = fallback;

  const pricing = await askPricing(ask, model, draft.pricing);
  if (pricing === undefined) delete out.pricing;
  else out.pricing = pricing;
  return out;
}

const NONE = '(none)';

async function askFallback(ask: Ask, catalog: Catalog, draft: WorkloadDraft, model: Model, inputTokens: number): Promise<string | undefined> {
  const models = modelsFor(catalog, situation(draft.task)).filter((m) => m.id !== model.id && (model.kind === 'embedding') === (m.kind === 'embedding'));
  const previous = models.find((m) => m.id === draft.fallback);
  // A second pass keeps the first answer, "none" included, as what Enter takes.
  const keepNone = draft.fallback === undefined && draft.peak_factor !== undefined;
  const suggested = previous ?? suggestedFallback(catalog, draft, inputTokens);
  const none: Choice<string> = { value: NONE, name: 'none', short: 'none', description: 'no fallback: failures are retried on the same model' };
  const source = (term: string): Array<Choice<string> | Heading> => {
    const list = suggested ? modelChoices(models, suggested, term) : [];
    const showNone = term.trim() === '' || 'none'.includes(term.trim().toLowerCase());
    if (!showNone) return list;
    return keepNone || !suggested ? [none, ...list] : [...list, none];
  };
  const chosen = await ask.search<string>({
    id: 'fallback',
    message: 'Fallback model when the provider fails (another provider survives its outages; type to filter)',
    source,
    default: keepNone || !suggested ? NONE : suggested.id,
  });
  return chosen === NONE ? undefined : chosen;
}

async function askPricing(ask: Ask, model: Model, previous: WorkloadDraft['pricing']): Promise<WorkloadDraft['pricing']> {
  const own = await ask.confirm({
    id: 'pricing_override',
    message: `Do you pay other prices for ${model.id} than its list prices (negotiated or self-hosted)?`,
    default: previous !== undefined,
  });
  if (!own) return undefined;
  const pricing: NonNullable<WorkloadDraft['pricing']> = {};
  for (const field of priceFields) {
    const list = model.prices[field];
    if (list === null) continue; // the model has no such price (no caching, no batch API)
    const text = await ask.input({
      id: `price_${field}`,
      message: `${priceLabels[field]} price, USD per 1M tokens (list ${pricePerMillion(list)})`,
      default: String(previous?.[field] ?? list),
      validate: (t) => numberCheck(t, (n) => rules.price(field, n), 'USD per 1M tokens, e.g. 0.12'),
    });
    const price = typedNumber(text)!;
    // Only what differs from the catalog is written: the rest keeps following the catalog.
    if (price !== list) pricing[field] = price;
  }
  return Object.keys(pricing).length > 0 ? pricing : undefined;
}
