// OpenTelemetry GenAI spans in OTLP JSON (an ExportTraceServiceRequest: resourceSpans → scopeSpans →
// spans). Reads the GenAI semantic conventions (gen_ai.provider.name, and the older gen_ai.system and
// gen_ai.usage.prompt_tokens/completion_tokens) and OpenInference's llm.* attributes. A span that is not a
// model call (agent, tool, HTTP) is skipped; a model call without token counts is counted, not imported.
import { num, obj, str, type MapOptions, type RecordSink } from '../record.js';

type Attrs = Record<string, unknown>;

/** OTLP's attribute list → a plain object (AnyValue unwrapped; int64 arrives as a string in OTLP JSON). */
export function otlpAttributes(list: unknown): Attrs {
  const out: Attrs = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    const key = (kv as { key?: unknown })?.key;
    if (typeof key !== 'string') continue;
    out[key] = anyValue((kv as { value?: unknown }).value);
  }
  return out;
}

function anyValue(v: unknown): unknown {
  const o = obj(v);
  if (!o) return undefined;
  if ('stringValue' in o) return o.stringValue;
  if ('intValue' in o) return num(o.intValue);
  if ('doubleValue' in o) return num(o.doubleValue);
  if ('boolValue' in o) return o.boolValue === true || o.boolValue === 'true';
  if ('arrayValue' in o) return ((obj(o.arrayValue)?.values as unknown[]) ?? []).map(anyValue);
  return undefined;
}

export interface OtlpContext {
  resource: Attrs;
  scope: string;
}

/** One ExportTraceServiceRequest (a line of the collector's file exporter, or a whole document). */
export function mapOtlpRequest(item: unknown, sink: RecordSink, opts: MapOptions): void {
  const o = obj(item);
  if (!o || !Array.isArray(o.resourceSpans)) return;
  for (const rs of o.resourceSpans) {
    const r = obj(rs);
    if (!r) continue;
    const resource = otlpAttributes(obj(r.resource)?.attributes);
    const scopeSpans = Array.isArray(r.scopeSpans) ? r.scopeSpans : Array.isArray(r.instrumentationLibrarySpans) ? r.instrumentationLibrarySpans : [];
    for (const ss of scopeSpans) {
      const s = obj(ss);
      if (!s || !Array.isArray(s.spans)) continue;
      const ctx = { resource, scope: str(obj(s.scope)?.name) ?? '' };
      for (const span of s.spans) mapOtlpSpan(span, ctx, sink, opts);
    }
  }
}

const NOT_MODEL_CALLS = new Set(['invoke_agent', 'create_agent', 'execute_tool', 'invoke_workflow']);
const OI_MODEL_KINDS = new Set(['LLM', 'EMBEDDING']);

function first(a: Attrs, ...keys: string[]): unknown {
  for (const k of keys) if (a[k] !== undefined && a[k] !== null && a[k] !== '') return a[k];
  return undefined;
}

function nanosToMs(v: unknown): number | null {
  if (typeof v === 'string' && /^\d+$/.test(v)) {
    // Nanoseconds since the epoch do not fit a double exactly; milliseconds do.
    return v.length > 6 ? Number(v.slice(0, -6)) + Number(v.slice(-6)) / 1e6 : Number(v) / 1e6;
  }
  const n = num(v);
  return n === null ? null : n / 1e6;
}

