// `aip bench` targets every API `aip serve` speaks: Gemini (--target gemini, or a Gemini model on the simulator),
// the OpenAI Responses API (--api responses), service tiers (--service-tier), each with batch through that
// provider's batch API; and their bad input. Against the simulator in-process or `aip serve` on loopback.
import { describe, expect, it } from 'vitest';
import { startSim } from '../helpers/sim.js';
import { runAip } from '../helpers/run.js';

interface Figures {
  requests: number;
  ok: number;
  failed: number;
  errors: Record<string, number>;
  itl_ms: { p50: number } | null;
  itl_coalesced_tokens: number;
  batch_status?: string;
  reasoning_tokens: number;
  tpot_ms: { p50: number } | null;
}
interface Doc {
  provider: string;
  api: string;
  service_tier: string | null;
  patterns: Record<string, Figures>;
  broken: unknown[];
  load: { warmup: number; concurrency: number };
}

const FAST = ['--json', '--latency-scale', '0.01', '--requests', '4', '--seed', '5'];

async function bench(args: string[], env: Record<string, string> = {}): Promise<{ code: number; doc: Doc; stderr: string; stdout: string }> {
  const r = await runAip(['bench', ...args], { env });
  expect(r.stderr).not.toMatch(/internal error/);
  return { code: r.code, doc: args.includes('--json') && r.stdout.trim().startsWith('{') ? (JSON.parse(r.stdout) as Doc) : (undefined as unknown as Doc), stderr: r.stderr, stdout: r.stdout };
}

function expectAllOk(doc: Doc, patterns: string[]) {
  expect(Object.keys(doc.patterns)).toEqual(patterns);
  for (const p of patterns) {
    const f = doc.patterns[p]!;
    expect(f.requests, p).toBe(4);
    expect(f.ok, p).toBe(4);
    expect(f.errors, p).toEqual({});
  }
  expect(doc.broken).toEqual([]);
}

describe('Gemini', () => {
  it('a Gemini model on the simulator speaks the Gemini API: direct, streaming and Batch Mode', async () => {
    const { code, doc } = await bench([...FAST, '--model', 'gemini-2.5-flash']);
    expect(code).toBe(0);
    expect(doc.provider).toBe('gemini');
    expectAllOk(doc, ['direct', 'streaming', 'batch']);
    expect(doc.patterns.batch!.batch_status).toBe('BATCH_STATE_SUCCEEDED');
  });

  it('--target gemini against `aip serve`, the key from GOOGLE_API_KEY', async () => {
    const sim = await startSim({ latencyScale: 0.01 });
    try {
      const { code, doc } = await bench(['--json', '--requests', '4', '--target', 'gemini', '--base-url', sim.url, '--patterns', 'direct,streaming'], { GOOGLE_API_KEY: 'k-test' });
      expect(code).toBe(0);
      expectAllOk(doc, ['direct', 'streaming']);
    } finally {
      await sim.close();
    }
  });

  it('--target gemini without a key: exit 2 naming both variables', async () => {
    const r = await runAip(['bench', '--target', 'gemini'], { env: { GEMINI_API_KEY: '', GOOGLE_API_KEY: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/GEMINI_API_KEY or GOOGLE_API_KEY is not set/);
  });

  it('--target gemini with a model of another provider: exit 2', async () => {
    const r = await runAip(['bench', '--target', 'gemini', '--model', 'gpt-4o-mini'], { env: { GEMINI_API_KEY: 'k' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a Gemini model/);
  });
});

describe('the OpenAI Responses API and service tiers', () => {
  it('--api responses: direct, streaming and batches on /v1/responses', async () => {
    const { code, doc } = await bench([...FAST, '--api', 'responses']);
    expect(code).toBe(0);
    expect(doc).toMatchObject({ provider: 'openai', api: 'responses', service_tier: null });
    expectAllOk(doc, ['direct', 'streaming', 'batch']);
    expect(doc.patterns.batch!.batch_status).toBe('completed');
  });

  it('--api responses with a reasoning model: TPOT over the visible tokens, reasoning tokens reported apart', async () => {
    const { code, doc } = await bench([...FAST, '--api', 'responses', '--model', 'o4-mini', '--patterns', 'streaming']);
    expect(code).toBe(0);
    expect(doc.patterns.streaming!.reasoning_tokens).toBeGreaterThan(0);
    expect(doc.patterns.streaming!.tpot_ms).not.toBeNull();
  });

  it('--service-tier flex is sent: the simulator sheds flex requests when asked to, and only those', async () => {
    const shed = await bench([...FAST, '--service-tier', 'flex', '--fault', 'shed:1', '--patterns', 'direct', '--retries', '0']);
    expect(shed.code).toBe(1);
    expect(shed.doc.patterns.direct!.errors['429']).toBe(4);
    const priority = await bench([...FAST, '--service-tier', 'priority', '--fault', 'shed:1', '--patterns', 'direct', '--retries', '0']);
    expect(priority.code).toBe(0);
    expect(priority.doc.patterns.direct!.ok).toBe(4);
  });

  it.each([
    [['--api', 'graphql'], /unknown API "graphql"/],
    [['--api', 'responses', '--model', 'claude-haiku-4-5'], /--api responses is an OpenAI API/],
    [['--service-tier', 'cheap'], /unknown service tier "cheap"/],
    [['--service-tier', 'flex', '--model', 'claude-haiku-4-5'], /--service-tier is sent on the OpenAI protocol/],
    [['--target', 'bedrock'], /unknown target "bedrock"/],
    [['--max-error-rate', '2'], /expected a fraction from 0 to 1/],
  ])('bad input %j: exit 2', async (args, message) => {
    const r = await runAip(['bench', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('figures a reader can trust', () => {
  it('ITL on the simulator: tokens written together are split evenly, not read as 0 ms', async () => {
    const { code, doc } = await bench(['--json', '--latency-scale', '0.2', '--requests', '4', '--patterns', 'streaming', '--max-tokens', '24']);
    expect(code).toBe(0);
    const f = doc.patterns.streaming!;
    expect(f.itl_ms!.p50).toBeGreaterThan(0.05);
  });

  it('warm-up opens every connection: one request per connection by default', async () => {
    const { doc } = await bench([...FAST, '--concurrency', '3', '--patterns', 'direct']);
    expect(doc.load.warmup).toBe(3);
  });

  it('notes that p95 and p99 rest on fewer than 100 samples', async () => {
    const { code, stdout } = await bench(['--latency-scale', '0', '--requests', '8', '--patterns', 'direct']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/percentiles rest on fewer than 100 samples \(direct: 8\)/);
  });
});
