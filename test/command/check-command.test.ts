// aip check end to end in temporary git repositories: the workload file and its prompt files are committed,
// changed in the working tree, and compared with git:main (or a baseline file).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { findModel } from '../../src/core/catalog/models.js';
import { counterForModel } from '../../src/core/tokens/tokenizer.js';
import { makeRepo, type TempRepo } from '../helpers/git-repo.js';
import { runAip } from '../helpers/run.js';

const SUPPORT_PROMPT = 'You are the support assistant of ACME Corp. Answer politely, cite the help centre, and never promise refunds.\n';
const EXTRA_POLICY = 'Refund policy: customers may return unused items within 30 days; shipping costs are not refunded. Escalate fraud to a human.\n';

/** A short classification: direct at any volume. */
function routerEntry(model = 'gpt-4o-mini', volume = '100000'): string {
  return `  - name: ticket-router
    model: ${model}
    volume: ${volume}
    latency: 2s
    task: classification
    input:
      tokens: 1000
    output:
      tokens: 10
`;
}

/**
 * Three workloads whose patterns are settled by the decision rules: streaming, direct, batch. At OpenAI tier 4,
 * whose batch queue holds the digest's submission window (at the default tier 1, 2M tokens, the queue overflows
 * and batch misses the night).
 */
function workloadFile(over: { routerModel?: string; routerVolume?: string; digestLatency?: string; check?: string; extra?: string } = {}): string {
  return `version: 1
${over.check ?? ''}tiers: { openai: 4 }
workloads:
  - name: support-chat
    model: gpt-4o-mini
    volume: 300k/month
    latency: 5s
    user_facing: true
    input:
      prompt: prompts/support.md
      extra_tokens: 100
    output:
      tokens: 600
${routerEntry(over.routerModel, over.routerVolume)}  - name: nightly-digest
    model: gpt-4o-mini
    volume: 1M/month
    latency: ${over.digestLatency ?? 'overnight'}
    input:
      tokens: 2000
    output:
      tokens: 300
${over.extra ?? ''}`;
}

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

/** A repository whose main branch has the baseline workload file and prompt. */
function baselineRepo(file = workloadFile()): TempRepo {
  repo = makeRepo({ 'ai/workloads.yaml': file, 'ai/prompts/support.md': SUPPORT_PROMPT });
  repo.commit('baseline');
  return repo;
}

function check(r: TempRepo, args: string[]) {
  return runAip(['check', 'ai/workloads.yaml', '--baseline', 'git:main', ...args], { cwd: r.dir, env: r.env });
}

async function checkJson(r: TempRepo, args: string[] = []) {
  const res = await check(r, ['--format', 'json', ...args]);
  expect(res.stderr).toBe('');
  return { code: res.code, doc: JSON.parse(res.stdout) };
}

type WorkloadJson = { name: string; status: string; delta_usd_per_month: number; before: { pattern: string } | null; after: { pattern: string } | null; drivers: Array<{ kind: string; delta_usd_per_month: number; before: unknown; after: unknown; files?: unknown[] }> };
const byName = (doc: { workloads: WorkloadJson[] }, name: string) => doc.workloads.find((w) => w.name === name)!;

