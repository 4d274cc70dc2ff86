// Reads workload files into normalised workloads: units resolved (requests per month, tolerance in
// seconds), prompt files tokenized, models and tiers resolved from the catalog. Every problem is
// reported with file:line:col and field; several problems in one file are reported together (exit 2).
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { z } from 'zod';
import { resolveModel } from '../catalog/models.js';
import { matchAccountTier } from '../catalog/account-tiers.js';
import { lifecycleOn } from '../catalog/warnings.js';
import type { Catalog, Model, ModelPrices, ProviderId } from '../catalog/schema.js';
import { UsageError, UsageErrors } from '../errors.js';
import { closest } from '../suggest.js';
import { allowedKeysAt, describeValue, formatPath, issuesToErrors, locate, parseYamlSource, valueAt, type PathKey, type YamlSource } from '../parse/yaml-source.js';
import { TASK_ALIASES, WorkloadFileSchema, type ServiceTierName, type TaskKind, type WorkloadSpec, type reasoningEfforts } from './schema.js';

type ReasoningEffort = (typeof reasoningEfforts)[number];
import { FileAccessError, type FileSource } from './file-source.js';
import type { TokenCountCache } from '../tokens/count-cache.js';
import type { Cooperate } from '../tokens/tokenizer.js';
import { COUNT_EXPECTED, DURATION_EXPECTED, FRACTION_EXPECTED, VOLUME_EXPECTED, latencySuggestion, parseDuration, parseVolume, type LatencyKeyword } from './units.js';
import { describeReadError } from '../parse/read-error.js';

export interface PromptFileCount {
  /** Relative to the current directory, as a person would type it. */
  path: string;
  tokens: number;
}

export interface Workload {
  name: string;
  /** The workload file as the user named it, and the line of this workload's entry. */
  file: string;
  line: number;
  /** Line of each key of the entry (name, model, volume, input, …) for annotations. */
  lines: Record<string, number>;
  model: Model;
  fallback: Model | undefined;
  /** The account's tier for the model's provider, from `tiers:`; undefined = the provider's default tier. */
  tier: string | undefined;
  task: TaskKind | undefined;
  userFacing: boolean;
  requestsPerMonth: number;
  volumeText: string;
  toleranceSeconds: number;
  latencyText: string;
  input: {
    /** Mean input tokens per request (prompt mean + extra_tokens where tokenized). */
    tokens: number;
    cachedFraction: number;
    from: 'tokens' | 'prompt' | 'text';
    promptFiles: PromptFileCount[];
    extraTokens: number;
    /** true where the count comes from a stand-in tokenizer (Claude, Gemini). */
    approximate: boolean;
    /** e.g. "tiktoken:o200k_base"; undefined for `tokens:`. */
    method: string | undefined;
    errorNote: string | undefined;
    /** The prompt-cache TTL the workload chose (input.cache_ttl); undefined = the provider's default (5 minutes). */
    cacheTtl?: '5m' | '1h';
    /** input.cached_measured: the cached share is what the provider billed (aip import), so it is priced as given. */
    cachedMeasured?: true;
  };
  /**
   * Visible output tokens (mean, p95) and hidden reasoning tokens per request (mean, p95): from
   * output.reasoning_tokens, or output.reasoning × a typical multiplier (data/thresholds.yaml), else 0.
   * Reasoning tokens are billed as output and count in tokens per minute and latency.
   */
  output: { tokens: number; p95: number | undefined; reasoningTokens?: number; reasoningP95?: number | undefined; reasoningFrom?: 'tokens' | ReasoningEffort | undefined };
  peakFactor: number;
  /** The tiers the workload restricts itself to (service_tiers:); undefined = every tier the model offers. */
  serviceTiers?: ServiceTierName[] | undefined;
  /** A provisioned-capacity offer the team has (provisioned:), with defaults filled in. */
  provisioned?: ProvisionedOffer | undefined;
  /** Prices given in the file (USD per 1M), over the catalog's. */
  pricing: Partial<ModelPrices> | undefined;
}

export interface ProvisionedOffer {
  usdPerUnitHour: number;
  inputTpmPerUnit: number;
  minUnits: number;
  unitIncrement: number;
  /** Where the offer comes from: the workload file, or the catalog's published offer. */
  from: 'file' | 'catalog';
}

