// The workload file's schema (docs/spec.md "The workload file"): the one source of truth for its types,
// its validation messages and the editor JSON Schema (schema/workload.schema.json).
import { MAX_PEAK_FACTOR, MAX_TOKENS, MAX_USD_PER_MILLION, MAX_USD_PER_MONTH } from '../bounds.js';
import { z } from 'zod';
import { CheckPolicySchema } from '../check/policy-schema.js';
import { COUNT_EXPECTED, DURATION_EXPECTED, DURATION_PATTERN, FRACTION_EXPECTED, VOLUME_EXPECTED, VOLUME_PATTERN, latencyKeywords, parseCount, parseDuration, parseFraction, parseVolume } from './units.js';

export const taskKinds = ['chat', 'classification', 'extraction', 'embedding', 'generation', 'moderation', 'evaluation', 'labeling', 'summarization', 'chain', 'other'] as const;
export type TaskKind = (typeof taskKinds)[number];

/** Words people write for a task kind that the schema does not take: the "did you mean" of each. */
export const TASK_ALIASES: Readonly<Record<string, TaskKind>> = {
  chatbot: 'chat',
  assistant: 'chat',
  conversation: 'chat',
  rag: 'chat',
  qa: 'chat',
  classify: 'classification',
  classifier: 'classification',
  routing: 'classification',
  extract: 'extraction',
  parsing: 'extraction',
  embed: 'embedding',
  embeddings: 'embedding',
  generate: 'generation',
  completion: 'generation',
  moderate: 'moderation',
  eval: 'evaluation',
  evals: 'evaluation',
  grading: 'evaluation',
  label: 'labeling',
  labelling: 'labeling',
  annotation: 'labeling',
  summary: 'summarization',
  summarize: 'summarization',
  summarise: 'summarization',
  summarisation: 'summarization',
  agent: 'chain',
  pipeline: 'chain',
};

/** Checks the unit syntax only; the keyword seconds come from the thresholds data at normalisation. */
const anyKeyword = Object.fromEntries(latencyKeywords.map((k) => [k, 1])) as Record<(typeof latencyKeywords)[number], number>;

const Volume = z
  .union([z.number(), z.string().meta({ pattern: VOLUME_PATTERN })])
  .superRefine((v, ctx) => {
    const r = parseVolume(v);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message, params: { expected: r.expected, hint: r.hint } });
  })
  .meta({ description: `Requests: ${VOLUME_EXPECTED}.`, examples: [300000, '12k/day', '300/hour', '20/min', '2/s', '1.5M/month'] });

const Latency = z
  .string()
  .superRefine((v, ctx) => {
    const r = parseDuration(v, anyKeyword);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message, params: { expected: r.expected, hint: r.hint } });
  })
  .meta({ description: `The latency tolerance: ${DURATION_EXPECTED}.`, pattern: DURATION_PATTERN, examples: ['800ms', '3s', '30s', '15m', '2h', 'overnight'] });

const COUNT_EXAMPLES = [1200, '15k', '1.5M'];

/** Token counts: a whole number or text with a multiplier ("15k", "1.5M"), as volumes take them. */
const tokenCount = z
  .union([z.number(), z.string().meta({ pattern: '^\\s*\\d[\\d_,]*(\\.\\d+)?\\s*[kKmM]?\\s*$' })])
  // On the input side: a transform's own metadata describes its output, which the editor schema leaves out.
  .meta({ examples: COUNT_EXAMPLES })
  .transform((v, ctx) => {
    const r = parseCount(v, MAX_TOKENS);
    if (r.ok) return r.n;
    ctx.addIssue({ code: 'custom', message: r.message, params: { expected: r.expected, hint: r.hint } });
    return z.NEVER;
  })
  .meta({ description: COUNT_EXPECTED });

/** Fractions: 0..1, or a percentage as text ("65%"). */
const fraction = z
  .union([z.number(), z.string().meta({ pattern: '^\\s*\\d+(\\.\\d+)?\\s*%\\s*$' })])
  .meta({ examples: [0.65, '65%'] })
  .transform((v, ctx) => {
    const r = parseFraction(v);
    if (r.ok) return r.fraction;
    ctx.addIssue({ code: 'custom', message: r.message, params: { expected: r.expected, hint: r.hint } });
    return z.NEVER;
  });
export const reasoningEfforts = ['low', 'medium', 'high'] as const;
const usdPerMillion = z.number().nonnegative().max(MAX_USD_PER_MILLION);