describe('aip check against git:REF', () => {
  it('unchanged: passes with no drivers (exit 0)', async () => {
    const r = baselineRepo();
    const { code, doc } = await checkJson(r, ['--max-increase', '0']);
    expect(code).toBe(0);
    expect(doc.verdict).toBe('pass');
    expect(doc.total.delta_usd_per_month).toBe(0);
    expect(doc.workloads.map((w: WorkloadJson) => [w.name, w.status, w.after!.pattern])).toEqual([
      ['support-chat', 'unchanged', 'streaming'],
      ['ticket-router', 'unchanged', 'direct'],
      ['nightly-digest', 'unchanged', 'batch'],
    ]);
    expect(doc.baseline).toMatchObject({ kind: 'git', label: 'git:main', commit: r.git('rev-parse', 'main') });
  });

  it('a longer prompt file: the input tokens drive it, naming the file and its token growth', async () => {
    const r = baselineRepo();
    r.write({ 'ai/prompts/support.md': SUPPORT_PROMPT + EXTRA_POLICY });
    const catalog = await loadCatalog();
    const counter = await counterForModel(findModel(catalog, 'gpt-4o-mini')!);
    const before = counter.count(SUPPORT_PROMPT);
    const after = counter.count(SUPPORT_PROMPT + EXTRA_POLICY);
    const { code, doc } = await checkJson(r);
    expect(code).toBe(0); // no thresholds: report only
    const w = byName(doc, 'support-chat');
    expect(w.drivers.map((d) => d.kind)).toEqual(['input_tokens']);
    // input per request = prompt tokens + extra_tokens 100
    expect(w.drivers[0]!.before).toBe(before + 100);
    expect(w.drivers[0]!.after).toBe(after + 100);
    expect(w.drivers[0]!.files).toEqual([{ path: 'ai/prompts/support.md', before, after }]);
    // streaming at $0.15 per 1M input: 300,000 requests × (after − before) tokens × 0.15 / 1e6
    expect(w.delta_usd_per_month).toBeCloseTo((300_000 * (after - before) * 0.15) / 1e6, 4);
    const table = await check(r, []);
    expect(table.stdout).toContain(`ai/prompts/support.md +${after - before} tokens (${before} → ${after})`);
  });

  it('higher volume: the volume drives it', async () => {
    const r = baselineRepo();
    r.write({ 'ai/workloads.yaml': workloadFile({ routerVolume: '150k/month' }) });
    const { doc } = await checkJson(r);
    const w = byName(doc, 'ticket-router');
    // 100,000 → 150,000 direct requests × (1000 × 0.15 + 10 × 0.60) / 1e6 = 50,000 × 156 / 1e6 = +$7.80
    expect(w.drivers.map((d) => [d.kind, d.before, d.after])).toEqual([['volume', 100_000, 150_000]]);
    expect(w.delta_usd_per_month).toBeCloseTo(7.8, 6);
    expect(doc.total.delta_usd_per_month).toBeCloseTo(7.8, 6);
    expect(byName(doc, 'support-chat').status).toBe('unchanged');
  });

  it('a model switch: the model drives it', async () => {
    const r = baselineRepo();
    r.write({ 'ai/workloads.yaml': workloadFile({ routerModel: 'gpt-4o' }) });
    const { doc } = await checkJson(r);
    const w = byName(doc, 'ticket-router');
    // 100,000 × (1000 × 2.50 + 10 × 10.00) / 1e6 = $260.00, was 100,000 × 156 / 1e6 = $15.60 → +$244.40
    expect(w.drivers.map((d) => [d.kind, d.before, d.after])).toEqual([['model', 'gpt-4o-mini', 'gpt-4o']]);
    expect(w.delta_usd_per_month).toBeCloseTo(244.4, 6);
  });

  it('a pattern switch: the pattern drives it', async () => {
    const r = baselineRepo();
    r.write({ 'ai/workloads.yaml': workloadFile({ digestLatency: '2s' }) });
    const { doc } = await checkJson(r);
    const w = byName(doc, 'nightly-digest');
    // batch: 1M × (2000 × 0.075 + 300 × 0.30) / 1e6 = $240; direct: 1M × (2000 × 0.15 + 300 × 0.60) / 1e6 = $480
    expect(w.before!.pattern).toBe('batch');
    expect(w.after!.pattern).toBe('direct');
    expect(w.drivers.map((d) => [d.kind, d.before, d.after])).toEqual([['pattern', 'batch', 'direct']]);
    expect(w.delta_usd_per_month).toBeCloseTo(240, 6);
  });

  it('more output tokens: the output drives it', async () => {
    const r = baselineRepo();
    // 30 tokens still finish within the 2 s tolerance at standard for ~98% of requests (60 would not: ~93%, and
    // the priority tier would be chosen, a driver of its own)
    r.write({ 'ai/workloads.yaml': workloadFile().replace('      tokens: 10\n', '      tokens: 30\n') });
    const { doc } = await checkJson(r);
    const w = byName(doc, 'ticket-router');
    // 100,000 × (30 − 10) × 0.60 / 1e6 = +$1.20
    expect(w.drivers.map((d) => [d.kind, d.before, d.after])).toEqual([['output_tokens', 10, 30]]);
    expect(w.delta_usd_per_month).toBeCloseTo(1.2, 6);
  });

  it('new and removed workloads are shown as such', async () => {
    const r = baselineRepo();
    const extra = `  - name: eval-run
    model: gpt-4o-mini
    volume: 1000
    latency: 2s
    input:
      tokens: 500
    output:
      tokens: 50
`;
    r.write({ 'ai/workloads.yaml': workloadFile({ extra }).replace(/  - name: ticket-router[\s\S]*?(?=  - name: nightly-digest)/, '') });
    const { doc } = await checkJson(r);
    expect(doc.workloads.map((w: WorkloadJson) => [w.name, w.status])).toEqual([
      ['support-chat', 'unchanged'],
      ['nightly-digest', 'unchanged'],
      ['eval-run', 'added'],
      ['ticket-router', 'removed'],
    ]);
    // eval-run: 1,000 × (500 × 0.15 + 50 × 0.60) / 1e6 = $0.105; ticket-router was $15.60
    expect(byName(doc, 'eval-run').delta_usd_per_month).toBeCloseTo(0.105, 6);
    expect(byName(doc, 'ticket-router').delta_usd_per_month).toBeCloseTo(-15.6, 6);
    const md = await check(r, ['--format', 'markdown']);
    expect(md.stdout).toMatch(/^\| `eval-run` \(new\) \|.*\| new \|$/m);
    expect(md.stdout).toMatch(/^\| `ticket-router` \(removed\) \|.*\| -\$15\.60 \| removed \|$/m);
  });

  it('a renamed workload is shown as renamed, its delta only what really changed', async () => {
    const r = baselineRepo();
    // ticket-router → router, and its volume 100k → 105k (within the 10% a rename allows).
    r.write({ 'ai/workloads.yaml': workloadFile({ routerVolume: '105000' }).replace('name: ticket-router', 'name: router') });
    const { doc } = await checkJson(r);
    expect(doc.workloads.map((w: WorkloadJson & { previous_name?: string }) => [w.name, w.status, w.previous_name])).toEqual([
      ['support-chat', 'unchanged', undefined],
      ['router', 'renamed', 'ticket-router'],
      ['nightly-digest', 'unchanged', undefined],
    ]);
    // ticket-router: 100,000 × (1000 × 0.15 + 10 × 0.60) / 1e6 = 100,000 × 156 / 1e6 = $15.60; router: 105,000 × 156 / 1e6 = $16.38 → +$0.78.
    const w = byName(doc, 'router');
    expect(w.drivers.map((d) => [d.kind, Math.round(d.delta_usd_per_month * 100) / 100])).toEqual([['volume', 0.78]]);
    expect(w.delta_usd_per_month).toBeCloseTo(0.78, 6);
    const md = await check(r, ['--format', 'markdown']);
    expect(md.stdout).toMatch(/^\| `router` \(renamed from `ticket-router`\) \|.*\| \+\$0\.780 \|/m);
    expect(md.stdout).toMatch(/renamed `ticket-router` → `router`/);
    const table = await check(r, []);
    expect(table.stdout).toMatch(/router \(renamed from ticket-router\)/);
    const gh = await check(r, ['--format', 'github']);
    expect(gh.stdout).toMatch(/::warning [^\n]*router: \+\$0\.780\/month[^\n]*renamed ticket-router → router; volume/);

    // Two look-alikes added under new names: ambiguous, so removed + added.
    r.write({ 'ai/workloads.yaml': workloadFile({ extra: routerEntry().replace('ticket-router', 'router-b') }).replace('name: ticket-router', 'name: router-a') });
    const ambiguous = await checkJson(r);
    expect(ambiguous.doc.workloads.map((x: WorkloadJson) => [x.name, x.status])).toEqual([
      ['support-chat', 'unchanged'],
      ['router-a', 'added'],
      ['nightly-digest', 'unchanged'],
      ['router-b', 'added'],
      ['ticket-router', 'removed'],
    ]);
  });

  it('a workload file the pull request adds: everything is new, and a note says why', async () => {
    repo = makeRepo({ 'README.md': 'hi\n' });
    repo.commit('before aip');
    repo.write({ 'ai/workloads.yaml': workloadFile(), 'ai/prompts/support.md': SUPPORT_PROMPT });
    const { code, doc } = await checkJson(repo);
    expect(code).toBe(0);
    expect(doc.workloads.every((w: WorkloadJson) => w.status === 'added')).toBe(true);
    expect(doc.notes.join(' ')).toMatch(/ai\/workloads\.yaml does not exist at git:main/);
  });
});

