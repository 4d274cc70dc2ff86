// Finding a model by the names people use: its id, a dated snapshot, or "provider/id".
import { UsageError } from '../errors.js';
import { closest } from '../suggest.js';
import type { Catalog, Model } from './schema.js';

const PROVIDER_PREFIXES: Record<string, string> = { openai: 'openai', anthropic: 'anthropic', google: 'google', gemini: 'google', 'vertex_ai': 'google' };

export function findModel(catalog: Catalog, name: string): Model | undefined {
  const wanted = name.trim().toLowerCase();
  let provider: string | undefined;
  let bare = wanted;
  const slash = wanted.indexOf('/');
  if (slash > 0) {
    provider = PROVIDER_PREFIXES[wanted.slice(0, slash)];
    bare = wanted.slice(slash + 1);
  }
  return catalog.models.find((m) => (provider === undefined || m.provider === provider) && (m.id === bare || m.aliases.includes(bare)));
}

/** The model, or a UsageError that suggests the closest ids. */
export function resolveModel(catalog: Catalog, name: string, where: { file?: string; line?: number; col?: number; field?: string; option?: string } = {}): Model {
  const model = findModel(catalog, name);
  if (model) return model;
  const names = catalog.models.flatMap((m) => [m.id, ...m.aliases]);
  const guesses = closest(name.replace(/^[a-z_]+\//, ''), names, 3);
  throw new UsageError(`unknown model "${name}"`, {
    code: 'E_UNKNOWN_MODEL',
    ...where,
    expected: 'a model id from the catalog (see "aip models")',
    hint: guesses.length ? `did you mean ${guesses.map((g) => `"${g}"`).join(' or ')}?` : 'run "aip models" for the list, or add it with --catalog FILE',
  });
}