export interface WorkloadFile {
  file: string;
  tiers: Partial<Record<ProviderId, string>>;
  settings: { minBatchSavingUsd: number | undefined };
  workloads: Workload[];
}

export interface LoadWorkloadOptions {
  catalog: Catalog;
  /**
   * Today (YYYY-MM-DD, from the injected clock): a model retired by then is an error of the file (exit 2,
   * with its retirement date and successor). Undefined: lifecycle is not checked (aip check prices both
   * revisions and reports a retired model as a failed gate itself).
   */
  today?: string;
  /** Relative paths (the file, prompt globs are relative to the file) resolve against this. */
  cwd: string;
  /** Where the file and its prompt files are read from (io/file-source.ts reads the disk). */
  source: FileSource;
  /** Token counts already known (on disk between runs): the tokenizer is loaded only for new text. */
  tokenCache?: TokenCountCache;
  /** Long prompt texts are counted in steps that let the event loop run and stop on this signal (Ctrl-C). */
  cooperate?: Cooperate;
}

export async function readWorkloadFiles(files: readonly string[], opts: LoadWorkloadOptions): Promise<WorkloadFile[]> {
  const out: WorkloadFile[] = [];
  const errors: UsageError[] = [];
  for (const file of files) {
    try {
      out.push(await readWorkloadFile(file, opts));
    } catch (err) {
      if (err instanceof UsageErrors) errors.push(...err.errors);
      else if (err instanceof UsageError) errors.push(err);
      else throw err;
    }
  }
  if (errors.length > 0) throw new UsageErrors(errors);
  return out;
}

export async function readWorkloadFile(file: string, opts: LoadWorkloadOptions): Promise<WorkloadFile> {
  const source = opts.source;
  const path = isAbsolute(file) ? file : resolve(opts.cwd, file);
  let text: string;
  try {
    text = await source.readText(path);
  } catch (err) {
    if (err instanceof FileAccessError) throw new UsageError(err.message, { code: err.code, file, hint: err.hint });
    throw new UsageError(describeReadError(err, 'a workload file'), {
      code: 'E_FILE',
      file,
      expected: 'a workload file (YAML)',
      hint: 'see examples/workloads.yaml, or run "aip wizard" to write one',
    });
  }
  const src = parseYamlSource(file, text);
  return normaliseWorkloadSource(src, { ...opts, source, absolutePath: path });
}

