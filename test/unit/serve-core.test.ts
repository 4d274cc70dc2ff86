// Pure parts of the simulator, table-driven: fault specs, the seeded RNG, generated answers and their
// token counts, batch timelines, the rate limiter, multipart parsing.
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { cutoffMs, planTimeline, resultOrder } from '../../src/provider-sim/batch-timeline.js';
import { forcedFaults, parseFaultSpec, rollFault } from '../../src/provider-sim/faults.js';
import { planTiming, totalMs } from '../../src/provider-sim/latency.js';
import { boundaryOf, parseMultipart } from '../../src/provider-sim/multipart.js';
import { openaiDuration, RateLimiter } from '../../src/provider-sim/rate-limit.js';
import { seededRandom } from '../../src/core/random.js';
import { DEFAULT_TURNAROUND, keepBatch } from '../../src/provider-sim/state.js';
import { countFramed, countTexts, generateAnswer, makeRuntime } from '../../src/provider-sim/text.js';
import { STEP_CHARS } from '../../src/core/tokens/tokenizer.js';

describe('fault specs', () => {
  it.each([
    ['429:0.05', { kind: '429', rate: 0.05 }],
    ['batch-item-error:1', { kind: 'batch-item-error', rate: 1 }],
    ['drop', { kind: 'drop', rate: 1 }],
    ['TIMEOUT:0', { kind: 'timeout', rate: 0 }],
  ])('%s', (spec, expected) => expect(parseFaultSpec(spec)).toEqual(expected));

  it.each([
    ['meteor:0.1', /unknown fault kind "meteor"/],
    ['429:1.5', /from 0 to 1/],
    ['429:', /from 0 to 1/],
    ['500:abc', /from 0 to 1/],
  ])('rejects %s', (spec, message) => expect(() => parseFaultSpec(spec)).toThrow(message));

  it('reads a comma list from the header; nothing for an empty header', () => {
    expect(forcedFaults('429, drop:0.5')).toEqual({ '429': 1, drop: 0.5 });
    expect(forcedFaults('')).toBeUndefined();
    expect(forcedFaults(undefined)).toBeUndefined();
  });

  it('rolls each kind at its rate: 10 000 rolls at 0.2 strike about 2 000 times', () => {
    const rng = seededRandom(9);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (rollFault(['500'], { '500': 0.2 }, rng)) hits++;
    // Binomial(10 000, 0.2): mean 2 000, sd 40; ±200 is 5 sd.
    expect(hits).toBeGreaterThan(1800);
    expect(hits).toBeLessThan(2200);
    expect(rollFault(['500'], { '500': 0 }, rng)).toBeUndefined();
    expect(rollFault(['429', '500'], { '500': 1 }, rng)).toBe('500');
  });
});

describe('generated answers', () => {
  it('are counted exactly by the tokenizer, never exceed max_tokens, and repeat for a seed', async () => {
    const catalog = await loadCatalog();
    // The first-party APIs' models (the tokenizer families); every other provider reuses these encodings.
    for (const model of catalog.models.filter((m) => m.kind !== 'embedding' && ['openai', 'anthropic', 'google'].includes(m.provider))) {
      const rt = await makeRuntime(model);
      for (const max of [1, 2, 7, 50, 300, undefined]) {
        const a = generateAnswer(rt, seededRandom(max ?? 0), max);
        // Usage is what the tokenizer says of the text (pieces do not merge across their boundaries).
        expect(rt.counter.count(a.text)).toBe(a.outputTokens);
        if (max !== undefined) expect(a.outputTokens).toBeLessThanOrEqual(max);
        expect(a.pieces.join('')).toBe(a.text);
        expect(a.text).not.toContain('..');
        expect(generateAnswer(rt, seededRandom(max ?? 0), max).text).toBe(a.text);
      }
    }
  });

  it('truncated is set exactly when max_tokens cut the wanted length', async () => {
    const rt = await makeRuntime((await loadCatalog()).models.find((m) => m.id === 'gpt-4o-mini')!);
    const full = generateAnswer(rt, seededRandom(1), undefined);
    const cut = generateAnswer(rt, seededRandom(1), full.outputTokens - 1);
    expect(full.truncated).toBe(false);
    expect(cut.truncated).toBe(true);
    expect(cut.outputTokens).toBe(full.outputTokens - 1);
  });
});

