// Pure parts of the resilient client: failure classes, retry-after, backoff with full jitter, the breaker.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/client/breaker.js';
import { classifyHttp, classifyStreamError, retryAfterMs } from '../../src/client/failure.js';
import { retryDelayMs } from '../../src/client/retry.js';
import { expectedAnswerMs, timeoutPolicy } from '../../src/client/timeouts.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');

describe('retry-after', () => {
  it.each([
    [{ 'retry-after-ms': '644' }, 644],
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '0.5' }, 500],
    // retry-after-ms wins over retry-after (the SDKs read it first)
    [{ 'retry-after-ms': '250', 'retry-after': '1' }, 250],
    // an HTTP date 3 s after now
    [{ 'retry-after': 'Wed, 25 Nov 2026 12:00:03 GMT' }, 3000],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('%j → %s ms', (headers, expected) => {
    expect(retryAfterMs(headers, NOW)).toBe(expected);
  });
});

describe('failure classes', () => {
  const openaiError = (type: string, code: string | null, message = 'x') => ({ error: { message, type, param: null, code } });
  it.each([
    // status, body, class, retryable
    [429, openaiError('requests', 'rate_limit_exceeded'), '429', true],
    [429, openaiError('insufficient_quota', 'insufficient_quota'), 'insufficient_quota', false],
    [429, openaiError('tokens', 'rate_limit_exceeded', 'Request too large for gpt-4o on tokens per min (TPM): Limit 30000, Requested 50000.'), 'request_too_large', false],
    [429, { type: 'error', error: { type: 'rate_limit_error', message: 'm' }, details: {} }, '429', true],
    [400, openaiError('invalid_request_error', 'content_filter'), 'content_filter', false],
    [400, openaiError('invalid_request_error', 'content_policy_violation'), 'content_filter', false],
    [400, openaiError('invalid_request_error', null), '400', false],
    [401, { type: 'error', error: { type: 'authentication_error', message: 'bad key' } }, '401', false],
    [404, {}, '404', false],
    [408, {}, '408', true],
    [409, {}, '409', true],
    [500, openaiError('server_error', null), '500', true],
    [503, {}, '503', true],
    [529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, '529', true],
  ])('HTTP %i %j → %s (retryable %s)', (status, body, cls, retryable) => {
    const f = classifyHttp(status, {}, body, NOW);
    expect(f.class).toBe(cls);
    expect(f.retryable).toBe(retryable);
  });

  it('honours x-should-retry over the status', () => {
    expect(classifyHttp(500, { 'x-should-retry': 'false' }, {}, NOW).retryable).toBe(false);
    expect(classifyHttp(400, { 'x-should-retry': 'true' }, {}, NOW).retryable).toBe(true);
  });

  it('carries the server wait of a 429', () => {
    expect(classifyHttp(429, { 'retry-after-ms': '120' }, {}, NOW).retryAfterMs).toBe(120);
  });

  it('only provider trouble counts toward the breaker: a 400 is our mistake', () => {
    expect(classifyHttp(400, {}, {}, NOW).providerFault).toBe(false);
    expect(classifyHttp(503, {}, {}, NOW).providerFault).toBe(true);
  });

  it.each([
    [{ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, '529'],
    [{ error: { type: 'server_error', message: 'boom' } }, '500'],
    [{ error: { type: 'weird' } }, 'stream_error'],
  ])('error event in a stream %j → %s', (body, cls) => {
    expect(classifyStreamError(body).class).toBe(cls);
  });
});

describe('backoff with full jitter', () => {
  const policy = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };
  it.each([
    // retry, random, expected: random × min(max, base × 2^retry)
    [0, 0.5, 500], // 0.5 × 1000
    [1, 0.5, 1000], // 0.5 × 2000
    [2, 0.25, 1000], // 0.25 × 4000
    [5, 0.5, 4000], // 0.5 × min(8000, 32000)
    [3, 0.999, 7992], // 0.999 × 8000
  ])('retry %i with random %f waits %f ms', (retry, r, ms) => {
    expect(retryDelayMs(policy, retry, () => r)).toBeCloseTo(ms, 6);
  });

  it('waits at least the overload back-off after a 529 without retry-after', () => {
    const p = { ...policy, overloadedDelayMs: 30_000 };
    expect(retryDelayMs(p, 0, () => 0.5, undefined, true)).toBe(30_000);
    expect(retryDelayMs(p, 0, () => 0.5, undefined, false)).toBe(500);
    expect(retryDelayMs(p, 0, () => 0.5, 2000, true)).toBe(2000); // the server's word wins
  });

  it('uses the server retry-after as given, capped at 60 s', () => {
    expect(retryDelayMs(policy, 0, () => 0.5, 644)).toBe(644);
    expect(retryDelayMs(policy, 0, () => 0.5, 120_000)).toBe(60_000);
  });
});

