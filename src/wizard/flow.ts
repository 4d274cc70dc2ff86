// The wizard's conversation: which questions, in which order, with which defaults. Driven by an injected
// Ask (a terminal, or scripted answers in tests) and WizardEnv (catalog, prompt counting, files, preview).
import type { Catalog, Model } from '../core/catalog/schema.js';
import { count, duration } from '../core/format.js';
import { latencyKeywordSeconds } from '../core/workload/normalise.js';
import type { Ask } from './ask.js';
import type { WorkloadDraft } from './draft.js';
import { askFineTune } from './fine-tune.js';
import { modelChoices, modelsFor, suggestedModel } from './model-choices.js';
import { numberCheck, requestsPerMonth, rules, typedCount, typedFraction, volumeValue } from './rules.js';
import { defaultTolerance, situation, situations, toleranceChoices, uniqueName, type SituationId } from './situations.js';

export interface WizardDocument {
  /** Rate-limit tier per provider, as the catalog names it (numbers for numbered tiers). */
  tiers: Record<string, string | number>;
  workloads: WorkloadDraft[];
}

/** A prompt file (or glob) counted with the model's tokenizer. */
export interface PromptCount {
  files: string[];
  /** Mean tokens over the files. */
  tokens: number;
  /** e.g. "tiktoken:o200k_base", or a heuristic for Claude and Gemini. */
  method: string;
  approximate: boolean;
}

export interface WizardEnv {
  catalog: Catalog;
  /** Count a prompt file or glob (relative to the working directory); a string says what is wrong. */
  countPrompt(pattern: string, model: Model): Promise<PromptCount | string>;
  fileExists(path: string): boolean;
  /** A directory is there: no file can be written at that path. */
  isDirectory(path: string): boolean;
  /** The recommendation and monthly cost of the document so far, as lines for the terminal. */
  preview(doc: WizardDocument, outputPath: string): Promise<string>;
}

export interface WizardResult {
  document: WizardDocument;
  outputPath: string;
  /** The user agreed to replace the existing file at outputPath. */
  replace: boolean;
}

export async function runWizard(ask: Ask, env: WizardEnv, opts: { outputPath: string }): Promise<WizardResult> {
  const document: WizardDocument = { tiers: {}, workloads: [] };
  let previous: WorkloadDraft | undefined;
  // Fine-tuning comes back to "What next?" with the same workload; asking it anew waits for 'add'/'change'.
  let current: { draft: WorkloadDraft; inputTokens: number } | undefined;
  for (;;) {
    if (!current) {
      const taken = document.workloads.map((w) => w.name).filter((n) => n !== previous?.name);
      current = await askWorkload(ask, env, document.tiers, taken, previous);
      if (previous) document.workloads[document.workloads.indexOf(previous)] = current.draft;
      else document.workloads.push(current.draft);
    }
    const draft = current.draft;
    ask.note(await env.preview(document, opts.outputPath));
    const next = await ask.select<'write' | 'add' | 'change' | 'tune'>({
      id: 'next',
      message: 'What next?',
      choices: [
        { value: 'write', name: 'Write the file', description: `${document.workloads.length} workload${document.workloads.length === 1 ? '' : 's'}` },
        { value: 'add', name: 'Add another workload', description: 'e.g. the bulk backlog next to a real-time feature' },
        { value: 'change', name: `Change "${draft.name}"`, description: 'ask its questions again, with your answers as defaults' },
        { value: 'tune', name: 'Fine-tune peaks, tail, fallback and prices', description: 'peak factor, output p95, a fallback model, negotiated prices (optional)' },
      ],
      default: 'write',
    });
    if (next === 'write') break;
    if (next === 'tune') {
      const tuned = await askFineTune(ask, env.catalog, draft, current.inputTokens);
      document.workloads[document.workloads.indexOf(draft)] = tuned;
      current = { ...current, draft: tuned };
      continue;
    }
    previous = next === 'change' ? draft : undefined;
    current = undefined;
  }
  // A changed workload may have left a provider behind: keep only the tiers of providers still used.
  const used = new Set(document.workloads.map((w) => env.catalog.models.find((m) => m.id === w.model)!.provider as string));
  document.tiers = Object.fromEntries(Object.entries(document.tiers).filter(([provider]) => used.has(provider)));
  const { path: outputPath, replace } = await chooseOutputPath(ask, env, opts.outputPath);
  return { document, outputPath, replace };
}

