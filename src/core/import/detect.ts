// Which format a file is, from its first bytes: the container (JSON lines, one JSON document, CSV) and
// the field names the providers' exports use. Pure: a sniff of text in, a verdict (or a description of
// what the file looked like, for the error) out.
import type { ImportFormat } from './record.js';

export type Container = 'jsonl' | 'json' | 'csv';

export interface Detected {
  format: ImportFormat;
  container: Container;
}

export type Detection = ({ ok: true } & Detected) | { ok: false; container: Container | 'unknown'; looksLike: string };

/** Field names that give each format away, most specific first. */
const SIGNS: Array<[ImportFormat, RegExp]> = [
  ['otlp', /"resourceSpans"|"scopeSpans"/],
  ['openai-usage', /"organization\.usage\.(completions|embeddings)\.result"|"num_model_requests"/],
  ['anthropic-usage', /"uncached_input_tokens"|"cache_creation"\s*:\s*\{\s*"ephemeral/],
  ['aip-log', /"requested_model"\s*:.*"error_class"|"ttfb_ms"|"batch_id"\s*:.*"turnaround_ms"/],
  ['litellm', /"call_type"|"completionStartTime"\s*:.*"spend"|"spend"\s*:.*"prompt_tokens"|"custom_llm_provider"/],
  ['langfuse', /"type"\s*:\s*"(GENERATION|SPAN|EVENT|EMBEDDING)"|"usageDetails"|"traceId"\s*:.*"completionStartTime"/],
];

const CSV_SIGNS: Array<[ImportFormat, (cols: Set<string>) => boolean]> = [
  ['litellm', (c) => c.has('request_id') && (c.has('spend') || c.has('call_type')) && c.has('prompt_tokens')],
  ['langfuse', (c) => c.has('type') && (c.has('usagedetails') || c.has('usage') || c.has('traceid')) && c.has('starttime')],
];

export function detectFormat(sniff: string, forced?: ImportFormat): Detection {
  const text = sniff.replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  const container = containerOf(trimmed);
  if (container === 'csv') {
    const header = csvHeader(trimmed);
    if (forced) return { ok: true, format: forced, container };
    const cols = new Set(header.map((h) => h.toLowerCase()));
    for (const [format, test] of CSV_SIGNS) if (test(cols)) return { ok: true, format, container };
    return { ok: false, container, looksLike: `CSV with the columns ${header.slice(0, 8).map((h) => `"${h}"`).join(', ')}${header.length > 8 ? ', …' : ''}` };
  }
  if (container === 'unknown') {
    return { ok: false, container, looksLike: trimmed === '' ? 'an empty file' : `text that is neither JSON nor CSV, starting "${printable(trimmed.slice(0, 40))}"` };
  }
  if (forced) return { ok: true, format: forced, container };
  for (const [format, re] of SIGNS) if (re.test(text)) return { ok: true, format, container };
  const keys = [...new Set([...text.slice(0, 4000).matchAll(/"([A-Za-z_][\w.]{0,40})"\s*:/g)].map((m) => m[1]!))].slice(0, 8);
  return { ok: false, container, looksLike: `${container === 'jsonl' ? 'JSON lines' : 'a JSON document'}${keys.length ? ` with the keys ${keys.map((k) => `"${k}"`).join(', ')}` : ''}` };
}

function containerOf(t: string): Container | 'unknown' {
  if (t.startsWith('{') || t.startsWith('[')) {
    // One value per line (the collector's file exporter, JSONL logs) or one document over many lines.
    const nl = t.indexOf('\n');
    if (nl < 0) return 'jsonl';
    try {
      JSON.parse(t.slice(0, nl));
      return 'jsonl';
    } catch {
      return 'json';
    }
  }
  const firstLine = t.split(/\r?\n/, 1)[0] ?? '';
  if (/^[\w"][^\n]*,[^\n]*/.test(firstLine) && /^("?[A-Za-z_][\w .-]*"?)(,"?[A-Za-z_][\w .-]*"?)+\s*$/.test(firstLine)) return 'csv';
  return 'unknown';
}

export function csvHeader(t: string): string[] {
  const line = t.split(/\r?\n/, 1)[0] ?? '';
  return line.split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
}

/** Control characters and escapes out of text that reaches a terminal. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}
