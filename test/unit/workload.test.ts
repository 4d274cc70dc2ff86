// The workload file: units, normalisation, prompt tokenization and every kind of bad input (exit 2 with
// file:line:col and field).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { UsageError, UsageErrors, formatUsageError } from '../../src/core/errors.js';
import { loadWorkloadFile } from '../../src/io/workload-files.js';
import type { FileSource } from '../../src/core/workload/file-source.js';
import { parseDuration, parseVolume } from '../../src/core/workload/units.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

/** An in-memory file source (the same interface aip check uses for git revisions). */
function memory(files: Record<string, string>): FileSource {
  return {
    async readText(path) {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
    async glob(pattern, cwd) {
      const re = new RegExp(`^${join(cwd, pattern).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
      return Object.keys(files).filter((f) => re.test(f)).sort();
    },
  };
}

async function load(text: string, extra: Record<string, string> = {}) {
  return loadWorkloadFile('w.yaml', { catalog, cwd: '/proj', source: memory({ '/proj/w.yaml': text, ...extra }) });
}

/** The lines of the errors thrown, formatted as the CLI prints them. */
async function errorsOf(text: string, extra: Record<string, string> = {}): Promise<string[]> {
  try {
    await load(text, extra);
  } catch (err) {
    if (err instanceof UsageErrors) return err.errors.map((e) => formatUsageError(e).join('\n'));
    if (err instanceof UsageError) return [formatUsageError(err).join('\n')];
    throw err;
  }
  throw new Error('expected the file to be rejected');
}

const one = (fields: string) => `version: 1
workloads:
  - name: support-chat
    model: gpt-4o-mini
${fields}`;
const basic = `    volume: 300k/month
    latency: 3s
    input: { tokens: 1200 }
    output: { tokens: 450 }
`;

describe('volume units (a month is 30 days)', () => {
  it.each([
    [300000, 300000],
    ['300k/month', 300000],
    ['1.5M/month', 1_500_000],
    ['12k/day', 360_000], // 12,000 × 30
    ['300/hour', 216_000], // 300 × 720 h
    ['20/min', 864_000], // 20 × 43,200 min
    ['2/s', 5_184_000], // 2 × 2,592,000 s
    ['1,000/day', 30_000],
    ['50k', 50_000],
  ])('%s → %d requests per month', (input, perMonth) => {
    const r = parseVolume(input);
    expect(r.ok && r.perMonth).toBe(perMonth);
  });

  it.each([['3/week', /unknown unit/], ['lots', /not a volume/], ['-5/day', /not a positive volume/], [-5, /not a positive number/], ['12x/day', /unknown multiplier/]])('%s is rejected', (input, message) => {
    const r = parseVolume(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe('latency tolerance', () => {
  const kw = { interactive: 3, seconds: 30, minutes: 900, hours: 21600, overnight: 86400 };
  it.each([
    ['800ms', 0.8],
    ['30s', 30],
    ['15m', 900],
    ['2h', 7200],
    ['24h', 86400],
    ['overnight', 86400],
    ['interactive', 3],
  ])('%s → %d s', (text, seconds) => {
    const r = parseDuration(text, kw);
    expect(r.ok && r.seconds).toBe(seconds);
  });
  it('rejects a bare number and an unknown unit', () => {
    expect(parseDuration('3', kw)).toMatchObject({ ok: false, hint: 'did you mean "3s"?' });
    expect(parseDuration('2 weeks', kw)).toMatchObject({ ok: false });
  });
});

describe('normalising a workload file', () => {
  it('resolves units, model, tier, defaults and the line of each workload', async () => {
    const f = await load(`version: 1
tiers: { openai: 4 }
workloads:
  - name: support-chat
    model: openai/gpt-4o-mini
    volume: 12k/day
    latency: interactive
    user_facing: true
    input: { tokens: 1200, cached: 0.6 }
    output: { tokens: 450, p95: 1500 }
    peak_factor: 3
    fallback: claude-haiku-4-5
    pricing: { input: 0.1 }
`);
    const w = f.workloads[0]!;
    expect(w).toMatchObject({
      name: 'support-chat',
      line: 4,
      requestsPerMonth: 360_000,
      toleranceSeconds: 3,
      userFacing: true,
      tier: '4',
      peakFactor: 3,
      output: { tokens: 450, p95: 1500 },
      pricing: { input: 0.1 },
      input: { tokens: 1200, cachedFraction: 0.6, from: 'tokens' },
    });
    expect(w.model.id).toBe('gpt-4o-mini');
    expect(w.fallback?.id).toBe('claude-haiku-4-5');
    expect(w.lines.volume).toBe(6);
  });

  it('marks counts for Claude as approximate', async () => {
    const f = await load(`version: 1\nworkloads:\n  - name: a\n    model: claude-haiku-4-5\n    volume: 10\n    latency: 2h\n    input: { text: "hello world" }\n    output: { tokens: 5 }\n`);
    expect(f.workloads[0]!.input.approximate).toBe(true);
    // o200k_base gives 2 tokens; × 1.16 = 2.32 → 2
    expect(f.workloads[0]!.input.tokens).toBe(2);
  });

  it('reads settings.min_batch_saving_usd', async () => {
    const f = await load(`version: 1\nsettings: { min_batch_saving_usd: 10 }\nworkloads:\n  - name: a\n    model: gpt-4o-mini\n${basic}`);
    expect(f.settings.minBatchSavingUsd).toBe(10);
  });
});

describe('bad input: exit 2 naming file:line:col and field', () => {
  it('malformed YAML', async () => {
    const [e] = await errorsOf('version: 1\nworkloads:\n  - name: "unterminated\n    model: x\n');
    expect(e).toMatch(/^error: w\.yaml:5:1: Missing closing "quote/);
  });

  it('an empty file', async () => {
    expect(await errorsOf('')).toEqual([expect.stringMatching(/^error: w\.yaml:1:1: \(top level\): the file is empty/)]);
    expect(await errorsOf('# only a comment\n')).toEqual([expect.stringMatching(/the file is empty/)]);
  });

  it('unknown keys, with did-you-mean', async () => {
    const [e] = await errorsOf(one(`${basic}    peak_facter: 3\n`));
    expect(e).toMatch(/^error: w\.yaml:9:5: workloads\[0\]: unknown key "peak_facter"/);
    expect(e).toMatch(/did you mean "peak_factor"\?/);
  });

  it('missing required fields, all reported together', async () => {
    const errors = await errorsOf(`version: 1\nworkloads:\n  - name: a\n    model: gpt-4o-mini\n    input: { tokens: 5 }\n    output: { tokens: 1 }\n`);
    expect(errors.join('\n')).toMatch(/w\.yaml:3:5: workloads\[0\]\.volume: missing required field/);
    expect(errors.join('\n')).toMatch(/workloads\[0\]\.latency: missing required field/);
  });

  it('negative and non-numeric volumes, unknown units', async () => {
    expect((await errorsOf(one(basic.replace('300k/month', '-5'))))[0]).toMatch(/w\.yaml:5:13: workloads\[0\]\.volume: -5 is not a positive number/);
    expect((await errorsOf(one(basic.replace('300k/month', 'lots'))))[0]).toMatch(/workloads\[0\]\.volume: not a volume/);
    const [unit] = await errorsOf(one(basic.replace('300k/month', '3k/week')));
    expect(unit).toMatch(/w\.yaml:5:13: workloads\[0\]\.volume: unknown unit/);
    expect(unit).toMatch(/expected: one of \/s, \/min, \/hour, \/day, \/month/);
    expect((await errorsOf(one(basic.replace('3s', '3 fortnights'))))[0]).toMatch(/workloads\[0\]\.latency: unknown unit/);
  });

  it('cached fraction outside 0..1', async () => {
    const [e] = await errorsOf(one(basic.replace('{ tokens: 1200 }', '{ tokens: 1200, cached: 1.5 }')));
    expect(e).toMatch(/w\.yaml:7:\d+: workloads\[0\]\.input\.cached: 1\.5 is above 1\n  expected: a fraction from 0 to 1, e\.g\. 0\.65 or "65%"/);
  });

  it('duplicate names', async () => {
    const [e] = await errorsOf(`version: 1\nworkloads:\n  - name: a\n    model: gpt-4o-mini\n${basic}  - name: a\n    model: gpt-4o-mini\n${basic}`);
    expect(e).toMatch(/w\.yaml:9:11: workloads\[1\]\.name: duplicate workload name \(first used on line 3\)/);
  });

  it('unknown model and fallback (did you mean)', async () => {
    const errors = await errorsOf(`version: 1\nworkloads:\n  - name: a\n    model: gpt-4o-mnii\n    fallback: claude-haiku-45\n${basic}`);
    expect(errors[0]).toMatch(/w\.yaml:4:12: workloads\[0\]\.model: unknown model[\s\S]*did you mean [^\n]*"gpt-4o-mini"/);
    expect(errors[1]).toMatch(/w\.yaml:5:15: workloads\[0\]\.fallback: unknown model[\s\S]*claude-haiku-4-5/);
  });

  it('unknown model and fallback names come with the file\'s other problems, in one round', async () => {
    const errors = await errorsOf(`version: 1\nworkloads:\n  - name: a\n    model: gpt-4o-mini\n    fallback: claude-haiku-45\n${basic.replace('300k/month', 'lots')}  - name: b\n    model: gpt-4o-mnii\n${basic}`);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/w\.yaml:5:15: workloads\[0\]\.fallback: unknown model[\s\S]*claude-haiku-4-5/);
    expect(errors[1]).toMatch(/w\.yaml:6:13: workloads\[0\]\.volume: not a volume/);
    expect(errors[2]).toMatch(/w\.yaml:11:12: workloads\[1\]\.model: unknown model/);
  });

  it('a prompt glob matching nothing', async () => {
    const [e] = await errorsOf(one(basic.replace('{ tokens: 1200 }', '{ prompt: "prompts/*.txt" }')));
    expect(e).toMatch(/w\.yaml:7:\d+: workloads\[0\]\.input\.prompt: matches no file/);
  });

  it('unknown tier and provider', async () => {
    const errors = await errorsOf(`version: 1\ntiers: { openai: 9, antropic: build }\nworkloads:\n  - name: a\n    model: gpt-4o-mini\n${basic}`);
    expect(errors.join('\n')).toMatch(/w\.yaml:2:\d+: tiers\.openai: unknown openai tier/);
    expect(errors.join('\n')).toMatch(/tiers\.antropic: unknown provider "antropic"[\s\S]*did you mean "anthropic"/);
  });

  it('input without a size, and p95 below the mean', async () => {
    const errors = await errorsOf(one(basic.replace('{ tokens: 1200 }', '{ cached: 0.5 }').replace('{ tokens: 450 }', '{ tokens: 450, p95: 100 }')));
    expect(errors.join('\n')).toMatch(/workloads\[0\]\.input: missing the input size/);
    expect(errors.join('\n')).toMatch(/workloads\[0\]\.output\.p95: p95 \(100\) is below the mean \(450\)/);
  });

  it('a missing version, no workloads, a list instead of a mapping, fractional tokens', async () => {
    const errors = await errorsOf('workloads: []\n');
    expect(errors[0]).toMatch(/^error: w\.yaml:1:1: version: missing required field[\s\S]*hint: add "version: 1"/);
    expect(errors[1]).toMatch(/^error: w\.yaml:1:12: workloads: no workloads/);
    expect((await errorsOf('- a\n- b\n'))[0]).toMatch(/\(top level\): the file is not a workload file/);
    expect((await errorsOf(one(basic.replace('{ tokens: 1200 }', '{ tokens: 1.5 }'))))[0]).toMatch(/workloads\[0\]\.input\.tokens: 1\.5 is not a whole number/);
  });

  it('a file that does not exist', async () => {
    await expect(loadWorkloadFile('nope.yaml', { catalog, cwd: '/proj', source: memory({}) })).rejects.toThrow(/no such file/);
  });
});