/** Turn a parsed file into workloads, collecting every problem before throwing them together. */
export async function normaliseWorkloadSource(src: YamlSource, opts: LoadWorkloadOptions & { absolutePath?: string }): Promise<WorkloadFile> {
  const { catalog } = opts;
  const source = opts.source;
  if (src.data === null || src.data === undefined || (typeof src.text === 'string' && src.text.trim() === '')) {
    throw new UsageError('the file is empty', {
      code: 'E_EMPTY',
      file: src.file,
      line: 1,
      col: 1,
      field: '(top level)',
      expected: 'version: 1 and a list of workloads',
      hint: 'run "aip init" for a commented starter file, or start from aip\'s examples/workloads.yaml',
    });
  }
  const parsed = WorkloadFileSchema.safeParse(src.data);
  // Unknown model and fallback names are reported with the schema's problems, not one round of fixes later.
  if (!parsed.success) throw new UsageErrors(sortByPosition([...schemaErrors(src, WorkloadFileSchema, parsed.error.issues), ...modelNameErrors(src, catalog)]));
  const data = parsed.data;
  const errors: UsageError[] = [];
  const at = (path: PathKey[], field?: string) => ({ file: src.file, ...locate(src, path), field: field ?? formatPath(path) });

  const tiers = resolveTiers(data.tiers ?? {}, catalog, at, errors);
  const keywords = latencyKeywordSeconds(catalog);
  const fileDir = dirname(opts.absolutePath ?? resolve(opts.cwd, src.file));
  const seen = new Map<string, number>();
  const workloads: Workload[] = [];

  for (const [i, spec] of data.workloads.entries()) {
    const base: PathKey[] = ['workloads', i];
    const line = locate(src, base)?.line ?? 1;
    const first = seen.get(spec.name);
    if (first !== undefined) {
      errors.push(new UsageError(`duplicate workload name (first used on line ${first})`, { code: 'E_DUPLICATE', ...at([...base, 'name']), expected: 'a name unique in the file', hint: 'rename one of them, e.g. add "-2"' }));
    } else seen.set(spec.name, locate(src, [...base, 'name'])?.line ?? line);

    let model: Model | undefined;
    try {
      model = resolveModel(catalog, spec.model, at([...base, 'model']));
    } catch (err) {
      errors.push(err as UsageError);
    }
    let fallback: Model | undefined;
    if (spec.fallback !== undefined) {
      try {
        fallback = resolveModel(catalog, spec.fallback, at([...base, 'fallback']));
      } catch (err) {
        errors.push(err as UsageError);
      }
    }
    if (!model) continue;
    if (opts.today !== undefined) {
      for (const [key, m] of [['model', model], ['fallback', fallback]] as const) {
        const retired = m && retiredError(m, opts.today, at([...base, key]));
        if (retired) errors.push(retired);
      }
    }
    const ttlChoices = catalog.providers.find((p) => p.id === model.provider)?.cache?.ttl_choices ?? [];
    if (spec.input.cache_ttl !== undefined && ttlChoices.length < 2 && !(spec.input.cache_ttl === '1h' && model.prices.cache_write_1h !== null)) {
      errors.push(
        new UsageError(`${model.id} (${model.provider}) offers no choice of cache lifetime: cache_ttl is priced only where the provider sells both a 5-minute and a 1-hour cache write`, {
          code: 'E_CACHE_TTL',
          ...at([...base, 'input', 'cache_ttl']),
          expected: `${model.provider} offers ${ttlChoices.length === 0 ? 'no cache-lifetime choice' : `only ${ttlChoices.join(', ')}`}; a choice exists for Anthropic models (5m or 1h)`,
          hint: 'remove cache_ttl',
        }),
      );
    }
    errors.push(...tierErrors(spec, model, at, base));
    if (fallback && fallback.id === model.id) {
      errors.push(new UsageError(`the fallback is the model itself (${model.id})`, { code: 'E_FALLBACK', ...at([...base, 'fallback']), expected: 'a different model, ideally of another provider', hint: 'e.g. fallback: claude-haiku-4-5' }));
    }
    if (model.kind === 'embedding' && spec.output.tokens > 0) {
      errors.push(new UsageError(`${model.id} is an embedding model: it returns a vector, not output tokens`, { code: 'E_OUTPUT', ...at([...base, 'output', 'tokens']), expected: 'output: { tokens: 0 }' }));
    }

    let input: Workload['input'];
    try {
      input = await normaliseInput(spec, model, { src, base, fileDir, cwd: opts.cwd, source, at, tokenCache: opts.tokenCache, cooperate: opts.cooperate });
    } catch (err) {
      if (err instanceof UsageError) {
        errors.push(err);
        continue;
      }
      throw err;
    }

    const volume = parseVolume(spec.volume);
    const latency = parseDuration(spec.latency, keywords);
    if (!volume.ok || !latency.ok) continue; // the schema already reported these
    workloads.push({
      name: spec.name,
      file: src.file,
      line,
      lines: keyLines(src, base, spec),
      model,
      fallback,
      tier: tiers[model.provider],
      task: spec.task,
      userFacing: spec.user_facing ?? false,
      requestsPerMonth: volume.perMonth,
      volumeText: String(spec.volume),
      toleranceSeconds: latency.seconds,
      latencyText: spec.latency,
      input,
      output: { tokens: spec.output.tokens, p95: spec.output.p95, ...reasoningOf(spec, catalog) },
      peakFactor: spec.peak_factor ?? 1,
      pricing: spec.pricing,
      serviceTiers: spec.service_tiers,
      provisioned: spec.provisioned
        ? { usdPerUnitHour: spec.provisioned.usd_per_unit_hour, inputTpmPerUnit: spec.provisioned.input_tpm_per_unit, minUnits: spec.provisioned.min_units ?? 1, unitIncrement: spec.provisioned.unit_increment ?? 1, from: 'file' }
        : undefined,
    });
  }
  if (errors.length > 0) throw new UsageErrors(sortByPosition(errors));
  return { file: src.file, tiers, settings: { minBatchSavingUsd: data.settings?.min_batch_saving_usd }, workloads };
}