describe('thresholds', () => {
  // ticket-router 100,000 → 150,000 requests: total $15.60 + S + $240 → +$7.80, where S is support-chat.
  // A one-workload file keeps the total hand-checkable: $15.60 → $23.40, +$7.80, +50%.
  const router = (volume: string, check = '') => `version: 1\n${check}workloads:\n${routerEntry('gpt-4o-mini', volume)}`;
  function grownRepo(check = ''): TempRepo {
    repo = makeRepo({ 'ai/workloads.yaml': router('100000', check), 'ai/prompts/support.md': SUPPORT_PROMPT });
    repo.commit('baseline');
    repo.write({ 'ai/workloads.yaml': router('150000', check) });
    return repo;
  }

  it.each([
    // +50.00%: at the limit passes, just under it fails
    [['--max-increase', '50'], 0],
    [['--max-increase', '50%'], 0],
    [['--max-increase', '49.9'], 1],
    // +$7.80
    [['--max-increase-usd', '7.80'], 0],
    [['--max-increase-usd', '7.79'], 1],
    // $23.40 a month now
    [['--budget', '23.40'], 0],
    [['--budget', '23.39'], 1],
    [['--budget', '$23.41'], 0],
  ])('%j exits %i', async (args, code) => {
    const r = grownRepo();
    const res = await check(r, args);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(code);
    expect(res.stdout).toContain(code === 1 ? 'FAIL' : 'PASS');
  });

  it('--per-workload judges each workload: the total may pass while one workload fails', async () => {
    const r = baselineRepo();
    r.write({ 'ai/workloads.yaml': workloadFile({ routerVolume: '150k/month' }) });
    // total rises by $7.80 on several hundred dollars (< 5%); ticket-router alone by 50%
    expect((await check(r, ['--max-increase', '40'])).code).toBe(0);
    const res = await check(r, ['--max-increase', '40', '--per-workload', '--format', 'json']);
    expect(res.code).toBe(1);
    const doc = JSON.parse(res.stdout);
    const crossed = doc.thresholds.filter((t: { crossed: boolean }) => t.crossed);
    expect(crossed).toEqual([expect.objectContaining({ kind: 'max_increase_pct', scope: 'each', subject: 'ticket-router', limit: 40, value: 50 })]);
  });

  it('thresholds in the workload file (check:) apply, and the command line overrides them', async () => {
    const r = grownRepo('check:\n  max_increase: 10%\n  budget: 100\n');
    const res = await check(r, ['--format', 'github']);
    expect(res.code).toBe(1);
    // The annotation points at the check.max_increase line (line 3) of the file the pull request changed.
    expect(res.stdout).toContain('::error file=ai/workloads.yaml,line=3,title=aip check%3A cost threshold crossed::total: monthly increase +50.00%25 is above the max increase of 10%25 (set by ai/workloads.yaml:3 (check.max_increase))');
    expect(res.stdout).not.toContain('budget');
    expect((await check(r, ['--max-increase', '60'])).code).toBe(0);
  });

  it('a change that loosens the check: thresholds is judged by the base\'s (--trust base, the default) and says so', async () => {
    const r = grownRepo('check:\n  max_increase: 10%\n');
    r.write({ 'ai/workloads.yaml': router('150000', 'check:\n  max_increase: 60%\n') });
    const { code, doc } = await checkJson(r);
    expect(code).toBe(1);
    expect(doc.notes).toEqual(['This change changes the check: thresholds in ai/workloads.yaml: it is judged by the thresholds at git:main (--trust base); the new ones apply once merged.']);
    // --trust head keeps the old behaviour: the change's own limits, and a note to review them.
    const head = await checkJson(r, ['--trust', 'head']);
    expect(head.code).toBe(0);
    expect(head.doc.notes).toEqual(['This change changes the check: thresholds in ai/workloads.yaml and is judged by its own thresholds (--trust head): review that change.']);
  });

  it('a per-workload crossing is annotated at the line that changed', async () => {
    const r = grownRepo();
    const res = await check(r, ['--max-increase-usd', '5', '--per-workload', '--format', 'github']);
    expect(res.code).toBe(1);
    const volumeLine = router('150000').split('\n').findIndex((l) => l.includes('volume:')) + 1;
    expect(res.stdout).toContain(`::error file=ai/workloads.yaml,line=${volumeLine},title=aip check%3A cost threshold crossed::ticket-router: monthly increase +$7.80`);
    expect(res.stdout).toMatch(new RegExp(`^::warning file=ai/workloads.yaml,line=${volumeLine},title=aip check%3A ticket-router \\+\\$7\\.80/month \\(\\+50%25\\)::ticket-router: \\+\\$7\\.80/month \\(\\+50%25\\)\\. volume 100,000 → 150,000 requests/month \\(\\+\\$7\\.80\\)$`, 'm'));
  });
});

