// aip simulate as a user runs it: JSON per docs/spec.md, same seed → same bytes, growth and the month advice
// changes, a catalog overlay with more failure, traces, bad options (exit 2), progress only on a TTY.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAip } from '../helpers/run.js';

let dir: string;

const chat = `version: 1
tiers: { openai: 4 }
workloads:
  - name: support-chat
    model: gpt-4o-mini
    volume: 300k/month
    latency: 3s
    user_facing: true
    input: { tokens: 1200, cached: 0.6 }
    output: { tokens: 450, p95: 1500 }
    peak_factor: 3
`;

// Batch saves (1000×0.15 + 500×0.60) − (1000×0.075 + 500×0.30) = 450 − 225 = $225 per 1M requests:
// $33.75 at 150K/month (below the $50 threshold), $67.50 at 300K (month 2 with 100% growth).
// Limits: gpt-4o-mini tier 2 = 5,000 RPM, 2M TPM; 150 tokens a request → TPM allows 13,333/min, so RPM
// binds. Flat traffic (peak factor 1) at 86.4M/month = 2,000/min; ×2 = 4,000/min fits; ×4 = 8,000 does not.
const growing = `version: 1
tiers: { openai: 2 }
workloads:
  - name: nightly
    model: gpt-4o-mini
    volume: 150k/month
    latency: overnight
    input: { tokens: 1000 }
    output: { tokens: 500 }
  - name: tagger
    model: gpt-4o-mini
    volume: 86.4M/month
    latency: 10s
    input: { tokens: 100 }
    output: { tokens: 50, p95: 80 }
`;