type At = (path: PathKey[], field?: string) => { file: string; line?: number; col?: number; field: string };

async function normaliseInput(
  spec: WorkloadSpec,
  model: Model,
  ctx: { src: YamlSource; base: PathKey[]; fileDir: string; cwd: string; source: FileSource; at: At; tokenCache: TokenCountCache | undefined; cooperate: Cooperate | undefined },
): Promise<Workload['input']> {
  const cachedFraction = spec.input.cached ?? 0;
  const extraTokens = spec.input.extra_tokens ?? 0;
  if (spec.input.tokens !== undefined) {
    return { tokens: spec.input.tokens, cachedFraction, from: 'tokens', promptFiles: [], extraTokens: 0, approximate: false, method: undefined, errorNote: undefined, ...ttlOf(spec), ...measuredOf(spec) };
  }
  // Only here is the tokenizer (and its ranks file) loaded, and only for text not counted before.
  const { countTexts, describeModelTokenizer } = await import('../tokens/tokenizer.js');
  const counter = describeModelTokenizer(model);
  const common = { cachedFraction, extraTokens, approximate: counter.approximate, method: counter.method, errorNote: counter.errorNote, ...ttlOf(spec), ...measuredOf(spec) };
  if (spec.input.text !== undefined) {
    const [tokens] = await countTexts(model, [spec.input.text], ctx.tokenCache, ctx.cooperate);
    return { ...common, tokens: tokens! + extraTokens, from: 'text', promptFiles: [] };
  }
  const patterns = Array.isArray(spec.input.prompt) ? spec.input.prompt : [spec.input.prompt!];
  const read: Array<{ path: string; text: string }> = [];
  for (const [j, pattern] of patterns.entries()) {
    const path: PathKey[] = [...ctx.base, 'input', 'prompt', ...(Array.isArray(spec.input.prompt) ? [j] : [])];
    let matches: string[];
    try {
      matches = await ctx.source.glob(pattern, ctx.fileDir);
    } catch (err) {
      if (err instanceof FileAccessError) throw new UsageError(err.message, { code: err.code, ...ctx.at(path), hint: err.hint });
      throw err;
    }
    if (matches.length === 0) {
      throw new UsageError(`matches no file (looked in ${relative(ctx.cwd, ctx.fileDir) || '.'})`, {
        code: 'E_PROMPT_GLOB',
        ...ctx.at(path),
        expected: 'a prompt file or glob relative to the workload file',
        hint: 'check the path; globs such as prompts/*.md are relative to the workload file, not the current directory',
      });
    }
    for (const abs of matches) {
      let text: string;
      try {
        text = await ctx.source.readText(abs);
      } catch (err) {
        if (err instanceof FileAccessError) throw new UsageError(`prompt file ${relative(ctx.cwd, abs)}: ${err.message}`, { code: err.code, ...ctx.at(path), hint: err.hint });
        throw new UsageError(`cannot read prompt file ${relative(ctx.cwd, abs)} (${describeReadError(err, 'a prompt file')})`, { code: 'E_FILE', ...ctx.at(path) });
      }
      read.push({ path: relative(ctx.cwd, abs) || abs, text });
    }
  }
  const counts = await countTexts(model, read.map((r) => r.text), ctx.tokenCache, ctx.cooperate);
  const files: PromptFileCount[] = read.map((r, i) => ({ path: r.path, tokens: counts[i]! }));
  const mean = files.reduce((s, f) => s + f.tokens, 0) / files.length;
  return { ...common, tokens: Math.round(mean) + extraTokens, from: 'prompt', promptFiles: files };
}

/** Hidden reasoning tokens: counted (reasoning_tokens) or estimated from the effort (reasoning: low|medium|high). */
function reasoningOf(spec: WorkloadSpec, catalog: Catalog): Pick<Workload['output'], 'reasoningTokens' | 'reasoningP95' | 'reasoningFrom'> {
  const r = spec.output.reasoning_tokens;
  if (r !== undefined) return typeof r === 'number' ? { reasoningTokens: r, reasoningP95: undefined, reasoningFrom: 'tokens' } : { reasoningTokens: r.mean, reasoningP95: r.p95, reasoningFrom: 'tokens' };
  const effort = spec.output.reasoning;
  if (effort === undefined) return {};
  const m = catalog.thresholds.values[`reasoning_multiplier_${effort}`]?.value ?? 1;
  return { reasoningTokens: Math.round(spec.output.tokens * m), reasoningP95: spec.output.p95 === undefined ? undefined : Math.round(spec.output.p95 * m), reasoningFrom: effort };
}