describe('formats', () => {
  it('markdown is a PR comment: summary with the monthly delta, a table, drivers, thresholds and the verdict', async () => {
    const r = baselineRepo();
    r.write({ 'ai/workloads.yaml': workloadFile({ routerModel: 'gpt-4o' }) });
    const res = await check(r, ['--format', 'markdown', '--max-increase-usd', '100']);
    expect(res.code).toBe(1);
    const md = res.stdout;
    expect(md.split('\n')[0]).toBe('<!-- aip-check -->');
    expect(md).toMatch(/^### aip check: projected LLM spend \+\$244\.40\/month \(\+\d+(\.\d)?%\) — ❌ 1 threshold crossed$/m);
    expect(md).toContain('| workload | model | choice | before | after | delta | change |\n| --- | --- | --- | ---: | ---: | ---: | ---: |');
    expect(md).toContain('| `ticket-router` | `gpt-4o-mini` → `gpt-4o` | `direct` | $15.60 | $260.00 | +$244.40 | +1567% |');
    expect(md).toMatch(/^\| \*\*total\*\* \| \| \| \*\*\$[\d,.]+\*\* \| \*\*\$[\d,.]+\*\* \| \*\*\+\$244\.40\*\* \|/m);
    expect(md).toContain('- **`ticket-router`** +$244.40/month: model `gpt-4o-mini` → `gpt-4o` (+$244.40)');
    expect(md).toContain('| max increase (USD) | total | $100.00/month | +$244.40 | --max-increase-usd | ❌ crossed |');
    expect(md).toContain('**Verdict: fail.**');
  });

  it('runs as a user does: a budget, git:main, nothing on stderr', async () => {
    const r = baselineRepo();
    const res = await runAip(['check', 'ai/workloads.yaml', '--baseline', 'git:main', '--budget', '100000'], { cwd: r.dir, env: r.env });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Projected LLM spend: \$[\d,.]+ → \$[\d,.]+ per month, no change against git:main/);
    expect(res.stdout).toContain('PASS');
  });
});