async function askWorkload(
  ask: Ask,
  env: WizardEnv,
  tiers: WizardDocument['tiers'],
  taken: string[],
  previous: WorkloadDraft | undefined,
): Promise<{ draft: WorkloadDraft; inputTokens: number }> {
  const task = await ask.select<SituationId>({
    id: 'situation',
    message: 'What does the feature do?',
    choices: situations.map((s) => ({ value: s.id, name: s.label, description: s.description })),
    default: previous?.task ?? 'chat',
  });
  const s = situation(task);
  // A changed situation gets that situation's defaults, not the previous answers.
  const prev = previous?.task === task ? previous : undefined;

  const name = (
    await ask.input({
      id: 'name',
      message: 'A short name for it',
      default: previous?.name ?? uniqueName(s.name, taken),
      validate: (t) => (taken.includes(t.trim()) ? `"${t.trim()}" is already a workload in this file; names are unique` : rules.name(t)),
    })
  ).trim();

  const userFacing = await ask.confirm({
    id: 'user_facing',
    message: 'Does a person watch the output arrive (reading it as it is written)?',
    default: prev?.user_facing ?? s.watched,
  });

  const latency = await askLatency(ask, env.catalog, prev?.latency ?? defaultTolerance(s, userFacing));

  const volumeText = await ask.input({
    id: 'volume',
    message: 'How many requests? (per month: 300k; or 2k/day, 50/min)',
    default: String(prev?.volume ?? s.volume),
    validate: rules.volume,
  });
  const volume = volumeValue(volumeText);
  const perMonth = requestsPerMonth(volume);
  ask.note(`  = ${count(perMonth, 0)} requests a month (${count(perMonth / 30, 0)} a day)`);

  const models = modelsFor(env.catalog, s);
  const suggested = models.find((m) => m.id === prev?.model) ?? suggestedModel(env.catalog, s);
  const modelId = await ask.search<string>({
    id: 'model',
    message: 'Model (type to filter; USD per 1M tokens)',
    source: (term) => modelChoices(models, suggested, term),
    default: suggested.id,
  });
  const model = env.catalog.models.find((m) => m.id === modelId)!;

  const { input, totalTokens } = await askInput(ask, env, model, s.inputTokens, prev?.input);

  let outputTokens = 0;
  if (model.kind !== 'embedding') {
    const text = await ask.input({
      id: 'output',
      message: 'Output tokens per request (mean)',
      default: String(prev?.output.tokens ?? s.outputTokens),
      validate: (t) => numberCheck(t, rules.outputTokens, 'a whole number of tokens, e.g. 500', typedCount),
    });
    outputTokens = typedCount(text)!;
  }

  const cached = await askCaching(ask, model, totalTokens, prev?.input.cached);
  if (cached !== undefined) input.cached = cached;
  const reasoning = model.kind === 'reasoning' && outputTokens > 0 ? await askReasoning(ask, model.id, prev?.output) : {};

  if (tiers[model.provider] === undefined) {
    const tier = await askTier(ask, env.catalog, model);
    if (tier !== undefined) tiers[model.provider] = tier;
  }

  const draft: WorkloadDraft = { name, task, model: model.id, volume, latency, user_facing: userFacing, input, output: { tokens: outputTokens, ...reasoning } };
  if (prev) keepFineTuning(draft, prev);
  return { draft, inputTokens: totalTokens };
}

/**
 * A reasoning model bills hidden reasoning tokens as output (issue 13): ask for a measured count, or the
 * effort (a typical multiple of the visible output, data/thresholds.yaml). "Not sure" writes nothing and
 * recommend warns.
 */
