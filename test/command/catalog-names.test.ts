// Names as people write them (provider/model, dated snapshots, -latest, plain names), did-you-mean across
// providers, unknown provider prefixes, retired and deprecated models in workload files and in aip check.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { findModel, resolveModel } from '../../src/core/catalog/models.js';
import { UsageError } from '../../src/core/errors.js';
import { makeRepo } from '../helpers/git-repo.js';
import { runAip } from '../helpers/run.js';

const catalog = await loadCatalog();

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'aip-names-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
const one = (model: string, extra = '') => `version: 1\nworkloads:\n  - name: w\n    model: ${model}\n    volume: 10k/month\n    latency: 2h\n    input: { tokens: 1000 }\n    output: { tokens: 100 }\n${extra}`;

describe('model names', () => {
  it.each([
    ['gpt-4o', 'gpt-4o', 'openai'],
    ['openai/gpt-4o', 'gpt-4o', 'openai'],
    ['gpt-4o-2024-08-06', 'gpt-4o', 'openai'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5', 'anthropic'],
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet', 'anthropic'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku', 'anthropic'],
    ['claude-sonnet-5-5-latest', 'claude-sonnet-5-5', 'anthropic'],
    ['gemini/gemini-2.5-flash', 'gemini-2.5-flash', 'google'],
    ['google/gemini-2.5-pro', 'gemini-2.5-pro', 'google'],
    ['vertex_ai/gemini-2.5-pro', 'vertex_ai/gemini-2.5-pro', 'vertex_ai'],
    ['bedrock/regional.anthropic.claude-3-5-sonnet-20241022-v2:0', 'bedrock/regional.anthropic.claude-3-5-sonnet-20241022-v2:0', 'bedrock'],
    ['aws/global.anthropic.claude-haiku-4-5-20251001-v1:0', 'bedrock/global.anthropic.claude-haiku-4-5-20251001-v1:0', 'bedrock'],
    ['openrouter/openai/gpt-4o', 'openrouter/openai/gpt-4o', 'openrouter'],
    ['groq/llama-3.1-8b-instant', 'groq/llama-3.1-8b-instant', 'groq'],
    ['together_ai/meta-llama/llama-3.3-70b-instruct-turbo', 'together_ai/meta-llama/llama-3.3-70b-instruct-turbo', 'together_ai'],
    ['mistral/mistral-large-latest', undefined, 'mistral'],
    ['deepseek/deepseek-chat', 'deepseek/deepseek-chat', 'deepseek'],
    ['xai/grok-4.3', 'xai/grok-4.3', 'xai'],
  ])('%s → %s', (name, id, provider) => {
    const m = findModel(catalog, name);
    expect(m, name).toBeDefined();
    if (id) expect(m!.id).toBe(id);
    expect(m!.provider).toBe(provider);
  });

  it('azure/gpt-4o: Azure\'s terms on OpenAI\'s list price, and no borrowed rate limits', async () => {
    const m = findModel(catalog, 'azure/gpt-4o')!;
    expect(m).toMatchObject({ id: 'azure/gpt-4o', provider: 'azure', rate_limit_class: null, prices: { input: 2.5, output: 10, batch_input: 1.25 } });
    expect(m.source).toMatch(/priced as openai's gpt-4o/);
    const r = await runAip(['recommend', 'w.yaml', '--json'], { cwd: workspace({ 'w.yaml': one('azure/gpt-4o').replace('latency: 2h', 'latency: 3s') }) });
    const w = JSON.parse(r.stdout).workloads[0];
    expect(w.limits.fits).toBeNull();
    expect(w.warnings.join('\n')).toMatch(/no published rate limits for azure\/gpt-4o/);
  });

  it('a plain name only one provider serves gets a did-you-mean naming that provider', () => {
    const err = (() => {
      try {
        resolveModel(catalog, 'llama-3.1-8b-instant');
      } catch (e) {
        return e as UsageError;
      }
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect(err!.hint).toMatch(/groq\/llama-3\.1-8b-instant/);
  });

  it('an unknown provider prefix lists the known providers; a typo in one suggests it', async () => {
    const r = await runAip(['recommend', 'w.yaml'], { cwd: workspace({ 'w.yaml': one('azzure/gpt-4o') }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/w\.yaml:4:\d+: workloads\[0\]\.model: unknown provider in the model name\n/);
    expect(r.stderr).not.toMatch(/azzure/);
    expect(r.stderr).toMatch(/openai, anthropic, google, azure, bedrock, vertex_ai, mistral/);
    expect(r.stderr).toMatch(/did you mean "azure\/gpt-4o"/);
  });
});

describe('lifecycle', () => {
  it('a retired model is an error of the workload file: file:line, the retirement date and the successor (exit 2)', async () => {
    const r = await runAip(['recommend', 'w.yaml'], { cwd: workspace({ 'w.yaml': one('claude-sonnet-4-5') }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: w\.yaml:4:\d+: workloads\[0\]\.model: claude-sonnet-4-5 is retired since 2026-11-30/);
    expect(r.stderr).toMatch(/model: claude-sonnet-5-5/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a retired fallback is an error too', async () => {
    const r = await runAip(['recommend', 'w.yaml'], { cwd: workspace({ 'w.yaml': one('gpt-4o-mini', '    fallback: claude-3-5-haiku\n') }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/workloads\[0\]\.fallback: claude-3-5-haiku is retired[\s\S]*fallback: claude-haiku-4-5/);
  });

  it('a deprecated model is a warning with its date', async () => {
    const r = await runAip(['recommend', 'w.yaml', '--json'], { cwd: workspace({ 'w.yaml': one('gpt-5-nano') }) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).workloads[0].warnings.join('\n')).toMatch(/gpt-5-nano is deprecated: retires 2026-12-11 \(in 16 days\)[\s\S]*move to gpt-5\.4-nano/);
  });

  it('a model whose retirement date has passed counts as retired on that date (the injected clock)', async () => {
    const r = await runAip(['recommend', 'w.yaml'], { cwd: workspace({ 'w.yaml': one('gpt-5-nano') }), now: new Date('2026-12-12T00:00:00Z') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gpt-5-nano is retired since 2026-12-11/);
  });

  it('aip check fails a workload moved onto a retired model, whatever the thresholds', async () => {
    const repo = makeRepo({ 'aip.yaml': one('gpt-4o-mini') });
    try {
      repo.commit('baseline');
      repo.write({ 'aip.yaml': one('claude-sonnet-4-5') });
      const r = await runAip(['check', 'aip.yaml', '--baseline', 'git:main', '--format', 'json'], { cwd: repo.dir, env: repo.env });
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout);
      expect(doc.verdict).toBe('fail');
      expect(doc.retired_models).toEqual([{ workload: 'w', file: 'aip.yaml', line: 4, model: 'claude-sonnet-4-5', retired_on: '2026-11-30', successor: 'claude-sonnet-5-5' }]);
      const table = await runAip(['check', 'aip.yaml', '--baseline', 'git:main', '--max-increase', '1000'], { cwd: repo.dir, env: repo.env });
      expect(table.code).toBe(1);
      // The verdict wraps at the terminal's width (80 here): read it as one line.
      expect(table.stdout.replace(/\n +/g, ' ')).toMatch(/FAIL w uses claude-sonnet-4-5, retired since 2026-11-30[^\n]*move to claude-sonnet-5-5 \(aip\.yaml:4\)/);
    } finally {
      repo.cleanup();
    }
  });
});

describe('custom and self-hosted models (--catalog)', () => {
  it('a minimal entry of four fields is a usable model with stated defaults', async () => {
    const dir = workspace({
      'mine.yaml': 'models:\n  - id: my-llama-70b\n    provider: self-hosted\n    input: 0.2\n    output: 0.6\n',
      'w.yaml': one('self-hosted/my-llama-70b'),
    });
    const r = await runAip(['--catalog', 'mine.yaml', 'recommend', 'w.yaml', '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    const w = JSON.parse(r.stdout).workloads[0];
    // 10,000 × (1,000 × 0.2 + 100 × 0.6) / 1e6 = $2.60; no batch API for a self-hosted model.
    expect(w.cost_usd_per_month).toEqual({ direct: 2.6, streaming: 2.6, batch: null });
    const m = JSON.parse((await runAip(['--catalog', 'mine.yaml', 'models', '--provider', 'self-hosted', '--json'], { cwd: dir })).stdout).models[0];
    expect(m).toMatchObject({ id: 'my-llama-70b', provider: 'self-hosted', kind: 'chat', batch_api: false, rate_limit_class: null, source: 'your catalog file mine.yaml' });
    expect(m.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('any provider id is accepted, and a known one brings its batch terms', async () => {
    const dir = workspace({ 'mine.yaml': 'models:\n  - id: gpt-4o-ft-acme\n    provider: openai\n    input: 3.75\n    output: 15\n' });
    const m = JSON.parse((await runAip(['--catalog', 'mine.yaml', 'models', '--provider', 'openai', '--json'], { cwd: dir })).stdout).models.find((x: { id: string }) => x.id === 'gpt-4o-ft-acme');
    expect(m.prices).toMatchObject({ batch_input: 1.875, batch_output: 7.5, batch_derived: true });
  });

  it('duplicate ids in one overlay are an error naming both lines', async () => {
    const dir = workspace({ 'mine.yaml': 'models:\n  - id: a\n    provider: self-hosted\n    input: 1\n    output: 2\n  - id: a\n    provider: self-hosted\n    input: 1\n    output: 3\n' });
    const r = await runAip(['--catalog', 'mine.yaml', 'models'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mine\.yaml:6:\d+: --catalog: models\[1\]\.id: model "a" is listed twice in this file \(lines 2 and 6\)/);
  });
});
