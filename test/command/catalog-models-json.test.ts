// aip models --json per SPEC "The catalog", and the coverage the catalog issue asks for.
import { describe, expect, it } from 'vitest';
import { runAip } from '../helpers/run.js';

const all = JSON.parse((await runAip(['models', '--json', '--provider', 'all'])).stdout);
const byId = (id: string) => all.models.find((m: { id: string }) => m.id === id);

describe('aip models --json', () => {
  it('carries the SPEC fields for every model (none renamed), with null where nothing is published', () => {
    expect(all.catalog_as_of).toBe('2026-09-23');
    expect(all.catalog).toMatchObject({ base: { name: '@pydantic/genai-prices', version: '0.1.8', as_of: '2026-09-23' }, curated_as_of: '2026-12-01', origin: 'shipped' });
    for (const m of all.models) {
      for (const key of ['id', 'provider', 'aliases', 'prices', 'long_context', 'context_window', 'max_input', 'max_output', 'service_tiers', 'lifecycle', 'source', 'as_of']) expect(m, `${m.id}.${key}`).toHaveProperty(key);
      for (const key of ['input', 'output', 'cached_input', 'cache_write', 'cache_write_1h', 'batch_input', 'batch_output', 'batch_cached_input']) expect(m.prices, `${m.id}.prices.${key}`).toHaveProperty(key);
      expect(['active', 'deprecated', 'legacy', 'retired']).toContain(m.lifecycle.status);
      expect(m.service_tiers[0]).toEqual({ tier: 'standard' });
    }
  });

  it('gpt-5.4: the 272k tier, flex at batch prices and priority at OpenAI\'s published prices, each with a source', async () => {
    const m = byId('gpt-5.4');
    expect(m.long_context).toMatchObject({ input: 5, output: 22.5 });
    expect(m.service_tiers).toEqual(expect.arrayContaining([
      expect.objectContaining({ tier: 'flex', input: 1.25, output: 7.5, cached_input: 0.125, source: expect.stringMatching(/flex-processing/) }),
      expect.objectContaining({ tier: 'priority', input: 5, cached_input: 0.5, output: 30, source: expect.stringMatching(/api-priority-processing/) }),
    ]));
    const anthropic = JSON.parse((await runAip(['models', '--json', '--provider', 'anthropic', '--all'])).stdout).models;
    expect(anthropic.find((x: { id: string }) => x.id === 'claude-sonnet-4-5').lifecycle).toMatchObject({ status: 'retired', retires_on: '2026-11-30', successor: 'claude-sonnet-5-5', replacement: 'claude-sonnet-5-5' });
  });

  it('covers at least 500 priced chat and embedding models across at least 12 providers, with the newest families', () => {
    const live = all.models.filter((m: { lifecycle: { status: string } }) => m.lifecycle.status !== 'retired');
    expect(live.length).toBeGreaterThanOrEqual(500);
    const providers = new Set(live.map((m: { provider: string }) => m.provider));
    for (const p of ['openai', 'anthropic', 'google', 'azure', 'bedrock', 'vertex_ai', 'mistral', 'deepseek', 'groq', 'together_ai', 'fireworks_ai', 'xai', 'openrouter']) expect(providers, p).toContain(p);
    for (const id of ['gpt-5.6-sol', 'gpt-6-sol', 'claude-opus-5-5', 'claude-sonnet-5-5', 'gemini-3.8-flash', 'text-embedding-3-small']) expect(byId(id), id).toBeDefined();
    for (const m of live) {
      expect(m.prices.input, m.id).toBeGreaterThanOrEqual(0);
      expect(m.prices.input + m.prices.output, `${m.id} is never costed at $0`).toBeGreaterThan(0);
    }
  });

  it('--provider takes the names people write (gemini → google, aws → bedrock)', async () => {
    const aws = JSON.parse((await runAip(['models', '--json', '--provider', 'aws'])).stdout);
    expect(aws.models.length).toBeGreaterThan(20);
    expect(aws.models.every((m: { provider: string }) => m.provider === 'bedrock')).toBe(true);
  });
});
