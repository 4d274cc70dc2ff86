// Bad files and paths across commands: each error names the file (line:col) or the option, says what was
// expected, exits 2 and shows no stack trace — including output paths, checked before any work is done.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runAip } from '../helpers/run.js';

const STACK = /^\s+at |\b(TypeError|RangeError|ZodError)\b|internal error/m;
const dir = mkdtempSync(join(tmpdir(), 'aip-bad-input-'));
mkdirSync(join(dir, 'adir'));
const write = (name: string, text: string | Buffer) => (writeFileSync(join(dir, name), text), name);

const workload = (extra: string) =>
  `version: 1\nworkloads:\n  - name: a\n    model: gpt-4o-mini\n    volume: 10/day\n    latency: 2h\n    input: { tokens: 10, cached: 0.5 }\n    output: { tokens: 5 }\n${extra}`;

describe('workload values out of range say the bound, as a number the user can type', () => {
  // [case, file text, expected error text]
  const cases: Array<[string, string, string[]]> = [
    ['cached above 1', workload('').replace('cached: 0.5', 'cached: 1.5'), ['w.yaml:7:34: workloads[0].input.cached: 1.5 is above 1', 'expected: a fraction from 0 to 1, e.g. 0.65 or "65%"']],
    ['negative output', workload('').replace('tokens: 5', 'tokens: -5'), ['w.yaml:8:23: workloads[0].output.tokens: -5 is below the minimum 0', 'expected: a whole number of tokens, e.g. 1200, "15k" or "1.5M"']],
    ['peak factor below 1', workload('    peak_factor: 0.5\n'), ['w.yaml:9:18: workloads[0].peak_factor: 0.5 is below the minimum 1', 'expected: a number ≥ 1']],
    ['a number for a boolean', workload('    user_facing: 3\n'), ['workloads[0].user_facing: 3 is not true or false', 'expected: true or false']],
    ['a list for a mapping', workload('    pricing: [1, 2]\n'), ['workloads[0].pricing: a list is not a mapping (key: value lines)']],
  ];
  it.each(cases)('%s', async (_name, text, messages) => {
    const d = mkdtempSync(join(dir, 'w-'));
    writeFileSync(join(d, 'w.yaml'), text);
    const r = await runAip(['recommend', 'w.yaml'], { cwd: d });
    expect(r.code).toBe(2);
    for (const m of messages) expect(r.stderr).toContain(m);
    expect(r.stderr).not.toMatch(/expected number to be|Too (small|big)|a value of type/);
    expect(r.stderr).not.toMatch(STACK);
  });
});

describe('output paths are checked before any work', () => {
  const litellm = join(ROOT, 'test/fixtures/litellm_model_prices.json');
  // [case, args, what the message names]
  const cases: Array<[string, string[], RegExp]> = [
    ['bench --out in a missing directory', ['bench', '--out', 'no-such-dir/bench.json'], /no-such-dir\/bench\.json: --out: the directory no-such-dir does not exist[\s\S]*mkdir -p no-such-dir/],
    ['bench -o in a missing directory', ['bench', '-o', 'no-such-dir/bench.json'], /--output: the directory no-such-dir does not exist/],
    ['bench --log is a directory', ['bench', '--log', 'adir'], /adir: --log: is a directory[\s\S]*adir\/requests\.jsonl/],
    ['import-litellm -o in a missing directory', ['catalog', 'import-litellm', litellm, '-o', 'no-such-dir/prices.yaml'], /--output: the directory no-such-dir does not exist/],
    ['import-litellm -o a directory, even with --force', ['catalog', 'import-litellm', litellm, '-o', 'adir', '--force'], /adir: --output: is a directory/],
  ];
  it.each(cases)('%s', async (_name, args, names) => {
    const r = await runAip(args, { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(names);
    expect(r.stderr).toMatch(/expected: a file path in an existing, writable directory/);
    expect(r.stderr).not.toMatch(STACK);
  });
});

describe('a file that cannot be read says why, in words, for every kind of input file', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['workload file', ['recommend', 'adir'], /adir: is a directory, not a workload file/],
    ['--catalog', ['--catalog', 'adir', 'models'], /adir: --catalog: is a directory, not a catalog file/],
    ['--catalog missing', ['--catalog', 'nope.yaml', 'models'], /nope\.yaml: --catalog: no such file/],
    ['--trace', ['simulate', join(ROOT, 'examples/workloads.yaml'), '--trace', 'adir'], /adir: --trace: is a directory, not a trace file/],
    ['--baseline', ['check', join(ROOT, 'examples/workloads.yaml'), '--baseline', 'adir'], /adir: --baseline: is a directory, not a baseline file/],
  ];
  it.each(cases)('%s', async (_name, args, names) => {
    const r = await runAip(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(names);
    expect(r.stderr).not.toMatch(/EISDIR|ENOENT/);
  });

  it.each([
    ['ENOENT', 'no such file'],
    ['EISDIR', 'is a directory, not a workload file'],
    ['EACCES', 'permission denied'],
    ['EIO', 'cannot read it (EIO)'],
  ])('describeReadError(%s)', async (code, text) => {
    const { describeReadError } = await import('../../src/core/parse/read-error.js');
    expect(describeReadError(Object.assign(new Error('x'), { code }), 'a workload file')).toBe(text);
  });
});

describe('a binary file given as YAML says so, whatever reads it', () => {
  const binary = write('blob.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xfe]));
  const cases: Array<[string, string[]]> = [
    ['workload file', ['recommend', binary]],
    ['--catalog', ['--catalog', binary, 'models']],
    ['--baseline', ['check', join(ROOT, 'examples/workloads.yaml'), '--baseline', binary]],
  ];
  it.each(cases)('%s', async (_name, args) => {
    const r = await runAip(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: blob\.bin: [^\n]*looks like a binary file \(a NUL byte at byte 8\)\n  expected: a text file \(YAML or JSON\)/);
    expect(r.stderr).not.toContain('\ufffd');
  });
});

describe('bench --prompt refuses what is not a prompt', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a binary file', write('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])), /image\.png: --prompt: looks like a binary file/],
    ['a directory', 'adir', /adir: --prompt: is a directory, not a prompt file/],
    ['a missing file', 'nope.md', /nope\.md: --prompt: no such file/],
  ];
  it.each(cases)('%s', async (_name, file, names) => {
    const r = await runAip(['bench', '--prompt', file], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(names);
    expect(r.stderr).not.toMatch(STACK);
  });
});
