// Every command that writes a file does it the one way (io/write-output.ts): a link is never written through,
// a file the command did not write is kept without --force, a file the run reads is never written over.
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runAip } from '../helpers/run.js';

const env = { AIP_NO_CACHE: '1' };
const LITELLM = join(ROOT, 'test/fixtures/litellm_model_prices.json');
// The quickest bench: one request, direct only, no simulated delay.
const BENCH = ['bench', '--requests', '1', '--warmup', '0', '--latency-scale', '0', '--patterns', 'direct'];

const TINY = 'version: 1\nworkloads:\n  - name: a\n    model: gpt-4o-mini\n    volume: 1000/day\n    latency: 3s\n    input: { tokens: 100 }\n    output: { tokens: 10 }\n';

/** A fresh directory with a file of the user's (precious.txt) and a small workload file (w.yaml). */
function dirWithPrecious() {
  const dir = mkdtempSync(join(tmpdir(), 'aip-out-'));
  writeFileSync(join(dir, 'precious.txt'), 'mine\n');
  writeFileSync(join(dir, 'w.yaml'), TINY);
  return dir;
}

describe('a symbolic link at the output path is refused by every command', () => {
  it.each([
    ['baseline -o', (link: string) => ['baseline', 'w.yaml', '-o', link, '--force'], '-o'],
    ['bench -o', (link: string) => [...BENCH, '-o', link, '--force'], '--output'],
    ['bench --log', (link: string) => [...BENCH, '--log', link, '--force'], '--log'],
    ['catalog import-litellm -o', (link: string) => ['catalog', 'import-litellm', LITELLM, '-o', link, '--force'], '--output'],
  ])('%s', async (_what, args, option) => {
    const dir = dirWithPrecious();
    symlinkSync(join(dir, 'precious.txt'), join(dir, 'link.out'));
    const r = await runAip(args('link.out'), { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: link.out: ${option}: is a symbolic link; aip does not write through links`);
    expect(r.stderr).toMatch(/hint: name the file itself, or remove the link first \(rm link\.out\)/);
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('mine\n');
  });

  it('wizard, before asking anything', async () => {
    const dir = dirWithPrecious();
    symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'aip.yaml'));
    const r = await runAip(['wizard'], { cwd: dir, env, tty: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: aip\.yaml: --output: is a symbolic link to a file that does not exist/);
  });
});

describe('aip bench -o and --log', () => {
  it('keep a file aip bench did not write unless --force, refusing before the run', async () => {
    const dir = dirWithPrecious();
    for (const flag of ['-o', '--log']) {
      const r = await runAip([...BENCH, flag, 'precious.txt'], { cwd: dir, env });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/error: precious\.txt: (--output|--log): refusing to overwrite a file that is not an aip (bench result|request log)[\s\S]*hint: choose another path, or add --force/);
    }
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('mine\n');
    const forced = await runAip([...BENCH, '-o', 'precious.txt', '--force'], { cwd: dir, env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'precious.txt'), 'utf8')).patterns.direct.requests).toBe(1);
  });

  it('replace the result and the log of an earlier run', async () => {
    const dir = dirWithPrecious();
    const args = [...BENCH, '-o', 'bench.json', '--log', 'requests.jsonl'];
    expect((await runAip(args, { cwd: dir, env })).code).toBe(0);
    const again = await runAip([...args, '--seed', '2'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8')).simulator.seed).toBe(2);
    expect(readFileSync(join(dir, 'requests.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('never write over the --workload file or each other, even with --force', async () => {
    const dir = dirWithPrecious();
    const onInput = await runAip([...BENCH, '--workload', 'w.yaml', '-o', 'w.yaml', '--force'], { cwd: dir, env });
    expect(onInput.code).toBe(2);
    expect(onInput.stderr).toMatch(/error: w\.yaml: --output: is also --workload of this run; aip never writes over a file the same run uses/);
    const same = await runAip([...BENCH, '-o', 'x.json', '--log', 'x.json'], { cwd: dir, env });
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/error: x\.json: --output: is also --log of this run/);
  });
});

describe('aip baseline -o', () => {
  it('never writes over a workload file it reads, even with --force', async () => {
    const dir = dirWithPrecious();
    const r = await runAip(['baseline', 'w.yaml', '-o', 'w.yaml', '--force'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: w\.yaml: -o: is also a workload file of this run/);
    expect(readFileSync(join(dir, 'w.yaml'), 'utf8')).toMatch(/^version: 1/);
  });
});