async function askReasoning(ask: Ask, modelId: string, prev: WorkloadDraft['output'] | undefined): Promise<Pick<WorkloadDraft['output'], 'reasoning' | 'reasoning_tokens'>> {
  const previous = prev?.reasoning_tokens !== undefined ? 'count' : (prev?.reasoning ?? 'unknown');
  const choice = await ask.select<'low' | 'medium' | 'high' | 'count' | 'unknown'>({
    id: 'reasoning',
    message: `${modelId} thinks before it answers: its hidden reasoning tokens are billed as output. How much does it reason?`,
    choices: [
      { value: 'low', name: 'low effort', description: 'about as many reasoning tokens as visible output' },
      { value: 'medium', name: 'medium effort (the providers\' default)', description: 'about 3× the visible output' },
      { value: 'high', name: 'high effort', description: 'about 8× the visible output' },
      { value: 'count', name: 'I measured it', description: 'enter the mean reasoning tokens per request (usage.output_tokens_details.reasoning_tokens)' },
      { value: 'unknown', name: 'not sure', description: 'leave it out; aip recommend warns that the cost is too low' },
    ],
    default: previous,
  });
  if (choice === 'unknown') return {};
  if (choice !== 'count') return { reasoning: choice };
  const text = await ask.input({
    id: 'reasoning_tokens',
    message: 'Reasoning tokens per request (mean)',
    default: String(prev?.reasoning_tokens ?? 0),
    validate: (t) => numberCheck(t, rules.outputTokens, 'a whole number of tokens, e.g. 2000 or 2k', typedCount),
  });
  return { reasoning_tokens: typedCount(text)! };
}

/**
 * A changed workload keeps its fine-tuning answers where they still make sense: the pricing override
 * belongs to the model it was given for, a fallback cannot be the model itself, a p95 cannot be below the
 * new mean (the schema's rule), and embeddings have no output tail.
 */
function keepFineTuning(draft: WorkloadDraft, prev: WorkloadDraft): void {
  if (prev.peak_factor !== undefined) draft.peak_factor = prev.peak_factor;
  if (prev.fallback !== undefined && prev.fallback !== draft.model) draft.fallback = prev.fallback;
  if (prev.pricing !== undefined && prev.model === draft.model) draft.pricing = prev.pricing;
  if (prev.output.p95 !== undefined && draft.output.tokens > 0 && prev.output.p95 >= draft.output.tokens) draft.output.p95 = prev.output.p95;
}

async function askLatency(ask: Ask, catalog: Catalog, fallback: string): Promise<string> {
  const keyword = toleranceChoices.some((c) => c.value === fallback) ? fallback : 'custom';
  // Each category is written as its keyword; the seconds behind it are data (data/thresholds.yaml).
  const seconds = latencyKeywordSeconds(catalog);
  const choice = await ask.select<string>({
    id: 'latency',
    message: 'How long may a result take?',
    choices: toleranceChoices.map((c) => ({
      value: c.value,
      name: c.label,
      description: c.value === 'custom' ? 'written as you type it' : `written as "${c.value}": counted as ${duration(seconds[c.value])}`,
    })),
    default: keyword,
  });
  if (choice !== 'custom') return choice;
  return (
    await ask.input({ id: 'latency_custom', message: 'Latency tolerance (800ms, 30s, 15m, 2h, 24h)', default: keyword === 'custom' ? fallback : '30s', validate: rules.latency })
  ).trim();
}

/** The input as the file holds it, and the mean input tokens per request it comes to. */
async function askInput(ask: Ask, env: WizardEnv, model: Model, typical: number, prev: WorkloadDraft['input'] | undefined): Promise<{ input: WorkloadDraft['input']; totalTokens: number }> {
  const counts = new Map<string, PromptCount>();
  const text = (
    await ask.input({
      id: 'input',
      message: 'Input tokens per request: a number, or a sample prompt file to count (prompts/chat.md)',
      default: prev ? ('tokens' in prev ? String(prev.tokens) : prev.prompt) : String(typical),
      validate: async (t) => {
        if (typedCount(t) !== undefined) return rules.inputTokens(typedCount(t)!);
        if (t.trim() === '') return 'expected a number of tokens or a prompt file';
        const counted = await env.countPrompt(t.trim(), model);
        if (typeof counted === 'string') return counted;
        counts.set(t.trim(), counted);
        return true;
      },
    })
  ).trim();
  const tokens = typedCount(text);
  if (tokens !== undefined) return { input: { tokens }, totalTokens: tokens };

  const counted = counts.get(text) ?? (await env.countPrompt(text, model));
  if (typeof counted === 'string') throw new Error(counted); // validated above: the file vanished meanwhile
  const files = counted.files.length === 1 ? counted.files[0]! : `${counted.files.length} files (mean)`;
  ask.note(`  ${files}: ${count(counted.tokens, 0)} tokens${counted.approximate ? ' (estimate)' : ''} with ${counted.method}`);
  const extra = await ask.input({
    id: 'extra_tokens',
    message: 'Tokens added to it per request (the user\'s message, retrieved text)',
    default: String(prev && 'prompt' in prev ? (prev.extra_tokens ?? 0) : 0),
    validate: (t) => numberCheck(t, rules.extraTokens, 'a whole number of tokens, 0 for none', typedCount),
  });
  const extraTokens = typedCount(extra)!;
  const input = extraTokens > 0 ? { prompt: text, extra_tokens: extraTokens } : { prompt: text };
  return { input, totalTokens: counted.tokens + extraTokens };
}

