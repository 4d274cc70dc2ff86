// aip catalog update against a local HTTP server (loopback only): a good feed becomes the catalog every
// command uses, with the data's own date; a truncated, foreign or changed-schema download, an HTTP error or a
// missing cache directory exits 2 and leaves the previous catalog untouched.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runAip } from '../helpers/run.js';

const snapshot = JSON.parse(readFileSync(join(ROOT, 'data', 'base', 'genai-prices.json'), 'utf8')) as { providers: Array<{ id: string; models: Array<{ id: string; prices: Record<string, unknown> }> }> };
/** The public feed's shape (an array of providers), with gpt-4o-mini's input moved to $0.12. */
const feed = snapshot.providers.map((p) => (p.id !== 'openai' ? p : { ...p, models: p.models.map((m) => (m.id === 'gpt-4o-mini' ? { ...m, prices: { ...m.prices, input_mtok: 0.12 } } : m)) }));
const feedText = JSON.stringify(feed);
const ROUTES: Record<string, { status: number; body: string; headers?: Record<string, string> }> = {
  '/data.json': { status: 200, body: feedText, headers: { 'last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT' } },
  '/truncated.json': { status: 200, body: feedText.slice(0, 5000) },
  '/litellm.json': { status: 200, body: JSON.stringify({ 'gpt-4o': { litellm_provider: 'openai', input_cost_per_token: 2.5e-6 } }) },
  '/changed.json': { status: 200, body: JSON.stringify(feed.map((p) => ({ ...p, models: p.models.map(({ prices, ...m }) => ({ ...m, pricing: prices })) }))) },
  '/tiny.json': { status: 200, body: JSON.stringify([{ id: 'openai', name: 'OpenAI', models: [] }]) },
  '/gone': { status: 500, body: 'oops' },
};

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const route = ROUTES[req.url ?? ''] ?? { status: 404, body: 'not found' };
    res.writeHead(route.status, { 'content-type': 'application/json', ...route.headers });
    res.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const cacheDir = () => mkdtempSync(join(tmpdir(), 'aip-catalog-cache-'));
const cacheFile = (dir: string) => join(dir, 'catalog', 'catalog.jsonl');

describe('aip catalog update', () => {
  it('fetches, validates and writes the catalog; every later command uses it, dated by the data (Last-Modified)', async () => {
    const dir = cacheDir();
    const env = { AIP_CACHE_DIR: dir };
    const r = await runAip(['catalog', 'update', '--from', `${base}/data.json`], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/updated the catalog: \d+ models \(\d+ chat, \d+ embedding\) of 18 providers, data as of 2026-12-01/);
    expect(existsSync(cacheFile(dir))).toBe(true);
    const models = JSON.parse((await runAip(['models', '--provider', 'openai', '--json'], { env })).stdout);
    expect(models.catalog_as_of).toBe('2026-12-01');
    expect(models.catalog.origin).toBe('cache');
    expect(models.models.find((m: { id: string }) => m.id === 'gpt-4o-mini').prices).toMatchObject({ input: 0.12, output: 0.6 });
    // The curated layer is merged in as shipped: gpt-5's stacked batch cache price, gpt-5.4-mini's 272k input.
    expect(models.models.find((m: { id: string }) => m.id === 'gpt-5').prices.batch_cached_input).toBe(0.0625);
    const w = join(dir, 'w.yaml');
    writeFileSync(w, 'version: 1\nworkloads:\n  - { name: a, model: gpt-4o-mini, volume: 1M/month, latency: 2s, input: { tokens: 1000 }, output: { tokens: 0 } }\n');
    const rec = JSON.parse((await runAip(['recommend', w, '--json'], { env })).stdout);
    expect(rec.catalog_as_of).toBe('2026-12-01');
    expect(rec.workloads[0].cost_usd_per_month.direct).toBe(120);
    // Without the cache directory, the shipped snapshot is the offline default.
    expect(JSON.parse((await runAip(['models', '--json', '--provider', 'openai'])).stdout).catalog_as_of).toBe('2026-09-23');
  });

  it.each([
    ['truncated download', '/truncated.json', /the price data is not valid JSON[\s\S]*truncated download/],
    ['LiteLLM\'s map (the wrong format)', '/litellm.json', /is not the price data of @pydantic\/genai-prices: expected an array of providers[\s\S]*import-litellm/],
    ['a changed schema', '/changed.json', /is not the price data of @pydantic\/genai-prices: [\s\S]*schema may have changed/],
    ['a feed without the first-party models', '/tiny.json', /does not make a usable catalog/],
    ['an HTTP error', '/gone', /the download failed: HTTP 500/],
  ])('%s: exit 2, and the previous catalog stays as it was', async (_what, path, message) => {
    const dir = cacheDir();
    const env = { AIP_CACHE_DIR: dir };
    expect((await runAip(['catalog', 'update', '--from', `${base}/data.json`], { env })).code).toBe(0);
    const before = readFileSync(cacheFile(dir));
    const r = await runAip(['catalog', 'update', '--from', `${base}${path}`], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(cacheFile(dir)).equals(before)).toBe(true);
    expect(JSON.parse((await runAip(['models', '--json', '--provider', 'openai'], { env })).stdout).catalog_as_of).toBe('2026-12-01');
  });

  it('--from FILE with --as-of: an offline copy, dated as the user says', async () => {
    const dir = cacheDir();
    const file = join(dir, 'data.json');
    writeFileSync(file, feedText);
    const r = await runAip(['catalog', 'update', '--from', file, '--as-of', '2026-11-30', '--json'], { env: { AIP_CACHE_DIR: dir } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ catalog_as_of: '2026-11-30', providers: 18 });
  });

  it('without a cache directory (AIP_NO_CACHE) it says where to point it, and changes nothing', async () => {
    const r = await runAip(['catalog', 'update', '--from', `${base}/data.json`], { env: { AIP_NO_CACHE: '1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no cache directory[\s\S]*AIP_CACHE_DIR/);
  });

  it('a bad --as-of names the option', async () => {
    const r = await runAip(['catalog', 'update', '--from', `${base}/data.json`, '--as-of', 'yesterday'], { env: { AIP_CACHE_DIR: cacheDir() } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--as-of: "yesterday" is not a date/);
  });
});

describe('the drift check for maintainers', () => {
  it('the scheduled workflow in docs/ runs npm run catalog:diff weekly', async () => {
    const { parse } = await import('yaml');
    const wf = parse(readFileSync(join(ROOT, 'docs', 'catalog-drift-workflow.yml'), 'utf8')) as { on: { schedule: Array<{ cron: string }> }; jobs: Record<string, { steps: Array<{ run?: string }> }> };
    expect(wf.on.schedule[0]!.cron).toMatch(/^\S+ \S+ \* \* \d$/);
    const runs = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ''));
    expect(runs.some((r) => r.includes('npm run -s catalog:diff'))).toBe(true);
  });

  it('npm run catalog:diff lists the disagreements with LiteLLM\'s map (the file in the repository)', async () => {
    const { execFileSync } = await import('node:child_process');
    const out = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'scripts', 'catalog-diff.mjs'), '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    expect(out.litellm_matched).toBeGreaterThan(100);
    // LiteLLM (2026-07-24) predates GPT-5.6 Sol's price cut of 2026-08-21 that the base data records.
    expect(out.findings).toContainEqual(expect.objectContaining({ source: 'litellm', kind: 'price', id: 'gpt-5.6-sol', field: 'input', ours: 4, theirs: 5 }));
  });
});
