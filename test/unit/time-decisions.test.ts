// Issue 13, "Done when": the cases a user found where recommend contradicted simulate come out right now that
// both use one model of time. Batch is not recommended where it misses its tolerance (the batch queue overflows
// at the stated tier), and ticket-router's p95 in recommend is simulate's. (The sub-minimum cache priced
// uncached and the 15-minute gpt-5-mini job on flex: test/unit/service-options.test.ts.)
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { buildRecommendation } from '../../src/core/recommend/build.js';
import { recommendJson } from '../../src/core/recommend/document.js';
import { simulateFile } from '../../src/core/montecarlo/run.js';
import { loadWorkloadFile } from '../../src/io/workload-files.js';
import type { Workload } from '../../src/core/workload/normalise.js';
import { fileFromYaml } from '../helpers/workloads.js';
import { ROOT } from '../helpers/paths.js';

const NOW = new Date('2026-11-25T12:00:00Z');

let catalog: Catalog;
let examples: Workload[];
beforeAll(async () => {
  catalog = await loadCatalog();
  examples = (await loadWorkloadFile('examples/workloads.yaml', { catalog, cwd: ROOT })).workloads;
});

const recommend = (workloads: Workload[]) => recommendJson(buildRecommendation(workloads, catalog, { now: NOW, version: 't' }));
const simulate = (workloads: Workload[]) => simulateFile(workloads, catalog, { seed: 1, runs: 2, months: 1, growthPct: 0, now: NOW, version: 't' });

// gpt-4.1-mini at OpenAI tier 2: its batch queue holds 20M input tokens; an overnight job submitted every 12 h
// enqueues 50,000 × 2,000 = 100M per window, so the queue's backlog grows all month.
const NIGHTLY_JOB = `version: 1
tiers: { openai: 2 }
workloads:
  - name: nightly-job
    model: gpt-4.1-mini
    task: summarization
    volume: 100k/day
    latency: overnight
    input: { tokens: 2000 }
    output: { tokens: 300 }
`;

describe('batch is not recommended where it misses the tolerance', () => {
  it('product-labeling (examples/): ~0.3% of batch requests within 6 h at Gemini tier 1, as simulate finds; direct instead', async () => {
    const w = examples.filter((x) => x.name === 'product-labeling');
    const rec = recommend(w).workloads[0]!;
    const batch = rec.options.find((o) => o.pattern === 'batch')!;
    expect(batch.within_tolerance!).toBeLessThan(0.01);
    expect(batch.why_not).toMatch(/of requests within the 6 h tolerance \(needs 99%\): 100% wait in the batch queue/);
    expect(rec.pattern).toBe('direct');
    // simulate measures the same share
    const sim = (await simulate(w)).workloads[0]!.result.patterns.batch!;
    expect(Math.abs(sim.slo.attainment - batch.within_tolerance!)).toBeLessThan(0.02);
    // and the rules' batch cadence no longer appears as advice
    expect(rec.reasons.join('\n')).not.toMatch(/submit a batch every/);
    expect(rec.warnings.join('\n')).not.toMatch(/^batch APIs guarantee/m);
  });

  it('a gpt-4.1-mini nightly job whose batch queue overflows at tier 2: direct, and no batch saving in the portfolio', async () => {
    const file = await fileFromYaml(NIGHTLY_JOB, catalog);
    const report = recommend(file.workloads);
    const rec = report.workloads[0]!;
    const batch = rec.options.find((o) => o.pattern === 'batch')!;
    expect(batch.within_tolerance!).toBeLessThan(0.05);
    expect(rec.pattern).toBe('direct');
    expect(rec.reasons.join('\n')).toMatch(/batch at the standard tier loses: ~\d\.\d% of requests within the 24 h tolerance \(needs 99%\)/);
    // the portfolio counts no batch saving for it
    expect(report.total_usd_per_month.saving).toBe(0);
    const sim = (await simulate(file.workloads)).workloads[0]!.result.patterns.batch!;
    expect(Math.abs(sim.slo.attainment - batch.within_tolerance!)).toBeLessThan(0.02);
  });

  it('an overnight batch that meets 99% is still recommended (nightly-digest)', () => {
    const rec = recommend(examples.filter((x) => x.name === 'nightly-digest')).workloads[0]!;
    expect(rec.pattern).toBe('batch');
    expect(rec.within_tolerance!.batch!).toBeGreaterThanOrEqual(0.99);
  });

  it('the four overnight batch examples clear 99% with room: every 8 h, not 12 h (99.0%, where seed noise crossed it)', async () => {
    const names = ['support-backlog', 'corpus-reindex', 'nightly-digest', 'prompt-eval'];
    const w = examples.filter((x) => names.includes(x.name));
    const report = recommend(w);
    for (const rec of report.workloads) {
      expect(rec.pattern).toBe('batch');
      expect(rec.within_tolerance!.batch!).toBeGreaterThanOrEqual(0.995);
      expect(rec.limits.batch.window_s).toBe(8 * 3600);
      expect(rec.reasons.join('\n')).toMatch(/submit a batch every 8 h: .* \(not every 12 h: that leaves 99\.0% of requests within the tolerance, too close to the 99% threshold; every 8 h gives 99\.6%/);
    }
    // simulate submits at the same cadence and finds the same share
    const sims = (await simulate(w)).workloads;
    for (const [i, s] of sims.entries()) {
      expect(s.result.patterns.batch!.slo.attainment).toBeGreaterThanOrEqual(0.993);
      expect(Math.abs(s.result.patterns.batch!.slo.attainment - report.workloads[i]!.within_tolerance!.batch!)).toBeLessThan(0.02);
    }
  });
});

describe("ticket-router's p95 in recommend is simulate's", () => {
  it('p95 ~737 ms and ~96% within the 800 ms tolerance in both', async () => {
    const w = examples.filter((x) => x.name === 'ticket-router');
    const rec = recommend(w).workloads[0]!;
    const direct = (await simulate(w)).workloads[0]!.result.patterns.direct!;
    const simP95 = direct.latency.quantile(0.95);
    expect(rec.latency_s.total_p95).toBeGreaterThan(0.7);
    expect(Math.abs(rec.latency_s.total_p95 - simP95)).toBeLessThan(0.03);
    const option = rec.options.find((o) => o.pattern === 'direct' && o.service_tier === 'standard')!;
    expect(option.latency_s!.p95).toBe(rec.latency_s.total_p95);
    expect(Math.abs(rec.within_tolerance!.direct! - direct.slo.attainment)).toBeLessThan(0.02);
    // 95% is the threshold for a tolerance of seconds: direct at standard meets it and stays the choice
    expect(rec.within_tolerance!.direct!).toBeGreaterThan(0.95);
    expect(rec).toMatchObject({ pattern: 'direct', service_tier: 'standard' });
  });
});