/**
 * service_tiers: naming a tier the model does not offer, provisioned: on a model without provisioned
 * capacity, and a provisioned tier without an offer to price: each names the field, what the model offers
 * and a fix (exit 2).
 */
function tierErrors(spec: WorkloadSpec, model: Model, at: At, base: PathKey[]): UsageError[] {
  const out: UsageError[] = [];
  const offered = ['standard', ...new Set((model.service_tiers ?? []).map((t) => t.tier).filter((t) => t !== 'standard'))];
  const offers = `${model.id} offers ${offered.join(', ')}`;
  (spec.service_tiers ?? []).forEach((tier, j) => {
    if (!offered.includes(tier)) {
      out.push(new UsageError(`${model.id} has no ${tier} tier`, { code: 'E_SERVICE_TIER', ...at([...base, 'service_tiers', j]), expected: `one of the tiers ${offers.replace(`${model.id} offers `, '')} (${model.provider})`, hint: `remove ${tier}, or pick a model that offers it ("aip models --json" lists service_tiers)` }));
    }
  });
  const hasProvisioned = offered.includes('provisioned');
  if (spec.provisioned !== undefined && !hasProvisioned) {
    out.push(new UsageError(`${model.id} (${model.provider}) sells no provisioned capacity`, { code: 'E_PROVISIONED', ...at([...base, 'provisioned']), expected: `provisioned: only for models with a provisioned tier (Azure PTU, Bedrock, Vertex, OpenAI Scale Tier); ${offers}`, hint: 'remove provisioned:, or use the model on a platform that sells capacity (e.g. azure/… or bedrock/…)' }));
  }
  const catalogOffer = (model.service_tiers ?? []).find((t) => t.tier === 'provisioned' && t.usd_per_unit_hour !== undefined && t.input_tpm_per_unit !== undefined);
  if (spec.service_tiers?.includes('provisioned') && hasProvisioned && spec.provisioned === undefined && !catalogOffer) {
    const j = spec.service_tiers.indexOf('provisioned');
    out.push(new UsageError(`${model.id}'s provisioned capacity has no published price: it cannot be priced without your offer`, { code: 'E_PROVISIONED', ...at([...base, 'service_tiers', j]), expected: 'a provisioned: block with usd_per_unit_hour and input_tpm_per_unit (min_units and unit_increment optional)', hint: 'add provisioned: { usd_per_unit_hour: 1.0, input_tpm_per_unit: 3000, min_units: 15, unit_increment: 5 } with the figures of your offer' }));
  }
  return out;
}

function measuredOf(spec: WorkloadSpec): { cachedMeasured?: true } {
  return spec.input.cached_measured === true && (spec.input.cached ?? 0) > 0 ? { cachedMeasured: true } : {};
}

function ttlOf(spec: WorkloadSpec): { cacheTtl?: '5m' | '1h' } {
  return spec.input.cache_ttl ? { cacheTtl: spec.input.cache_ttl } : {};
}

/** A model retired on or before today: an error naming the date and the model to move to. */
function retiredError(model: Model, today: string, where: ReturnType<At>): UsageError | undefined {
  const life = lifecycleOn(model, today);
  if (life.status !== 'retired') return undefined;
  return new UsageError(`${model.id} is retired${life.retiresOn ? ` since ${life.retiresOn}` : ''}: the provider no longer serves it`, {
    code: 'E_RETIRED_MODEL',
    ...where,
    expected: 'a model the provider still serves',
    hint: life.successor ? `move to its successor: ${where.field.endsWith('fallback') ? 'fallback' : 'model'}: ${life.successor}` : 'see "aip models" for current models',
  });
}

