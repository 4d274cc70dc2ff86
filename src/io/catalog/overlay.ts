// --catalog FILE: adds or overrides catalog entries. An override may give only the fields it changes,
// but must say where its numbers come from (source, as_of), like every entry in data/.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError, UsageErrors } from '../../core/errors.js';
import { issuesToErrors, parseYamlSource, type YamlSource } from '../../core/parse/yaml-source.js';
import { checkCatalogRules, newestAsOf } from '../../core/catalog/rules.js';
import { FailureRates, Model, ProviderLimits, Thresholds, type Catalog } from '../../core/catalog/schema.js';
import { describeReadError } from '../../core/parse/read-error.js';

const entryBase = z.object({ source: z.string().min(1), as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD') });

// An entry that only sets measured speeds (an `aip import --calibration` file) carries its source inside
// `speed`; the model keeps the catalog's source and as_of for everything else (its prices).
const isSpeedOnly = (e: Record<string, unknown>) => Object.keys(e).every((k) => k === 'id' || k === 'speed') && typeof (e.speed as { source?: unknown } | undefined)?.source === 'string';
const modelEntry = entryBase
  .partial()
  .extend({ id: z.string().min(1) })
  .passthrough()
  .superRefine((e, ctx) => {
    if (isSpeedOnly(e)) return;
    for (const key of ['source', 'as_of'] as const) {
      if (e[key] === undefined) ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined, path: [key], message: 'Invalid input: expected string, received undefined' });
    }
  });

const OverlayFile = z
  .object({
    models: z.array(modelEntry).optional(),
    rate_limits: z.array(z.object({ provider: z.string() }).passthrough()).optional(),
    failure_rates: z.unknown().optional(),
    thresholds: z.unknown().optional(),
  })
  .strict();

type Json = Record<string, unknown>;

function isPlainObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

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

export async function applyOverlay(catalog: Catalog, shownPath: string, path: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
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
  over.models?.forEach((entry, i) => {
    const idx = models.findIndex((m) => m.id === entry.id);
    const merged = idx >= 0 ? deepMerge(models[idx], entry) : entry;
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
  const next = { models, rateLimits, failureRates, thresholds, asOf: newestAsOf(models, rateLimits, failureRates, thresholds) };
  const problems = checkCatalogRules(next);
  if (problems.length > 0) throw new UsageErrors(problems.map((p) => new UsageError(p, { code: 'E_CATALOG', file: shownPath, option: '--catalog' })));
  return { ...next, overlays: [...catalog.overlays, shownPath] };
}

/** Issues found in the merged list point into the overlay file where the overlay has that entry. */
function relocate(src: YamlSource, issues: readonly z.core.$ZodIssue[], key: string): UsageError[] {
  return issuesToErrors(src, z.array(ProviderLimits), issues, [key]);
}
