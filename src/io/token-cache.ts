// A content-addressed cache of token counts on disk, so a repeated `aip recommend` (or `aip check`,
// which computes two revisions) skips loading the tokenizer's ranks and counting the same prompt text again.
// Keyed by sha256 of encoding and text, so a stale entry cannot exist: changed text is a different key.
// Location: $AIP_CACHE_DIR, else $XDG_CACHE_HOME/aip, else ~/.cache/aip; AIP_NO_CACHE=1 turns it off.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countCacheKey, memoryTokenCountCache, type TokenCountCache } from '../core/tokens/count-cache.js';

const FILE = 'token-counts-v1.json';
/** Oldest entries are dropped beyond this, so the file stays small (~100 bytes an entry). */
const MAX_ENTRIES = 5000;

export function cacheDirectory(env: Record<string, string | undefined>): string | undefined {
  if (env.AIP_NO_CACHE && env.AIP_NO_CACHE !== '0') return undefined;
  if (env.AIP_CACHE_DIR) return env.AIP_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'aip');
  if (env.HOME) return join(env.HOME, '.cache', 'aip');
  return undefined;
}

export function diskTokenCountCache(env: Record<string, string | undefined>): TokenCountCache {
  const dir = cacheDirectory(env);
  if (!dir) return memoryTokenCountCache();
  const path = join(dir, FILE);
  let entries: Map<string, number> | undefined;
  let dirty = false;
  const load = (): Map<string, number> => {
    if (entries) return entries;
    entries = new Map();
    try {
      const data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      for (const [k, v] of Object.entries(data)) if (typeof v === 'number' && Number.isInteger(v) && v >= 0) entries.set(k, v);
    } catch {
      // No cache yet, or an unreadable one: start empty.
    }
    return entries;
  };
  return {
    get: (encoding, text) => load().get(countCacheKey(encoding, text)),
    set(encoding, text, raw) {
      const map = load();
      const k = countCacheKey(encoding, text);
      map.delete(k);
      map.set(k, raw);
      dirty = true;
    },
    save() {
      if (!dirty || !entries) return;
      try {
        const kept = [...entries].slice(-MAX_ENTRIES);
        mkdirSync(dir, { recursive: true });
        const tmp = `${path}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(Object.fromEntries(kept)));
        renameSync(tmp, path);
        dirty = false;
      } catch {
        // A read-only home or a full disk must not fail the command: the cache is an optimisation.
      }
    },
  };
}
