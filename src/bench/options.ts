// Bench's command-line options, each checked (plan.ts puts them together): target and key, model, patterns,
// load shape, resilience settings and gates. Every problem is a UsageError naming the option (exit 2), found
// before a single request is sent.
import type { Catalog, Model } from '../core/catalog/schema.js';
import type { ResiliencePolicy } from '../core/recommend/resilience-policy.js';
import { findModel, resolveModel } from '../core/catalog/models.js';
import type { BreakerPolicy } from '../client/breaker.js';
import type { ProviderName } from '../client/providers/types.js';
import type { RetryPolicy } from '../client/retry.js';
import type { TimeoutSizing } from '../client/timeouts.js';
import { UsageError } from '../core/errors.js';
import { checkSendKeyTo, keyMaySendTo } from '../client/key-hosts.js';
import { APIS, DEFAULT_TARGET, DEFAULTS, SERVICE_TIERS, TARGETS, type ApiName, type TargetName } from './defaults.js';
import { closest } from '../core/suggest.js';
import { parseSlo, parseThreshold, type Slo, type Threshold } from './gates.js';
import type { LoadPlan } from './load.js';
import { PATTERNS, type Pattern } from '../core/recommend/pattern.js';

/** bench's options as commander hands them over, each value already parsed (commands/table.ts). */
export interface BenchOptions {
  target?: string;
  baseUrl?: string;
  /** --send-key-to HOST (repeatable): hosts besides the provider's own and loopback that may receive the key. */
  sendKeyTo?: string[];
  /** --api chat|responses (OpenAI protocols). */
  api?: string;
  serviceTier?: string;
  /** --max-error-rate, a fraction. */
  maxErrorRate?: number;
  model?: string;
  patterns?: string;
  requests?: number;
  concurrency?: number;
  /** --rate, requests per second. */
  rate?: number;
  /** --duration, ms. */
  duration?: number;
  warmup?: number;
  prompt?: string[];
  workload?: string;
  name?: string;
  maxTokens?: number;
  slo?: string;
  threshold?: string[];
  maxSpend?: number;
  /** -o, --output FILE, as in baseline, wizard and import-litellm; --out is kept as an alias. */
  output?: string;
  out?: string;
  log?: string;
  /** Replace an existing -o or --log file that aip bench did not write. */
  force?: boolean;
  logContent?: boolean;
  /** Durations in ms: --timeout, --idle-timeout, --backoff, --breaker-cooldown, --poll-interval. */
  timeout?: number;
  idleTimeout?: number;
  retries?: number;
  backoff?: number;
  breakerThreshold?: number;
  breakerCooldown?: number;
  fallback?: string;
  cancelOnExit?: boolean;
  seed?: number;
  latencyScale?: number;
  fault?: string[];
  /** --batch-turnaround, s. */
  batchTurnaround?: number;
  pollInterval?: number;
}


export interface Target {
  name: TargetName;
  /** Wire protocol: the provider of a real target, the model's provider on the simulator. */
  provider: ProviderName;
  /** For real targets; the simulator's URL is known only once it runs. */
  baseUrl: string | undefined;
  apiKey: string | undefined;
  /** user:password from --base-url, sent as HTTP Basic authorization to that host only (never printed). */
  basicAuth?: string;
  /** The key's variable when a key is set but was not sent to this host (see keyMaySendTo). */
  keyWithheld?: string;
}

type RealTarget = Exclude<TargetName, 'sim'>;
/** The key's variables, in the order they are read (Gemini: the @google/genai SDK reads both). */
const KEY_VARIABLES: Record<RealTarget, string[]> = { openai: ['OPENAI_API_KEY'], anthropic: ['ANTHROPIC_API_KEY'], gemini: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] };
const DEFAULT_BASE_URL: Record<RealTarget, string> = { openai: 'https://api.openai.com/v1', anthropic: 'https://api.anthropic.com', gemini: 'https://generativelanguage.googleapis.com' };

/** OpenAI's own API (not an OpenAI-compatible server): it gets the output cap in max_completion_tokens only. */
export function isOpenAiItself(baseUrl: string | undefined): boolean {
  return baseUrl === undefined || new URL(baseUrl).hostname === 'api.openai.com';
}

