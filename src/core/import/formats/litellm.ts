// LiteLLM's spend logs (the LiteLLM_SpendLogs table, exported as CSV or JSON, or /spend/logs): one row per
// call with tokens, times (completionStartTime = first chunk of a stream), the spend LiteLLM computed, tags
// and team. JSON columns (metadata, request_tags) arrive as text in a CSV export.
import { at, jsonish, num, obj, str, timeMs, type MapOptions, type RecordSink } from '../record.js';

const COMPLETION_CALLS = /^a?(completion|text_completion|acompletion|chat_completion|responses|anthropic_messages|generate_content|agenerate_content)$/;
const EMBEDDING_CALLS = /^a?embedding$/;

export function mapLitellm(item: unknown, sink: RecordSink, opts: MapOptions): void {
  if (Array.isArray(item)) {
    for (const x of item) mapLitellm(x, sink, opts);
    return;
  }
  const row = obj(item);
  if (!row) return;
  if (Array.isArray(row.data) && row.request_id === undefined) {
    for (const x of row.data) mapLitellm(x, sink, opts);
    return;
  }
  const callType = (str(row.call_type) ?? 'completion').toLowerCase();
  const embeddings = EMBEDDING_CALLS.test(callType);
  if (!embeddings && !COMPLETION_CALLS.test(callType)) {
    sink.skip('other-usage');
    return;
  }
  if (/^true$/i.test(str(row.cache_hit) ?? '')) {
    sink.skip('proxy-cache-hit');
    return;
  }
  const model = str(row.model) || str(row.model_group);
  if (!model) {
    sink.skip('no-model');
    return;
  }
  const startMs = timeMs(row.startTime ?? row.start_time);
  if (startMs === null) {
    sink.skip('no-time');
    return;
  }
  const endMs = timeMs(row.endTime ?? row.end_time) ?? startMs;
  const metadata = obj(jsonish(row.metadata)) ?? {};
  const failed = /^fail/i.test(str(row.status) ?? '');
  const input = num(row.prompt_tokens);
  const output = embeddings ? 0 : num(row.completion_tokens);
  if (!failed && (input === null || output === null || input + output === 0)) {
    sink.skip('no-tokens');
    return;
  }
  const usage = obj(metadata.usage_object) ?? obj(metadata.additional_usage_values) ?? {};
  const cached = num(at(usage, 'prompt_tokens_details.cached_tokens')) ?? num(usage.cache_read_input_tokens) ?? 0;
  const writes = num(usage.cache_creation_input_tokens) ?? 0;
  const firstChunk = timeMs(row.completionStartTime ?? row.completion_start_time);
  // LiteLLM sets completionStartTime to the end time for a call that was not streamed.
  const ttft = firstChunk !== null && firstChunk < endMs && firstChunk >= startMs ? (firstChunk - startMs) / 1000 : null;
  const request = obj(jsonish(row.proxy_server_request));
  const streamFlag = typeof request?.stream === 'boolean' ? request.stream : null;
  const errorInfo = obj(metadata.error_information);
  sink.add({
    kind: 'request',
    startMs,
    endMs,
    model,
    provider: str(row.custom_llm_provider) || null,
    requests: 1,
    inputTokens: failed ? 0 : input! + (input! < cached + writes ? cached + writes : 0),
    cachedInputTokens: failed ? 0 : cached,
    cacheWrite5mTokens: failed ? 0 : writes,
    cacheWrite1hTokens: 0,
    outputTokens: failed ? 0 : output!,
    stream: embeddings ? false : streamFlag ?? (firstChunk !== null ? ttft !== null : null),
    batch: false,
    serviceTier: str(usage.service_tier) ?? str(metadata.service_tier),
    ttftS: ttft,
    error: failed ? str(errorInfo?.error_code) || str(errorInfo?.error_class) || 'error' : null,
    spend: num(row.spend),
    currency: str(row.spend_currency ?? row.currency)?.toLowerCase() ?? 'usd',
    group: groupValue(row, metadata, callType, opts.groupBy),
  });
}

function groupValue(row: Record<string, unknown>, metadata: Record<string, unknown>, callType: string, groupBy: string): string {
  switch (groupBy) {
    case 'project':
      return str(metadata.user_api_key_team_alias) || str(row.team_id) || str(metadata.user_api_key_team_id) || '';
    case 'api_key':
      return str(metadata.user_api_key_alias) || str(row.api_key) || '';
    case 'tag': {
      const tags = jsonish(row.request_tags);
      return Array.isArray(tags) ? tags.map((t) => str(t) ?? '').filter(Boolean).sort().join('+') : (str(tags) ?? '');
    }
    case 'operation':
      return callType.replace(/^a(?=[a-z])/, '');
    default:
      return str(at(row, groupBy) ?? at(metadata, groupBy)) ?? '';
  }
}