export function mapOtlpSpan(raw: unknown, ctx: OtlpContext, sink: RecordSink, opts: MapOptions): void {
  const span = obj(raw);
  if (!span) return;
  const a = otlpAttributes(span.attributes);
  const operation = str(first(a, 'gen_ai.operation.name', 'llm.request.type'));
  const oiKind = str(a['openinference.span.kind']);
  const genai = operation !== null || a['gen_ai.system'] !== undefined || a['gen_ai.provider.name'] !== undefined;
  if ((operation !== null && NOT_MODEL_CALLS.has(operation)) || (oiKind !== null && !OI_MODEL_KINDS.has(oiKind)) || (!genai && oiKind === null)) {
    sink.skip('not-genai');
    return;
  }
  const embeddings = operation === 'embeddings' || oiKind === 'EMBEDDING';
  const model = str(first(a, 'gen_ai.request.model', 'gen_ai.response.model', 'llm.model_name', 'llm.request.model_name', 'embedding.model_name', 'llm.response.model_name'));
  if (!model) {
    sink.skip('no-model');
    return;
  }
  const startMs = nanosToMs(span.startTimeUnixNano);
  const endMs = nanosToMs(span.endTimeUnixNano);
  if (startMs === null || startMs <= 0) {
    sink.skip('no-time');
    return;
  }
  const statusCode = obj(span.status)?.code;
  const failed = statusCode === 2 || statusCode === 'STATUS_CODE_ERROR';
  let input = num(first(a, 'gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt'));
  let output = num(first(a, 'gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion'));
  if (embeddings && output === null && input !== null) output = 0;
  if (input === null || output === null) {
    if (failed) input = output = 0; // a failed call counts toward failure rates, not toward traffic
    else {
      sink.skip('no-tokens');
      return;
    }
  }
  const cached = num(first(a, 'gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_read_input_tokens', 'llm.token_count.prompt_details.cache_read')) ?? 0;
  const writes = num(first(a, 'gen_ai.usage.cache_creation.input_tokens', 'gen_ai.usage.cache_write.input_tokens', 'gen_ai.usage.cache_creation_input_tokens', 'llm.token_count.prompt_details.cache_write')) ?? 0;
  // The conventions count cache reads and writes inside input_tokens; an instrumentation that reports
  // Anthropic's own split (input excludes them) shows fewer input than cached tokens: add them back.
  const inputTotal = input < cached + writes ? input + cached + writes : input;
  const ttft = ttftSeconds(a, span, startMs);
  const tier = str(first(a, 'openai.response.service_tier', 'gen_ai.openai.response.service_tier', 'anthropic.response.service_tier', 'openai.request.service_tier', 'gen_ai.openai.request.service_tier'));
  sink.add({
    kind: 'request',
    startMs,
    endMs: endMs ?? startMs,
    model,
    provider: str(first(a, 'gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system')),
    requests: 1,
    inputTokens: inputTotal,
    cachedInputTokens: cached,
    cacheWrite5mTokens: writes,
    cacheWrite1hTokens: 0,
    outputTokens: output,
    stream: embeddings ? false : streamed(a, ttft),
    batch: tier === 'batch',
    serviceTier: tier,
    ttftS: ttft,
    error: failed ? errorClass(a, span) : null,
    spend: null,
    currency: null,
    group: groupValue(a, ctx, operation ?? (embeddings ? 'embeddings' : oiKind === 'LLM' ? 'chat' : null), opts.groupBy),
  });
}

function streamed(a: Attrs, ttft: number | null): boolean {
  const flag = first(a, 'gen_ai.request.stream', 'llm.is_streaming');
  if (typeof flag === 'boolean') return flag;
  const params = str(a['llm.invocation_parameters']);
  if (params !== null) {
    try {
      return obj(JSON.parse(params))?.stream === true;
    } catch {
      return ttft !== null;
    }
  }
  // No flag and no first chunk: instrumentations that record streaming (gen_ai.request.stream, the Anthropic
  // SDK's time_to_first_chunk) record it on streamed calls only, so the call was not streamed.
  return ttft !== null;
}

/** Seconds to the first chunk: an attribute where the instrumentation sets one, else a first-token event. */
function ttftSeconds(a: Attrs, span: Record<string, unknown>, startMs: number): number | null {
  const s = num(first(a, 'gen_ai.response.time_to_first_chunk', 'gen_ai.response.time_to_first_token', 'gen_ai.server.time_to_first_token'));
  if (s !== null) return s;
  if (Array.isArray(span.events)) {
    for (const e of span.events) {
      const ev = obj(e);
      if (ev && /first.?(token|chunk)/i.test(str(ev.name) ?? '')) {
        const t = nanosToMs(ev.timeUnixNano);
        if (t !== null && t >= startMs) return (t - startMs) / 1000;
      }
    }
  }
  return null;
}

function errorClass(a: Attrs, span: Record<string, unknown>): string {
  const status = num(first(a, 'http.response.status_code', 'http.status_code'));
  if (status !== null && status >= 400) return String(status);
  return str(first(a, 'error.type')) ?? str(obj(span.status)?.message) ?? 'error';
}

function groupValue(a: Attrs, ctx: OtlpContext, operation: string | null, groupBy: string): string {
  switch (groupBy) {
    case 'project':
      return str(ctx.resource['service.name']) ?? '';
    case 'operation':
      return operation ?? '';
    case 'api_key':
    case 'tag':
      return '';
    default:
      return str(a[groupBy] ?? ctx.resource[groupBy]) ?? '';
  }
}