/** --api: chat or responses, for the OpenAI protocol only. */
export function resolveApi(o: BenchOptions, protocol: ProviderName): ApiName {
  if (o.api === undefined) return 'chat';
  const name = o.api.trim().toLowerCase();
  if (!(APIS as readonly string[]).includes(name)) {
    const [near] = closest(name, APIS);
    throw new UsageError(`unknown API "${o.api}"`, { option: '--api', expected: APIS.join(' or '), ...(near ? { hint: `did you mean ${near}?` } : {}), code: 'E_API' });
  }
  if (protocol !== 'openai' && name !== 'chat') {
    throw new UsageError(`--api ${name} is an OpenAI API; this run speaks the ${protocol} protocol`, { option: '--api', expected: 'an OpenAI model or --target openai', code: 'E_API' });
  }
  return name as ApiName;
}

/** --service-tier: sent as service_tier on the OpenAI protocol. */
export function resolveServiceTier(o: BenchOptions, protocol: ProviderName): string | undefined {
  if (o.serviceTier === undefined) return undefined;
  const tier = o.serviceTier.trim().toLowerCase();
  if (!(SERVICE_TIERS as readonly string[]).includes(tier)) {
    const [near] = closest(tier, SERVICE_TIERS);
    throw new UsageError(`unknown service tier "${o.serviceTier}"`, { option: '--service-tier', expected: SERVICE_TIERS.join(', '), ...(near ? { hint: `did you mean ${near}?` } : {}), code: 'E_SERVICE_TIER' });
  }
  if (protocol !== 'openai') throw new UsageError(`--service-tier is sent on the OpenAI protocol; this run speaks ${protocol}`, { option: '--service-tier', expected: 'an OpenAI model or --target openai', code: 'E_SERVICE_TIER' });
  return tier;
}

