// aip catalog import-litellm as a command: the overlay it writes loads with --catalog, files are never
// overwritten unasked, malformed input exits 2 with file:line:col.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAip } from '../helpers/run.js';

// The reference copy of LiteLLM's map (see test/fixtures/README.md).
const FILE = join(import.meta.dirname, '..', 'fixtures', 'litellm_model_prices.json');

describe('aip catalog import-litellm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aip-litellm-'));

  it('writes an overlay that --catalog loads, with the refreshed prices', async () => {
    const r = await runAip(['catalog', 'import-litellm', FILE, '-o', 'prices.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/prices of \d+ catalog models refreshed/);
    expect(r.stderr).toMatch(/corrected claude-3-haiku cache_write_1h: LiteLLM's "claude-3-haiku-20240307" says \$6/);
    expect(r.stderr).toMatch(/not mapped: .*\n.*/);
    const m = await runAip(['--catalog', 'prices.yaml', 'models', '--json', '--all'], { cwd: dir });
    expect(m.code).toBe(0);
    const models = JSON.parse(m.stdout).models as Array<{ id: string; as_of: string; prices: { input: number; batch_input: number } }>;
    // The entries carry the LiteLLM file's date (its modification time here: the copy in the repository).
    const fileDate = (await import('node:fs')).statSync(FILE).mtime.toISOString().slice(0, 10);
    expect(models.find((x) => x.id === 'gpt-4o-mini')).toMatchObject({ as_of: fileDate, prices: { input: 0.15 } });
    expect(models.find((x) => x.id === 'gpt-5')!.prices.batch_input).toBe(0.625);
  });

  it('never overwrites an existing output file without --force', async () => {
    writeFileSync(join(dir, 'mine.yaml'), 'my notes\n');
    const r = await runAip(['catalog', 'import-litellm', FILE, '-o', 'mine.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: mine\.yaml: --output: the output file already exists[\s\S]*--force/);
    expect(readFileSync(join(dir, 'mine.yaml'), 'utf8')).toBe('my notes\n');
    const forced = await runAip(['catalog', 'import-litellm', FILE, '-o', 'mine.yaml', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'mine.yaml'), 'utf8')).toMatch(/^# Catalog overlay generated/);
  });

  it('prints the overlay to stdout without -o, and the full lists with --json', async () => {
    const r = await runAip(['catalog', 'import-litellm', FILE, '--provider', 'google', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.catalog.models.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining(['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite']));
    expect(doc.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(doc.unmapped.length).toBeGreaterThan(0);
    expect(doc.unmapped[0]).toEqual({ key: expect.any(String), reason: expect.any(String) });
  });

  it.each([
    ['{\n  "gpt-4o": {\n    "input_cost_per_token": 2.5e-06,\n  }\n}\n', /bad\.json:4:3: malformed JSON: trailing comma before \}/],
    ['{\n  "gpt-4o": {\n    "input_cost_per_token": 2.5e-06\n', /bad\.json:4:1: malformed JSON: .*end of file/],
    ['[1, 2]', /bad\.json:1:1: expected a JSON object of model entries/],
  ])('exits 2 with file:line:col for malformed JSON %#', async (text, message) => {
    writeFileSync(join(dir, 'bad.json'), text);
    const r = await runAip(['catalog', 'import-litellm', 'bad.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it.each([
    [['catalog', 'import-litellm', 'nope.json'], /error: nope\.json: cannot read the file \(no such file\)/],
    [['catalog', 'import-litellm', FILE, '--provider', 'antropic'], /--provider: unknown provider "antropic"[\s\S]*did you mean "anthropic"/],
  ])('exits 2 naming the file or option: %j', async (args, message) => {
    const r = await runAip(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
