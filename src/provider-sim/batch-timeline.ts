// When a simulated batch moves between states and when each of its requests finishes: drawn once at
// creation from the turnaround distribution (seeded, scaled), then read against the clock on every poll.
import type { Random } from '../core/random.js';
import type { BatchTurnaround } from './state.js';

export interface Timeline {
  createdMs: number;
  /** End of validation; processing starts (OpenAI "in_progress"). */
  startMs: number;
  /** End of processing (or the expiry moment when the batch expires). */
  endMs: number;
  /** End of finalizing: the batch is complete (OpenAI); equals endMs where there is no finalizing. */
  finalizedMs: number;
  /** The completion window's end. */
  expireMs: number;
  /** true when the batch does not finish within its window. */
  expires: boolean;
  /** Per request: when it finished (Infinity: not before the window closed). */
  doneMs: number[];
  cancelMs?: number;
  cancelledMs?: number;
}

export function planTimeline(n: number, rng: Random, scale: number, t: BatchTurnaround, createdMs: number, opts: { phases: boolean; expire: boolean }): Timeline {
  const s = 1000 * scale;
  const startMs = createdMs + (opts.phases ? t.validatingSeconds * s : 0);
  const expireMs = createdMs + t.windowHours * 3600 * s;
  const processingMs = t.medianSeconds * rng.logNormal(t.sigma) * s;
  const expires = opts.expire || startMs + processingMs > expireMs;
  const doneMs: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    if (opts.expire) {
      // A forced expiry: about half the requests were done when the window closed.
      doneMs[i] = rng.uniform() < 0.5 ? startMs + rng.uniform() * (expireMs - startMs) : Infinity;
    } else {
      const at = startMs + rng.uniform() * processingMs;
      doneMs[i] = at <= expireMs ? at : Infinity;
    }
  }
  const endMs = expires ? expireMs : startMs + processingMs;
  const finalizedMs = expires ? expireMs : endMs + (opts.phases ? t.finalizingSeconds * s : 0);
  return { createdMs, startMs, endMs, finalizedMs, expireMs, expires, doneMs };
}

/** Marks a cancel at `nowMs`; the batch settles `cancelSeconds` (scaled) later. */
export function cancelTimeline(tl: Timeline, nowMs: number, scale: number, t: BatchTurnaround): void {
  tl.cancelMs = nowMs;
  tl.cancelledMs = nowMs + t.cancelSeconds * 1000 * scale;
}

/** The moment requests stop finishing: the cancel, or the end of processing. */
export function cutoffMs(tl: Timeline): number {
  return tl.cancelMs !== undefined ? Math.min(tl.cancelMs, tl.endMs) : tl.endMs;
}

/** An order of n results that differs from the input order (n ≥ 2): results must be joined on custom_id. */
export function resultOrder(n: number, rng: Random): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  if (n >= 2 && order.every((v, i) => v === i)) order.push(order.shift()!);
  return order;
}

export const toUnix = (ms: number) => Math.floor(ms / 1000);
export const toRfc3339 = (ms: number) => new Date(ms).toISOString();
