// aip check with service tiers (issue 13): the compared figure is the recommended option's cost, a change of
// tier is its own driver, and a pull request that makes a latency-tolerant workload real-time names the
// cheaper option it gives up. Also the bad input of the tier keys (exit 2, file:line, field, what the model
// offers, a fix).
import { afterEach, describe, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../helpers/git-repo.js';
import { runAip } from '../helpers/run.js';
import { backendJobYaml } from '../helpers/workloads.js';

const job = backendJobYaml;

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

interface DriverJson {
  kind: string;
  delta_usd_per_month: number;
  before: string | number | null;
  after: string | number | null;
  because?: string[];
  gives_up?: { option: string; usd_per_month: number; latency_before: string; latency_after: string };
}

describe('aip check with service tiers', () => {
  it('compares the recommended option and makes a tier change its own driver, naming the cheaper option given up', async () => {
    repo = makeRepo({ 'w.yaml': job('15m') });
    repo.commit('baseline');
    // A tolerance of 2 minutes still lets flex through (its p95 by the one model of time ~77 s: twice the time to
    // first token, 0.75× the speed, the spread of both, 1% refused and sent again at standard): nothing changes.
    repo.write({ 'w.yaml': job('2m') });
    const res = await runAip(['check', 'w.yaml', '--baseline', 'git:main', '--json'], { cwd: repo.dir, env: repo.env });
    expect(res.stderr).toBe('');
    const doc = JSON.parse(res.stdout) as { total: { before_usd_per_month: number; after_usd_per_month: number }; workloads: Array<{ drivers: DriverJson[]; before: { cost_usd_per_month: number }; after: { cost_usd_per_month: number } }> };
    // before: flex at 0.99 × $2,012.50 + 0.01 × $4,025 = $2,032.625 (the recommended option, not the standard pattern)
    expect(doc.total.before_usd_per_month).toBeCloseTo(2032.625, 6);
    expect(doc.total.after_usd_per_month).toBeCloseTo(2032.625, 6);

    repo.write({ 'w.yaml': job('30s') });
    const tight = await runAip(['check', 'w.yaml', '--baseline', 'git:main', '--json'], { cwd: repo.dir, env: repo.env });
    const w = (JSON.parse(tight.stdout) as typeof doc).workloads[0]!;
    // 30 s: p95 flex ~77 s, standard ~56 s, priority ~47 s (p95 output = 2 × 1,500, with the spread of speeds):
    // none meets it, so the decision's pattern at standard: $4,025.
    expect(w.after.cost_usd_per_month).toBe(4025);
    // the tier change is its own driver: service tier flex → standard, +$1,992.375, and it names what it gives up
    expect(w.drivers).toEqual([
      {
        kind: 'service_tier',
        delta_usd_per_month: 1992.375,
        before: 'flex',
        after: 'standard',
        because: ['latency 15m → 30s'],
        gives_up: { option: 'direct · flex', usd_per_month: 2032.625, latency_before: '15m', latency_after: '30s' },
      },
    ]);
    expect((JSON.parse(tight.stdout) as { workloads: Array<{ before: { service_tier: string }; after: { service_tier: string } }> }).workloads[0]).toMatchObject({ before: { service_tier: 'flex' }, after: { service_tier: 'standard' } });
    const table = await runAip(['check', 'w.yaml', '--baseline', 'git:main'], { cwd: repo.dir, env: repo.env, columns: 120 });
    expect(table.stdout).toMatch(/│ queued direct flex → direct │ \$2,032\.63 │ \$4,025\.00 │ \+\$1,992\.38 │/);
    const md = await runAip(['check', 'w.yaml', '--baseline', 'git:main', '--format', 'markdown'], { cwd: repo.dir, env: repo.env });
    expect(md.stdout).toMatch(/service tier `flex` → `standard` \(`latency 15m → 30s`\); made real-time, it gives up direct · flex at \$2,032\.63\/month \(\+\$1,992\.38\)/);
  });

  it('reads the recommended option back from a baseline file', async () => {
    repo = makeRepo({ 'w.yaml': job('15m') });
    const base = await runAip(['baseline', 'w.yaml', '-o', 'base.json'], { cwd: repo.dir, env: repo.env });
    expect(base.code).toBe(0);
    const res = await runAip(['check', 'w.yaml', '--baseline', 'base.json', '--json', '--max-increase', '0'], { cwd: repo.dir, env: repo.env });
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout) as { total: { before_usd_per_month: number }; workloads: Array<{ status: string; drivers: unknown[] }> };
    expect(doc.total.before_usd_per_month).toBeCloseTo(2032.625, 4);
    expect(doc.workloads[0]).toMatchObject({ status: 'unchanged', drivers: [] });
  });
});

describe('bad tier input exits 2 naming file:line, the field, what the model offers and a fix', () => {
  const file = (extra: string, model = 'gpt-4o-mini', input = '{ tokens: 1000 }') => `version: 1
workloads:
  - name: a
    model: ${model}
    volume: 1000
    latency: 30s
    input: ${input}
    output: { tokens: 100 }
${extra}`;

  it.each([
    ['a tier the model does not offer', file('    service_tiers: [standard, flex]\n'), /w\.yaml:9:\d+: workloads\[0\]\.service_tiers\[1\]: gpt-4o-mini has no flex tier[\s\S]*expected: one of the tiers standard, priority, provisioned \(openai\)[\s\S]*hint: remove flex/],
    ['provisioned: where no capacity is sold', file('    provisioned: { usd_per_unit_hour: 1, input_tpm_per_unit: 3000 }\n', 'claude-haiku-4-5'), /w\.yaml:9:\d+: workloads\[0\]\.provisioned: claude-haiku-4-5 \(anthropic\) sells no provisioned capacity[\s\S]*claude-haiku-4-5 offers standard, priority[\s\S]*hint: remove provisioned:/],
    ['an impossible provisioned figure', file('    provisioned: { usd_per_unit_hour: 1, input_tpm_per_unit: 0 }\n', 'azure/gpt-5-mini'), /w\.yaml:9:\d+: workloads\[0\]\.provisioned\.input_tpm_per_unit/],
    ['a missing provisioned figure', file('    provisioned: { input_tpm_per_unit: 3000 }\n', 'azure/gpt-5-mini'), /workloads\[0\]\.provisioned\.usd_per_unit_hour: missing required field/],
    ['units that are not whole', file('    provisioned: { usd_per_unit_hour: 1, input_tpm_per_unit: 3000, min_units: 1.5 }\n', 'azure/gpt-5-mini'), /workloads\[0\]\.provisioned\.min_units: 1\.5 is not a whole number/],
    ['provisioned asked for with no price and no offer', file('    service_tiers: [provisioned]\n', 'azure/gpt-5-mini'), /workloads\[0\]\.service_tiers\[0\]: azure\/gpt-5-mini's provisioned capacity has no published price[\s\S]*hint: add provisioned:/],
    ['cache_ttl where the provider has no choice', file('', 'gpt-4o-mini', '{ tokens: 1000, cached: 0.5, cache_ttl: 1h }'), /w\.yaml:7:\d+: workloads\[0\]\.input\.cache_ttl: gpt-4o-mini \(openai\) offers no choice of cache lifetime[\s\S]*expected: openai offers no cache-lifetime choice[\s\S]*hint: remove cache_ttl/],
  ])('%s', async (_name, text, message) => {
    repo = makeRepo({ 'w.yaml': text });
    const r = await runAip(['recommend', 'w.yaml'], { cwd: repo.dir, env: repo.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    repo.cleanup();
    repo = undefined;
  });
});