describe('circuit breaker', () => {
  it('opens after N consecutive provider faults, lets one probe through after the cool-down, closes on its success', () => {
    let t = 0;
    const b = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000 }, () => t);
    for (let i = 0; i < 2; i++) {
      expect(b.tryPass()).toBe(true);
      b.onFailure(true);
    }
    expect(b.state).toBe('closed');
    b.onSuccess(); // a success resets the streak
    for (let i = 0; i < 3; i++) {
      expect(b.tryPass()).toBe(true);
      b.onFailure(true);
    }
    expect(b.state).toBe('open');
    expect(b.tryPass()).toBe(false);
    t = 999;
    expect(b.tryPass()).toBe(false);
    expect(b.waitMs()).toBe(1);
    t = 1000;
    expect(b.tryPass()).toBe(true); // the probe
    expect(b.state).toBe('half-open');
    expect(b.tryPass()).toBe(false); // only one probe at a time
    b.onSuccess();
    expect(b.state).toBe('closed');
    expect(b.transitions.map((x) => x.to)).toEqual(['open', 'half-open', 'closed']);
  });

  it('a failed probe opens the circuit again for a fresh cool-down', () => {
    let t = 0;
    const b = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100 }, () => t);
    b.tryPass();
    b.onFailure(true);
    t = 100;
    expect(b.tryPass()).toBe(true);
    b.onFailure(true);
    expect(b.state).toBe('open');
    t = 150;
    expect(b.tryPass()).toBe(false);
    t = 200;
    expect(b.tryPass()).toBe(true);
  });

  it('client errors do not open it', () => {
    const b = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100 }, () => 0);
    for (let i = 0; i < 5; i++) {
      b.tryPass();
      b.onFailure(false);
    }
    expect(b.state).toBe('closed');
  });
});

describe('timeouts from the expected output length', () => {
  it('is factor × (TTFT + tokens ÷ speed), never under the floor', () => {
    // gpt-4o-mini: TTFT 0.45 s, 85 tok/s; 850 tokens → 0.45 + 10 = 10.45 s; × 3 = 31.35 s
    expect(expectedAnswerMs({ ttftS: 0.45, outputTokensPerS: 85 }, 850)).toBeCloseTo(10_450, 6);
    const policy = timeoutPolicy(() => ({ ttftS: 0.45, outputTokensPerS: 85 }), { factor: 3, floorMs: 10_000, idleMs: 30_000 });
    expect(policy.requestMs({ customId: 'a', model: 'm', prompt: 'p', maxTokens: 850 })).toBe(31_350);
    // 10 tokens: 3 × (0.45 + 0.1176) s = 1.7 s → the 10 s floor
    expect(policy.requestMs({ customId: 'a', model: 'm', prompt: 'p', maxTokens: 10 })).toBe(10_000);
    expect(timeoutPolicy(() => undefined, { factor: 3, floorMs: 1, idleMs: 1 }, 250).requestMs({ customId: 'a', model: 'm', prompt: 'p', maxTokens: 10 })).toBe(250);
  });
});
