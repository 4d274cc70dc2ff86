// Anthropic's usage report (/v1/organizations/usage_report/messages): buckets (starting_at, ending_at) of
// results per model, service tier, workspace and API key. It counts tokens, not requests: input is
// uncached + cache reads + cache writes (5-minute and 1-hour).
import { at, num, obj, str, timeMs, type MapOptions, type RecordSink } from '../record.js';

export function mapAnthropicUsage(item: unknown, sink: RecordSink, opts: MapOptions): void {
  if (Array.isArray(item)) {
    for (const x of item) mapAnthropicUsage(x, sink, opts);
    return;
  }
  const o = obj(item);
  if (!o) return;
  if (Array.isArray(o.data)) {
    for (const b of o.data) mapAnthropicUsage(b, sink, opts);
    return;
  }
  if (!Array.isArray(o.results)) return;
  const startMs = timeMs(o.starting_at);
  const endMs = timeMs(o.ending_at);
  if (startMs === null || endMs === null) {
    sink.skip('no-time', o.results.length);
    return;
  }
  sink.cover(startMs, endMs);
  for (const raw of o.results) {
    const r = obj(raw);
    if (!r) continue;
    const uncached = num(r.uncached_input_tokens);
    const output = num(r.output_tokens);
    if (uncached === null || output === null) {
      sink.skip('no-tokens');
      continue;
    }
    const read = num(r.cache_read_input_tokens) ?? 0;
    const creation = obj(r.cache_creation);
    const w5 = num(creation?.ephemeral_5m_input_tokens) ?? 0;
    const w1 = num(creation?.ephemeral_1h_input_tokens) ?? 0;
    if (uncached + read + w5 + w1 + output === 0) continue;
    const model = str(r.model);
    if (!model) {
      sink.skip('no-model');
      continue;
    }
    const tier = str(r.service_tier);
    sink.add({
      kind: 'bucket',
      startMs,
      endMs,
      model,
      provider: 'anthropic',
      requests: null,
      inputTokens: uncached + read + w5 + w1,
      cachedInputTokens: read,
      cacheWrite5mTokens: w5,
      cacheWrite1hTokens: w1,
      outputTokens: output,
      stream: null,
      batch: tier === 'batch',
      serviceTier: tier,
      ttftS: null,
      error: null,
      spend: null,
      currency: null,
      group: groupValue(r, opts.groupBy),
    });
  }
}

function groupValue(r: Record<string, unknown>, groupBy: string): string {
  switch (groupBy) {
    case 'project':
      return str(r.workspace_id) ?? '';
    case 'api_key':
      return str(r.api_key_id) ?? '';
    case 'tag':
    case 'operation':
      return '';
    default:
      return str(at(r, groupBy)) ?? '';
  }
}
