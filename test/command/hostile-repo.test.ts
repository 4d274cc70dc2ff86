// The CI gate against a hostile pull request, in a temporary git repository: the base branch (main) has the
// workload file with its check: thresholds; the working tree is the pull request. Whatever the pull request
// tries (a zero-price override, deleting check:, a forged baseline, an injected --catalog, file names that
// are options or workflow commands, symlinks and absolute paths out of the repository), the gate fails and
// nothing outside the repository is read and nothing raw reaches the output.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeRepo, type TempRepo } from '../helpers/git-repo.js';
import { ROOT, runAip } from '../helpers/run.js';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-REPO-7f3a';
const PROMPT = 'Classify the ticket below into billing, shipping or other. Answer with one word.\n';

function workloads(opts: { volume?: string; tokens?: string; pricing?: string; check?: string; prompt?: string } = {}): string {
  return `version: 1
${opts.check ?? 'check:\n  max_increase: 10%\n  budget: 1000\n'}workloads:
  - name: router
    model: gpt-4o-mini
    volume: ${opts.volume ?? '100000'}
    latency: 2s
    input:
      prompt: ${opts.prompt ?? 'prompts/*.md'}
    output:
      tokens: ${opts.tokens ?? '10'}
${opts.pricing ?? ''}`;
}

let repo: TempRepo | undefined;
const outside = mkdtempSync(join(tmpdir(), 'aip-outside-'));
writeFileSync(join(outside, 'secret.md'), `${SECRET}\n`);
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

function baseRepo(extra: Record<string, string> = {}): TempRepo {
  repo = makeRepo({ 'ai/workloads.yaml': workloads(), 'ai/prompts/router.md': PROMPT, ...extra });
  repo.commit('base');
  return repo;
}

async function check(r: TempRepo, args: string[], files = ['ai/workloads.yaml']) {
  const res = await runAip(['check', '--baseline', 'git:main', ...args, '--', ...files], { cwd: r.dir, env: { ...r.env, AIP_NO_CACHE: '1' } });
  return { ...res, all: res.stdout + res.stderr };
}

