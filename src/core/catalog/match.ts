// Reading the base dataset's entries without its schema (no zod: this runs on every model look-up): the
// prices in force on a date, and its match rules as names and patterns. Pure.
import type { BaseModel, Tiered } from './base-data.js';

/** The prices in force on `date`: the last dated variant that has started, else the undated one. */
export function activePrices(m: BaseModel, date: string): { prices: Record<string, number | Tiered | undefined>; changes: Array<{ from: string; prices: Record<string, number | Tiered | undefined> }> } {
  if (!Array.isArray(m.prices)) return { prices: m.prices, changes: [] };
  let current = m.prices.find((c) => !c.constraint)?.prices ?? m.prices[0]!.prices;
  let currentStart = '';
  const changes: Array<{ from: string; prices: Record<string, number | Tiered | undefined> }> = [];
  for (const c of m.prices) {
    const start = c.constraint?.start_date;
    if (!start) continue;
    if (start <= date && start >= currentStart) {
      current = c.prices;
      currentStart = start;
    } else if (start > date) changes.push({ from: start, prices: c.prices });
  }
  return { prices: current, changes };
}

/** The match rule as names (equals) and patterns ("prefix*", "*part*", "*suffix", "/regex/"). */
export function matchNames(match: unknown): { names: string[]; patterns: string[] } {
  const names: string[] = [];
  const patterns: string[] = [];
  const walk = (m: unknown): void => {
    if (!m || typeof m !== 'object') return;
    const o = m as Record<string, unknown>;
    if (typeof o.equals === 'string') names.push(o.equals.toLowerCase());
    else if (typeof o.starts_with === 'string') patterns.push(`${o.starts_with.toLowerCase()}*`);
    else if (typeof o.contains === 'string') patterns.push(`*${o.contains.toLowerCase()}*`);
    else if (typeof o.ends_with === 'string') patterns.push(`*${o.ends_with.toLowerCase()}`);
    else if (typeof o.regex === 'string') patterns.push(`/${o.regex}/`);
    else if (Array.isArray(o.or)) o.or.forEach(walk);
    // An "and" narrows a pattern (e.g. "starts with gemini-2.5-pro and is not a TTS model"): keep its first
    // positive part, so the name still resolves; the exclusions guard against other models of the same stem.
    else if (Array.isArray(o.and)) walk(o.and[0]);
  };
  walk(match);
  return { names, patterns };
}

/** Does a name match one of the patterns made by matchNames? */
export function matchesPattern(name: string, pattern: string): boolean {
  if (pattern.startsWith('/') && pattern.endsWith('/')) {
    try {
      return new RegExp(pattern.slice(1, -1), 'i').test(name);
    } catch {
      return false;
    }
  }
  const starts = pattern.startsWith('*');
  const ends = pattern.endsWith('*');
  const core = pattern.slice(starts ? 1 : 0, ends ? -1 : undefined);
  if (starts && ends) return name.includes(core);
  if (ends) return name.startsWith(core);
  if (starts) return name.endsWith(core);
  return name === core;
}