async function askCaching(ask: Ask, model: Model, inputTokens: number, prev: number | undefined): Promise<number | undefined> {
  if (!model.caching || model.kind === 'embedding') return undefined;
  if (model.cache_min_tokens !== undefined && inputTokens < model.cache_min_tokens) {
    ask.note(`  no prompt caching: ${model.id} caches prompts of ${count(model.cache_min_tokens, 0)} tokens or more`);
    return undefined;
  }
  const text = await ask.input({
    id: 'cached',
    message: `Share of the input read from the prompt cache, 0 to 1 (a repeated prefix such as the system prompt${model.cache_min_tokens ? `; cached from ${count(model.cache_min_tokens, 0)} tokens` : ''})`,
    default: String(prev ?? 0),
    validate: (t) => numberCheck(t, rules.cached, 'a fraction from 0 to 1, e.g. 0.6 or 60%', typedFraction),
  });
  const cached = typedFraction(text)!;
  return cached > 0 ? cached : undefined;
}

/** undefined where the catalog knows no rate limits for the provider (no tier to choose). */
async function askTier(ask: Ask, catalog: Catalog, model: Model): Promise<string | number | undefined> {
  const limits = catalog.rateLimits.find((p) => p.provider === model.provider);
  if (!limits) return undefined;
  // Providers that changed their tier system list both; a heading names each system.
  const several = limits.tier_systems.length > 1;
  const choices = limits.tier_systems.flatMap((system) => [
    ...(several ? [{ heading: `── ${system.name} ──` }] : []),
    ...system.tiers.map((t) => ({ value: t, name: /^\d+$/.test(t) ? `tier ${t}` : t, description: system.note })),
  ]);
  const tier = await ask.select<string>({
    id: 'tier',
    message: `Your ${model.provider} account's rate-limit tier (sets the limits checked)`,
    choices,
    default: limits.default_tier,
  });
  return /^\d+$/.test(tier) ? Number(tier) : tier;
}

async function chooseOutputPath(ask: Ask, env: WizardEnv, wanted: string): Promise<{ path: string; replace: boolean }> {
  let path = wanted;
  while (env.fileExists(path)) {
    const overwrite = await ask.confirm({ id: 'overwrite', message: `${path} already exists. Replace it?`, default: false });
    if (overwrite) return { path, replace: true };
    const taken = path;
    path = (
      await ask.input({
        id: 'output_path',
        message: 'Write to which file instead?',
        default: freeName(taken, env.fileExists),
        validate: (t) => (t.trim() === '' ? 'expected a file name, e.g. aip.yaml' : env.isDirectory(t.trim()) ? `${t.trim()} is a directory; expected a file name, e.g. ${t.trim()}/aip.yaml` : true),
      })
    ).trim();
  }
  return { path, replace: false };
}

/** "aip.yaml" → "aip-2.yaml" (the first that does not exist). */
export function freeName(path: string, exists: (p: string) => boolean): string {
  const m = /^(.*?)(\.[^./\\]+)?$/.exec(path)!;
  for (let i = 2; ; i++) {
    const candidate = `${m[1]}-${i}${m[2] ?? ''}`;
    if (!exists(candidate)) return candidate;
  }
}