/** What every output of the gate must satisfy, whatever the pull request held. */
function expectNothingRaw(text: string) {
  expect(text).not.toContain(SECRET);
  expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/); // no raw control characters (colour is off)
  for (const line of text.split('\n')) {
    // The only workflow commands are the gate's own annotations, each with its file= property.
    if (/^\s*(::|##\[)/.test(line)) expect(line).toMatch(/^::(error|warning|notice) (file=|title=)/);
  }
}

describe('a pull request cannot price itself out of the gate', () => {
  it('a zero-price pricing: override with 10⁶× the volume and 1000× the tokens fails under --trust base (the default)', async () => {
    const r = baseRepo();
    r.write({ 'ai/workloads.yaml': workloads({ volume: '100000000000', tokens: '10000', pricing: '    pricing: { input: 0, output: 0, cached_input: 0, batch_input: 0, batch_output: 0 }\n' }) });
    const res = await check(r, ['--format', 'json']);
    expect(res.code).toBe(1);
    const doc = JSON.parse(res.stdout);
    expect(doc.notes.join('\n')).toMatch(/The pricing: override of workload "router" in ai\/workloads\.yaml is added by this change \(batch_input=0, batch_output=0, cached_input=0, input=0, output=0; at git:main: catalog prices\): priced as at git:main \(--trust base\)\. Applied, it would change the monthly cost by -\$/);
    // --trust head is the old behaviour the attack relied on: the override counts and the gate passes.
    expect((await check(r, ['--trust', 'head', '--format', 'json'])).code).toBe(0);
  });

  it('deleting the check: key does not pass: the base\'s thresholds judge the change, and the report says so', async () => {
    const r = baseRepo();
    r.write({ 'ai/workloads.yaml': workloads({ volume: '1000000', check: '' }) });
    const res = await check(r, ['--format', 'markdown']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/deletes the check: key in ai\/workloads\.yaml: it is judged by the thresholds at git:main/);
    expect(res.stdout).toMatch(/ai\/workloads\.yaml`?:3 at `git:main` \(check\.max_increase\)/);
  });

  it('a --catalog file the pull request adds is not applied under --trust base, and is reported', async () => {
    const r = baseRepo();
    const zero = parse(readFileSync(join(ROOT, 'data/models.yaml'), 'utf8')).models.find((m: { id: string }) => m.id === 'gpt-4o-mini');
    r.write({
      'ai/workloads.yaml': workloads({ volume: '1000000' }),
      'cheap.yaml': JSON.stringify({ models: [{ ...zero, prices: { ...zero.prices, input: 0, output: 0, cached_input: 0, batch_input: 0, batch_output: 0 } }] }),
    });
    const base = await runAip(['--catalog', 'cheap.yaml', 'check', '--baseline', 'git:main', '--format', 'json', '--', 'ai/workloads.yaml'], { cwd: r.dir, env: r.env });
    expect(base.code).toBe(1);
    expect(JSON.parse(base.stdout).notes.join('\n')).toMatch(/--catalog cheap\.yaml does not exist at git:main: not applied \(--trust base\)/);
    const head = await runAip(['--catalog', 'cheap.yaml', 'check', '--baseline', 'git:main', '--trust', 'head', '--format', 'json', '--', 'ai/workloads.yaml'], { cwd: r.dir, env: r.env });
    expect(head.code).toBe(0);
  });

  it('a baseline file forged in the pull request: read from the base branch (git:REF:path) it cannot hide the increase; from the tree it is flagged', async () => {
    const r = baseRepo();
    const honest = await runAip(['baseline', 'ai/workloads.yaml'], { cwd: r.dir, env: r.env });
    r.write({ 'aip-baseline.json': honest.stdout });
    r.commit('baseline file');
    // The pull request raises the volume and forges the baseline to a huge cost, so the change looks like a saving.
    const forged = JSON.parse(honest.stdout);
    forged.workloads[0].cost_usd_per_month = { direct: 1e9, streaming: 1e9, batch: 1e9 };
    forged.workloads[0].recommended_cost_usd_per_month = 1e9; // what check compares (service tiers, issue 13)
    forged.workloads[0].requests_per_month = 1e11;
    r.write({ 'ai/workloads.yaml': workloads({ volume: '1000000' }), 'aip-baseline.json': JSON.stringify(forged) });
    const fromTree = await runAip(['check', '--baseline', 'aip-baseline.json', '--max-increase', '10', '--format', 'json', '--', 'ai/workloads.yaml'], { cwd: r.dir, env: r.env });
    expect(fromTree.code).toBe(0); // the forged file wins when read from the tree…
    expect(JSON.parse(fromTree.stdout).notes.join('\n')).toMatch(/aip-baseline\.json is read from the working tree, which a pull request can change .*--baseline git:origin\/<base>:aip-baseline\.json/);
    const fromBase = await runAip(['check', '--baseline', 'git:main:aip-baseline.json', '--max-increase', '10', '--format', 'json', '--', 'ai/workloads.yaml'], { cwd: r.dir, env: r.env });
    expect(fromBase.code).toBe(1); // …not when read as the base branch has it
  });
});

describe('file access stays inside the repository', () => {
  it.each([
    ['an absolute prompt path', `${outside}/secret.md`, /an absolute path: prompt paths are relative to the workload file/],
    ['a ".." escape', '../../../' + outside.replace(/^\//, '') + '/secret.md', /leaves the repository/],
    ['a glob from the root', '/**/*.md', /an absolute path/],
  ])('%s is refused with exit 2 and nothing is read', async (_what, prompt, message) => {
    const r = baseRepo();
    r.write({ 'ai/workloads.yaml': workloads({ prompt: JSON.stringify(prompt) }) });
    const res = await check(r, []);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).toMatch(/--allow-outside/);
    expectNothingRaw(res.all);
  });

  it('a committed symlink that leaves the repository is refused; to a device, even with --allow-outside', async () => {
    const r = baseRepo();
    symlinkSync(join(outside, 'secret.md'), join(r.dir, 'ai/prompts/leak.md'));
    const res = await check(r, []);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/ai\/workloads\.yaml:\d+:\d+: workloads\[0\]\.input\.prompt: prompts\/leak\.md is a link that leaves the repository/);
    expectNothingRaw(res.all);
    rmSync(join(r.dir, 'ai/prompts/leak.md'));
    symlinkSync('/dev/zero', join(r.dir, 'ai/prompts/zero.md'));
    const device = await check(r, ['--allow-outside']);
    expect(device.code).toBe(2);
    expect(device.stderr).toMatch(/not a regular file/);
  });

  it('--allow-outside reads the outside file when the user asks for it', async () => {
    const r = baseRepo();
    r.write({ 'ai/workloads.yaml': workloads({ prompt: JSON.stringify(`${outside}/secret.md`) }) });
    const res = await check(r, ['--allow-outside', '--format', 'json']);
    expect([0, 1]).toContain(res.code);
  });
});

describe('untrusted text is neutralised in every format', () => {
  it('a prompt file named like a workflow command, and a forged baseline with escape sequences, mentions and HTML in its names', async () => {
    const r = baseRepo();
    const evil = 'x\n::add-mask::leak\u001b]0;pwned\u0007.md';
    writeFileSync(join(r.dir, 'ai/prompts', evil), 'More text for the prompt.\n');
    const honest = await runAip(['baseline', 'ai/workloads.yaml'], { cwd: r.dir, env: r.env });
    const forged = JSON.parse(honest.stdout);
    forged.workloads.push({ ...forged.workloads[0], name: 'gone\n::warning::fake\u001b[2J @admins </details><img src=x onerror=alert(1)> [x](https://evil.example)', model: 'm\u202Eevil' });
    writeFileSync(join(r.dir, 'forged.json'), JSON.stringify(forged));
    for (const format of ['table', 'markdown', 'github', 'json']) {
      const res = await runAip(['check', '--baseline', 'forged.json', '--format', format, '--', 'ai/workloads.yaml'], { cwd: r.dir, env: r.env });
      expect([0, 1]).toContain(res.code);
      expectNothingRaw(res.stdout + res.stderr);
      expect(res.stdout + res.stderr).not.toMatch(/^\s*::(add-mask|warning::fake)/m);
      expect(res.stdout).not.toMatch(/\u202E/);
      if (format === 'markdown') {
        // Outside code spans no mention, HTML, link or </details> is left.
        const prose = res.stdout.replace(/(`+)[\s\S]*?\1/g, '');
        expect(prose).not.toMatch(/@admins|<img|<\/details><img|\]\(https:/);
      }
    }
  });
});

