// The one shape every import format is mapped to: a request (one call) or a bucket (calls summed over a
// time window by a usage API), with tokens, timings and the keys it may be grouped by. Pure data.

export const importFormats = ['openai-usage', 'anthropic-usage', 'otlp', 'litellm', 'langfuse', 'aip-log'] as const;
export type ImportFormat = (typeof importFormats)[number];

export const formatNames: Record<ImportFormat, string> = {
  'openai-usage': "OpenAI organization Usage API pages (/v1/organization/usage/completions or /embeddings)",
  'anthropic-usage': "Anthropic usage report (/v1/organizations/usage_report/messages)",
  otlp: 'OpenTelemetry GenAI spans as OTLP JSON (collector file exporter: one ExportTraceServiceRequest per line, or one document)',
  litellm: 'LiteLLM spend logs (LiteLLM_SpendLogs as CSV or JSON)',
  langfuse: 'Langfuse observations export (JSON, JSONL or CSV; type GENERATION)',
  'aip-log': "aip bench's request log (--log FILE, JSONL)",
};

export interface UsageRecord {
  kind: 'request' | 'bucket';
  /** Milliseconds since the epoch: the request's start, or the bucket's start. */
  startMs: number;
  /** The request's end, or the bucket's end. */
  endMs: number;
  /** The model as the source names it (resolved against the catalog later). */
  model: string;
  provider: string | null;
  /** 1 for a request; the bucket's request count; null where the source does not count requests. */
  requests: number | null;
  /** All input tokens, cache reads and cache writes included. */
  inputTokens: number;
  /** Input tokens read from the prompt cache. */
  cachedInputTokens: number;
  /** Input tokens written to the prompt cache (Anthropic bills them above the input price). */
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  outputTokens: number;
  /** Streamed (SSE); null where the source does not say. */
  stream: boolean | null;
  /** Sent through the provider's batch API. */
  batch: boolean;
  /** The service tier as the provider reported it (standard, default, flex, priority, scale…); null unknown. */
  serviceTier: string | null;
  /** Seconds from the start to the first streamed chunk, where recorded. */
  ttftS: number | null;
  /** The failure class of a failed request ("429", "server_error", "timeout"…); null when it succeeded. */
  error: string | null;
  /** Spend the source reported for this record, and its currency (ISO code, lower case). */
  spend: number | null;
  currency: string | null;
  /** The value of the --group-by key for this record ("" where it has none). */
  group: string;
}

/** Why an item of the input was not imported; counted and reported, never imported as zero-token traffic. */
export type SkipReason =
  | 'no-tokens'
  | 'not-genai'
  | 'no-model'
  | 'no-time'
  | 'not-generation'
  | 'batch-summary'
  | 'other-usage'
  | 'proxy-cache-hit'
  | 'skipped-call';

export const skipReasonText: Record<SkipReason, string> = {
  'no-tokens': 'without token counts (not imported as zero-token traffic)',
  'not-genai': 'not a model call (no gen_ai.* or llm.* attributes)',
  'no-model': 'without a model name',
  'no-time': 'without a usable start time',
  'not-generation': 'not a GENERATION observation',
  'batch-summary': "batch summary lines (aip bench logs batch items without their tokens)",
  'other-usage': 'calls that are not completions or embeddings (images, audio, files, batch management)',
  'proxy-cache-hit': "answers served from the proxy's own cache (no model call)",
  'skipped-call': 'calls the client never sent (spend cap)',
};

export interface RecordSink {
  add(record: UsageRecord): void;
  /** A usage bucket covers its period even when it holds no traffic (a quiet day still counts). */
  cover(startMs: number, endMs: number): void;
  skip(reason: SkipReason, count?: number): void;
}

/** Options every mapper is handed. */
export interface MapOptions {
  /** The --group-by key: project | api_key | tag | operation | an attribute or field name. */
  groupBy: string;
}

export const groupByKeys = ['project', 'api_key', 'tag', 'operation'] as const;

// ---- small helpers shared by the mappers (values from JSON are untrusted: check every one) ----

export function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

export function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

export function obj(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** A JSON column of a CSV export arrives as text: parse it where it looks like JSON. */
export function jsonish(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return v;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
}

/** "2026-11-01T10:00:00Z", "2026-11-01 10:00:00.123", epoch seconds or milliseconds → ms; null otherwise. */
export function timeMs(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v > 1e12 ? v : v * 1000;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const t = v.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return timeMs(Number(t));
  // "2026-11-01 10:00:00" (SQL exports) has no zone: it is UTC in LiteLLM's and Langfuse's databases.
  const iso = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(t) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(t) ? `${t.replace(' ', 'T')}Z` : t;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

/** A field by name ("user"), or a dotted path into nested (or JSON-text) objects ("metadata.user_api_key_team_alias"). */
export function at(value: unknown, path: string): unknown {
  const top = obj(value);
  if (top && path in top) return top[path];
  let cur: unknown = value;
  for (const part of path.split('.')) {
    const o = obj(jsonish(cur));
    if (!o || !(part in o)) return undefined;
    cur = o[part];
  }
  return cur;
}
