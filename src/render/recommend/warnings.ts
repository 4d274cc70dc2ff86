// Warnings of a recommendation, grouped: the same warning for several workloads is one item naming them,
// and what concerns aip's own estimates (a tokenizer stand-in, limits nobody publishes, the catalog's age)
// is told apart from what the user must act on. Pure: strings in, groups out.
import type { RecommendReport } from '../../core/recommend/build.js';

export interface WarningGroup {
  /** One line for the summary. */
  headline: string;
  /** The distinct full texts, each with the workloads it was given for. */
  texts: Array<{ text: string; workloads: string[] }>;
  /** Every workload the group concerns, in report order ([] for a run-wide warning). */
  workloads: string[];
  /** About aip's data (estimates, unpublished figures, catalog age) rather than the user's workloads. */
  aboutData: boolean;
}

interface Kind {
  match: RegExp;
  headline: string;
  aboutData: boolean;
}

// Warnings a portfolio repeats: one short headline each. Anything else keeps its own first clause.
const KINDS: Kind[] = [
  { match: /^batch APIs guarantee results only within 24 h/, headline: 'batch results are guaranteed only within 24 h: send what is late as direct calls', aboutData: false },
  { match: /^input tokens are estimated/, headline: "input tokens are estimates: the model's tokenizer is not published (aip tokens --exact counts them)", aboutData: true },
  { match: /^no published rate limits/, headline: 'no published rate limits for the model at this tier: check your provider console', aboutData: true },
  { match: /^the catalog's price data is \d+ days old/, headline: 'the price data shipped with aip may be out of date: "aip catalog update" refreshes it', aboutData: true },
];

export function groupWarnings(report: RecommendReport): WarningGroup[] {
  const groups = new Map<string, WarningGroup>();
  const add = (text: string, workload: string | undefined) => {
    const kind = KINDS.find((k) => k.match.test(text));
    const headline = kind?.headline ?? firstClause(text);
    const key = kind ? kind.headline : headline.replace(/[\d.,]+/g, '#');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { headline, texts: [], workloads: [], aboutData: kind?.aboutData ?? false }));
    let t = g.texts.find((x) => x.text === text);
    if (!t) g.texts.push((t = { text, workloads: [] }));
    if (workload !== undefined) {
      if (!t.workloads.includes(workload)) t.workloads.push(workload);
      if (!g.workloads.includes(workload)) g.workloads.push(workload);
    }
  };
  for (const r of report.workloads) for (const w of r.warnings) add(w, r.workload.name);
  for (const w of report.catalogWarnings) add(w, undefined);
  // The user's own problems first, then notes on aip's estimates; within each, the widest first.
  return [...groups.values()].sort((a, b) => Number(a.aboutData) - Number(b.aboutData) || b.workloads.length - a.workloads.length);
}

/** "a, b and c"; past `max` names, "a, b, c and 4 more". */
export function nameList(names: readonly string[], max = 4): string {
  if (names.length > max + 1) return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The claim of a warning without its advice: the text before the first ": " (whole, when it has none). */
function firstClause(text: string): string {
  const i = text.indexOf(': ');
  return i > 20 ? text.slice(0, i) : text;
}