export function resolveTarget(o: BenchOptions, env: Record<string, string | undefined>): Omit<Target, 'provider'> {
  const name = (o.target ?? DEFAULT_TARGET).toLowerCase();
  if (!(TARGETS as readonly string[]).includes(name)) {
    const [near] = closest(name, TARGETS);
    throw new UsageError(`unknown target "${o.target}"`, { option: '--target', expected: TARGETS.join(', '), ...(near ? { hint: `did you mean ${near}?` } : {}), code: 'E_TARGET' });
  }
  const target = name as TargetName;
  if (target === 'sim') {
    if (o.baseUrl) throw new UsageError('--base-url is for a real target', { option: '--base-url', expected: '--target openai (any OpenAI-compatible server) or --target anthropic', code: 'E_TARGET' });
    return { name: target, baseUrl: undefined, apiKey: undefined };
  }
  if (o.latencyScale !== undefined || (o.fault?.length ?? 0) > 0 || o.batchTurnaround !== undefined) {
    const option = o.latencyScale !== undefined ? '--latency-scale' : o.fault?.length ? '--fault' : '--batch-turnaround';
    throw new UsageError(`${option} shapes the built-in simulator only`, { option, expected: 'use it with --target sim (the default)', code: 'E_TARGET' });
  }
  const variables = KEY_VARIABLES[target];
  const variable = variables.join(' or ');
  const envKey = variables.map((v) => env[v]?.trim()).find(Boolean) || undefined;
  let baseUrl = DEFAULT_BASE_URL[target];
  let basicAuth: string | undefined;
  if (o.baseUrl) {
    let u: URL;
    try {
      u = new URL(o.baseUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    } catch {
      // The value is not quoted: a mistyped URL may hold credentials.
      throw new UsageError('not an http(s) URL', { option: '--base-url', expected: 'e.g. http://localhost:8000/v1 (vLLM) or http://localhost:11434/v1 (Ollama)', code: 'E_URL' });
    }
    // user:password@ is taken out of the URL (which is printed) and sent as Basic authorization to that host.
    if (u.username || u.password) basicAuth = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
    u.username = '';
    u.password = '';
    baseUrl = u.toString();
  }
  checkSendKeyTo(o.sendKeyTo);
  // The key goes only to the provider's own host, to this machine, or where --send-key-to says.
  const mayGetKey = keyMaySendTo(new URL(baseUrl), target, o.sendKeyTo);
  const apiKey = mayGetKey ? envKey : undefined;
  const keyWithheld = envKey && !mayGetKey ? variables.find((v) => env[v]?.trim())! : undefined;
  if (basicAuth && apiKey && target === 'openai') {
    throw new UsageError('a user and password in the URL and OPENAI_API_KEY would both go in the Authorization header', {
      option: '--base-url',
      expected: 'one way to authenticate',
      hint: 'drop user:password@ from --base-url, or unset OPENAI_API_KEY for this run',
      code: 'E_URL',
    });
  }
  // The provider's own service needs its key; a self-hosted OpenAI-compatible server may not.
  if (!apiKey && !o.baseUrl) {
    throw new UsageError(`${variable} is not set`, {
      option: '--target',
      expected: `the API key in the environment variable ${variable} for --target ${target}`,
      hint: `export ${variables[0]}=…, or run without --target to benchmark the built-in simulator (no key, no network)`,
      code: 'E_NO_KEY',
    });
  }
  return { name: target, baseUrl, apiKey, ...(basicAuth ? { basicAuth } : {}), ...(keyWithheld ? { keyWithheld } : {}) };
}

/** The model: a catalog model (priced), or — on an OpenAI-compatible base URL only — any name the server knows. */
export function resolveBenchModel(catalog: Catalog, name: string, target: TargetName, customBaseUrl: boolean, option = '--model'): Model | undefined {
  if (target === 'openai' && customBaseUrl && !findModel(catalog, name)) return undefined;
  const model = resolveModel(catalog, name, { option });
  if (target === 'openai' && model.provider !== 'openai' && !customBaseUrl) {
    throw new UsageError(`${model.id} is an ${model.provider} model, not served by OpenAI`, { option, expected: 'an OpenAI model, or --target anthropic / --target sim', code: 'E_MODEL_TARGET' });
  }
  if (target === 'anthropic' && model.provider !== 'anthropic') {
    throw new UsageError(`${model.id} is not an Anthropic model`, { option, expected: 'a Claude model, e.g. claude-haiku-4-5', code: 'E_MODEL_TARGET' });
  }
  if (target === 'gemini' && model.provider !== 'google') {
    throw new UsageError(`${model.id} is not a Gemini model`, { option, expected: 'a Gemini model, e.g. gemini-2.5-flash', code: 'E_MODEL_TARGET' });
  }
  if (model.kind === 'embedding') throw new UsageError(`${model.id} is an embedding model: bench measures chat calls`, { option, expected: 'a chat or reasoning model', code: 'E_MODEL_KIND' });
  return model;
}

/** --patterns: explicit names are kept (batch on a model without a batch API is an error); the default drops batch there. */
export function resolvePatterns(text: string | undefined, batchApi: boolean): { patterns: Pattern[]; note?: string } {
  if (text === undefined) {
    if (batchApi) return { patterns: [...PATTERNS] };
    return { patterns: ['direct', 'streaming'], note: 'batch left out: the model has no batch API' };
  }
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) throw new UsageError('no pattern given', { option: '--patterns', expected: 'a comma list of direct, streaming, batch', code: 'E_PATTERN' });
  const out: Pattern[] = [];
  for (const n of names) {
    if (!(PATTERNS as readonly string[]).includes(n)) {
      const [near] = closest(n, PATTERNS);
      throw new UsageError(`unknown pattern "${n}"`, { option: '--patterns', expected: 'a comma list of direct, streaming, batch', ...(near ? { hint: `did you mean ${near}?` } : {}), code: 'E_PATTERN' });
    }
    if (n === 'batch' && !batchApi) throw new UsageError('the model has no batch API', { option: '--patterns', expected: 'direct and/or streaming for this model, or a model with a batch API', code: 'E_PATTERN' });
    if (!out.includes(n as Pattern)) out.push(n as Pattern);
  }
  // Always in the same order, so figures compare run to run.
  return { patterns: PATTERNS.filter((p) => out.includes(p)) };
}

