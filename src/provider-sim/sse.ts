// Writes a server-sent event stream paced like a model generating tokens, with the stream faults
// (drop, stall, malformed) applied in the middle of the answer. Events are bytes: token events are a
// per-request prefix plus a per-piece suffix, both reused, so a stream is assembled by copying, not encoding.
import type { Exchange } from './exchange.js';
import type { FaultKind } from './faults.js';
import type { Timing } from './latency.js';
import { concatInSlab, SLAB_BYTES, slabSlice } from './slab.js';

export interface EventStream {
  /** Events sent at once, before the model's first token (OpenAI Responses' response.created, …). */
  preamble?: Buffer[];
  /** Events sent once the first token is ready (after TTFT). */
  head: Buffer[];
  /** Bytes that open every token event (the chunk's id, created and model for OpenAI; empty for Anthropic). */
  tokenPrefix: Buffer;
  /** The rest of each token event, one per output token, paced at the model's speed. */
  tokens: Buffer[];
  /** Events after the last token. */
  tail: Buffer[];
  /** A whole broken event (invalid JSON in its data line) for the malformed fault (made only when needed). */
  broken: () => Buffer;
}

const sumLengths = (bufs: readonly Buffer[]) => {
  let n = 0;
  for (const b of bufs) n += b.length;
  return n;
};

/** Copies `bufs` into `out` from `at`; returns where it stopped. */
function copyAll(out: Buffer, bufs: readonly Buffer[], at: number): number {
  for (const b of bufs) {
    out.set(b, at);
    at += b.length;
  }
  return at;
}

/**
 * A whole unpaced stream (preamble, head, every token event, tail) copied straight into one slice, without
 * the array of parts that concatInSlab takes: this runs once per stream at latency scale 0.
 */
function wholeStream(s: EventStream, pre: readonly Buffer[], broken: Buffer | undefined, brokenAt: number): Buffer {
  const prefix = s.tokenPrefix;
  const tokens = s.tokens;
  const total = sumLengths(pre) + sumLengths(s.head) + tokens.length * prefix.length + sumLengths(tokens) + sumLengths(s.tail) + (broken?.length ?? 0);
  if (total > SLAB_BYTES >> 3) {
    const parts = pushTokens([...pre, ...s.head], s, 0, tokens.length, brokenAt);
    for (const t of s.tail) parts.push(t);
    return Buffer.concat(parts, total);
  }
  const out = slabSlice(total);
  let at = copyAll(out, s.head, copyAll(out, pre, 0));
  const prefixed = prefix.length > 0;
  for (let i = 0; i < tokens.length; i++) {
    if (i === brokenAt) {
      out.set(broken!, at);
      at += broken!.length;
    }
    if (prefixed) {
      out.set(prefix, at);
      at += prefix.length;
    }
    const t = tokens[i]!;
    out.set(t, at);
    at += t.length;
  }
  copyAll(out, s.tail, at);
  return out;
}

/** The timer granularity below which tokens due together are written together. */
const MIN_TICK_MS = 2;

/** Appends token events [from, to) to `parts` (the malformed fault's broken event sits at index `brokenAt`). */
function pushTokens(parts: Buffer[], s: EventStream, from: number, to: number, brokenAt: number): Buffer[] {
  const prefixed = s.tokenPrefix.length > 0;
  for (let i = from; i < to; i++) {
    if (i === brokenAt) parts.push(s.broken());
    if (prefixed) parts.push(s.tokenPrefix);
    parts.push(s.tokens[i]!);
  }
  return parts;
}

const tokenBytes = (s: EventStream, from: number, to: number, brokenAt: number) => concatInSlab(pushTokens([], s, from, to, brokenAt));

/** Writes the stream: at once when nothing is paced (no promise then), else token by token at the model's speed. */
export function writeStream(x: Exchange, s: EventStream, timing: Timing, fault: FaultKind | undefined, headers?: Record<string, string>): void | Promise<void> {
  const stallMs = fault === 'stall' ? x.state.stallMs : 0;
  if (timing.ttftMs > 0 || timing.msPerToken > 0 || stallMs > 0) return writePaced(x, s, timing, fault, stallMs, headers);
  const stats = x.state.stats;
  const n = s.tokens.length;
  const middle = n >> 1;
  const brokenAt = fault === 'malformed' ? middle : -1;
  // Latency scale 0: the whole stream in one write, no timers (the hot path of the benchmark). Its length
  // is known, so it goes with content-length rather than chunked framing; clients read SSE either way.
  const pre = s.preamble ?? [];
  if (fault === 'drop') {
    x.startStream(headers);
    stats.sseEvents += pre.length + s.head.length + middle;
    x.drop(concatInSlab(pushTokens([...pre, ...s.head], s, 0, middle, -1)));
    return;
  }
  stats.sseEvents += pre.length + s.head.length + n + s.tail.length + (brokenAt >= 0 ? 1 : 0);
  const body = wholeStream(s, pre, brokenAt >= 0 && brokenAt < n ? s.broken() : undefined, brokenAt);
  x.startStream(headers, body.length);
  x.res.end(body);
}

async function writePaced(x: Exchange, s: EventStream, timing: Timing, fault: FaultKind | undefined, stallMs: number, headers?: Record<string, string>): Promise<void> {
  const stats = x.state.stats;
  const n = s.tokens.length;
  const middle = n >> 1;
  const brokenAt = fault === 'malformed' ? middle : -1;
  x.startStream(headers);
  if (s.preamble && s.preamble.length > 0) {
    x.res.write(Buffer.concat(s.preamble));
    stats.sseEvents += s.preamble.length;
  }
  if (!(await x.wait(timing.ttftMs))) return;
  x.res.write(Buffer.concat(s.head));
  stats.sseEvents += s.head.length;
  const start = performance.now();
  let stalled = 0;
  let i = 0;
  // Where writing stops until something happens: the stall, the cut, or the end.
  const pauseAt = stallMs > 0 || fault === 'drop' ? middle : n;
  while (i < n) {
    if (fault === 'drop' && i >= middle) break;
    if (stallMs > 0 && i === middle && stalled === 0) {
      stalled = stallMs;
      if (!(await x.wait(stallMs))) return;
    }
    // Write every token that is due by now, then sleep until the next one (at least MIN_TICK_MS).
    const elapsed = performance.now() - start - stalled;
    const first = i;
    const stop = stalled === 0 ? pauseAt : n;
    while (i < stop && (i === first || i * timing.msPerToken <= elapsed)) i++;
    if (i > first) {
      x.res.write(tokenBytes(s, first, i, brokenAt));
      stats.sseEvents += i - first + (first <= brokenAt && brokenAt < i ? 1 : 0);
    }
    if (i < n) {
      const nextDue = i * timing.msPerToken - (performance.now() - start - stalled);
      if (!(await x.wait(Math.max(MIN_TICK_MS, nextDue)))) return;
    }
  }
  if (fault === 'drop') {
    x.drop();
    return;
  }
  stats.sseEvents += s.tail.length;
  x.res.end(Buffer.concat(s.tail));
}
