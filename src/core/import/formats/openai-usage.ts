// OpenAI's organization Usage API (/v1/organization/usage/completions and /embeddings): pages of time
// buckets, each with results summed per the group_by the caller asked for. `input_tokens` includes the
// cached tokens; `batch` and `service_tier` say how the requests were sent.
import { at, num, obj, str, type MapOptions, type RecordSink } from '../record.js';

/** A page ({ object: "page", data: [buckets] }), a bucket, or a list of either. */
export function mapOpenAiUsage(item: unknown, sink: RecordSink, opts: MapOptions): void {
  if (Array.isArray(item)) {
    for (const x of item) mapOpenAiUsage(x, sink, opts);
    return;
  }
  const o = obj(item);
  if (!o) return;
  if (Array.isArray(o.data)) {
    for (const b of o.data) mapOpenAiUsage(b, sink, opts);
    return;
  }
  if (!Array.isArray(o.results)) return;
  const startMs = (num(o.start_time) ?? NaN) * 1000;
  const endMs = (num(o.end_time) ?? NaN) * 1000;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) {
    sink.skip('no-time', o.results.length);
    return;
  }
  sink.cover(startMs, endMs);
  for (const raw of o.results) {
    const r = obj(raw);
    if (!r) continue;
    const kind = str(r.object) ?? '';
    const embeddings = kind.includes('embeddings');
    if (kind !== '' && !embeddings && !kind.includes('completions')) {
      sink.skip('other-usage');
      continue;
    }
    const requests = num(r.num_model_requests) ?? 0;
    const input = num(r.input_tokens);
    const output = embeddings ? 0 : num(r.output_tokens);
    if (requests === 0 && (input ?? 0) === 0 && (output ?? 0) === 0) continue; // an empty group: no traffic
    if (input === null || output === null) {
      sink.skip('no-tokens');
      continue;
    }
    const model = str(r.model);
    if (!model) {
      sink.skip('no-model');
      continue;
    }
    const batch = r.batch === true;
    sink.add({
      kind: 'bucket',
      startMs,
      endMs,
      model,
      provider: 'openai',
      requests,
      inputTokens: input,
      cachedInputTokens: num(r.input_cached_tokens) ?? 0,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      outputTokens: output,
      stream: embeddings ? false : null,
      batch,
      serviceTier: batch ? 'batch' : str(r.service_tier),
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
      return str(r.project_id) ?? '';
    case 'api_key':
      return str(r.api_key_id) ?? '';
    case 'tag':
    case 'operation':
      return '';
    default:
      return str(at(r, groupBy)) ?? '';
  }
}
