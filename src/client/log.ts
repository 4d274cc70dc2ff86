// The JSONL request log (--log FILE): one line per call with timing, tokens, status and retries. Keys are
// never written (they live in pool headers, not in calls); prompt and answer text only when asked.
import type { WriteStream } from 'node:fs';
import type { CallOutcome } from './resilient.js';
import type { ChatRequest } from './providers/types.js';

export interface RequestLogLine {
  ts: string;
  id: string;
  pattern: string;
  model: string;
  requested_model: string;
  status: 'ok' | 'failed' | 'skipped';
  error_class: string | null;
  http_status: number | null;
  attempts: Array<{ model: string; class: string | null; status: number | null; ms: number; backoff_ms: number | null; sent: boolean; partial_events: number | null }>;
  retries: number;
  fallback: boolean;
  ttfb_ms: number | null;
  ttft_ms: number | null;
  latency_ms: number;
  input_tokens: number | null;
  output_tokens: number | null;
  partial: boolean;
  /** The failure as the target gave it (status and body excerpt, or the connection error with host:port). */
  error?: string;
  /** The token counts were counted by aip: the answer carried no usage. */
  usage_estimated?: true;
  /** Output tokens the target reported as reasoning. */
  reasoning_tokens?: number;
  cost_usd?: number;
  prompt?: string;
  output?: string;
}

const round = (n: number | undefined): number | null => (n === undefined ? null : Math.round(n * 1000) / 1000);

/** One log line for a call. Pure: the wall-clock time is handed in. */
export function logLine(outcome: CallOutcome, req: ChatRequest, wallClock: Date, opts: { includeContent: boolean; costUsd?: number }): RequestLogLine {
  const line: RequestLogLine = {
    ts: wallClock.toISOString(),
    id: req.customId,
    pattern: outcome.kind,
    model: outcome.model,
    requested_model: req.model,
    status: outcome.skipped ? 'skipped' : outcome.ok ? 'ok' : 'failed',
    error_class: outcome.failure?.class ?? null,
    http_status: outcome.failure?.status ?? null,
    attempts: outcome.attempts.map((a) => ({
      model: a.model,
      class: a.class ?? null,
      status: a.status ?? null,
      ms: round(a.durationMs) ?? 0,
      backoff_ms: round(a.backoffMs),
      sent: a.sent,
      partial_events: a.partialEvents ?? null,
    })),
    retries: outcome.retries,
    fallback: outcome.fellBack,
    ttfb_ms: round(outcome.ttfbMs),
    ttft_ms: round(outcome.ttftMs),
    latency_ms: round(outcome.latencyMs) ?? 0,
    input_tokens: outcome.usage?.inputTokens ?? null,
    output_tokens: outcome.usage?.outputTokens ?? outcome.partial?.contentEvents ?? null,
    partial: !outcome.ok && outcome.partial !== undefined,
  };
  if (outcome.failure && !outcome.ok) line.error = outcome.failure.detail ?? outcome.failure.message;
  if (outcome.usage?.estimated) line.usage_estimated = true;
  if (outcome.usage?.reasoningTokens) line.reasoning_tokens = outcome.usage.reasoningTokens;
  if (opts.costUsd !== undefined) line.cost_usd = opts.costUsd;
  if (opts.includeContent) {
    line.prompt = req.prompt;
    line.output = outcome.result?.text ?? outcome.partial?.text ?? '';
  }
  return line;
}

/** An append-only JSONL file. Writes are buffered by the stream; close() flushes. */
export class RequestLog {
  private readonly stream: WriteStream;
  private failed: Error | undefined;

  /** `stream`: a new file, opened by io/write-output.ts (never through a link, never over another file). */
  /** `scrub`: applied to every line (removes the key should a server echo it). */
  constructor(
    stream: WriteStream,
    private readonly scrub: (text: string) => string = (t) => t,
  ) {
    this.stream = stream;
    this.stream.on('error', (err) => (this.failed = err));
  }

  write(line: RequestLogLine | Record<string, unknown>): void {
    if (!this.failed) this.stream.write(`${this.scrub(JSON.stringify(line))}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.end(() => (this.failed ? reject(this.failed) : resolve()));
    });
  }
}
