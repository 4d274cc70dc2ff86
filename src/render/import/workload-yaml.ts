// The imported traffic as a commented workload file that `aip recommend` reads unchanged: each value says
// where it came from (how many requests over which period, what was inferred and how), and what traffic
// cannot say is left for the user with a placeholder that recommend refuses until it is set.
import { stringify } from 'yaml';
import { compact, count, percent, usd } from '../../core/format.js';
import { spell, type ImportResult, type ImportedWorkload } from '../../core/import/derive.js';
import { formatNames } from '../../core/import/record.js';
import { printable } from '../../core/import/detect.js';
import { tierWhy, type ImportedTier } from '../../core/import/tiers.js';

/** What `latency:` says until the user sets it; the workload parser recognises it. */
export const LATENCY_PLACEHOLDER = 'TODO';

type Line = [text: string, comment?: string];

function scalar(value: string): string {
  return stringify(value).trimEnd();
}

/** Untrusted text (model names, group values from the file) in a one-line comment. */
function c(text: string): string {
  return printable(text).replace(/\s+/g, ' ').trim();
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace('T', ' ');
}

export function periodText(r: ImportResult): string {
  if (!r.period) return 'no dated records';
  return `${isoDay(r.period.startMs)} → ${isoDay(r.period.endMs)} (${spell(r.period.coveredS)}${r.period.disjoint ? ' covered, in separate stretches' : ''})`;
}

/** True where the workload can be written as a live entry (else it is written commented out). */
export function isComplete(w: ImportedWorkload): boolean {
  return w.modelKnown && w.requests !== null && w.requests > 0;
}

function workloadLines(w: ImportedWorkload, r: ImportResult): Line[] {
  const lines: Line[] = [];
  const how = w.batch ? 'batch API' : w.streaming === true ? 'streamed' : w.streaming === false ? 'not streamed' : 'streamed or not: the source does not say';
  const tier = w.serviceTier && w.serviceTier !== 'batch' ? `, ${w.serviceTier} tier` : '';
  const head = `${w.group ? `${c(w.group)} · ` : ''}${c(w.reportedModel)} · ${how}${tier}`;
  lines.push([`  # ${head}`]);
  const rests = w.requests === null ? `${compact(w.tokensPerMonth.input)} input and ${compact(w.tokensPerMonth.output)} output tokens a month` : `${count(w.requests, 0)} requests in ${r.period ? spell(r.period.coveredS) : 'the period'}`;
  lines.push([`  # from ${r.sources.map((s) => c(s.file)).join(', ')}: ${rests}`]);
  const cost = w.observed.costUsdPerMonth;
  lines.push([`  # as sent: ${w.observed.pattern}${w.observed.patternKnown ? '' : ' (or streaming)'}, ${w.observed.serviceTier ?? 'standard'} tier, ${cost === null ? `cost unknown (${c(w.observed.costNote ?? '')})` : `${usd(cost)}/month at list prices`}${w.observed.cacheWriteUsdPerMonth ? ` + ${usd(w.observed.cacheWriteUsdPerMonth)} cache writes` : ''}`]);
  const rep = w.observed.reported;
  if (rep?.usdPerMonth !== null && rep?.usdPerMonth !== undefined) {
    const diff = rep.differenceUsdPerMonth;
    const same = diff !== null && Math.abs(diff) <= Math.max(0.005, Math.abs(rep.usdPerMonth) * 0.005);
    lines.push([`  # the source reports ${usd(rep.usdPerMonth)}/month${diff !== null && cost !== null ? (same ? ' (the same as list prices)' : ` (${usd(diff, { sign: true })} against list prices)`) : ''}`]);
  }
  if (w.failures.failed > 0) lines.push([`  # failed calls: ${count(w.failures.failed, 0)} (${percent(w.failures.rate)}): ${Object.entries(w.failures.byClass).map(([k, n]) => `${c(k)} ×${n}`).join(', ')}`]);
  for (const n of w.notes) lines.push([`  # ${c(n)}`]);

  const live = isComplete(w);
  const p = live ? '' : '# ';
  if (!live) {
    lines.push([
      w.modelKnown
        ? '  # written commented out: set volume (requests a month) and the tokens per request, then uncomment'
        : `  # written commented out: aip's catalog does not know "${c(w.reportedModel)}"; add it with --catalog FILE, then uncomment`,
    ]);
  }
  lines.push([`  ${p}- name: ${w.name}`]);
  lines.push([`  ${p}  model: ${scalar(w.model)}`, w.reportedModel !== w.model ? `reported as ${c(w.reportedModel)}` : undefined]);
  if (w.requestsPerMonth !== null) lines.push([`  ${p}  volume: ${Math.max(1, Math.round(w.requestsPerMonth))}`, `requests a month, scaled from ${count(w.requests, 0)} in ${r.period ? spell(r.period.coveredS) : 'the period'}`]);
  else lines.push([`  ${p}  volume: ${LATENCY_PLACEHOLDER}`, 'requests a month: the source does not count requests']);
  lines.push(
    w.latency
      ? [`  ${p}  latency: ${scalar(w.latency.text)}`, `tolerance from ${c(w.latency.from)}${w.latency.match ? ` (${c(w.latency.match)})` : ''}`]
      : [`  ${p}  latency: ${LATENCY_PLACEHOLDER}`, 'not in the traffic: how long may a caller wait? e.g. 3s, 30s, 15m, 24h'],
  );
  if (w.userFacing !== null) lines.push([`  ${p}  user_facing: ${w.userFacing}`, w.userFacingWhy]);
  else lines.push([`  ${p}  # user_facing: ${w.userFacingWhy}; add "user_facing: true" if a person waits for the answer`]);
  if (w.task) lines.push([`  ${p}  task: ${w.task}`]);
  lines.push([`  ${p}  input:`]);
  if (w.tokens.inputMean !== null) lines.push([`  ${p}    tokens: ${Math.round(w.tokens.inputMean)}`, `mean per request${w.tokens.inputP95 !== null ? ` (p95 ${count(Math.round(w.tokens.inputP95), 0)})` : ' (usage buckets give means only)'}`]);
  else lines.push([`  ${p}    tokens: ${LATENCY_PLACEHOLDER}`, `mean per request = ${compact(w.tokensPerMonth.input)} a month ÷ volume`]);
  if (w.tokens.cachedFraction > 0) {
    lines.push([`  ${p}    cached: ${round3(w.tokens.cachedFraction)}`, `${percent(w.tokens.cachedFraction)} of input tokens were read from the prompt cache`]);
    lines.push([`  ${p}    cached_measured: true`, 'billed as cache reads: priced as measured, not from an estimated prefix']);
  }
  lines.push([`  ${p}  output:`]);
  if (w.tokens.outputMean !== null) {
    const mean = Math.round(w.tokens.outputMean);
    lines.push([`  ${p}    tokens: ${mean}`, 'mean per request']);
    if (w.tokens.outputP95 !== null && mean > 0) lines.push([`  ${p}    p95: ${Math.max(mean, Math.round(w.tokens.outputP95))}`, '95th percentile: sets the request timeout']);
  } else lines.push([`  ${p}    tokens: ${LATENCY_PLACEHOLDER}`, `mean per request = ${compact(w.tokensPerMonth.output)} a month ÷ volume`]);
  if (w.peak && w.peak.of === 'requests') {
    lines.push([`  ${p}  peak_factor: ${w.peak.factor}`, `busiest ${w.peak.basis}: ${count(w.peak.busiest, 1)} requests against ${count(w.peak.mean, 2)} on average${w.peak.basis === 'minute' ? '' : ` (${w.peak.basis} buckets hide minute bursts)`}`]);
  }
  return lines;
}

