// One resilience policy: the plan `aip recommend` prints and the client `aip bench` runs on its default target
// (no flags) come from the same object — and change together when a --catalog overlay changes the thresholds.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRunOptions, resolveBenchPlan } from '../../src/bench/plan.js';
import { classifyHttp } from '../../src/client/failure.js';
import { retryDelayMs } from '../../src/client/retry.js';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { ROOT, runAip } from '../helpers/run.js';

interface PlanJson {
  timeout_s: number;
  idle_timeout_s: number | null;
  retry: { max_retries: number; base_s: number; cap_s: number; delays_s: number[]; overloaded_backoff_s: number; retry_on: number[]; do_not_retry: number[] };
  circuit_breaker: { consecutive_failures: number; cooldown_s: number; half_open_probes: number };
}

/** The resilience block `aip recommend --json` prints for support-chat (gpt-4o-mini, streaming, p95 1,500 tokens). */
async function printedPlan(overlays: string[]): Promise<PlanJson> {
  const r = await runAip([...overlays.flatMap((f) => ['--catalog', f]), 'recommend', 'examples/workloads.yaml', '--json'], { env: { AIP_NO_CACHE: '1' } });
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as { workloads: Array<{ name: string; model: string; resilience: PlanJson }> };
  const w = doc.workloads.find((x) => x.name === 'support-chat')!;
  expect(w.model).toBe('gpt-4o-mini'); // bench's default model: the timeouts below compare like with like
  return w.resilience;
}

/** The plan `aip bench` resolves with no flags (the simulator at latency scale 1), as the command does. */
async function benchSetup(overlays: string[]) {
  const catalog = await loadCatalog({ overlays, cwd: ROOT });
  const opts = {};
  return resolveBenchPlan(opts, checkRunOptions(opts, {}), { catalog, workload: undefined, readPrompts: async () => [] });
}

async function expectOnePolicy(overlays: string[]): Promise<PlanJson> {
  const plan = await printedPlan(overlays);
  const setup = await benchSetup(overlays);
  const { retry, breaker, sizing } = setup.resilience;
  expect(retry.maxRetries).toBe(plan.retry.max_retries);
  expect(retry.baseDelayMs).toBe(plan.retry.base_s * 1000);
  expect(retry.maxDelayMs).toBe(plan.retry.cap_s * 1000);
  expect(retry.overloadedDelayMs).toBe(plan.retry.overloaded_backoff_s * 1000);
  // The longest wait before each retry (full jitter at its top): the delays the plan prints.
  expect(plan.retry.delays_s.map((_, n) => retryDelayMs(retry, n, () => 1) / 1000)).toEqual(plan.retry.delays_s);
  expect(breaker).toEqual({ failureThreshold: plan.circuit_breaker.consecutive_failures, cooldownMs: plan.circuit_breaker.cooldown_s * 1000 });
  expect(sizing.idleMs).toBe(plan.idle_timeout_s! * 1000);
  // A request for the workload's p95 output gets the plan's timeout (the plan rounds up to whole seconds).
  const req = { customId: 'r', model: 'gpt-4o-mini', prompt: 'p', maxTokens: 1500 };
  expect(Math.ceil(setup.timeouts.requestMs(req) / 1000)).toBe(plan.timeout_s);
  // What the client retries is the list the plan prints.
  for (let status = 400; status < 600; status++) expect(classifyHttp(status, {}, {}, 0).retryable, `HTTP ${status}`).toBe(plan.retry.retry_on.includes(status));
  for (const status of plan.retry.do_not_retry) expect(classifyHttp(status, {}, {}, 0).retryable).toBe(false);
  return plan;
}

describe('the plan recommend prints is what bench does', () => {
  it('with the thresholds as shipped', async () => {
    const plan = await expectOnePolicy([]);
    expect(plan.retry.cap_s).toBe(30);
    expect(plan.timeout_s).toBe(37); // (0.45 s + 1,500 / 85 tok/s) × 2 = 36.09 → 37 s
  });

  it('with thresholds changed by a --catalog overlay: both change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aip-policy-'));
    const overlay = join(dir, 'policy.yaml');
    writeFileSync(
      overlay,
      [
        'thresholds:',
        '  source: "team policy"',
        '  as_of: 2026-11-20',
        '  values:',
        '    retry_base_s: { value: 2, source: "team" }',
        '    retry_cap_s: { value: 5, source: "team" }',
        '    retry_max: { value: 4, source: "team" }',
        '    overloaded_backoff_s: { value: 45, source: "team" }',
        '    breaker_failures: { value: 3, source: "team" }',
        '    breaker_cooldown_s: { value: 20, source: "team" }',
        '    stream_idle_timeout_s: { value: 40, source: "team" }',
        '    timeout_safety_factor: { value: 3, source: "team" }',
        '',
      ].join('\n'),
    );
    const plan = await expectOnePolicy([overlay]);
    expect(plan.retry).toMatchObject({ max_retries: 4, base_s: 2, cap_s: 5, delays_s: [2, 4, 5, 5], overloaded_backoff_s: 45 });
    expect(plan.circuit_breaker).toMatchObject({ consecutive_failures: 3, cooldown_s: 20 });
    expect(plan.idle_timeout_s).toBe(40);
    expect(plan.timeout_s).toBe(55); // (0.45 + 1,500 / 85) × 3 = 54.14 → 55 s
  });
});