const Input = z
  .object({
    tokens: tokenCount.optional().meta({ description: 'Mean input tokens per request.' }),
    prompt: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .optional()
      .meta({ description: 'Prompt file(s) or glob(s), relative to this file, tokenized with the model\'s tokenizer (mean over the files).' }),
    text: z.string().optional().meta({ description: 'An inline sample prompt, tokenized with the model\'s tokenizer.' }),
    extra_tokens: tokenCount.optional().meta({ description: 'Tokens added to a tokenized prompt or text (e.g. the user\'s message).' }),
    cached: fraction.optional().meta({ description: `Fraction of input tokens read from the prompt cache: ${FRACTION_EXPECTED}. Default 0.` }),
    cached_measured: z
      .boolean()
      .optional()
      .meta({ description: "true where cached was measured from the provider's billed usage (aip import writes it): the provider did cache, so the share is priced as given, not checked against the model's minimum cacheable prefix (estimated as tokens × cached)." }),
    cache_ttl: z.enum(['5m', '1h']).optional().meta({ description: 'Prompt-cache lifetime where the provider offers a choice (Anthropic: 5m or 1h, priced with its cache-write price). Default 5m.' }),
  })
  .strict()
  .superRefine((v, ctx) => {
    const given = (['tokens', 'prompt', 'text'] as const).filter((k) => v[k] !== undefined);
    if (given.length === 0) ctx.addIssue({ code: 'custom', message: 'missing the input size', params: { expected: 'one of tokens, prompt or text', hint: 'add "tokens: 1200" (mean input tokens per request)', missing: ['tokens', 'prompt', 'text'] } });
    if (given.length > 1) ctx.addIssue({ code: 'custom', message: `give one of tokens, prompt or text, not ${given.join(' and ')}`, params: { expected: 'exactly one of tokens, prompt or text' } });
    if (v.cached_measured === true && v.cached === undefined) ctx.addIssue({ code: 'custom', path: ['cached_measured'], message: 'cached_measured without cached', params: { expected: 'cached: the measured fraction of input tokens read from the prompt cache', hint: 'add "cached: 0.5" (the measured share), or remove cached_measured' } });
    if (v.extra_tokens !== undefined && v.tokens !== undefined) ctx.addIssue({ code: 'custom', path: ['extra_tokens'], message: 'extra_tokens adds to a tokenized prompt or text, not to tokens', params: { hint: 'add it to tokens instead' } });
  });

const Output = z
  .object({
    tokens: tokenCount.meta({ description: 'Mean output tokens per request (0 for embeddings).' }),
    p95: tokenCount.optional().meta({ description: '95th percentile of output tokens (the tail; sets timeouts).' }),
    reasoning_tokens: z
      .union([tokenCount, z.object({ mean: tokenCount, p95: tokenCount.optional() }).strict()])
      .optional()
      .meta({ description: 'Hidden reasoning (thinking) tokens per request: a mean, or { mean, p95 }. Billed as output, counted in tokens per minute and latency; not part of tokens.' }),
    reasoning: z
      .enum(reasoningEfforts)
      .optional()
      .meta({ description: 'Reasoning effort where the count is unknown: reasoning tokens ≈ a typical multiple of the visible output (data/thresholds.yaml reasoning_multiplier_*).' }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.p95 !== undefined && v.p95 < v.tokens) ctx.addIssue({ code: 'custom', path: ['p95'], message: `p95 (${v.p95}) is below the mean (${v.tokens})`, params: { expected: `a p95 of at least ${v.tokens}` } });
    if (v.reasoning_tokens !== undefined && v.reasoning !== undefined) ctx.addIssue({ code: 'custom', path: ['reasoning'], message: 'give reasoning_tokens or reasoning, not both', params: { expected: 'reasoning_tokens (a count) or reasoning (low, medium or high)', hint: 'keep reasoning_tokens if you measured it' } });
    const r = v.reasoning_tokens;
    if (typeof r === 'object' && r.p95 !== undefined && r.p95 < r.mean) ctx.addIssue({ code: 'custom', path: ['reasoning_tokens', 'p95'], message: `p95 (${r.p95}) is below the mean (${r.mean})`, params: { expected: `a p95 of at least ${r.mean}` } });
  });

/** The tiers a workload may restrict itself to (service_tiers:), as the catalog names them. */
export const serviceTierNames = ['standard', 'flex', 'priority', 'provisioned'] as const;
export type ServiceTierName = (typeof serviceTierNames)[number];