function round3(v: number): number {
  return Math.round(v * 10000) / 10000;
}

function align(lines: Line[], width: number): string[] {
  return lines.map(([text, comment]) => (comment ? `${text.padEnd(width)}  # ${c(comment)}` : text));
}

export function renderImportedWorkloads(r: ImportResult, opts: { command: string }): string {
  const formats = [...new Set(r.sources.map((s) => s.format))];
  const head = [
    `# Workloads measured from traffic by "${c(opts.command)}".`,
    `# Source: ${r.sources.map((s) => `${c(s.file)} (${formatNames[s.format]})`).join('; ')}`,
    `# Period: ${periodText(r)}; volumes are scaled to a 30-day month.`,
    `# Grouped by model × ${r.groupBy === 'project' ? 'project (service.name, workspace, team)' : c(r.groupBy)} × streamed/direct/batch × service tier.`,
  ];
  for (const s of r.skipped) head.push(`# Not imported: ${count(s.count, 0)} ${s.text}.`);
  for (const w of r.warnings) head.push(`# Note: ${c(w)}.`);
  if (r.workloads.some((w) => isComplete(w) && !w.latency)) {
    head.push(
      '# latency: TODO marks what traffic cannot tell: how long a caller can wait for an answer. Set it per',
      '#   workload ("3s" for a chat a person watches, "24h" for a nightly job), or pass --latency to aip import;',
      '#   aip recommend refuses the file until it is set.',
    );
  }
  if (formats.length === 0 || r.workloads.length === 0) head.push('# No traffic with token counts was found: there is nothing to write a workload from.');
  const blocks = r.workloads.map((w) => workloadLines(w, r));
  const width = Math.min(44, Math.max(0, ...blocks.flat().filter(([, cm]) => cm).map(([t]) => t.length)));
  const live = r.workloads.filter(isComplete).length;
  const body = blocks.map((b) => align(b, width).join('\n')).join('\n\n');
  return `${head.join('\n')}\nversion: 1\n${tiersBlock(r.tiers)}workloads:${live === 0 ? ' []' : ''}\n${body}\n`;
}

/** `tiers:` with where each came from: recommend checks rate limits, the batch queue and spend caps at them. */
function tiersBlock(tiers: readonly ImportedTier[]): string {
  if (tiers.length === 0) return '';
  const lines = ["# The account's tier per provider: recommend checks rate limits, the batch queue and the monthly spend cap at it."];
  for (const t of tiers) {
    const why = c(tierWhy(t));
    lines.push(...commentLines(t.from === 'inferred' ? `${why}. State yours here, or import with --tier ${t.provider}=TIER.` : `${why}.`));
  }
  lines.push('tiers:');
  for (const t of tiers) lines.push(`  ${t.provider}: ${/^\d+$/.test(t.tier) ? t.tier : scalar(t.tier)}  # ${t.from === 'inferred' ? 'inferred from the spend (see above)' : 'from --tier'}`);
  return `${lines.join('\n')}\n`;
}

/** A long comment as lines of at most 118 characters, continued with "#   ". */
function commentLines(text: string): string[] {
  const out: string[] = [];
  let line = '#';
  for (const word of text.split(' ')) {
    if (line.length + 1 + word.length > 118 && line.length > 4) {
      out.push(line);
      line = '#  ';
    }
    line += ` ${word}`;
  }
  out.push(line);
  return out;
}