describe('baseline files', () => {
  it('aip baseline writes one that check compares with; an existing baseline is refreshed, any other file kept', async () => {
    const r = baselineRepo();
    const written = await runAip(['baseline', 'ai/workloads.yaml', '-o', 'aip-baseline.json'], { cwd: r.dir, env: r.env });
    expect(written.code).toBe(0);
    expect(written.stderr).toContain('wrote aip-baseline.json: 3 workloads');
    const doc = JSON.parse(readFileSync(join(r.dir, 'aip-baseline.json'), 'utf8'));
    expect(doc.aip_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(doc.workloads.map((w: { name: string; pricing: unknown }) => [w.name, w.pricing])).toEqual([
      ['support-chat', null],
      ['ticket-router', null],
      ['nightly-digest', null],
    ]);

    r.write({ 'ai/workloads.yaml': workloadFile({ routerVolume: '150k/month' }), 'ai/prompts/support.md': SUPPORT_PROMPT + EXTRA_POLICY });
    const res = await runAip(['check', 'ai/workloads.yaml', '--baseline', 'aip-baseline.json', '--json'], { cwd: r.dir, env: r.env });
    expect(res.code).toBe(0);
    const diff = JSON.parse(res.stdout);
    expect(diff.baseline).toMatchObject({ kind: 'file', label: 'aip-baseline.json' });
    expect(byName(diff, 'ticket-router').drivers.map((d: { kind: string }) => d.kind)).toEqual(['volume']);
    expect(byName(diff, 'support-chat').drivers[0]).toMatchObject({ kind: 'input_tokens', files: [expect.objectContaining({ path: 'ai/prompts/support.md' })] });

    // Refreshing the baseline replaces it; a file that is not a baseline is not overwritten without --force.
    expect((await runAip(['baseline', 'ai/workloads.yaml', '-o', 'aip-baseline.json'], { cwd: r.dir, env: r.env })).code).toBe(0);
    const refused = await runAip(['baseline', 'ai/workloads.yaml', '-o', 'ai/workloads.yaml'], { cwd: r.dir, env: r.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/ai\/workloads\.yaml: -o: refusing to overwrite a file that is not an aip baseline/);
    expect(readFileSync(join(r.dir, 'ai/workloads.yaml'), 'utf8')).toContain('version: 1');
    const nowhere = await runAip(['baseline', 'ai/workloads.yaml', '-o', 'no/such/dir/b.json'], { cwd: r.dir, env: r.env });
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/error: no\/such\/dir\/b\.json: -o: cannot write the baseline \(ENOENT\)/);
  });

  it('a price change in the catalog since the baseline is kept apart from the workload change', async () => {
    const r = baselineRepo();
    // The baseline was written when gpt-4o-mini input cost $0.30 per 1M (an overlay stands in for the older catalog).
    r.write({ 'old-prices.yaml': 'models:\n  - id: gpt-4o-mini\n    prices: { input: 0.30 }\n    source: test\n    as_of: 2026-01-01\n' });
    expect((await runAip(['--catalog', 'old-prices.yaml', 'baseline', 'ai/workloads.yaml', '-o', 'base.json'], { cwd: r.dir, env: r.env })).code).toBe(0);
    r.write({ 'ai/workloads.yaml': workloadFile({ routerVolume: '150k/month' }) });
    const res = await runAip(['check', 'ai/workloads.yaml', '--baseline', 'base.json', '--json'], { cwd: r.dir, env: r.env });
    const w = byName(JSON.parse(res.stdout), 'ticket-router');
    // Baseline: 100,000 × (1000 × 0.30 + 10 × 0.60) / 1e6 = $30.60. Repriced today: 100,000 × 156 / 1e6 = $15.60 → −$15.00.
    // Then the volume: 50,000 × 156 / 1e6 = +$7.80. Together $30.60 → $23.40 = −$7.20.
    expect(w.drivers.map((d) => [d.kind, Math.round(d.delta_usd_per_month * 100) / 100])).toEqual([
      ['catalog_price', -15],
      ['volume', 7.8],
    ]);
    expect(w.delta_usd_per_month).toBeCloseTo(-7.2, 6);
  });

  it('plain aip recommend --json output works as a baseline too', async () => {
    const r = baselineRepo();
    const rec = await runAip(['recommend', 'ai/workloads.yaml', '--json'], { cwd: r.dir, env: r.env });
    expect(rec.code).toBe(0);
    writeFileSync(join(r.dir, 'recommend.json'), rec.stdout);
    const res = await runAip(['check', 'ai/workloads.yaml', '--baseline', 'recommend.json', '--max-increase', '0', '--json'], { cwd: r.dir, env: r.env });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.workloads.map((w: WorkloadJson) => w.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    // recommend --json records each workload's pricing override, so nothing needs a caveat.
    expect(doc.notes.join(' ')).not.toMatch(/pricing overrides/);
  });

  it('a changed pricing override against a plain recommend --json baseline is a pricing change, not a catalog one', async () => {
    const selfHosted = (input: string) => `${routerEntry().replace('ticket-router', 'self-hosted')}    pricing:\n      input: ${input}\n`;
    const r = baselineRepo(workloadFile({ extra: selfHosted('0.10') }));
    const rec = await runAip(['recommend', 'ai/workloads.yaml', '--json'], { cwd: r.dir, env: r.env });
    expect(rec.code).toBe(0);
    const recDoc = JSON.parse(rec.stdout);
    expect(recDoc.workloads.map((w: { name: string; pricing: unknown }) => [w.name, w.pricing])).toEqual([
      ['support-chat', null],
      ['ticket-router', null],
      ['nightly-digest', null],
      ['self-hosted', { input: 0.1 }],
    ]);
    writeFileSync(join(r.dir, 'recommend.json'), rec.stdout);
    r.write({ 'ai/workloads.yaml': workloadFile({ extra: selfHosted('0.20') }) });
    const res = await runAip(['check', 'ai/workloads.yaml', '--baseline', 'recommend.json', '--json'], { cwd: r.dir, env: r.env });
    expect(res.stderr).toBe('');
    const doc = JSON.parse(res.stdout);
    // The override's input price went 0.10 → 0.20: 100,000 × 1000 × 0.10 / 1e6 = +$10.00, all of it the override.
    const w = byName(doc, 'self-hosted');
    expect(w.drivers.map((d) => [d.kind, Math.round(d.delta_usd_per_month * 100) / 100])).toEqual([['pricing', 10]]);
    expect(doc.notes.join(' ')).not.toMatch(/pricing overrides/);

    // An older recommend --json (no "pricing" field) cannot tell: the note says so.
    const old = { ...recDoc, workloads: recDoc.workloads.map(({ pricing: _p, ...rest }: Record<string, unknown>) => rest) };
    writeFileSync(join(r.dir, 'old.json'), JSON.stringify(old));
    const oldRes = await runAip(['check', 'ai/workloads.yaml', '--baseline', 'old.json', '--json'], { cwd: r.dir, env: r.env });
    expect(JSON.parse(oldRes.stdout).notes.join(' ')).toMatch(/does not record pricing overrides/);
  });
});

describe('bad input exits 2 and says what is wrong', () => {
  it.each([
    ['a missing baseline file', ['--baseline', 'nope.json'], /error: nope\.json: --baseline: baseline file not found/],
    ['an unknown ref', ['--baseline', 'git:mian'], /error: --baseline: unknown git revision "mian"[\s\S]*did you mean "git:main"\?/],
    ['a bad threshold', ['--baseline', 'git:main', '--max-increase', 'ten'], /error: --max-increase: "ten" is not a valid threshold[\s\S]*expected: a percentage ≥ 0/],
    ['a negative budget', ['--baseline', 'git:main', '--budget', '-5'], /error: --budget: "-5" is not a valid threshold/],
    ['no baseline', [], /error: --baseline: a baseline is required/],
    ['an unknown format', ['--baseline', 'git:main', '--format', 'html'], /argument 'html' is invalid/],
  ])('%s', async (_what, args, message) => {
    const r = baselineRepo();
    const res = await runAip(['check', 'ai/workloads.yaml', ...args], { cwd: r.dir, env: r.env });
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(message);
    expect(res.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
  });

  it('a baseline from an incompatible aip version', async () => {
    const r = baselineRepo();
    writeFileSync(join(r.dir, 'old.json'), JSON.stringify({ aip_version: '9.0.0', catalog_as_of: '2030-01-01', workloads: [] }, null, 2));
    const res = await runAip(['check', 'ai/workloads.yaml', '--baseline', 'old.json'], { cwd: r.dir, env: r.env });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/error: old\.json:2:\d+: aip_version: the baseline was written by aip 9\.0\.0, which is incompatible with this aip \d+\.\d+\.\d+/);
    expect(res.stderr).toMatch(/hint: write a new one with "aip baseline/);
  });

  it('a baseline file that is not a baseline', async () => {
    const r = baselineRepo();
    writeFileSync(join(r.dir, 'x.json'), '{"hello": 1}');
    const res = await runAip(['check', 'ai/workloads.yaml', '--baseline', 'x.json'], { cwd: r.dir, env: r.env });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/error: x\.json:1:1: not a baseline: it has no "workloads"/);
  });

  it('a bad check: threshold in the workload file names its line and the key', async () => {
    const r = baselineRepo();
    r.write({ 'ai/workloads.yaml': workloadFile({ check: 'check:\n  max_increase: ten\n  budgett: 5\n' }) });
    const res = await check(r, []);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('error: ai/workloads.yaml:3:17: check.max_increase: text is not a percentage');
    expect(res.stderr).toMatch(/error: ai\/workloads\.yaml:4:3: check: unknown key "budgett"[\s\S]*did you mean "budget"\?/);
  });

  it('an invalid workload file at the baseline revision names the revision', async () => {
    const r = baselineRepo(workloadFile().replace('volume: 1M/month', 'volume: lots'));
    r.write({ 'ai/workloads.yaml': workloadFile() });
    const res = await check(r, []);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/ai\/workloads\.yaml:\d+:\d+: workloads\[2\]\.volume: .*\(in the baseline, git:main\)/);
  });
});