describe('the Action passes its inputs safely', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { runs: { steps: Array<{ id?: string; run?: string }> } };
  const script = action.runs.steps.find((s) => s.id === 'check')!.run!;

  function runAction(r: TempRepo, files: string) {
    const temp = mkdtempSync(join(tmpdir(), 'aip-action-'));
    const output = join(temp, 'output');
    writeFileSync(output, '');
    const res = spawnSync('bash', ['-c', script], {
      cwd: r.dir,
      encoding: 'utf8',
      env: { ...r.env, AIP_NO_CACHE: '1', GITHUB_ACTION_PATH: ROOT, RUNNER_TEMP: temp, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: join(temp, 'summary'), AIP_FILES: files, AIP_BASELINE: 'git:main', AIP_TRUST: 'base', AIP_MAX_INCREASE: '', AIP_MAX_INCREASE_USD: '', AIP_BUDGET: '', AIP_PER_WORKLOAD: 'false', BASE_REF: '' },
    });
    const out = readFileSync(output, 'utf8');
    rmSync(temp, { recursive: true, force: true });
    return { ...res, code: /exit-code=(\d+)/.exec(out)?.[1] };
  }

  it.skipIf(process.platform === 'win32')('a committed file named "--catalog=.yaml" is a file, never an option; "*.yaml" is not globbed', () => {
    const r = baseRepo();
    const zero = parse(readFileSync(join(ROOT, 'data/models.yaml'), 'utf8')).models.find((m: { id: string }) => m.id === 'gpt-4o-mini');
    mkdirSync(join(r.dir, 'ai'), { recursive: true });
    r.write({ '--catalog=.yaml': JSON.stringify({ models: [{ ...zero, prices: { ...zero.prices, input: 0, output: 0 } }] }), 'ai/workloads.yaml': workloads({ volume: '1000000' }) });
    execFileSync('git', ['add', '-A'], { cwd: r.dir, env: r.env });
    // The list names the injected file: it is read as a (bad) workload file, so the run is exit 2, not a pass at zero prices.
    const injected = runAction(r, 'ai/workloads.yaml --catalog=.yaml');
    expect(injected.code).toBe('2');
    expect(injected.stderr).toMatch(/--catalog=\.yaml/);
    expect(injected.stderr).not.toMatch(/unknown option/);
    const glob = runAction(r, '*.yaml');
    expect(glob.code).toBe('2');
    expect(glob.stderr).toMatch(/\*\.yaml: no such file/);
    // The honest list: the increase fails the base's threshold.
    expect(runAction(r, 'ai/workloads.yaml').code).toBe('1');
  });
});
