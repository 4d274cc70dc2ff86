// Writes a server-sent event stream paced like a model generating tokens, with the stream faults
// (drop, stall, malformed) applied in the middle of the answer.
import type { Exchange } from './exchange.js';
import type { FaultKind } from './faults.js';
import type { Timing } from './latency.js';

export interface EventStream {
  /** Events sent once the first token is ready (after TTFT). */
  head: string[];
  /** One event per output token, paced at the model's speed. */
  tokens: string[];
  /** Events after the last token. */
  tail: string[];
  /** A broken event (invalid JSON in its data line) for the malformed fault. */
  broken: string;
}

/** The timer granularity below which tokens due together are written together. */
const MIN_TICK_MS = 2;

export async function writeStream(x: Exchange, s: EventStream, timing: Timing, fault: FaultKind | undefined, headers?: Record<string, string>): Promise<void> {
  const stats = x.state.stats;
  const middle = s.tokens.length >> 1;
  const stallMs = fault === 'stall' ? x.state.stallMs : 0;
  const paced = timing.ttftMs > 0 || timing.msPerToken > 0 || stallMs > 0;
  const tokens = fault === 'malformed' ? [...s.tokens.slice(0, middle), s.broken, ...s.tokens.slice(middle)] : s.tokens;
  x.startStream(headers);

  if (!paced) {
    // Latency scale 0: the whole stream in one write, no timers (the hot path of the benchmark).
    if (fault === 'drop') {
      stats.sseEvents += s.head.length + middle;
      x.drop(s.head.join('') + tokens.slice(0, middle).join(''));
      return;
    }
    stats.sseEvents += s.head.length + tokens.length + s.tail.length;
    x.res.end(s.head.join('') + tokens.join('') + s.tail.join(''));
    return;
  }

  if (!(await x.wait(timing.ttftMs))) return;
  x.res.write(s.head.join(''));
  stats.sseEvents += s.head.length;
  const start = performance.now();
  let stalled = 0;
  let i = 0;
  while (i < tokens.length) {
    if (fault === 'drop' && i >= middle) {
      x.drop();
      return;
    }
    if (stallMs > 0 && i === middle && stalled === 0) {
      stalled = stallMs;
      if (!(await x.wait(stallMs))) return;
    }
    // Write every token that is due by now, then sleep until the next one (at least MIN_TICK_MS).
    const elapsed = performance.now() - start - stalled;
    let batch = '';
    const first = i;
    const stop = (stallMs > 0 && stalled === 0) || fault === 'drop' ? middle : tokens.length;
    while (i < stop && (i === 0 || i * timing.msPerToken <= elapsed)) batch += tokens[i++];
    if (batch) {
      x.res.write(batch);
      stats.sseEvents += i - first;
    }
    if (i < tokens.length) {
      const nextDue = i * timing.msPerToken - (performance.now() - start - stalled);
      if (!(await x.wait(Math.max(MIN_TICK_MS, nextDue)))) return;
    }
  }
  if (fault === 'drop') {
    x.drop();
    return;
  }
  stats.sseEvents += s.tail.length;
  x.res.end(s.tail.join(''));
}
