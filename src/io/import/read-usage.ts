// Reads one import file as a stream, whatever its size: JSON lines a line at a time, one JSON document
// through a streaming parser that hands over one item (span, bucket, row) at a time, CSV row by row.
// Memory stays bounded by the largest line or item, not by the file. Every parse error names file:line.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { JSONParser } from '@streamparser/json';
import { parse as parseCsv } from 'csv-parse';
import { InterruptedError, UsageError } from '../../core/errors.js';
import { describeReadError } from '../../core/parse/read-error.js';
import { detectFormat, printable, type Container } from '../../core/import/detect.js';
import { formatNames, importFormats, type ImportFormat, type MapOptions, type RecordSink } from '../../core/import/record.js';
import { mapOpenAiUsage } from '../../core/import/formats/openai-usage.js';
import { mapAnthropicUsage } from '../../core/import/formats/anthropic-usage.js';
import { mapOtlpRequest, mapOtlpSpan, otlpAttributes, type OtlpContext } from '../../core/import/formats/otlp.js';
import { mapLitellm } from '../../core/import/formats/litellm.js';
import { mapLangfuse } from '../../core/import/formats/langfuse.js';
import { mapAipLog } from '../../core/import/formats/aip-log.js';

type Mapper = (item: unknown, sink: RecordSink, opts: MapOptions) => void;

const MAPPERS: Record<ImportFormat, Mapper> = {
  'openai-usage': mapOpenAiUsage,
  'anthropic-usage': mapAnthropicUsage,
  otlp: mapOtlpRequest,
  litellm: mapLitellm,
  langfuse: mapLangfuse,
  'aip-log': mapAipLog,
};

const SNIFF_BYTES = 64 * 1024;

export interface ReadOptions extends MapOptions {
  /** --from: skip detection. */
  format?: ImportFormat;
  /** Called before the first record of the file, once the format is known. */
  onFormat?(format: ImportFormat, container: Container): void;
  signal?: AbortSignal;
  /** Bytes read so far (progress on a terminal). */
  onProgress?(bytes: number): void;
}

/** The file's format, or a UsageError that lists the formats and says what the file looked like. */
export async function sniffFormat(path: string, shown: string, forced?: ImportFormat): Promise<{ format: ImportFormat; container: Container }> {
  let sniff: string;
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
      sniff = buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new UsageError(describeReadError(err, 'a usage export or trace file'), { code: 'E_FILE', file: shown, expected: 'a readable usage export, trace or log file' });
  }
  const d = detectFormat(sniff, forced);
  if (d.ok) return { format: d.format, container: d.container };
  throw new UsageError(`cannot tell what this file is: it looks like ${printable(d.looksLike)}`, {
    code: 'E_IMPORT_FORMAT',
    file: shown,
    expected: `one of: ${importFormats.map((f) => `${f} (${formatNames[f]})`).join('; ')}`,
    hint: 'if it is one of these, name it with --from FORMAT, e.g. --from otlp',
  });
}

export async function readUsageFile(path: string, shown: string, sink: RecordSink, opts: ReadOptions): Promise<{ format: ImportFormat; container: Container }> {
  const { format, container } = await sniffFormat(path, shown, opts.format);
  opts.onFormat?.(format, container);
  const mapper = MAPPERS[format];
  if (container === 'jsonl') await readJsonLines(path, shown, (v) => mapper(v, sink, opts), opts);
  else if (container === 'json') await readJsonDocument(path, shown, format, sink, opts);
  else await readCsv(path, shown, (row) => mapper(row, sink, opts), opts);
  return { format, container };
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError();
}

