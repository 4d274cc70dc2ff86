// What went wrong with one attempt: its class (as bench counts it), whether a retry can help, and how long
// the server asked us to wait. Pure: plain status, headers and body in, a classification out. Which HTTP
// failures are retried is the resilience policy's call (src/core/recommend/resilience-policy.ts), the list
// `aip recommend` prints.
import { retryableHttpFailure, type NeverRetryClass } from '../core/recommend/resilience-policy.js';
import { inline } from '../core/safe-text.js';

/**
 * Error classes. HTTP failures are named by their status ("429", "500", "529"); the rest by what happened.
 * `content_filter` and `insufficient_quota` are split out of 400/429 because they are never worth a retry.
 */
export type FailureClass =
  | `${number}`
  | 'content_filter'
  | 'insufficient_quota'
  | 'request_too_large'
  | 'timeout'
  | 'idle_timeout'
  | 'connection'
  | 'stream_drop'
  | 'malformed'
  | 'stream_error'
  | 'breaker_open'
  | 'batch_item_error'
  | 'batch_expired'
  | 'batch_failed'
  | 'interrupted';

export interface Failure {
  class: FailureClass;
  /** A retry (after backoff) may succeed. */
  retryable: boolean;
  /** HTTP status, when the server answered. */
  status?: number;
  message: string;
  /** The server's own wait request (retry-after / retry-after-ms), in ms. */
  retryAfterMs?: number;
  /** The failure says the provider is in trouble (counts toward opening the circuit breaker). */
  providerFault: boolean;
  /** What the target said, verbatim but neutralised: "HTTP 404: {body excerpt}", or the connection error with host:port. */
  detail?: string;
  /** The request that failed, when it was not the chat call itself ("POST /v1/files"). */
  request?: string;
}

/** The most a failure's detail quotes of a response body. */
const BODY_EXCERPT_CHARS = 300;

/** "HTTP 404: <the body's first 300 characters>", made safe to print (untrusted text: core/safe-text.ts). */
export function httpDetail(status: number, body: string): string {
  const text = inline(body.length > BODY_EXCERPT_CHARS ? `${body.slice(0, BODY_EXCERPT_CHARS)}…` : body).trim();
  return text ? `HTTP ${status}: ${text}` : `HTTP ${status} (empty body)`;
}

/** A transport error's message with the target's host:port when the message does not already name it. */
export function connectionDetail(message: string, origin: string): string {
  const host = origin.replace(/^https?:\/\//, '');
  return inline(message.includes(host) ? message : `${message} (${host})`);
}

/** Failed attempt, thrown inside the client and caught by its retry loop. */
export class AttemptError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
    this.name = 'AttemptError';
  }
}

export type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The server's requested wait: `retry-after-ms` (OpenAI, Anthropic SDKs), else `retry-after` as seconds or an
 * HTTP date. Undefined when absent or unparseable.
 */
export function retryAfterMs(headers: HeaderBag, nowMs: number): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  const ra = header(headers, 'retry-after');
  if (ra === undefined || ra.trim() === '') return undefined;
  const seconds = Number(ra);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

interface ErrorBody {
  type?: string;
  code?: string | null;
  message?: string;
  details?: { error_code?: string };
}

/** The provider's error object: OpenAI `{error:{type,code,message}}`, Anthropic `{type:"error",error:{type,message}}`. */
export function errorBodyOf(body: unknown): ErrorBody {
  if (body && typeof body === 'object' && 'error' in body) {
    const e = (body as { error: unknown }).error;
    if (e && typeof e === 'object') return e as ErrorBody;
  }
  return {};
}

const CONTENT_FILTER = /content[_ ]?(filter|policy)|safety|moderation/i;

/** Classify an HTTP error response (status ≥ 400). */
export function classifyHttp(status: number, headers: HeaderBag, body: unknown, nowMs: number): Failure {
  const e = errorBodyOf(body);
  const message = e.message ?? `HTTP ${status}`;
  const wait = retryAfterMs(headers, nowMs);
  const base = { status, message, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  const codes = `${e.type ?? ''} ${e.code ?? ''} ${e.details?.error_code ?? ''}`;
  const never = (cls: NeverRetryClass): Failure => ({ ...base, class: cls, retryable: retryableHttpFailure(status, cls), providerFault: false });
  if (status === 400 && CONTENT_FILTER.test(codes)) return never('content_filter');
  if (status === 429) {
    // Quota, a spend limit, or one request larger than the whole per-minute budget: waiting does not help.
    if (/insufficient_quota|credit_balance|billing|spend_limit/i.test(codes)) return never('insufficient_quota');
    if (/request too large/i.test(message)) return never('request_too_large');
  }
  // The provider's own word (the OpenAI and Anthropic SDKs honour it too) overrides the status list.
  const shouldRetry = header(headers, 'x-should-retry');
  const retryable = shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : retryableHttpFailure(status, `${status}`);
  return { ...base, class: `${status}`, retryable, providerFault: status === 429 || status >= 500 || status === 408 };
}

/** Classify an error event that arrived inside a 200 SSE stream (Anthropic `event: error`, OpenAI `data: {error}`). */
export function classifyStreamError(body: unknown): Failure {
  const e = errorBodyOf(body);
  const message = e.message ?? 'error event in the stream';
  const byType: Record<string, number> = {
    overloaded_error: 529,
    rate_limit_error: 429,
    api_error: 500,
    timeout_error: 504,
    server_error: 500,
  };
  const status = e.type ? byType[e.type] : undefined;
  if (status !== undefined) return { class: `${status}`, status, retryable: true, providerFault: true, message };
  if (CONTENT_FILTER.test(`${e.type ?? ''} ${e.code ?? ''}`)) return { class: 'content_filter', retryable: false, providerFault: false, message };
  return { class: 'stream_error', retryable: true, providerFault: true, message };
}

/** Classify a thrown transport error (undici codes, our own timers, aborts). */
export function classifyThrown(err: unknown): Failure {
  if (err instanceof AttemptError) return err.failure;
  const code = (err as { code?: string })?.code ?? '';
  const name = (err as { name?: string })?.name ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'UND_ERR_BODY_TIMEOUT') return { class: 'idle_timeout', retryable: true, providerFault: true, message: 'no data between chunks for longer than the idle timeout' };
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || name === 'TimeoutError') return { class: 'timeout', retryable: true, providerFault: true, message };
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'UND_ERR_CLOSED') {
    return { class: 'connection', retryable: true, providerFault: true, message };
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'EPIPE') {
    return { class: 'connection', retryable: true, providerFault: true, message };
  }
  return { class: 'connection', retryable: true, providerFault: true, message };
}

/** A connection that was refused never reached the server: safe to retry even a non-idempotent call. */
export function neverReachedServer(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? '';
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'UND_ERR_CONNECT_TIMEOUT';
}
