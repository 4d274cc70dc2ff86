// Each fault kind of the simulator, observed through the official SDKs as it would be from the real service.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/provider-sim/index.js';

let sim: Simulator;
const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hello' }], max_tokens: 40 };
const msg = { model: 'claude-haiku-4-5', max_tokens: 40, messages: [{ role: 'user' as const, content: 'hello' }] };
const force = (kind: string) => ({ headers: { 'x-aip-fault': kind } });
const oa = (s: Simulator, opts: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) => new OpenAI({ apiKey: 'sk-sim', baseURL: `${s.url}/v1`, maxRetries: 0, ...opts });
const an = (s: Simulator, opts: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}) => new Anthropic({ apiKey: 'sk-ant-sim', baseURL: s.url, maxRetries: 0, ...opts });

async function withSim<T>(opts: Partial<SimulatorOptions>, fn: (s: Simulator) => Promise<T>): Promise<T> {
  const s = await startSimulator({ catalog: await loadCatalog(), latencyScale: 0, ...opts });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

beforeAll(async () => {
  sim = await startSimulator({ catalog: await loadCatalog(), latencyScale: 0, seed: 3 });
});
afterAll(() => sim.close());

describe('HTTP status faults', () => {
  it('429: the openai SDK retries, then raises RateLimitError with the rate-limit headers; at scale 0 both retry hints say 0', async () => {
    const before = sim.stats().faults['429'] ?? 0;
    const e = await oa(sim, { maxRetries: 2 }).chat.completions.create(chat, force('429')).catch((err) => err);
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e.status).toBe(429);
    expect(e.code).toBe('rate_limit_exceeded');
    expect(e.type).toBe('requests');
    // Latency scale 0: no delays, so the retry hints agree on 0 (retry-after is retry-after-ms rounded up to seconds).
    expect(e.headers.get('retry-after')).toBe('0');
    expect(e.headers.get('retry-after-ms')).toBe('0');
    // The catalog's default tier for gpt-4o-mini (OpenAI tier 1) is quoted: 500 RPM.
    expect(e.headers.get('x-ratelimit-limit-requests')).toBe('500');
    expect(e.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    // One attempt and two retries, each refused.
    expect((sim.stats().faults['429'] ?? 0) - before).toBe(3);
  });

  it('429: the anthropic SDK raises RateLimitError with rate_limit_error and anthropic-ratelimit-* headers', async () => {
    const e = await an(sim).messages.create(msg, force('429')).catch((err) => err);
    expect(e).toBeInstanceOf(Anthropic.RateLimitError);
    expect(e.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(e.headers.get('retry-after')).toBe('0');
    expect(e.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(e.headers.get('anthropic-ratelimit-requests-reset')).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('500 and 503 are InternalServerError for both SDKs, in each provider body', async () => {
    const e500 = await oa(sim).chat.completions.create(chat, force('500')).catch((err) => err);
    expect(e500).toBeInstanceOf(OpenAI.InternalServerError);
    expect(e500.status).toBe(500);
    expect(e500.type).toBe('server_error');
    const e503 = await oa(sim).chat.completions.create(chat, force('503')).catch((err) => err);
    expect(e503).toBeInstanceOf(OpenAI.InternalServerError);
    expect(e503.status).toBe(503);
    const a500 = await an(sim).messages.create(msg, force('500')).catch((err) => err);
    expect(a500).toBeInstanceOf(Anthropic.InternalServerError);
    expect(a500.error.error.type).toBe('api_error');
  });

  it("529: Anthropic's overloaded_error (InternalServerError); the OpenAI surface answers 503 instead", async () => {
    const a = await an(sim).messages.create(msg, force('529')).catch((err) => err);
    expect(a).toBeInstanceOf(Anthropic.InternalServerError);
    expect(a.status).toBe(529);
    expect(a.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    const o = await oa(sim).chat.completions.create(chat, force('529')).catch((err) => err);
    expect(o).toBeInstanceOf(OpenAI.InternalServerError);
    expect(o.status).toBe(503);
  });

  it('a retry recovers when only some attempts fail: rates roll per request from the seed', async () => {
    await withSim({ faults: { '500': 0.5 }, seed: 11 }, async (s) => {
      const client = oa(s, { maxRetries: 0 });
      const results = await Promise.allSettled(Array.from({ length: 40 }, () => client.chat.completions.create(chat)));
      const failed = results.filter((r) => r.status === 'rejected').length;
      // Each request rolls once; every roll that struck is one failure the client saw.
      expect(failed).toBe(s.stats().faults['500']);
      expect(failed).toBeGreaterThan(5);
      expect(failed).toBeLessThan(35);
    });
  });
});

describe('connection faults', () => {
  it('timeout: the request is accepted and never answered; the SDK gives up with APIConnectionTimeoutError', async () => {
    const e = await oa(sim, { timeout: 300 }).chat.completions.create(chat, force('timeout')).catch((err) => err);
    expect(e).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const a = await an(sim, { timeout: 300 }).messages.create(msg, force('timeout')).catch((err) => err);
    expect(a).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
  });

  it('timeout: closing the server ends a request that is still hanging', async () => {
    const s = await startSimulator({ catalog: await loadCatalog(), latencyScale: 0 });
    const pending = fetch(`${s.url}/v1/chat/completions`, { method: 'POST', headers: { 'x-aip-fault': 'timeout' }, body: JSON.stringify(chat) }).then(
      () => 'answered',
      () => 'cut',
    );
    // Wait until the request has arrived (it is counted before it hangs).
    while (s.stats().requests === 0) await new Promise((r) => setTimeout(r, 5));
    await s.close();
    expect(await pending).toBe('cut');
  });

  it('drop: a stream cut before its end is an error for the openai SDK, and no [DONE] or usage arrives', async () => {
    const stream = await oa(sim).chat.completions.create({ ...chat, stream: true, stream_options: { include_usage: true } }, force('drop'));
    const seen: string[] = [];
    const e = await (async () => {
      for await (const c of stream) seen.push(c.choices[0]?.delta.content ?? '');
    })().catch((err) => err);
    expect(e).toBeInstanceOf(Error);
    expect(seen.length).toBeGreaterThan(0);
  });

  it('drop: the anthropic SDK stream fails before message_stop; a plain call fails as a connection error', async () => {
    const stream = an(sim).messages.stream(msg, force('drop'));
    await expect(stream.finalMessage()).rejects.toThrow();
    const plain = await oa(sim).chat.completions.create(chat, force('drop')).catch((err) => err);
    expect(plain).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('malformed: a broken SSE data line makes both SDK streams throw', async () => {
    const stream = await oa(sim).chat.completions.create({ ...chat, stream: true }, force('malformed'));
    await expect((async () => {
      for await (const _ of stream) void _;
    })()).rejects.toThrow();
    await expect(an(sim).messages.stream(msg, force('malformed')).finalMessage()).rejects.toThrow();
    // A plain call gets a truncated JSON body: the SDK cannot parse it.
    await expect(oa(sim).chat.completions.create(chat, force('malformed'))).rejects.toThrow(/JSON/);
  });

  it('stall: the stream pauses mid-answer; a client idle watchdog fires, while an unstalled stream completes', async () => {
    // Stall 60 s × scale 0.05 = 3 s; tokens otherwise arrive every ~0.6 ms (85 tok/s × 0.05), so a 250 ms
    // idle watchdog fires only in the stall.
    await withSim({ latencyScale: 0.05, stallSeconds: 60 }, async (s) => {
      const readWithWatchdog = async (headers: Record<string, string>) => {
        const controller = new AbortController();
        let timer = setTimeout(() => controller.abort(), 1000);
        let chunks = 0;
        try {
          const stream = await oa(s).chat.completions.create({ ...chat, max_tokens: 30, stream: true }, { headers, signal: controller.signal });
          for await (const _ of stream) {
            chunks++;
            clearTimeout(timer);
            timer = setTimeout(() => controller.abort(), 250);
          }
          // The openai SDK ends the iteration quietly when its signal aborts.
          return { chunks, idle: controller.signal.aborted };
        } catch {
          return { chunks, idle: controller.signal.aborted };
        } finally {
          clearTimeout(timer);
        }
      };
      const stalled = await readWithWatchdog({ 'x-aip-fault': 'stall' });
      expect(stalled.idle).toBe(true);
      expect(stalled.chunks).toBeGreaterThan(1);
      const normal = await readWithWatchdog({});
      expect(normal.idle).toBe(false);
      expect(s.stats().faults.stall).toBe(1);
    });
  });
});

describe('bounded connections', () => {
  it('refuses connections beyond maxConnections while one is held open, and serves again once it closes', async () => {
    const { connect } = await import('node:net');
    await withSim({ maxConnections: 1 }, async (s) => {
      const held = connect(s.port, '127.0.0.1');
      await new Promise((r) => held.once('connect', r));
      while (s.stats().openConnections < 1) await new Promise((r) => setTimeout(r, 5));
      await expect(fetch(`${s.url}/v1/models`)).rejects.toThrow();
      held.destroy();
      while (s.stats().openConnections > 0) await new Promise((r) => setTimeout(r, 5));
      expect((await fetch(`${s.url}/v1/models`)).status).toBe(200);
    });
  });
});

describe('rate-limit enforcement', () => {
  it('a client that ignores an RPM limit meets 429s with OpenAI headers (clock frozen: the bucket never refills)', async () => {
    const frozen = new Date('2026-11-25T12:00:00Z');
    await withSim({ rateLimit: { rpm: 3 }, now: () => frozen }, async (s) => {
      const client = oa(s);
      const ok = await client.chat.completions.create(chat).withResponse();
      // 3 RPM: this request took one, two remain.
      expect(ok.response.headers.get('x-ratelimit-remaining-requests')).toBe('2');
      expect(ok.response.headers.get('x-ratelimit-limit-requests')).toBe('3');
      await client.chat.completions.create(chat);
      await client.chat.completions.create(chat);
      const e = await client.chat.completions.create(chat).catch((err) => err);
      expect(e).toBeInstanceOf(OpenAI.RateLimitError);
      // One request every 60/3 = 20 s refills the bucket.
      expect(e.headers.get('retry-after')).toBe('20');
      expect(e.message).toMatch(/requests per min \(RPM\): Limit 3/);
    });
  });

  it('a TPM limit refuses a request whose input plus max output does not fit (Anthropic headers)', async () => {
    const frozen = new Date('2026-11-25T12:00:00Z');
    await withSim({ rateLimit: { tpm: 1000 }, now: () => frozen }, async (s) => {
      const client = an(s);
      await client.messages.create({ ...msg, max_tokens: 600 });
      const e = await client.messages.create({ ...msg, max_tokens: 600 }).catch((err) => err);
      expect(e).toBeInstanceOf(Anthropic.RateLimitError);
      expect(e.headers.get('anthropic-ratelimit-tokens-limit')).toBe('1000');
      expect(e.error.error.message).toMatch(/input tokens per minute/);
    });
  });
});
