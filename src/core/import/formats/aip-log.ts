// aip bench's own request log (--log FILE): one JSON line per call with the pattern, model, tokens,
// first-token and total time, status and error class. `ts` is when the call ended.
import { at, num, obj, str, timeMs, type MapOptions, type RecordSink } from '../record.js';

export function mapAipLog(item: unknown, sink: RecordSink, opts: MapOptions): void {
  const line = obj(item);
  if (!line) return;
  if (line.batch_id !== undefined || line.items !== undefined) {
    sink.skip('batch-summary');
    return;
  }
  const status = str(line.status);
  if (status === 'skipped') {
    sink.skip('skipped-call');
    return;
  }
  const model = str(line.model) || str(line.requested_model);
  if (!model) {
    sink.skip('no-model');
    return;
  }
  const endMs = timeMs(line.ts);
  if (endMs === null) {
    sink.skip('no-time');
    return;
  }
  const latencyMs = num(line.latency_ms) ?? 0;
  const failed = status === 'failed';
  const input = num(line.input_tokens);
  const output = num(line.output_tokens);
  if (!failed && (input === null || output === null)) {
    sink.skip('no-tokens');
    return;
  }
  const pattern = str(line.pattern) ?? 'direct';
  const ttftMs = num(line.ttft_ms);
  sink.add({
    kind: 'request',
    startMs: endMs - latencyMs,
    endMs,
    model,
    provider: null,
    requests: 1,
    inputTokens: failed ? 0 : input!,
    cachedInputTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: failed ? 0 : output!,
    stream: pattern === 'streaming',
    batch: pattern === 'batch',
    serviceTier: null,
    ttftS: ttftMs === null ? null : ttftMs / 1000,
    error: failed ? str(line.error_class) ?? (num(line.http_status) !== null ? String(line.http_status) : 'error') : null,
    spend: failed ? null : num(line.cost_usd),
    currency: num(line.cost_usd) === null ? null : 'usd',
    group: opts.groupBy === 'operation' ? pattern : opts.groupBy === 'project' || opts.groupBy === 'api_key' || opts.groupBy === 'tag' ? '' : (str(at(line, opts.groupBy)) ?? ''),
  });
}