function resolveTiers(raw: Record<string, string | number>, catalog: Catalog, at: At, errors: UsageError[]): Partial<Record<ProviderId, string>> {
  const out: Partial<Record<ProviderId, string>> = {};
  for (const [provider, tierValue] of Object.entries(raw)) {
    const m = matchAccountTier(catalog, provider, String(tierValue));
    if (!m.ok) {
      errors.push(new UsageError(m.kind === 'tier' ? `unknown ${provider} tier` : m.message, { code: m.code, ...at(['tiers', provider]), expected: m.expected, hint: m.hint }));
      continue;
    }
    out[m.provider] = m.tier;
  }
  return out;
}

/** The seconds behind interactive | seconds | minutes | hours | overnight, from data/thresholds.yaml. */
export function latencyKeywordSeconds(catalog: Catalog): Record<LatencyKeyword, number> {
  const v = catalog.thresholds.values;
  return {
    interactive: v.latency_interactive_s.value,
    seconds: v.latency_seconds_s.value,
    minutes: v.latency_minutes_s.value,
    hours: v.latency_hours_s.value,
    overnight: v.latency_overnight_s.value,
  };
}

function keyLines(src: YamlSource, base: PathKey[], spec: WorkloadSpec): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(spec)) {
    const pos = locate(src, [...base, key]);
    if (pos) out[key] = pos.line;
  }
  return out;
}

/**
 * zod issues → located errors; our own refinements carry `expected` and `hint` in their params. One error per
 * real mistake: a misspelt key ("modle") is reported as the unknown key with its "did you mean", not also as
 * the key it was meant to be ("model: missing").
 */
function schemaErrors(src: YamlSource, schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): UsageError[] {
  // The keys each unknown key most likely meant, by the path of its mapping.
  const meant = new Map<string, Set<string>>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const allowed = allowedKeysAt(schema, issue.path);
    const set = meant.get(formatPath(issue.path)) ?? new Set<string>();
    for (const key of issue.keys) for (const guess of closest(key, allowed, 1)) set.add(guess);
    meant.set(formatPath(issue.path), set);
  }
  /** A missing key that a misspelt key beside it stands for (already reported as that key). */
  const misspelt = (path: readonly PathKey[], keys: readonly string[]) => keys.some((k) => meant.get(formatPath(path))?.has(k) === true);
  const missingHere = (path: readonly PathKey[]) => valueAt(src.data, path) === undefined && path.length > 0 && misspelt(path.slice(0, -1), [String(path[path.length - 1])]);

  const out: UsageError[] = [];
  for (const issue of issues) {
    const key = issue.path[issue.path.length - 1];
    if (issue.code !== 'unrecognized_keys' && missingHere(issue.path)) continue;
    const received = valueAt(src.data, issue.path);
    if (issue.code === 'custom') {
      const params = (issue.params ?? {}) as { expected?: string; hint?: string; missing?: string[] };
      if (params.missing && misspelt(issue.path, params.missing)) continue;
      out.push(new UsageError(issue.message, { code: 'E_SCHEMA', file: src.file, ...locate(src, issue.path), field: formatPath(issue.path) || '(top level)', expected: params.expected, hint: params.hint }));
    } else if (issue.code === 'invalid_union') {
      // A missing or mistyped volume fails both branches of its union: say what a volume is.
      const path = issue.path;
      const missing = received === undefined;
      out.push(
        new UsageError(missing ? 'missing required field' : `${describeValue(received)} is not valid here`, {
          code: 'E_SCHEMA',
          file: src.file,
          ...locate(src, path),
          field: formatPath(path),
          expected: key === 'volume' ? VOLUME_EXPECTED : key === 'cached' ? FRACTION_EXPECTED : key === 'tokens' || key === 'p95' || key === 'extra_tokens' ? COUNT_EXPECTED : 'a string or a number',
          hint: missing ? `add "${String(key)}:"` : undefined,
        }),
      );
    } else if (issue.path.length === 0 && issue.code === 'invalid_type') {
      out.push(new UsageError('the file is not a workload file', { code: 'E_SCHEMA', file: src.file, ...locate(src, []), field: '(top level)', expected: 'a mapping with "version: 1" and "workloads:"', hint: 'run "aip init" for a commented starter file, or start from aip\'s examples/workloads.yaml' }));
    } else if (issue.code === 'invalid_type' && key === 'latency' && typeof received === 'number') {
      // "latency: 3000": a number without its unit.
      out.push(new UsageError(`${describeValue(received)} has no unit`, { code: 'E_SCHEMA', file: src.file, ...locate(src, issue.path), field: formatPath(issue.path), expected: DURATION_EXPECTED, hint: `did you mean ${latencySuggestion(received)}?` }));
    } else if (issue.code === 'invalid_type' && typeof received === 'string' && nearMissHint(issue.expected, received) !== undefined) {
      // "user_facing: yes", "peak_factor: 3x", "input: $0.15": the value as the schema takes it (ours, not the file's text).
      const kind = issue.expected === 'boolean' ? 'true or false' : 'a number';
      out.push(new UsageError(`text is not ${kind}`, { code: 'E_SCHEMA', file: src.file, ...locate(src, issue.path), field: formatPath(issue.path), expected: kind, hint: nearMissHint(issue.expected, received) }));
    } else if (issue.code === 'invalid_value' && received === undefined) {
      out.push(new UsageError('missing required field', { code: 'E_SCHEMA', file: src.file, ...locate(src, issue.path), field: formatPath(issue.path), expected: `one of: ${issue.values.map(String).join(', ')}`, hint: `add "${String(key)}: ${String(issue.values[0])}"` }));
    } else if (issue.code === 'invalid_value' && key === 'task' && typeof received === 'string') {
      // "task: chatbot": the task kind people mean by that word (named from our list, the text is not quoted).
      const guess = TASK_ALIASES[received.trim().toLowerCase()] ?? closest(received, issue.values.map(String), 1)[0];
      out.push(new UsageError('text is not a task kind', { code: 'E_SCHEMA', file: src.file, ...locate(src, issue.path), field: formatPath(issue.path), expected: `one of: ${issue.values.map(String).join(', ')}`, hint: guess ? `did you mean "${guess}"?` : undefined }));
    } else if (issue.code === 'too_small' && issue.origin === 'array' && key === 'workloads') {
      out.push(new UsageError('no workloads', { code: 'E_SCHEMA', file: src.file, ...locate(src, issue.path), field: 'workloads', expected: 'at least one workload', hint: 'see the starter file "aip init" writes, or aip\'s examples/workloads.yaml' }));
    } else out.push(...issuesToErrors(src, schema, [issue]));
  }
  return out;
}