async function readJsonLines(path: string, shown: string, each: (value: unknown) => void, opts: ReadOptions): Promise<void> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  let bytes = 0;
  try {
    for await (const line of lines) {
      lineNo += 1;
      bytes += line.length + 1;
      if ((lineNo & 1023) === 0) {
        checkAbort(opts.signal);
        opts.onProgress?.(bytes);
      }
      const text = lineNo === 1 ? line.replace(/^\uFEFF/, '') : line;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw badJson(shown, lineNo, (err as Error).message, text);
      }
      each(value);
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

function badJson(shown: string, line: number, reason: string, text: string): UsageError {
  const cut = /Unexpected end|Unterminated|end of (JSON|data)/i.test(reason);
  return new UsageError(`${cut ? 'this line ends in the middle of a JSON value' : 'this line is not valid JSON'} (${printable(reason).slice(0, 120)})`, {
    code: 'E_IMPORT_JSON',
    file: shown,
    line,
    expected: 'one complete JSON value per line',
    hint: cut ? 'the file looks truncated (an export or copy that stopped early): export it again, or remove the last line' : `the line starts "${printable(text.slice(0, 60))}"`,
  });
}

/** JSON paths that select one item at a time from a whole document. */
function pathsFor(format: ImportFormat, topIsArray: boolean): string[] {
  if (format === 'otlp') return ['$.resourceSpans.*.resource', '$.resourceSpans.*.scopeSpans.*.scope', '$.resourceSpans.*.scopeSpans.*.spans.*'];
  return topIsArray ? ['$.*'] : ['$.data.*'];
}

async function readJsonDocument(path: string, shown: string, format: ImportFormat, sink: RecordSink, opts: ReadOptions): Promise<void> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  let parser: JSONParser | undefined;
  let failure: Error | undefined;
  // Line numbers for errors: the parser reports a byte position; count newlines up to it.
  let chunkStart = 0;
  let chunkLine = 1;
  let current: Buffer = Buffer.alloc(0);
  const otlp: OtlpContext = { resource: {}, scope: '' };
  const mapper = MAPPERS[format];
  const lineAt = (position: number) => {
    let line = chunkLine;
    const upto = Math.min(current.length, Math.max(0, position - chunkStart));
    for (let i = 0; i < upto; i++) if (current[i] === 10) line++;
    return line;
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      checkAbort(opts.signal);
      if (!parser) {
        const first = chunk.toString('utf8', 0, Math.min(chunk.length, 4096)).replace(/^\uFEFF/, '').trimStart();
        parser = new JSONParser({ paths: pathsFor(format, first.startsWith('[')), keepStack: false });
        parser.onError = (err) => (failure ??= err);
        parser.onValue = ({ value, key }) => {
          if (format === 'otlp') {
            if (key === 'resource') otlp.resource = otlpAttributes((value as { attributes?: unknown })?.attributes);
            else if (key === 'scope') otlp.scope = String((value as { name?: unknown })?.name ?? '');
            else mapOtlpSpan(value, otlp, sink, opts);
          } else mapper(value, sink, opts);
        };
      }
      current = chunk;
      parser.write(chunk);
      if (failure) break;
      chunkLine += countNewlines(chunk);
      chunkStart += chunk.length;
      opts.onProgress?.(chunkStart);
    }
    if (!failure && parser && !parser.isEnded) parser.end();
  } finally {
    stream.destroy();
  }
  if (!parser) throw new UsageError('the file is empty', { code: 'E_IMPORT_JSON', file: shown, line: 1, expected: 'a JSON document' });
  if (failure) {
    const m = /absolute position "(\d+)"/.exec(failure.message);
    const ended = /ended in mid-parsing|Unexpected end/i.test(failure.message);
    const line = ended ? chunkLine : m ? lineAt(Number(m[1])) : chunkLine;
    throw new UsageError(ended ? 'the JSON document ends before it is complete' : `not valid JSON (${printable(failure.message).slice(0, 120)})`, {
      code: 'E_IMPORT_JSON',
      file: shown,
      line,
      expected: 'a complete JSON document',
      hint: ended ? 'the file looks truncated (an export or copy that stopped early): export it again' : 'check the JSON at that line',
    });
  }
}

function countNewlines(buf: Buffer): number {
  let n = 0;
  let i = -1;
  while ((i = buf.indexOf(10, i + 1)) !== -1) n++;
  return n;
}

async function readCsv(path: string, shown: string, each: (row: Record<string, string>) => void, opts: ReadOptions): Promise<void> {
  const parser = createReadStream(path).pipe(parseCsv({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }));
  try {
    for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if ((rec.info.lines & 1023) === 0) checkAbort(opts.signal);
      each(rec.record);
    }
  } catch (err) {
    if (err instanceof InterruptedError) throw err;
    const e = err as { message?: string; lines?: number };
    throw new UsageError(`not valid CSV (${printable(e.message ?? String(err)).slice(0, 160)})`, { code: 'E_IMPORT_CSV', file: shown, line: e.lines, expected: 'CSV with a header row' });
  } finally {
    parser.destroy();
  }
}

