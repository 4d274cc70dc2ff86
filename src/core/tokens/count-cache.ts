// The token-count cache's interface and its in-memory form: counts keyed by sha256 of encoding and text, so a
// stale entry cannot exist (changed text is a different key). The on-disk cache is in io/token-cache.ts.
import { createHash } from 'node:crypto';

export interface TokenCountCache {
  get(encoding: string, text: string): number | undefined;
  set(encoding: string, text: string, rawTokens: number): void;
  /** Write new entries to disk; never throws (a cache that cannot be written is simply not used). */
  save(): void;
}

export function countCacheKey(encoding: string, text: string): string {
  return createHash('sha256').update(encoding).update('\0').update(text).digest('base64url').slice(0, 32);
}

/** A cache in memory only (tests, or when no cache directory is known). */
export function memoryTokenCountCache(): TokenCountCache {
  const entries = new Map<string, number>();
  return {
    get: (encoding, text) => entries.get(countCacheKey(encoding, text)),
    set: (encoding, text, raw) => void entries.set(countCacheKey(encoding, text), raw),
    save: () => undefined,
  };
}
