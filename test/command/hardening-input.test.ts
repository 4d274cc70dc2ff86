// Hostile and careless input files: numbers at the edges, YAML aliases, size limits, values that must not be
// echoed, and files that are not files. Each is exit 2 with its own message, never exit 70, never a hang.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAip } from '../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'aip-harden-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { AIP_NO_CACHE: '1' };

function workload(fields: string, extra = ''): string {
  return `version: 1\n${extra}workloads:\n  - name: a\n    model: gpt-4o-mini\n    latency: 3s\n    input: { tokens: 100 }\n    output: { tokens: 10 }\n${fields}`;
}

async function recommend(name: string, text: string, args: string[] = []) {
  writeFileSync(join(dir, name), text);
  return runAip(['recommend', name, ...args], { cwd: dir, env });
}

describe('numbers at the edges', () => {
  it.each([
    ['.inf', /workloads\[0\]\.volume: an infinite number/],
    ['-.inf', /workloads\[0\]\.volume: an infinite number/],
    ['.nan', /workloads\[0\]\.volume: not a number \(\.nan\)/],
    ['1e309', /workloads\[0\]\.volume: an infinite number \(.*1e309/],
  ])('volume: %s is exit 2 with its own message (not "null is not valid here")', async (value, message) => {
    const r = await recommend('w.yaml', workload(`    volume: ${value}\n`));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/null/);
  });

  it('a price of .inf in pricing: is exit 2 at its line', async () => {
    const r = await recommend('w.yaml', workload('    volume: 1000\n    pricing: { input: .inf }\n'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/w\.yaml:9:\d+: workloads\[0\]\.pricing\.input: an infinite number/);
  });

  it('volume 1e308 is above the documented maximum (no 300-digit dollar amounts)', async () => {
    const r = await recommend('w.yaml', workload('    volume: 1e308\n'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/workloads\[0\]\.volume: above the maximum of 1e\+12 requests per month/);
  });

  it('prices of 1e308 are above the documented maximum (no $∞, no -$NaN, no JSON null)', async () => {
    const r = await recommend('w.yaml', workload('    volume: 1000\n    pricing: { input: 1e308, output: 1e308 }\n'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/workloads\[0\]\.pricing\.input: 1e\+308 is above the maximum 100000/);
    expect(r.stdout).not.toMatch(/∞|NaN/);
  });

  it('the largest workload the bounds allow prints bounded figures and JSON without null costs', async () => {
    const text = workload('    volume: 1e12\n    pricing: { input: 100000, output: 100000 }\n').replace('tokens: 100 }', 'tokens: 100000000 }').replace('tokens: 10 }', 'tokens: 100000000 }');
    const table = await recommend('max.yaml', text);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(/∞|NaN|Infinity/);
    expect(Math.max(...table.stdout.split('\n').flatMap((l) => l.match(/\$[\d.,e+]+/g) ?? []).map((s) => s.length))).toBeLessThanOrEqual(24);
    const json = await recommend('max.yaml', text, ['--json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc.workloads[0].cost_usd_per_month.direct).toBeGreaterThan(1e18);
    expect(Number.isFinite(doc.total_usd_per_month.recommended)).toBe(true);
    for (const cost of Object.values(doc.workloads[0].cost_usd_per_month)) expect(Number.isFinite(cost)).toBe(true);
  });
});

describe('YAML aliases', () => {
  it('an alias bomb is exit 2 (not exit 70 "internal error")', async () => {
    const lines = ['version: 1', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const r = await recommend('bomb.yaml', `${lines.join('\n')}\nworkloads: []\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bomb\.yaml: too many alias expansions/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('an unresolved alias is exit 2 and does not quote the alias name', async () => {
    const r = await recommend('alias.yaml', 'version: 1\nworkloads: *sk_live_abcdef123456\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/alias\.yaml: .*alias/);
    expect(r.stderr).not.toMatch(/internal error|sk_live/);
  });

  it('deep nesting is exit 2, not a stack overflow', async () => {
    const r = await recommend('deep.yaml', `version: 1\nworkloads: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});

describe('file values are not echoed in errors', () => {
  it('a secret-looking version: value is named by key and position only', async () => {
    const r = await recommend('secret.yaml', 'version: "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdef"\nworkloads: []\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/secret\.yaml:1:10: version: text is not allowed here/);
    expect(r.stderr).not.toMatch(/sk-proj|ABCDEF/);
  });

  it.each([
    ['volume', workload('    volume: "sk-live-0123456789abcdef"\n')],
    ['latency', workload('    volume: 10\n').replace('latency: 3s', 'latency: "sk-live-0123456789abcdef"')],
    ['tier', workload('    volume: 10\n', 'tiers: { openai: "sk-live-0123456789abcdef" }\n')],
  ])('a string in %s is not quoted back', async (_field, text) => {
    const r = await recommend('v.yaml', text);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/sk-live/);
  });

  it('an unknown model name from the file is not quoted; the did-you-mean comes from the catalog', async () => {
    const r = await recommend('m.yaml', workload('    volume: 10\n').replace('gpt-4o-mini', 'gpt-4o-mnii'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/m\.yaml:4:12: workloads\[0\]\.model: unknown model/);
    expect(r.stderr).toMatch(/did you mean [^\n]*"gpt-4o-mini"/);
    expect(r.stderr).not.toMatch(/mnii/);
  });
});

describe('size limits and files that are not files', () => {
  it('a workload file above 20 MB is exit 2 naming the limit and --max-input-size', async () => {
    const big = workload('    volume: 10\n') + `# ${'x'.repeat(21 * 1024 * 1024)}\n`;
    const r = await recommend('big.yaml', big);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/big\.yaml: is 21 MB, above the 20 MB limit for input files/);
    expect(r.stderr).toMatch(/--max-input-size/);
    const raised = await runAip(['--max-input-size', '30MB', 'recommend', 'big.yaml'], { cwd: dir, env });
    expect(raised.code).toBe(0);
  });

  it('a --catalog file and a baseline file above the limit are exit 2', async () => {
    writeFileSync(join(dir, 'ok.yaml'), workload('    volume: 10\n'));
    writeFileSync(join(dir, 'big.json'), `{"x": "${'y'.repeat(2 * 1024 * 1024)}"}`);
    const catalog = await runAip(['--max-input-size', '1MB', 'recommend', 'ok.yaml', '--catalog', 'big.json'], { cwd: dir, env });
    expect(catalog.code).toBe(2);
    expect(catalog.stderr).toMatch(/--catalog.*above the 1 MB limit/);
    const baseline = await runAip(['--max-input-size', '1MB', 'check', 'ok.yaml', '--baseline', 'big.json'], { cwd: dir, env });
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toMatch(/--baseline.*above the 1 MB limit/);
  });

  it('--max-input-size takes a size and refuses nonsense', async () => {
    const r = await runAip(['--max-input-size', 'lots', 'recommend', 'ok.yaml'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-input-size/);
  });

  it.skipIf(process.platform === 'win32')('a FIFO given as the workload file is refused at once (no wait for a writer)', async () => {
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
    const r = await runAip(['recommend', 'fifo.yaml'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fifo\.yaml: not a regular file/);
  });
});

describe('a large baseline file', () => {
  it('8,000 workloads in a JSON baseline are read as JSON, with positions for errors', async () => {
    const workloads = Array.from({ length: 8000 }, (_, i) => ({
      name: `w${i}`,
      model: 'gpt-4o-mini',
      pattern: 'direct',
      requests_per_month: 1000,
      tokens: { input: 100, output: 10, cached_fraction: 0 },
      cost_usd_per_month: { direct: 0.021, streaming: 0.021, batch: 0.0105 },
      pricing: null,
    }));
    workloads[7999]!.requests_per_month = -1;
    writeFileSync(join(dir, 'base.json'), JSON.stringify({ aip_version: '0.1.0', catalog_as_of: '2026-11-01', workloads }, null, 2));
    writeFileSync(join(dir, 'ok.yaml'), workload('    volume: 10\n'));
    const r = await runAip(['check', 'ok.yaml', '--baseline', 'base.json'], { cwd: dir, env });
    expect(r.code).toBe(2);
    // The line of the bad value in the 8,000th workload, found by the JSON index.
    expect(r.stderr).toMatch(/base\.json:\d{6}:\d+: workloads\[7999\]\.requests_per_month: -1 is below the minimum 0/);
  });
});

describe('long runs of text without whitespace (finding 1, at the command level)', () => {
  it('tokens: 5 MB of one character is counted (was: exit 70, "Maximum call stack size exceeded")', { timeout: 60_000 }, async () => {
    writeFileSync(join(dir, 'run.txt'), 'q'.repeat(5_000_000));
    const r = await runAip(['tokens', 'run.txt', '--model', 'gpt-4o-mini', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const total = (JSON.parse(r.stdout) as { total_tokens: number }).total_tokens;
    // The exact count is 2,500,000 ("qq" tokens); the file is streamed in pieces, each cut within the stated bound.
    expect(total).toBeGreaterThanOrEqual(2_500_000);
    expect(total).toBeLessThanOrEqual(2_500_000 + 4 * 20);
  });

  it('recommend: a prompt file of 1 MB of base64 without a break is counted, exit 0', { timeout: 60_000 }, async () => {
    writeFileSync(join(dir, 'blob.txt'), Buffer.alloc(750_000, 7).toString('base64').replace(/=/g, ''));
    const r = await recommend('blob.yaml', 'version: 1\nworkloads:\n  - name: a\n    model: gpt-4o-mini\n    volume: 1000/day\n    latency: 3s\n    input: { prompt: blob.txt }\n    output: { tokens: 10 }\n', ['--json']);
    expect(r.code, r.stderr).toBe(0);
  });
});