/**
 * A "did you mean" for text where a boolean or a number belongs, built only from what aip writes: true or
 * false for yes/no/on/off, the digits for "3x", "$0.15", "1,200".
 */
function nearMissHint(expected: string, text: string): string | undefined {
  const t = text.trim().toLowerCase();
  if (expected === 'boolean') {
    if (['yes', 'y', 'on', 'true', '1'].includes(t)) return 'did you mean true?';
    if (['no', 'n', 'off', 'false', '0'].includes(t)) return 'did you mean false?';
    return undefined;
  }
  if (expected !== 'number') return undefined;
  const m = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?\s*(?:x|×|usd|\$)?$/.exec(t);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  return `did you mean ${Number(`${(m[1] ?? '0').replace(/,/g, '')}${m[2] ?? ''}`)}?`;
}

/** The catalog look-up of each entry's model and fallback names, on a file the schema refused (strings only). */
function modelNameErrors(src: YamlSource, catalog: Catalog): UsageError[] {
  const entries = (src.data as { workloads?: unknown } | null)?.workloads;
  if (!Array.isArray(entries)) return [];
  const out: UsageError[] = [];
  entries.forEach((entry, i) => {
    if (entry === null || typeof entry !== 'object') return;
    for (const key of ['model', 'fallback'] as const) {
      const name = (entry as Record<string, unknown>)[key];
      if (typeof name !== 'string' || name === '') continue;
      const path: PathKey[] = ['workloads', i, key];
      try {
        resolveModel(catalog, name, { file: src.file, ...locate(src, path), field: formatPath(path) });
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        out.push(err);
      }
    }
  });
  return out;
}

function sortByPosition(errors: UsageError[]): UsageError[] {
  return [...errors].sort((a, b) => (a.where.line ?? 0) - (b.where.line ?? 0) || (a.where.col ?? 0) - (b.where.col ?? 0));
}

