// Folds records into groups (model × the --group-by value × streamed/batch × service tier) with bounded
// memory: sums, distributions (exact up to a cap, then a 1% histogram) and a timeline for the peak.
import { Distribution, Timeline } from './stats.js';
import type { ImportFormat, RecordSink, SkipReason, UsageRecord } from './record.js';

export interface GroupAcc {
  id: string;
  model: string;
  group: string;
  stream: boolean | null;
  batch: boolean;
  tier: string | null;
  provider: string | null;
  /** Successful requests (buckets: their counts). */
  requests: number;
  /** Some records did not count requests (Anthropic's usage report). */
  requestsUnknown: boolean;
  requestRecords: number;
  bucketRecords: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  outputTokens: number;
  input: Distribution;
  output: Distribution;
  ttftS: Distribution;
  outputTokensPerS: Distribution;
  totalS: Distribution;
  failed: number;
  failures: Map<string, number>;
  /** Reported spend per currency, and how many records carried none. */
  spend: Map<string, number>;
  spendMissing: number;
  timeline: Timeline | null;
  /** What the timeline counts: requests, or tokens where the source counts no requests. */
  timelineOf: 'requests' | 'tokens';
  startMs: number;
  endMs: number;
}

export interface SourceSummary {
  file: string;
  format: ImportFormat;
  records: number;
  skipped: Partial<Record<SkipReason, number>>;
  startMs: number | null;
  endMs: number | null;
  /** The narrowest bucket width seen (usage APIs), ms. */
  bucketMs: number | null;
}

const MINUTE_MS = 60_000;

/** Measured speeds and failures per model and service tier, across groups (the calibration's input). */
export interface SpeedAcc {
  model: string;
  provider: string | null;
  tier: string | null;
  requests: number;
  failed: number;
  failures: Map<string, number>;
  ttftS: Distribution;
  outputTokensPerS: Distribution;
  totalS: Distribution;
  startMs: number;
  endMs: number;
}

export class ImportAggregator implements RecordSink {
  readonly groups = new Map<string, GroupAcc>();
  readonly sources: SourceSummary[] = [];
  readonly speeds = new Map<string, SpeedAcc>();
  private current: SourceSummary | null = null;

  beginSource(file: string, format: ImportFormat): void {
    this.current = { file, format, records: 0, skipped: {}, startMs: null, endMs: null, bucketMs: null };
    this.sources.push(this.current);
  }

  private get source(): SourceSummary {
    if (!this.current) this.beginSource('(input)', 'otlp');
    return this.current!;
  }

  skip(reason: SkipReason, n = 1): void {
    const s = this.source;
    s.skipped[reason] = (s.skipped[reason] ?? 0) + n;
  }

  cover(startMs: number, endMs: number): void {
    const s = this.source;
    s.startMs = s.startMs === null ? startMs : Math.min(s.startMs, startMs);
    s.endMs = s.endMs === null ? endMs : Math.max(s.endMs, endMs);
  }