describe('counting a request\'s input shares the event loop', () => {
  it('megabytes of unbroken text are counted in steps, other work running between them, to the same count', async () => {
    const model = (await loadCatalog()).models.find((m) => m.id === 'gpt-4o-mini')!;
    const rt = await makeRuntime(model);
    const text = 'q'.repeat(4 * STEP_CHARS + 3);
    let turns = 0;
    let counting = true;
    const tick = (): void => {
      if (!counting) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const framing = { perMessage: 3, countRole: true, perName: 1, perRequest: 3 };
    const framed = await countFramed(rt, [{ role: 'user', texts: [text] }], framing);
    const plain = await countTexts(rt, [text]);
    counting = false;
    // Before, the count held the loop from start to end: no other callback ran until it returned.
    expect(turns).toBeGreaterThanOrEqual(4);
    expect(plain).toBe(rt.counter.count(text));
    expect(framed).toBe(3 + 3 + rt.counter.countRaw('user') + rt.counter.countRaw(text));
  });
});

describe('latency', () => {
  it('is zero at scale 0 and proportional to the scale otherwise', async () => {
    const model = (await loadCatalog()).models.find((m) => m.id === 'gpt-4o-mini')!;
    expect(planTiming(model, 0, seededRandom(1))).toEqual({ ttftMs: 0, msPerToken: 0 });
    const one = planTiming(model, 1, seededRandom(1));
    const half = planTiming(model, 0.5, seededRandom(1));
    expect(half.ttftMs).toBeCloseTo(one.ttftMs / 2, 9);
    expect(half.msPerToken).toBeCloseTo(one.msPerToken / 2, 9);
    // TTFT + (n − 1) token intervals.
    expect(totalMs({ ttftMs: 400, msPerToken: 10 }, 101)).toBe(1400);
  });
});

describe('batch timelines', () => {
  const t0 = Date.parse('2026-11-25T12:00:00Z');
  it('sigma 0 gives the median exactly: validating 30 s, processing 600 s, finalizing 60 s', () => {
    const tl = planTimeline(4, seededRandom(1), 1, { ...DEFAULT_TURNAROUND, medianSeconds: 600, sigma: 0 }, t0, { phases: true, expire: false });
    expect([tl.startMs - t0, tl.endMs - t0, tl.finalizedMs - t0]).toEqual([30_000, 630_000, 690_000]);
    expect(tl.doneMs.every((d) => d >= tl.startMs && d <= tl.endMs)).toBe(true);
    expect(tl.expires).toBe(false);
  });

  it('with the default distribution about 95% of batches finish within an hour', () => {
    const rng = seededRandom(2);
    let within = 0;
    for (let i = 0; i < 2000; i++) {
      const tl = planTimeline(0, rng, 1, DEFAULT_TURNAROUND, 0, { phases: false, expire: false });
      if (tl.endMs <= 3_600_000) within++;
    }
    // P(1200 s × e^(0.6 Z) ≤ 3600 s) = Φ(ln 3 / 0.6) = Φ(1.83) ≈ 0.966.
    expect(within / 2000).toBeGreaterThan(0.94);
    expect(within / 2000).toBeLessThan(0.99);
  });

  it('at scale 0 everything happens at creation; a forced expiry leaves some requests unfinished', () => {
    const tl = planTimeline(50, seededRandom(3), 0, DEFAULT_TURNAROUND, t0, { phases: true, expire: true });
    expect(tl.finalizedMs).toBe(t0);
    const done = tl.doneMs.filter((d) => d <= cutoffMs(tl)).length;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(50);
  });

  it('result order is a permutation that differs from the input order', () => {
    for (const n of [2, 3, 10]) {
      const order = resultOrder(n, seededRandom(n));
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(order).not.toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });
});

describe('rate limiter', () => {
  it('refills continuously: 60 RPM is one request per second', () => {
    const rl = new RateLimiter({ rpm: 60 });
    for (let i = 0; i < 60; i++) expect(rl.admit('m', 0, 0).ok).toBe(true);
    const refused = rl.admit('m', 0, 0);
    expect(refused.ok).toBe(false);
    expect(refused.retryAfterS).toBeCloseTo(1, 9);
    expect(rl.admit('m', 0, 1000).ok).toBe(true);
    expect(rl.admit('other', 0, 0).ok).toBe(true);
  });

  it('counts tokens: 1 000 TPM admits 600 then refuses 600 until 200 more have refilled (12 s)', () => {
    const rl = new RateLimiter({ tpm: 1000 });
    expect(rl.admit('m', 600, 0).ok).toBe(true);
    const r = rl.admit('m', 600, 0);
    expect(r.ok).toBe(false);
    expect(r.limitedBy).toBe('tokens');
    // 200 missing tokens at 1000/60 000 per ms = 12 000 ms.
    expect(r.retryAfterS).toBeCloseTo(12, 9);
    expect(rl.admit('m', 600, 12_000).ok).toBe(true);
  });

  it.each([
    [0.644, '644ms'],
    [1, '1s'],
    [360, '6m0s'],
    [61.5, '1m2s'],
  ])('OpenAI duration of %s s is %s', (s, text) => expect(openaiDuration(s)).toBe(text));
});

describe('multipart', () => {
  it('reads the fields of a form body', () => {
    const b = 'XyZ';
    const body = Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n--${b}\r\nContent-Disposition: form-data; name="file"; filename="in.jsonl"\r\nContent-Type: application/jsonl\r\n\r\n{"a":1}\n{"b":2}\r\n--${b}--\r\n`);
    expect(boundaryOf(`multipart/form-data; boundary=${b}`)).toBe(b);
    const parts = parseMultipart(body, b)!;
    expect(parts.map((p) => [p.name, p.filename, p.data.toString()])).toEqual([
      ['purpose', undefined, 'batch'],
      ['file', 'in.jsonl', '{"a":1}\n{"b":2}'],
    ]);
  });

  it('returns undefined for a body that is not well formed', () => {
    expect(parseMultipart(Buffer.from('--b\r\nno headers end'), 'b')).toBeUndefined();
    expect(boundaryOf('application/json')).toBeUndefined();
  });
});

describe('batches kept by a long-running simulator are bounded', () => {
  const batch = (n: number) => ({ items: Array.from({ length: n }, (_, i) => i) });

  it('forgets the oldest batches once the requests kept would pass the limit, and keeps the new one', () => {
    const store = new Map<string, { items: number[] }>();
    keepBatch(store, 'a', batch(40), 100);
    keepBatch(store, 'b', batch(40), 100);
    expect([...store.keys()]).toEqual(['a', 'b']);
    keepBatch(store, 'c', batch(30), 100); // 110 > 100: 'a' goes
    expect([...store.keys()]).toEqual(['b', 'c']);
    keepBatch(store, 'd', batch(100), 100); // only the new one fits
    expect([...store.keys()]).toEqual(['d']);
  });

  it('keeps every batch while the total stays within the default limit', () => {
    const store = new Map<string, { items: number[] }>();
    for (let i = 0; i < 50; i++) keepBatch(store, `b${i}`, batch(1000));
    expect(store.size).toBe(50);
  });
});
