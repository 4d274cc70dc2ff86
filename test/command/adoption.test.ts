// The adoption path (issue 17): "aip init" writes a starter ./aip.yaml that recommend, simulate and check read
// with no file named; its $schema line is relative (it is committed and cloned elsewhere); every --help ends
// with EXAMPLES; the package ships examples/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runAip } from '../helpers/run.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'aip-init-'));

describe('aip init', () => {
  it('writes a commented starter aip.yaml that aip recommend reads with no file named', async () => {
    const dir = fresh();
    const init = await runAip(['init'], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toContain('wrote aip.yaml');
    const text = readFileSync(join(dir, 'aip.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/aip/schema/workload.schema.json');
    expect(text.match(/^\s*#/gm)!.length).toBeGreaterThan(10);
    const r = await runAip(['recommend', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.workloads.map((w: { name: string }) => w.name)).toEqual(['support-chat', 'nightly-summaries']);
    // The starter shows the two answers aip gives: stream what a person watches, batch what can wait.
    expect(doc.workloads.map((w: { pattern: string }) => w.pattern)).toEqual(['streaming', 'batch']);
  });

  it('never replaces a file, and says what to do instead', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'aip.yaml'), 'mine\n');
    const r = await runAip(['init'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: aip.yaml: --output: already exists; aip init never replaces a file');
    expect(r.stderr).toContain('aip init -o other.yaml');
    expect(readFileSync(join(dir, 'aip.yaml'), 'utf8')).toBe('mine\n');
  });

  it('-o elsewhere: the $schema line is relative to that file', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'config'));
    const r = await runAip(['init', '-o', 'config/llm.yaml'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'config/llm.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/aip/schema/workload.schema.json');
    expect(r.stderr).toContain('aip recommend config/llm.yaml');
  });

  it('inside aip\'s own repository the $schema line names the real schema, relatively', async () => {
    mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, 'node_modules/.cache/aip-init-'));
    const r = await runAip(['init'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'aip.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../../../schema/workload.schema.json');
  });
});

describe('./aip.yaml when no file is named', () => {
  it('simulate reads it', async () => {
    const dir = fresh();
    await runAip(['init'], { cwd: dir });
    const r = await runAip(['simulate', '--runs', '3', '--workload', 'nightly-summaries'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('nightly-summaries');
  });

  it('without it, recommend, simulate and check say how to get one', async () => {
    const dir = fresh();
    for (const args of [['recommend'], ['simulate'], ['check', '--baseline', 'git:HEAD']]) {
      const r = await runAip(args, { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('error: no workload file given, and there is no aip.yaml here');
      expect(r.stderr).toContain('hint: run "aip init" for a starter aip.yaml to edit, or "aip wizard" to write one from a few questions');
    }
  });
});

describe('--help', () => {
  const commands = [[], ['catalog'], ['recommend'], ['tokens'], ['models'], ['check'], ['baseline'], ['wizard'], ['init'], ['simulate'], ['bench'], ['serve'], ['import'], ['catalog', 'import-litellm'], ['catalog', 'update']];
  it.each(commands.map((c) => [c.join(' ') || 'aip', c] as const))('%s --help ends with EXAMPLES of aip command lines', async (_name, cmd) => {
    const r = await runAip([...cmd, '--help']);
    expect(r.code).toBe(0);
    const examples = r.stdout.split('\nEXAMPLES\n')[1];
    expect(examples).toBeDefined();
    const lines = examples!.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    // Each example: "  $ aip …" (a long one continued with " \\" on lines indented deeper), then what it
    // does on lines indented by six; all within the width (80 here).
    const entries = examples!.trimEnd().split(/\n(?= {2}\$ )/);
    expect(entries.length).toBeGreaterThanOrEqual(2);
    for (const entry of entries) {
      const [first, ...rest] = entry.split('\n');
      expect(first).toMatch(/^ {2}\$ (aip |cat )/);
      let continued = first!.endsWith(' \\');
      while (continued) {
        const next = rest.shift()!;
        expect(next).toMatch(/^ {7}\S/);
        continued = next.endsWith(' \\');
      }
      expect(rest.length).toBeGreaterThanOrEqual(1);
      for (const line of rest) expect(line).toMatch(/^ {6}\S/);
    }
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('tokens --help marks -m required', async () => {
    const r = await runAip(['tokens', '--help']);
    expect(r.stdout).toMatch(/-m, --model <id> +the model whose tokenizer and price to use \(required\)/);
  });
});

describe('the package', () => {
  it('ships examples/ (every hint says "start from examples/workloads.yaml")', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'silent' } });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    expect(files).toContain('examples/workloads.yaml');
    expect(files.filter((f) => f.startsWith('examples/prompts/')).length).toBeGreaterThan(0);
    expect(files).toContain('schema/workload.schema.json');
  });
});