  add(r: UsageRecord): void {
    const s = this.source;
    s.records += 1;
    s.startMs = s.startMs === null ? r.startMs : Math.min(s.startMs, r.startMs);
    s.endMs = s.endMs === null ? r.endMs : Math.max(s.endMs, r.endMs);
    if (r.kind === 'bucket' && r.endMs > r.startMs) s.bucketMs = s.bucketMs === null ? r.endMs - r.startMs : Math.min(s.bucketMs, r.endMs - r.startMs);

    const tier = normaliseTier(r.serviceTier, r.batch);
    const id = `${r.model}\u0000${r.group}\u0000${r.stream}\u0000${r.batch}\u0000${tier}`;
    let g = this.groups.get(id);
    if (!g) this.groups.set(id, (g = newGroup(id, r, tier)));
    if (g.provider === null && r.provider) g.provider = r.provider;
    g.startMs = Math.min(g.startMs, r.startMs);
    g.endMs = Math.max(g.endMs, r.endMs);

    const sp = r.kind === 'request' ? this.speedOf(r, tier) : undefined;
    if (r.error !== null) {
      if (sp) {
        sp.failed += 1;
        sp.failures.set(r.error, (sp.failures.get(r.error) ?? 0) + 1);
      }
      g.failed += r.requests ?? 1;
      g.failures.set(r.error, (g.failures.get(r.error) ?? 0) + (r.requests ?? 1));
      return;
    }
    if (r.requests === null) g.requestsUnknown = true;
    else g.requests += r.requests;
    if (r.kind === 'request') g.requestRecords += 1;
    else g.bucketRecords += 1;
    g.inputTokens += r.inputTokens;
    g.cachedInputTokens += r.cachedInputTokens;
    g.cacheWrite5mTokens += r.cacheWrite5mTokens;
    g.cacheWrite1hTokens += r.cacheWrite1hTokens;
    g.outputTokens += r.outputTokens;
    if (r.spend !== null) {
      const c = r.currency ?? 'usd';
      g.spend.set(c, (g.spend.get(c) ?? 0) + r.spend);
    } else g.spendMissing += 1;

    if (r.kind === 'request') {
      g.input.add(r.inputTokens);
      g.output.add(r.outputTokens);
      const totalS = (r.endMs - r.startMs) / 1000;
      sp!.requests += 1;
      if (totalS > 0) {
        g.totalS.add(totalS);
        sp!.totalS.add(totalS);
      }
      if (r.ttftS !== null && r.ttftS >= 0) {
        g.ttftS.add(r.ttftS);
        sp!.ttftS.add(r.ttftS);
        const streamS = totalS - r.ttftS;
        // Tokens per second once streaming: the output after the first chunk over the time it took.
        if (streamS > 0 && r.outputTokens > 1) {
          g.outputTokensPerS.add((r.outputTokens - 1) / streamS);
          sp!.outputTokensPerS.add((r.outputTokens - 1) / streamS);
        }
      }
    }
    const slotMs = r.kind === 'request' ? MINUTE_MS : Math.max(MINUTE_MS, r.endMs - r.startMs);
    if (!g.timeline) g.timeline = new Timeline(slotMs);
    if (r.requests === null) g.timelineOf = 'tokens';
    g.timeline.add(r.startMs, g.timelineOf === 'tokens' ? r.inputTokens + r.outputTokens : r.requests!);
  }

  private speedOf(r: UsageRecord, tier: string | null): SpeedAcc {
    const key = `${r.model}\u0000${tier}`;
    let sp = this.speeds.get(key);
    if (!sp) {
      sp = { model: r.model, provider: r.provider, tier, requests: 0, failed: 0, failures: new Map(), ttftS: new Distribution(), outputTokensPerS: new Distribution(), totalS: new Distribution(), startMs: r.startMs, endMs: r.endMs };
      this.speeds.set(key, sp);
    }
    sp.startMs = Math.min(sp.startMs, r.startMs);
    sp.endMs = Math.max(sp.endMs, r.endMs);
    return sp;
  }
}

/** "default" and "auto" are OpenAI's names for the standard tier; a batch call is its own tier. */
export function normaliseTier(tier: string | null, batch: boolean): string | null {
  if (batch) return 'batch';
  if (tier === null) return null;
  const t = tier.toLowerCase();
  return t === 'default' || t === 'auto' || t === 'standard_only' ? 'standard' : t;
}

function newGroup(id: string, r: UsageRecord, tier: string | null): GroupAcc {
  return {
    id,
    model: r.model,
    group: r.group,
    stream: r.stream,
    batch: r.batch,
    tier,
    provider: r.provider,
    requests: 0,
    requestsUnknown: false,
    requestRecords: 0,
    bucketRecords: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: 0,
    input: new Distribution(),
    output: new Distribution(),
    ttftS: new Distribution(),
    outputTokensPerS: new Distribution(),
    totalS: new Distribution(),
    failed: 0,
    failures: new Map(),
    spend: new Map(),
    spendMissing: 0,
    timeline: null,
    timelineOf: 'requests',
    startMs: r.startMs,
    endMs: r.endMs,
  };
}