const Provisioned = z
  .object({
    usd_per_unit_hour: z.number().positive().max(MAX_USD_PER_MILLION).meta({ description: 'Price of one unit of capacity per hour, USD (a month is 720 hours).' }),
    input_tpm_per_unit: z.number().positive().max(MAX_TOKENS).meta({ description: 'Input tokens per minute one unit serves.' }),
    min_units: z.number().int().positive().max(1e6).optional().meta({ description: 'The smallest deployment, in units. Default 1.' }),
    unit_increment: z.number().int().positive().max(1e6).optional().meta({ description: 'Units are bought in steps of this many above the minimum. Default 1.' }),
  })
  .strict()
  .meta({ description: 'A provisioned-capacity offer you have (Azure PTU, Bedrock provisioned throughput, Vertex GSU, OpenAI Scale Tier): priced as an option, sized for the peak.' });

const Pricing = z
  .object({
    input: usdPerMillion.optional().meta({ description: 'Input tokens, USD per 1M.' }),
    output: usdPerMillion.optional().meta({ description: 'Output tokens, USD per 1M.' }),
    cached_input: usdPerMillion.optional().meta({ description: 'Input tokens read from the prompt cache, USD per 1M.' }),
    cache_write: usdPerMillion.optional().meta({ description: 'Input tokens written to the prompt cache (5-minute lifetime), USD per 1M.' }),
    cache_write_1h: usdPerMillion.optional().meta({ description: 'Input tokens written to the prompt cache with a 1-hour lifetime, USD per 1M.' }),
    batch_input: usdPerMillion.optional().meta({ description: 'Input tokens through the batch API, USD per 1M.' }),
    batch_output: usdPerMillion.optional().meta({ description: 'Output tokens through the batch API, USD per 1M.' }),
    batch_cached_input: usdPerMillion.optional().meta({ description: 'Cached input tokens through the batch API, USD per 1M.' }),
  })
  .strict()
  .meta({ description: `Override of the catalog prices (negotiated or self-hosted), USD per 1M tokens (at most ${MAX_USD_PER_MILLION}). Fields not given are derived from those given by the provider's own ratios (batch, batch cached, cache writes, the long-context tier), or keep the catalog price.` });

export const WorkloadSpecSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[^\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]*$/u, { message: 'a name must be one line of printable characters (no newline, tab or escape)' })
      .meta({ description: 'Unique in the file; one line of at most 200 printable characters.' }),
    model: z.string().min(1).meta({ description: 'A catalog id ("gpt-4o-mini", "claude-haiku-4-5"), provider/model ("azure/gpt-4o", "bedrock/…", "vertex_ai/gemini-2.5-pro", "openrouter/…"), a dated snapshot or a -latest alias. See "aip models". A retired model is an error.' }),
    volume: Volume,
    latency: Latency,
    user_facing: z.boolean().optional().meta({ description: 'A person watches the output arrive. Default false.' }),
    task: z.enum(taskKinds).optional().meta({ description: 'What the workload does (the decision rules treat a chain step, embeddings and moderation apart).' }),
    input: Input.meta({ description: 'The input of one request: exactly one of tokens, prompt or text.' }),
    output: Output.meta({ description: 'The output of one request.' }),
    peak_factor: z.number().min(1).max(MAX_PEAK_FACTOR).optional().meta({ description: 'Peak rate / average rate. Default 1.' }),
    fallback: z.string().min(1).optional().meta({ description: 'The model to fail over to.' }),
    pricing: Pricing.optional(),
    service_tiers: z
      .array(z.enum(serviceTierNames))
      .min(1)
      .optional()
      .meta({ description: 'Restrict the service tiers considered (default: every tier the model offers). A tier the provider no longer sells (Anthropic priority) is considered only when named here.' }),
    provisioned: Provisioned.optional(),
  })
  .strict();

export const SettingsSchema = z
  .object({
    min_batch_saving_usd: z.number().nonnegative().max(MAX_USD_PER_MONTH).optional().meta({ description: 'Batch is recommended only when it saves at least this much per month (USD). --min-batch-saving overrides it.' }),
  })
  .strict();

export const WorkloadFileSchema = z
  .object({
    version: z.literal(1).meta({ description: "The file format's version: 1." }),
    tiers: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .optional()
      .meta({ description: 'The account\'s rate-limit tier per provider, e.g. { openai: 4, anthropic: build }.' }),
    settings: SettingsSchema.optional().meta({ description: 'Settings of the recommendation for every workload of the file.' }),
    check: CheckPolicySchema.optional(),
    workloads: z.array(WorkloadSpecSchema).min(1).meta({ description: 'The workloads: one entry per LLM feature, at least one.' }),
  })
  .strict()
  .meta({ title: 'aip workload file' });

export type WorkloadSpec = z.infer<typeof WorkloadSpecSchema>;
