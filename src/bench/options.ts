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
import { DEFAULT_TARGET, DEFAULTS, TARGETS, type TargetName } from './defaults.js';
import { closest } from '../core/suggest.js';
import { parseSlo, parseThreshold, type Slo, type Threshold } from './gates.js';
import type { LoadPlan } from './load.js';
import { PATTERNS, type Pattern } from '../core/recommend/pattern.js';

/** bench's options as commander hands them over, each value already parsed (commands/table.ts). */
export interface BenchOptions {
  target?: string;
  baseUrl?: string;
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
}

const KEY_VARIABLE: Record<'openai' | 'anthropic', string> = { openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY' };
const DEFAULT_BASE_URL: Record<'openai' | 'anthropic', string> = { openai: 'https://api.openai.com/v1', anthropic: 'https://api.anthropic.com' };

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
  const variable = KEY_VARIABLE[target];
  const apiKey = env[variable]?.trim() || undefined;
  let baseUrl = DEFAULT_BASE_URL[target];
  if (o.baseUrl) {
    try {
      const u = new URL(o.baseUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    } catch {
      throw new UsageError(`not an http(s) URL: "${o.baseUrl}"`, { option: '--base-url', expected: 'e.g. http://localhost:8000/v1 (vLLM) or http://localhost:11434/v1 (Ollama)', code: 'E_URL' });
    }
    baseUrl = o.baseUrl;
  }
  // The provider's own service needs its key; a self-hosted OpenAI-compatible server may not.
  if (!apiKey && !o.baseUrl) {
    throw new UsageError(`${variable} is not set`, {
      option: '--target',
      expected: `the API key in the environment variable ${variable} for --target ${target}`,
      hint: `export ${variable}=…, or run without --target to benchmark the built-in simulator (no key, no network)`,
      code: 'E_NO_KEY',
    });
  }
  return { name: target, baseUrl, apiKey };
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
    warmup: o.warmup ?? DEFAULTS.warmup,
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
