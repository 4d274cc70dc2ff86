// The cross-command contracts of docs/spec.md, table-driven over every command: one JSON document with --json, no ANSI
// escapes off a terminal or with NO_COLOR, and exit 2 with a located, stack-free message for usage errors.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAip } from '../helpers/run.js';

const W = 'examples/workloads.yaml';
const LITELLM = 'test/fixtures/litellm_model_prices.json';
const ESC = '\x1b[';
const STACK = /^\s+at |\b(TypeError|RangeError|ZodError|SyntaxError)\b|internal error/m;

// Each command that supports --json, with the smallest arguments that make it do real work.
const jsonRuns: Array<[string, string[]]> = [
  ['recommend', ['recommend', W, '--json']],
  ['recommend --format json', ['recommend', W, '--format', 'json']],
  ['tokens', ['tokens', 'examples/prompts/support-chat.md', '--model', 'gpt-4o-mini', '--json']],
  ['tokens (approximate)', ['tokens', 'examples/prompts/support-chat.md', '--model', 'claude-haiku-4-5', '--json']],
  ['models', ['models', '--json']],
  ['check', ['check', W, '--baseline', 'git:HEAD', '--json']],
  ['simulate', ['simulate', W, '--workload', 'support-chat', '--runs', '3', '--json']],
  ['bench', ['bench', '--requests', '2', '--warmup', '0', '--latency-scale', '0', '--json']],
  ['catalog import-litellm', ['catalog', 'import-litellm', LITELLM, '--json']],
  ['baseline', ['baseline', W, '--json']],
  ['global --json before the command', ['--json', 'recommend', W]],
];

describe('--json prints exactly one JSON document on stdout', () => {
  it.each(jsonRuns)('%s', async (_name, args) => {
    const r = await runAip(args);
    expect(r.code, r.stderr).toBe(0);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stdout.trim().startsWith('{')).toBe(true);
    expect(r.stdout).not.toContain(ESC);
  });

  it('keeps plain numbers in the docs/spec.md fields of tokens and bench', async () => {
    const tokens = JSON.parse((await runAip(jsonRuns[2]![1])).stdout);
    expect(tokens).toMatchObject({ model: 'gpt-4o-mini', approximate: false });
    expect(typeof tokens.total_tokens).toBe('number');
    expect(typeof tokens.input_cost_usd).toBe('number');
    expect(typeof tokens.files[0].tokens).toBe('number');
    const bench = JSON.parse((await runAip(jsonRuns[7]![1])).stdout);
    for (const p of Object.values(bench.patterns) as Array<Record<string, unknown>>) {
      for (const k of ['requests', 'ok', 'failed', 'retries', 'cost_usd']) expect(typeof p[k], k).toBe('number');
      expect(typeof (p.latency_ms as { p50: unknown }).p50).toBe('number');
    }
  });
});

// Text output of each command, to check colour: none off a terminal, none with NO_COLOR on one.
const textRuns: Array<[string, string[]]> = [
  ['recommend', ['recommend', W]],
  ['tokens', ['tokens', 'examples/prompts/support-chat.md', '--model', 'gpt-4o-mini']],
  ['models', ['models']],
  ['check', ['check', W, '--baseline', 'git:HEAD']],
  ['simulate', ['simulate', W, '--workload', 'support-chat', '--runs', '3']],
];

