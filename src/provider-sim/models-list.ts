// GET /v1/models and /v1/models/{id}: the catalog's models, in each provider's list format.
import type { Model } from '../core/catalog/schema.js';
import type { Exchange } from './exchange.js';
import { errors } from './provider-errors.js';

const unix = (isoDate: string) => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / 1000);

function openaiModel(m: Model) {
  return { id: m.id, object: 'model', created: unix(m.as_of), owned_by: m.provider === 'openai' ? 'system' : m.provider };
}

function anthropicModel(m: Model) {
  return { type: 'model', id: m.id, display_name: m.name, created_at: `${m.as_of}T00:00:00Z` };
}

/** Each provider's /v1/models lists only its own models (OpenAI: OpenAI's; Anthropic: Claude only). */
export function handleListModels(x: Exchange): void {
  const provider = x.surface === 'anthropic' ? 'anthropic' : 'openai';
  const models = x.state.catalog.models.filter((m) => m.lifecycle.status !== 'retired' && m.provider === provider);
  if (x.surface === 'openai') return x.json({ object: 'list', data: models.map(openaiModel) });
  const data = models.map(anthropicModel);
  x.json({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null });
}

export function handleGetModel(x: Exchange, id: string): void {
  const m = x.state.findModel(decodeURIComponent(id));
  const provider = x.surface === 'anthropic' ? 'anthropic' : 'openai';
  if (!m || m.provider !== provider) throw errors.unknownModel(x.surface, decodeURIComponent(id));
  x.json(x.surface === 'openai' ? openaiModel(m) : anthropicModel(m));
}
