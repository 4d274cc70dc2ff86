// Langfuse observations (the public API's /observations pages, the UI's JSON/JSONL/CSV export): GENERATION
// (and EMBEDDING) observations with the model, usage details, start, end and completionStartTime (the first
// chunk of a stream), and the cost Langfuse computed. Usage detail keys are disjoint and add up to `total`.
import { at, jsonish, num, obj, str, timeMs, type MapOptions, type RecordSink } from '../record.js';

export function mapLangfuse(item: unknown, sink: RecordSink, opts: MapOptions): void {
  if (Array.isArray(item)) {
    for (const x of item) mapLangfuse(x, sink, opts);
    return;
  }
  const o = obj(item);
  if (!o) return;
  if (Array.isArray(o.data) && o.type === undefined) {
    for (const x of o.data) mapLangfuse(x, sink, opts);
    return;
  }
  const type = (str(o.type) ?? '').toUpperCase();
  if (type !== 'GENERATION' && type !== 'EMBEDDING') {
    sink.skip('not-generation');
    return;
  }
  const model = str(o.model) || str(o.providedModelName);
  if (!model) {
    sink.skip('no-model');
    return;
  }
  const startMs = timeMs(o.startTime ?? o.start_time);
  if (startMs === null) {
    sink.skip('no-time');
    return;
  }
  const endMs = timeMs(o.endTime ?? o.end_time) ?? startMs;
  const failed = (str(o.level) ?? '').toUpperCase() === 'ERROR';
  const tokens = usageTokens(o);
  if (!tokens && !failed) {
    sink.skip('no-tokens');
    return;
  }
  const firstChunk = timeMs(o.completionStartTime ?? o.completion_start_time);
  let ttft = firstChunk !== null && firstChunk >= startMs && firstChunk < endMs ? (firstChunk - startMs) / 1000 : null;
  if (ttft === null && num(o.timeToFirstToken) !== null && num(o.timeToFirstToken)! < (endMs - startMs) / 1000) ttft = num(o.timeToFirstToken);
  const params = obj(jsonish(o.modelParameters));
  const streamFlag = params && (params.stream === true || params.stream === 'true') ? true : null;
  const cost = num(obj(jsonish(o.costDetails))?.total) ?? num(o.calculatedTotalCost) ?? num(o.totalPrice);
  const metadata = obj(jsonish(o.metadata)) ?? {};
  sink.add({
    kind: 'request',
    startMs,
    endMs,
    model,
    provider: str(metadata.ls_provider) ?? str(metadata.provider) ?? null,
    requests: 1,
    inputTokens: failed ? 0 : (tokens?.input ?? 0),
    cachedInputTokens: failed ? 0 : (tokens?.cached ?? 0),
    cacheWrite5mTokens: failed ? 0 : (tokens?.writes ?? 0),
    cacheWrite1hTokens: 0,
    outputTokens: failed ? 0 : type === 'EMBEDDING' ? 0 : (tokens?.output ?? 0),
    stream: type === 'EMBEDDING' ? false : streamFlag ?? (ttft !== null ? true : firstChunk === null ? null : false),
    batch: false,
    serviceTier: str(params?.service_tier) ?? null,
    ttftS: ttft,
    error: failed ? (str(o.statusMessage)?.match(/\b(4\d\d|5\d\d)\b/)?.[1] ?? 'error') : null,
    spend: failed ? null : cost,
    currency: cost === null ? null : 'usd',
    group: groupValue(o, metadata, opts.groupBy),
  });
}

/** Input (cache reads and writes included), cached, writes and output from usageDetails or the older usage. */
function usageTokens(o: Record<string, unknown>): { input: number; cached: number; writes: number; output: number } | null {
  const details = obj(jsonish(o.usageDetails)) ?? obj(jsonish(o.usage_details));
  if (details && Object.keys(details).length > 0) {
    let input = 0;
    let cached = 0;
    let writes = 0;
    let output = 0;
    let seen = false;
    for (const [key, raw] of Object.entries(details)) {
      const v = num(raw);
      if (v === null || key === 'total') continue;
      const k = key.toLowerCase();
      if (/cache.*(read)|cached/.test(k)) {
        cached += v;
        input += v;
      } else if (/cache.*(creation|write)/.test(k)) {
        writes += v;
        input += v;
      } else if (/^(input|prompt)/.test(k)) input += v;
      else if (/^(output|completion)/.test(k)) output += v;
      else continue;
      seen = true;
    }
    return seen ? { input, cached, writes, output } : null;
  }
  const usage = obj(jsonish(o.usage));
  const input = num(usage?.input) ?? num(o.promptTokens);
  const output = num(usage?.output) ?? num(o.completionTokens);
  if (input === null && output === null) return null;
  return { input: input ?? 0, cached: 0, writes: 0, output: output ?? 0 };
}

function groupValue(o: Record<string, unknown>, metadata: Record<string, unknown>, groupBy: string): string {
  switch (groupBy) {
    case 'project':
      return str(o.projectId) ?? str(o.environment) ?? '';
    case 'operation':
      return str(o.name) ?? '';
    case 'tag':
      return Array.isArray(metadata.tags) ? metadata.tags.map((t) => str(t) ?? '').sort().join('+') : '';
    case 'api_key':
      return '';
    default:
      return str(at(o, groupBy) ?? at(metadata, groupBy)) ?? '';
  }
}
