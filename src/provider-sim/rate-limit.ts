// Optional RPM/TPM enforcement: token buckets per model, so a client that ignores limits meets 429s.

export interface RateLimitConfig {
  /** Requests per minute per model. */
  rpm?: number;
  /** Tokens per minute per model (input + max output, as providers estimate at admission). */
  tpm?: number;
}

interface Bucket {
  level: number;
  capacity: number;
  perMs: number;
  at: number;
}

export interface Admission {
  ok: boolean;
  /** Seconds until the request would fit (when refused). */
  retryAfterS: number;
  /** Which limit refused it: "requests" or "tokens" (OpenAI's error.type). */
  limitedBy?: 'requests' | 'tokens';
  remainingRequests?: number;
  remainingTokens?: number;
  resetRequestsS?: number;
  resetTokensS?: number;
}

function refill(b: Bucket, now: number): void {
  b.level = Math.min(b.capacity, b.level + (now - b.at) * b.perMs);
  b.at = now;
}

function bucket(capacity: number, now: number): Bucket {
  return { level: capacity, capacity, perMs: capacity / 60_000, at: now };
}

export class RateLimiter {
  private readonly requests = new Map<string, Bucket>();
  private readonly tokens = new Map<string, Bucket>();

  constructor(readonly config: RateLimitConfig) {}

  /** Takes one request and `tokens` tokens from the model's buckets, or refuses and says when to retry. */
  admit(model: string, tokens: number, now: number): Admission {
    const { rpm, tpm } = this.config;
    let rb: Bucket | undefined;
    let tb: Bucket | undefined;
    if (rpm !== undefined) {
      rb = this.requests.get(model) ?? bucket(rpm, now);
      this.requests.set(model, rb);
      refill(rb, now);
    }
    if (tpm !== undefined) {
      tb = this.tokens.get(model) ?? bucket(tpm, now);
      this.tokens.set(model, tb);
      refill(tb, now);
    }
    const waitR = rb && rb.level < 1 ? (1 - rb.level) / rb.perMs : 0;
    // A request larger than the whole TPM can never fit; it is refused with the wait for a full bucket.
    const need = tb ? Math.min(tokens, tb.capacity) : 0;
    const waitT = tb && tb.level < need ? (need - tb.level) / tb.perMs : 0;
    const status = (): Omit<Admission, 'ok' | 'retryAfterS'> => ({
      remainingRequests: rb ? Math.floor(rb.level) : undefined,
      remainingTokens: tb ? Math.floor(tb.level) : undefined,
      resetRequestsS: rb ? (rb.capacity - rb.level) / rb.perMs / 1000 : undefined,
      resetTokensS: tb ? (tb.capacity - tb.level) / tb.perMs / 1000 : undefined,
    });
    if (waitR > 0 || waitT > 0) {
      return { ok: false, retryAfterS: Math.max(waitR, waitT) / 1000, limitedBy: waitR >= waitT ? 'requests' : 'tokens', ...status() };
    }
    if (rb) rb.level -= 1;
    if (tb) tb.level -= need;
    return { ok: true, retryAfterS: 0, ...status() };
  }
}

/** OpenAI's reset duration format: "1s", "6m0s", "644ms". */
export function openaiDuration(seconds: number): string {
  if (seconds < 1) return `${Math.max(0, Math.ceil(seconds * 1000))}ms`;
  if (seconds < 60) return `${Math.round(seconds * 1000) / 1000}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${Math.round(seconds - m * 60)}s`;
}