const moreDrops = `failure_rates:
  patterns:
    streaming:
      - kind: stream_drop
        low: 0.1
        high: 0.3
        expected: 0.2
        source: "test: a flaky network"
        as_of: 2026-11-01
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aip-simulate-'));
  mkdirSync(join(dir, 'traces'));
  writeFileSync(join(dir, 'chat.yaml'), chat);
  writeFileSync(join(dir, 'growing.yaml'), growing);
  writeFileSync(join(dir, 'drops.yaml'), moreDrops);
  // A burst: 10 requests in minute 0, 1 in minute 1 … a 60-minute trace.
  const lines = ['# unix seconds'];
  for (let i = 0; i < 10; i++) lines.push(String(1_700_000_000 + i));
  for (let m = 1; m < 60; m++) lines.push(String(1_700_000_000 + m * 60));
  writeFileSync(join(dir, 'traces', 'burst.txt'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'traces', 'bad.txt'), '1700000000\n1700000060\nnot-a-time\n');
});

const sim = (args: string[], opts: { tty?: boolean } = {}) => runAip(['simulate', ...args], { cwd: dir, ...opts });

describe('aip simulate --json', () => {
  it('prints the docs/spec.md document, and the same seed gives the same bytes', async () => {
    const a = await sim(['chat.yaml', '--json', '--seed', '7', '--runs', '8']);
    expect(a.code).toBe(0);
    expect(a.stderr).toBe('');
    const b = await sim(['chat.yaml', '--json', '--seed', '7', '--runs', '8']);
    expect(b.stdout).toBe(a.stdout);
    const c = await sim(['chat.yaml', '--format', 'json', '--seed', '8', '--runs', '8']);
    expect(c.stdout).not.toBe(a.stdout);

    const doc = JSON.parse(a.stdout);
    expect(doc.seed).toBe(7);
    expect(doc.workloads).toHaveLength(1);
    const w = doc.workloads[0];
    expect(w.name).toBe('support-chat');
    expect(Object.keys(w.patterns)).toEqual(['direct', 'streaming', 'batch']);
    for (const p of Object.values(w.patterns) as any[]) {
      for (const key of ['mean', 'p5', 'p50', 'p95']) expect(typeof p.cost_usd[key]).toBe('number');
      for (const key of ['p50', 'p95', 'p99']) {
        expect(p.latency_s[key]).toBeGreaterThan(0);
        expect(p.ttft_s[key]).toBeGreaterThan(0);
      }
      expect(p.cost_usd.p5).toBeLessThanOrEqual(p.cost_usd.p50);
      expect(p.cost_usd.p50).toBeLessThanOrEqual(p.cost_usd.p95);
      expect(typeof p.failures).toBe('number');
      expect(typeof p.retries).toBe('number');
    }
    // the 720-token cached prefix is under gpt-4o-mini's 1,024 minimum: priced uncached,
    // direct = 300K × (1200×0.15 + 450×0.60)/1e6 = 300K × 450e-6 = $135.00
    expect(w.patterns.direct.analytic_usd.cost).toBeCloseTo(135, 4);
    // streaming's first token comes long before direct's whole answer
    expect(w.patterns.streaming.ttft_s.p50).toBeLessThan(w.patterns.direct.ttft_s.p50 / 3);
  });

  it("agrees with aip recommend --json: mean within 4 standard errors of cost_usd_per_month + overhead_usd_per_month", async () => {
    const rec = JSON.parse((await runAip(['recommend', 'chat.yaml', 'growing.yaml', '--json'], { cwd: dir })).stdout);
    const r = await sim(['chat.yaml', 'growing.yaml', '--json', '--runs', '40']);
    const doc = JSON.parse(r.stdout);
    for (const w of doc.workloads) {
      const expected = rec.workloads.find((x: any) => x.name === w.name);
      expect(w.recommended).toBe(expected.pattern);
      for (const p of ['direct', 'streaming', 'batch']) {
        const total = expected.cost_usd_per_month[p] + expected.overhead_usd_per_month[p];
        const se = w.patterns[p].cost_usd.sd / Math.sqrt(40);
        expect(Math.abs(w.patterns[p].cost_usd.mean - total), `${w.name} ${p}`).toBeLessThanOrEqual(4 * se + 1e-3);
      }
    }
  });

  it('projects growth month by month and names the month batch starts paying and the tier stops fitting', async () => {
    const r = await sim(['growing.yaml', '--json', '--runs', '6', '--months', '3', '--growth', '100']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const nightly = doc.workloads.find((w: any) => w.name === 'nightly');
    expect(nightly.growth.map((g: any) => g.requests_per_month)).toEqual([150_000, 300_000, 600_000]);
    expect(nightly.growth[0].batch_pays).toBe(false);
    expect(nightly.growth[1].batch_pays).toBe(true);
    // recommend's own decision flips the same month (one cost model, one threshold)
    expect(nightly.growth.map((g: any) => g.recommended)).toEqual(['direct', 'batch', 'batch']);
    expect(nightly.changes).toEqual([
      expect.objectContaining({ month: 2, what: 'recommendation_changes', message: expect.stringMatching(/from direct to batch/) }),
      expect.objectContaining({ month: 2, what: 'batch_starts_paying' }),
    ]);

    const tagger = doc.workloads.find((w: any) => w.name === 'tagger');
    expect(tagger.growth.map((g: any) => g.fits)).toEqual([true, true, false]);
    // recommend's analytic check agrees: 8,000 requests/min at peak against 5,000; tier 4 (10,000 RPM) fits
    expect(tagger.growth.map((g: any) => g.limits_fit)).toEqual([true, true, false]);
    expect(tagger.changes).toEqual([expect.objectContaining({ month: 3, what: 'tier_stops_fitting', message: expect.stringMatching(/tier 4 would fit/) })]);
    expect(tagger.patterns.direct.queued.requests).toBe(0);
  });

  it('projects a year when only --growth is given', async () => {
    const doc = JSON.parse((await sim(['chat.yaml', '--json', '--runs', '2', '--growth', '10%'])).stdout);
    expect(doc.months).toBe(12);
    // 300K × 1.1^11 = 300,000 × 2.8531167 = 855,935
    expect(doc.workloads[0].growth[11].requests_per_month).toBe(855_935);
  });

  it('moves the figures the right way with a --catalog overlay of higher failure rates', async () => {
    const base = JSON.parse((await sim(['chat.yaml', '--json', '--runs', '10'])).stdout).workloads[0].patterns.streaming;
    const r = await runAip(['simulate', 'chat.yaml', '--json', '--runs', '10', '--catalog', 'drops.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    const worse = JSON.parse(r.stdout).workloads[0].patterns.streaming;
    // stream_drop 2% → 20% of attempts, each billing its input and half its output
    expect(worse.failures).toBeGreaterThan(base.failures * 5);
    expect(worse.retries).toBeGreaterThan(base.retries * 5);
    expect(worse.cost_usd.mean).toBeGreaterThan(base.cost_usd.p95);
    expect(worse.analytic_usd.overhead).toBeGreaterThan(base.analytic_usd.overhead);
    expect(worse.latency_s.p95).toBeGreaterThan(base.latency_s.p95);
  });

  it("submits batches on aip recommend's cadence, so a 24 h tolerance is met but for the turnaround's tail", async () => {
    // nightly: 24 h tolerance → the tolerance alone gives every 12 h (24 − 1 h turnaround − 6 h margin = 17 h →
    // 12 h), where ~99.0% finish in time: right at the 99% threshold, so recommend submits every 8 h (~99.6%):
    // 720 h / 8 h = 90 windows a month, one batch each. Waiting ≤ 8 h + a ~1 h turnaround fits in 24 h, so
    // only batches in the turnaround's tail and failed items resubmitted with the next batch miss. With one
    // submission a day (--batch-every 24h) a request waits up to 24 h before its turnaround even starts.
    const rec = JSON.parse((await runAip(['--json', 'recommend', 'growing.yaml'], { cwd: dir })).stdout);
    expect(rec.workloads[0].limits.batch.window_s).toBe(28_800);
    const run = async (...extra: string[]) => JSON.parse((await runAip(['simulate', 'growing.yaml', '--workload', 'nightly', '--runs', '5', '--json', ...extra], { cwd: dir })).stdout).workloads[0].patterns.batch;
    const cadence = await run();
    const daily = await run('--batch-every', '24h');
    expect(cadence.batches_per_month).toBe(90);
    expect(cadence.slo.attainment).toBeGreaterThan(0.99);
    expect(daily.slo.attainment).toBeLessThan(0.93);
  });

  it('replays the shape of a trace file', async () => {
    const r = await sim(['chat.yaml', '--json', '--runs', '3', '--trace', 'traces/burst.txt']);
    expect(r.code).toBe(0);
    const w = JSON.parse(r.stdout).workloads[0];
    expect(w.arrivals.source).toBe('trace traces/burst.txt');
    // 69 requests over 60 minutes: the average is 1.15/min and the burst minute holds 10 → peak 8.7×
    expect(w.arrivals.peak_factor).toBeCloseTo(10 / (69 / 60), 4);
    expect(w.warnings.join('\n')).toMatch(/69 requests over 60 min/);
  });
});

describe('aip simulate (table)', () => {
  it('prints cost and latency tables with charts, and --quiet leaves the charts out', async () => {
    const r = await sim(['chat.yaml', '--runs', '5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/support-chat · gpt-4o-mini · 300K requests\/month/);
    expect(r.stdout).toMatch(/mean\/month/);
    expect(r.stdout).toMatch(/latency p50/);
    expect(r.stdout).toMatch(/monthly cost over 5 runs/);
    expect(r.stdout).toMatch(/latency CDF/);
    const q = await sim(['chat.yaml', '--runs', '5', '--quiet']);
    expect(q.stdout).not.toMatch(/latency CDF/);
    expect(q.stdout).toMatch(/mean\/month/);
  });

  it('draws a progress bar on stderr only on a terminal', async () => {
    const tty = await sim(['chat.yaml', '--runs', '3'], { tty: true });
    expect(tty.stderr).toMatch(/simulating support-chat .* 2\/3 runs/);
    expect(tty.stdout).not.toMatch(/runs\r/);
    const pipe = await sim(['chat.yaml', '--runs', '3']);
    expect(pipe.stderr).toBe('');
    const quiet = await sim(['chat.yaml', '--runs', '3', '--quiet'], { tty: true });
    expect(quiet.stderr).toBe('');
  });
});

describe('aip simulate: bad input exits 2 naming the option or file', () => {
  it.each([
    [['--seed', 'abc'], /--seed: "abc" is not a valid value/],
    [['--seed', '-1'], /--seed/],
    [['--runs', '0'], /--runs: "0" is not a valid value/],
    [['--runs', '2.5'], /--runs/],
    [['--months', '0'], /--months/],
    [['--growth', 'fast'], /--growth: "fast" is not a monthly growth/],
    [['--batch-every', '10s'], /--batch-every/],
    [['--format', 'xml'], /--format: unknown format "xml"/],
    [['--workload', 'support-chta'], /--workload: no workload named "support-chta"[\s\S]*did you mean "support-chat"/],
    [['--trace', 'traces/none.txt'], /error: traces\/none.txt: --trace: no such file/],
    [['--trace', 'traces/bad.txt'], /error: traces\/bad.txt:3:1: "not-a-time" is not a timestamp/],
  ])('%j', async (args, message) => {
    const r = await sim(['chat.yaml', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/expected:/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('names a missing workload file', async () => {
    const r = await sim(['nope.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope.yaml: no such file/);
  });
});

describe('aip simulate from another directory', () => {
  it('runs a workload file named by its absolute path', async () => {
    const r = await runAip(['simulate', join(dir, 'chat.yaml'), '--runs', '3', '--seed', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/streaming/);
    expect(r.stdout).toMatch(/seed 2/);
  });
});