export function resolveLoad(o: BenchOptions): LoadPlan {
  const ratePerS = o.rate;
  const durationMs = o.duration;
  // A duration alone bounds the run by time; otherwise by count.
  const requests = o.requests ?? (durationMs !== undefined ? undefined : DEFAULTS.requests);
  return {
    ...(requests !== undefined ? { requests } : {}),
    concurrency: o.concurrency ?? DEFAULTS.concurrency,
    ...(ratePerS !== undefined ? { ratePerS } : {}),
    ...(durationMs !== undefined ? { durationMs } : {}),
    // Warm-up opens every connection the run uses: at least one request per connection, all in flight at once
    // (a run of fewer requests than the concurrency uses only as many connections).
    warmup: o.warmup === 0 ? 0 : Math.max(o.warmup ?? 0, Math.min(o.concurrency ?? DEFAULTS.concurrency, requests ?? Number.POSITIVE_INFINITY)),
  };
}

export interface ResilienceSettings {
  retry: RetryPolicy;
  breaker: BreakerPolicy;
  sizing: TimeoutSizing;
  fixedTimeoutMs: number | undefined;
  /** The plan's batch poll interval on a real target. */
  pollMs: number;
}

/**
 * Lower bounds of the waits once --latency-scale shrinks them on the simulator (ms): a wait scaled towards 0
 * would turn backoff into a busy loop, close the breaker before the next request arrives, or time out a
 * request before the loopback round trip. They matter only well below --latency-scale 0.1.
 */
const SCALED_FLOOR_MS = { retryBase: 1, retryCap: 8, overloadedBackoff: 1, breakerCooldown: 50, timeoutMin: 1000, idle: 250 };

/**
 * Retry, breaker, timeout and polling settings of the client: the resilience policy (the one `aip recommend`
 * prints), unless a flag sets them. On the simulator the policy's waits shrink with --latency-scale like every
 * delay the simulator makes (its retry-after and stalls are scaled too).
 */
export function resolveResilience(o: BenchOptions, policy: ResiliencePolicy, simScale: number | undefined): ResilienceSettings {
  const scale = simScale === undefined ? 1 : Math.max(simScale, 0);
  const scaledS = (s: number, floorMs: number) => Math.max(floorMs, s * 1000 * scale);
  const { retry: r, circuitBreaker: b, timeout: t } = policy;
  const backoffMs = o.backoff;
  const retry: RetryPolicy = {
    maxRetries: o.retries ?? r.maxRetries,
    baseDelayMs: backoffMs ?? scaledS(r.baseS, SCALED_FLOOR_MS.retryBase),
    // --backoff moves the whole ladder: the cap keeps its ratio to the base.
    maxDelayMs: backoffMs !== undefined ? backoffMs * (r.capS / r.baseS) : scaledS(r.capS, SCALED_FLOOR_MS.retryCap),
    maxRetryAfterMs: r.maxRetryAfterS * 1000,
    overloadedDelayMs: backoffMs ?? scaledS(r.overloadedBackoffS, SCALED_FLOOR_MS.overloadedBackoff),
  };
  const breaker: BreakerPolicy = {
    failureThreshold: o.breakerThreshold ?? b.consecutiveFailures,
    cooldownMs: o.breakerCooldown ?? scaledS(b.cooldownS, SCALED_FLOOR_MS.breakerCooldown),
  };
  const sizing: TimeoutSizing = {
    factor: t.safetyFactor,
    floorMs: scaledS(t.minS, SCALED_FLOOR_MS.timeoutMin),
    idleMs: o.idleTimeout ?? scaledS(t.idleS, SCALED_FLOOR_MS.idle),
  };
  return { retry, breaker, sizing, fixedTimeoutMs: o.timeout, pollMs: policy.batchPollIntervalS * 1000 };
}

export interface Gates {
  thresholds: Threshold[];
  slo: Slo | undefined;
}

export function resolveGates(o: BenchOptions): Gates {
  return { thresholds: (o.threshold ?? []).map(parseThreshold), slo: o.slo !== undefined ? parseSlo(o.slo) : undefined };
}
