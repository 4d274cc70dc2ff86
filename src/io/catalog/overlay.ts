// --catalog FILE: adds or overrides catalog entries. An override may give only the fields it changes,
// but must say where its numbers come from (source, as_of), like every entry in data/.
import { stat } from 'node:fs/promises';
import { readInputFile } from '../file-source.js';
import { FileAccessError } from '../../core/workload/file-source.js';
import { z } from 'zod';
import { UsageError, UsageErrors } from '../../core/errors.js';
import { issuesToErrors, locate, parseYamlSource, type YamlSource } from '../../core/parse/yaml-source.js';
import { applyTerms, defaultTokenizer, isPlainObject } from '../../core/catalog/assemble.js';
import { providerFor } from '../../core/catalog/models.js';
import { checkCatalogRules } from '../../core/catalog/rules.js';
import { FailureRates, Model, ProviderLimits, Thresholds, type Catalog } from '../../core/catalog/schema.js';
import { describeReadError } from '../../core/parse/read-error.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
/**
 * A model entry: a change to a catalog model (any fields, with source and as_of), or a model of your own —
 * at least id, provider (or self-hosted) and the input and output prices (top-level or under prices:).
 */
const ModelEntry = z
  .object({
    id: z.string().min(1),
    source: z.string().min(1).optional(),
    as_of: isoDate.optional(),
    input: z.number().nonnegative().optional(),
    output: z.number().nonnegative().optional(),
  })
  .passthrough();

// An entry that only sets measured speeds (an `aip import --calibration` file) carries its source inside
// `speed`; the model keeps the catalog's source and as_of for everything else (its prices).
const isSpeedOnly = (e: Record<string, unknown>) => Object.keys(e).every((k) => k === 'id' || k === 'speed') && typeof (e.speed as { source?: unknown } | undefined)?.source === 'string';
const OverlayFile = z
  .object({
    models: z.array(ModelEntry).optional(),
    rate_limits: z.array(z.object({ provider: z.string() }).passthrough()).optional(),
    failure_rates: z.unknown().optional(),
    thresholds: z.unknown().optional(),
  })
  .strict();

type Json = Record<string, unknown>;

/** Objects merge key by key; lists of entries with an id-like key merge by that key; anything else replaces. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Json = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
    return out;
  }
  if (Array.isArray(base) && Array.isArray(over)) {
    const idKey = ['id', 'class', 'provider', 'kind'].find((k) => over.every((o) => isPlainObject(o) && k in o));
    if (!idKey) return over;
    const out = [...base];
    for (const o of over as Json[]) {
      const i = out.findIndex((b) => isPlainObject(b) && b[idKey] === o[idKey]);
      if (i >= 0) out[i] = deepMerge(out[i], o);
      else out.push(o);
    }
    return out;
  }
  return over;
}

/**
 * `readText` reads the overlay from elsewhere than the disk (aip check --trust base: the base revision); an entry
 * without `as_of` then takes the catalog's date, since such a file has no modification time of its own.
 */