describe('colour', () => {
  it.each(textRuns)('%s: no escapes when stdout is not a terminal', async (_name, args) => {
    const r = await runAip(args, { env: { NO_COLOR: undefined }, tty: false });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(ESC);
  });

  it.each(textRuns)('%s: no colour on a terminal with NO_COLOR', async (_name, args) => {
    const r = await runAip(args, { env: { NO_COLOR: '1' }, tty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(ESC);
  });

  it('colours on a terminal without NO_COLOR (so the two tests above can fail)', async () => {
    const r = await runAip(['models'], { env: { NO_COLOR: undefined }, tty: true });
    expect(r.stdout).toContain(ESC);
  });
});

// Usage errors: [command, args, what the message must name].
const usageErrors: Array<[string, string[], RegExp]> = [
  ['no such command', ['recomend', W], /unknown command 'recomend'[\s\S]*recommend/],
  ['a command group without its subcommand', ['catalog'], /import-litellm/],
  ['recommend: no file and no ./aip.yaml', ['recommend'], /no workload file given, and there is no aip\.yaml here[\s\S]*aip init[\s\S]*aip wizard/],
  ['recommend: unknown option', ['recommend', W, '--chrat'], /unknown option '--chrat'[\s\S]*--chart[\s\S]*aip recommend --help/],
  ['recommend: bad --format', ['recommend', W, '--format', 'xml'], /--format[\s\S]*table, json, markdown/],
  ['recommend: bad --min-batch-saving', ['recommend', W, '--min-batch-saving', 'lots'], /--min-batch-saving/],
  ['recommend: missing file on disk', ['recommend', 'nope.yaml'], /nope\.yaml/],
  ['tokens: missing --model', ['tokens', 'README.md'], /--model/],
  ['tokens: unknown model', ['tokens', 'README.md', '--model', 'gpt-4o-mnii'], /gpt-4o-mini/],
  ['tokens: unknown option', ['tokens', 'README.md', '--model', 'gpt-4o-mini', '--exakt'], /--exakt[\s\S]*aip tokens --help/],
  ['models: unknown provider', ['models', '--provider', 'openia'], /--provider[\s\S]*openai/],
  ['check: no baseline', ['check', W], /--baseline/],
  ['check: bad threshold', ['check', W, '--baseline', 'git:HEAD', '--max-increase', 'ten'], /--max-increase/],
  ['check: bad --format', ['check', W, '--baseline', 'git:HEAD', '--format', 'xml'], /--format[\s\S]*github/],
  ['check: unknown ref', ['check', W, '--baseline', 'git:no-such-ref-xyz'], /no-such-ref-xyz/],
  ['baseline: no file and no ./aip.yaml', ['baseline'], /no workload file given, and there is no aip\.yaml here/],
  ['wizard: unknown option', ['wizard', '--ouput', 'x.yaml'], /--ouput[\s\S]*--output/],
  ['simulate: bad --runs', ['simulate', W, '--runs', '0'], /--runs/],
  ['simulate: bad --format', ['simulate', W, '--format', 'markdown'], /--format/],
  ['simulate: unknown workload', ['simulate', W, '--workload', 'support-caht'], /support-chat/],
  ['bench: bad --requests', ['bench', '--requests', '0'], /--requests/],
  ['bench: unknown target', ['bench', '--target', 'openia'], /--target/],
  ['bench: unknown metric', ['bench', '--threshold', 'direct.speed<1'], /--threshold/],
  ['bench: bad --batch-turnaround says a bare number is seconds', ['bench', '--batch-turnaround', 'soon'], /--batch-turnaround[\s\S]*a bare number is seconds here/],
  ['bench: key missing', ['bench', '--target', 'openai'], /OPENAI_API_KEY/],
  ['serve: bad port', ['serve', '--port', '70000'], /--port/],
  ['serve: fractional seed', ['serve', '--seed', '1.5'], /--seed/],
  ['serve: bad fault', ['serve', '--fault', '418:0.1'], /--fault/],
  ['import-litellm: missing file', ['catalog', 'import-litellm'], /missing required argument 'file'/],
  ['import-litellm: no such file', ['catalog', 'import-litellm', 'nope.json'], /nope\.json/],
  ['--catalog: no such file', ['--catalog', 'nope.yaml', 'models'], /nope\.yaml[\s\S]*--catalog/],
];

describe('usage errors exit 2 with the option or file named and no stack trace', () => {
  it.each(usageErrors)('%s', async (_name, args, names) => {
    const r = await runAip(args, { env: { OPENAI_API_KEY: undefined } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(names);
    expect(r.stderr).not.toMatch(STACK);
  });
});

describe('option names and --quiet agree across commands', () => {
  it('bench writes its JSON with -o / --output, like baseline and import-litellm (--out still works)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aip-bench-o-'));
    for (const flag of ['-o', '--output', '--out']) {
      const file = join(dir, `b${flag}.json`);
      const r = await runAip(['bench', '--requests', '1', '--warmup', '0', '--latency-scale', '0', '--patterns', 'direct', flag, file]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(readFileSync(file, 'utf8')).patterns.direct.requests).toBe(1);
      expect(r.stdout).toContain(`wrote ${file}`);
    }
  });

  it('--quiet drops the stderr summaries of import-litellm and baseline, keeping the output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aip-quiet-'));
    for (const args of [
      ['catalog', 'import-litellm', LITELLM, '-o', join(dir, 'prices.yaml')],
      ['baseline', W, '-o', join(dir, 'baseline.json')],
    ]) {
      const loud = await runAip([...args, '--force']);
      const quiet = await runAip([...args, '--force', '--quiet']);
      expect(loud.code, loud.stderr).toBe(0);
      expect(loud.stderr).toMatch(/wrote /);
      expect(quiet.code).toBe(0);
      expect(quiet.stderr).toBe('');
    }
  });

  it('bench --quiet leaves out the latency histograms, as simulate --quiet leaves out its charts', async () => {
    const args = ['bench', '--requests', '2', '--warmup', '0', '--latency-scale', '0', '--patterns', 'direct'];
    const full = await runAip(args);
    const quiet = await runAip([...args, '--quiet']);
    expect(full.stdout).toContain('latency of successful requests');
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain('latency of successful requests');
    expect(quiet.stdout).toContain('cost of the run');
  });
});

describe('help', () => {
  const commands = [[], ['recommend'], ['tokens'], ['models'], ['check'], ['baseline'], ['wizard'], ['simulate'], ['bench'], ['serve'], ['catalog', 'import-litellm']];
  it.each(commands.map((c) => [c.join(' ') || 'aip', c] as const))('%s --help exits 0 and reads clean', async (_name, cmd) => {
    const r = await runAip([...cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: aip/);
    expect(r.stdout).toContain('--json'); // the global options are listed on every command
    expect(r.stdout).not.toContain('(default: [])');
  });
});
