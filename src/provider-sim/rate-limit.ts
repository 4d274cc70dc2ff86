// Optional RPM/TPM enforcement: token buckets per model, so a client that ignores limits meets 429s.

export interface RateLimitConfig {
  /** Requests per minute per model. */
  rpm?: number;
  /** Tokens per minute per model (input + max output, as providers estimate at admission). */
  tpm?: number;
  /** Input tokens per minute (Anthropic ITPM; Gemini's TPM counts input only). */
  itpm?: number;
  /** Output tokens per minute (Anthropic OTPM, estimated from max_tokens at admission as Anthropic does). */
  otpm?: number;
}

interface Bucket {
  level: number;
  capacity: number;
  perMs: number;
  at: number;
}

type BucketName = 'requests' | 'tokens' | 'input' | 'output';

export interface Admission {
  ok: boolean;
  /** Seconds until the request would fit (when refused). */
  retryAfterS: number;
  /** Which limit refused it: "requests" or "tokens" (OpenAI's error.type), "input" or "output" (Anthropic). */
  limitedBy?: BucketName;
  remainingRequests?: number;
  remainingTokens?: number;
  remainingInput?: number;
  remainingOutput?: number;
  resetRequestsS?: number;
  resetTokensS?: number;
  resetInputS?: number;
  resetOutputS?: number;
}

function refill(b: Bucket, now: number): void {
  b.level = Math.min(b.capacity, b.level + (now - b.at) * b.perMs);
  b.at = now;
}

function bucket(capacity: number, now: number): Bucket {
  return { level: capacity, capacity, perMs: capacity / 60_000, at: now };
}

/** What one request takes: its token estimate (input + max output), and input and output apart. */
export interface Demand {
  tokens: number;
  input?: number;
  output?: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(readonly config: RateLimitConfig) {}

  private get(model: string, name: BucketName, capacity: number | undefined, now: number): Bucket | undefined {
    if (capacity === undefined) return undefined;
    const key = `${name}\u0000${model}`;
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = bucket(capacity, now)));
    refill(b, now);
    return b;
  }

  /**
   * Takes one request and its tokens from the model's buckets, or refuses and says when to retry.
   * `demand` is a number (tokens against TPM) or input and output apart (ITPM, OTPM).
   */
  admit(model: string, demand: number | Demand, now: number, opts: { enforce: boolean } = { enforce: true }): Admission {
    const d: Demand = typeof demand === 'number' ? { tokens: demand } : demand;
    const { rpm, tpm, itpm, otpm } = this.config;
    const buckets: Array<[BucketName, Bucket | undefined, number]> = [
      ['requests', this.get(model, 'requests', rpm, now), 1],
      ['tokens', this.get(model, 'tokens', tpm, now), d.tokens],
      ['input', this.get(model, 'input', itpm, now), d.input ?? d.tokens],
      ['output', this.get(model, 'output', otpm, now), d.output ?? 0],
    ];
    let wait = 0;
    let limitedBy: BucketName | undefined;
    for (const [name, b, want] of buckets) {
      if (!b) continue;
      // A request larger than the whole bucket can never fit; it is refused with the wait for a full bucket.
      const need = Math.min(want, b.capacity);
      const w = b.level < need ? (need - b.level) / b.perMs : 0;
      if (w > wait) {
        wait = w;
        limitedBy = name;
      }
    }
    const status = (): Omit<Admission, 'ok' | 'retryAfterS'> => {
      const [r, t, i, o] = buckets.map(([, b]) => b);
      const reset = (b: Bucket | undefined) => (b ? (b.capacity - b.level) / b.perMs / 1000 : undefined);
      const left = (b: Bucket | undefined) => (b ? Math.max(0, Math.floor(b.level)) : undefined);
      return {
        remainingRequests: left(r),
        remainingTokens: left(t),
        remainingInput: left(i),
        remainingOutput: left(o),
        resetRequestsS: reset(r),
        resetTokensS: reset(t),
        resetInputS: reset(i),
        resetOutputS: reset(o),
      };
    };
    if (wait > 0) {
      // Not enforced (headers only): the request goes through but takes nothing from an empty bucket.
      if (!opts.enforce) {
        for (const [, b, want] of buckets) if (b) b.level = Math.max(0, b.level - Math.min(want, b.capacity));
        return { ok: true, retryAfterS: 0, ...status() };
      }
      return { ok: false, retryAfterS: wait / 1000, limitedBy, ...status() };
    }
    for (const [, b, want] of buckets) if (b) b.level -= Math.min(want, b.capacity);
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