export async function applyOverlay(catalog: Catalog, shownPath: string, path: string, readText?: (path: string) => Promise<string>): Promise<Catalog> {
  let text: string;
  let fileDate: string;
  try {
    text = await (readText ?? readInputFile)(path);
    fileDate = readText ? catalog.asOf : (await stat(path)).mtime.toISOString().slice(0, 10);
  } catch (err) {
    if (err instanceof FileAccessError) throw new UsageError(err.message, { code: err.code, option: '--catalog', file: shownPath, hint: err.hint });
    throw new UsageError(describeReadError(err, 'a catalog file'), {
      code: 'E_CATALOG_READ',
      option: '--catalog',
      file: shownPath,
      expected: 'a readable YAML or JSON file',
    });
  }
  const src = parseYamlSource(shownPath, text);
  const top = OverlayFile.safeParse(src.data ?? {});
  if (!top.success) throw new UsageErrors(issuesToErrors(src, OverlayFile, top.error.issues));
  const over = top.data;
  const errors: UsageError[] = [];

  const models = [...catalog.models];
  const firstLine = new Map<string, number>();
  over.models?.forEach((entry, i) => {
    const at = locate(src, ['models', i, 'id']);
    const first = firstLine.get(entry.id);
    if (first !== undefined) {
      errors.push(
        new UsageError(`model "${entry.id}" is listed twice in this file (lines ${first} and ${at?.line ?? '?'})`, {
          code: 'E_DUPLICATE_MODEL',
          option: '--catalog',
          file: shownPath,
          ...(at ?? {}),
          field: `models[${i}].id`,
          expected: 'each model once per file',
          hint: `merge the two entries into the one on line ${first}`,
        }),
      );
      return;
    }
    firstLine.set(entry.id, at?.line ?? 0);
    const idx = models.findIndex((m) => m.id === entry.id);
    if (idx >= 0 && !isSpeedOnly(entry) && (entry.source === undefined || entry.as_of === undefined)) {
      const missing = entry.source === undefined ? 'source' : 'as_of';
      errors.push(
        new UsageError(`a change to the catalog's ${entry.id} needs ${missing}: where your figures come from and when`, {
          code: 'E_SCHEMA',
          option: '--catalog',
          file: shownPath,
          ...(locate(src, ['models', i]) ?? {}),
          field: `models[${i}].${missing}`,
          expected: 'source: "…" and as_of: YYYY-MM-DD',
          hint: missing === 'source' ? 'add source: "our contract of 2026-11"' : 'add as_of: 2026-12-01',
        }),
      );
      return;
    }
    const merged = idx >= 0 ? deepMerge(models[idx], entry) : newModel(entry, catalog, shownPath, fileDate);
    const parsed = Model.safeParse(merged);
    if (!parsed.success) {
      errors.push(...issuesToErrors(src, Model, parsed.error.issues, ['models', i]));
      return;
    }
    if (idx >= 0) models[idx] = parsed.data;
    else models.push(parsed.data);
  });

  let rateLimits = catalog.rateLimits;
  if (over.rate_limits) {
    const merged = deepMerge(rateLimits, over.rate_limits);
    const parsed = z.array(ProviderLimits).safeParse(merged);
    if (parsed.success) rateLimits = parsed.data;
    else errors.push(...relocate(src, parsed.error.issues, 'rate_limits'));
  }

  let failureRates = catalog.failureRates;
  if (over.failure_rates !== undefined) {
    const parsed = FailureRates.safeParse(deepMerge(failureRates, over.failure_rates));
    if (parsed.success) failureRates = parsed.data;
    else errors.push(...issuesToErrors(src, FailureRates, parsed.error.issues, ['failure_rates']));
  }

  let thresholds = catalog.thresholds;
  if (over.thresholds !== undefined) {
    const parsed = Thresholds.safeParse(deepMerge(thresholds, over.thresholds));
    if (parsed.success) thresholds = parsed.data;
    else errors.push(...issuesToErrors(src, Thresholds, parsed.error.issues, ['thresholds']));
  }

  if (errors.length > 0) throw new UsageErrors(errors);
  // The catalog's date stays the data's own: an overlay adds the user's figures, each with its own as_of.
  const next = { models, providers: catalog.providers, rateLimits, failureRates, thresholds, asOf: catalog.asOf, ...(catalog.data ? { data: catalog.data } : {}) };
  const problems = checkCatalogRules(next);
  if (problems.length > 0) throw new UsageErrors(problems.map((p) => new UsageError(p, { code: 'E_CATALOG', file: shownPath, option: '--catalog' })));
  return { ...next, overlays: [...catalog.overlays, shownPath] };
}

/**
 * A model of your own from a few fields (id, provider or self-hosted, input and output price): everything
 * else takes a stated default — chat, no caching, batch by the provider's published terms (none for
 * self-hosted), a stand-in tokenizer, a default speed marked as an estimate, no published rate limits,
 * source "your catalog file", as_of the file's modification date.
 */
function newModel(entry: z.infer<typeof ModelEntry>, catalog: Catalog, shownPath: string, fileDate: string): unknown {
  const { input, output, ...rest } = entry;
  const given = (rest as { prices?: Record<string, unknown> }).prices ?? {};
  const provider = typeof (rest as { provider?: unknown }).provider === 'string' ? String((rest as { provider?: unknown }).provider).toLowerCase() : undefined;
  const term = provider ? providerFor(catalog, provider) : undefined;
  const kind = (rest as { kind?: string }).kind;
  const draft: Record<string, unknown> = {
    name: entry.id,
    aliases: [],
    kind: 'chat',
    tokenizer: defaultTokenizer(entry.id.toLowerCase()),
    speed: term?.default_speed ?? { ttft_s: 1, output_tokens_per_s: 60, source: 'estimate: the default for a model added with --catalog (set speed: to change it)' },
    rate_limit_class: null,
    lifecycle: { status: 'active' },
    ...rest,
    ...(term ? { provider: term.id } : {}),
    prices: { cached_input: null, cache_write: null, cache_write_1h: null, ...(kind === 'embedding' ? { output: 0 } : {}), ...given, ...(input !== undefined ? { input } : {}), ...(output !== undefined ? { output } : {}) },
    source: entry.source ?? `your catalog file ${shownPath}`,
    as_of: entry.as_of ?? fileDate,
  };
  const p = draft.prices as Record<string, unknown>;
  if (typeof p.input !== 'number' || typeof p.output !== 'number') return draft; // the schema names what is missing
  if (term) return applyTerms(draft, term);
  return { ...draft, batch_api: draft.batch_api ?? false, caching: draft.caching ?? p.cached_input !== null, prices: { batch_input: null, batch_output: null, batch_cached_input: null, ...p } };
}

/** Issues found in the merged list point into the overlay file where the overlay has that entry. */
function relocate(src: YamlSource, issues: readonly z.core.$ZodIssue[], key: string): UsageError[] {
  return issuesToErrors(src, z.array(ProviderLimits), issues, [key]);
}
