// `aip bench` against servers nobody here wrote: a paced server with known timing and the SSE quirks of real
// servers (test/helpers/paced-server.mjs, its own process), and a third-party OpenAI-compatible mock server from
// npm (@dwmkerr/mock-llm). Accuracy is asserted against what the server itself recorded doing (its /truth), at
// p50 and p99 at concurrency 1 and at p50 at 16 and 64, within bounds a loaded machine passes and a systematic
// error fails (LOADED below); scripts/bench-accuracy.mjs prints the errors against the exact target (±2 ms p50,
// ±10 ms p99) at each concurrency beside a bare undici client's. Small loads; loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runAip } from '../helpers/run.js';

interface Pct {
  p50: number;
  p95: number;
  p99: number;
}
interface Figures {
  requests: number;
  ok: number;
  failed: number;
  errors: Record<string, number>;
  ttft_ms: Pct | null;
  latency_ms: Pct | null;
  itl_ms: Pct | null;
  tpot_ms: Pct | null;
  reasoning_ms: Pct | null;
  reasoning_tokens: number;
  usage_estimated: number;
  no_terminal_event: number;
  available: boolean;
  first_error: { class: string; status: number | null; message: string } | null;
  not_available?: string;
}
interface Doc {
  patterns: Record<string, Figures>;
  harness: { ttfb_floor_ms: Pct | null; error?: string };
  breaker: Record<string, { opened: number }>;
  stopped_by: Record<string, string>;
  broken: Array<{ pattern: string; problem: string }>;
  load: { warmup: number; concurrency: number };
}
interface Truth {
  ttft: number;
  gaps: number[];
  end: number;
  /** When the response head was written. */
  head: number;
}

async function startChild(args: string[], env: Record<string, string> = {}, ready = /listening on (http:\/\/[^\s]+)/): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'], env: { PATH: process.env.PATH, ...env } });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  child.stdout!.resume();
  return { url, child };
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

let paced: { url: string; child: ChildProcess } | undefined;
beforeAll(async () => {
  paced = await startChild([join(ROOT, 'test/helpers/paced-server.mjs')]);
});
afterAll(async () => stop(paced?.child));

async function bench(args: string[]): Promise<{ code: number; doc: Doc; stderr: string; stdout: string }> {
  const r = await runAip(['bench', '--seed', '3', ...args]);
  expect(r.stderr).not.toMatch(/internal error/);
  const doc = args.includes('--json') ? (JSON.parse(r.stdout) as Doc) : (undefined as unknown as Doc);
  return { code: r.code, doc, stderr: r.stderr, stdout: r.stdout };
}

/** bench at the paced server with this behaviour (see paced-server.mjs). */
const at = (behaviour: string) => ['--target', 'openai', '--base-url', `${paced!.url}/${behaviour}/v1`, '--model', 'paced'];

async function truth(): Promise<Truth[]> {
  const res = await fetch(`${paced!.url}/truth`);
  return (await res.json()) as Truth[];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * bench's p50 within `p50` ms and p99 within `p99` ms of what the server did (by default 2 and 10, the target).
 * The server times from a request's arrival; bench from its send: figures that start at the send (TTFT,
 * end-to-end) add the round trip, which bench measures as its harness floor (the TTFB of zero-work probes).
 */
function expectAccurate(name: string, measured: Pct | null, actual: number[], opts: { p50?: number; p99?: number | false; roundTrip?: number } = {}) {
  expect(measured, name).not.toBeNull();
  const p50 = percentile(actual, 50) + (opts.roundTrip ?? 0);
  const p99 = percentile(actual, 99) + (opts.roundTrip ?? 0);
  expect(Math.abs(measured!.p50 - p50), `${name} p50 ${measured!.p50} vs ${p50}`).toBeLessThanOrEqual(opts.p50 ?? 2);
  if (opts.p99 !== false) expect(Math.abs(measured!.p99 - p99), `${name} p99 ${measured!.p99} vs ${p99}`).toBeLessThanOrEqual(opts.p99 ?? 10);
}

/**
 * The accuracy tests' bounds: generous, so a shared 2-core machine running the suite two files at a time does
 * not fail them (measured in full `npm test` runs at load average ~10: p50 moved by up to ~6 ms, p99 by up to
 * ~20 ms — ~50 with a benchmark running beside them — for the server's own timers too), yet far inside any systematic error of bench's — a gap with a token
 * too many or too few, TTFT to the role chunk, the end at the socket's close are each a pace step (25–40 ms) or
 * more. The exact target, ±2 ms p50 and ±10 ms p99, is what `npm run bench:accuracy` reports at 1, 16 and 64.
 */
const LOADED = { p50: 8, p99: 30 } as const;

// A shared 2-core machine can stall either process for tens of ms (another job, a GC): one clean run of three
// proves the accuracy; a systematic error fails all three.
describe('accuracy against a server with known timing', { retry: 2 }, () => {
  it('TTFT, ITL, TPOT and end-to-end at concurrency 1: near what the server did at p50 and p99', async () => {
    await truth(); // clear
    // A few warm-up requests more than the one connection needs: the first streams of a process also warm its JIT.
    const { code, doc } = await bench(['--json', ...at('ttft=40,itl=25,n=4'), '--patterns', 'streaming', '--concurrency', '1', '--requests', '16', '--warmup', '4']);
    expect(code).toBe(0);
    const f = doc.patterns.streaming!;
    expect(f.ok).toBe(16);
    const measured = (await truth()).slice(-16);
    const roundTrip = doc.harness.ttfb_floor_ms!.p50;
    expectAccurate('TTFT', f.ttft_ms, measured.map((t) => t.ttft), { ...LOADED, roundTrip });
    expectAccurate('ITL', f.itl_ms, measured.flatMap((t) => t.gaps), LOADED);
    expectAccurate('TPOT', f.tpot_ms, measured.map((t) => t.gaps.reduce((a, b) => a + b, 0) / t.gaps.length), LOADED);
    expectAccurate('end-to-end', f.latency_ms, measured.map((t) => t.end), { ...LOADED, roundTrip });
  });

  // At higher concurrency a burst of requests queues on the way in (at both ends: 2 shared cores), which the
  // server's clock cannot see and bench rightly counts in TTFT and end-to-end. So those are held per request from
  // the response head: bench's TTFT − TTFB and end-to-end − TTFB (its --log) against the server's first token and
  // end less its head write. And bench never reports a token before the server wrote it.
  it.each([
    [16, 32],
    [64, 64],
  ])('concurrency %i: ITL, TPOT, TTFT and end-to-end p50 near what the server did; warm-up opened every connection', async (concurrency, requests) => {
    await truth();
    const log = join(mkdtempSync(join(tmpdir(), 'aip-bench-log-')), 'log.jsonl');
    const { code, doc } = await bench(['--json', ...at('ttft=40,itl=25,n=4'), '--patterns', 'streaming', '--concurrency', String(concurrency), '--requests', String(requests), '--log', log]);
    expect(code).toBe(0);
    const f = doc.patterns.streaming!;
    expect(f.ok).toBe(requests);
    expect(doc.load.warmup).toBe(concurrency);
    const measured = (await truth()).slice(-requests);
    expectAccurate('ITL', f.itl_ms, measured.flatMap((t) => t.gaps), { p50: LOADED.p50, p99: false });
    expectAccurate('TPOT', f.tpot_ms, measured.map((t) => t.gaps.reduce((a, b) => a + b, 0) / t.gaps.length), { p50: LOADED.p50, p99: false });
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { ttfb_ms: number; ttft_ms: number; latency_ms: number });
    const fromHead = (pick: (l: (typeof lines)[number]) => number) => {
      const xs = lines.map((l) => pick(l) - l.ttfb_ms);
      return { p50: percentile(xs, 50), p95: percentile(xs, 95), p99: percentile(xs, 99) };
    };
    expectAccurate('TTFT − TTFB', fromHead((l) => l.ttft_ms), measured.map((t) => t.ttft - t.head), { p50: LOADED.p50, p99: false });
    expectAccurate('end-to-end − TTFB', fromHead((l) => l.latency_ms), measured.map((t) => t.end - t.head), { p50: LOADED.p50, p99: false });
    expect(f.ttft_ms!.p50).toBeGreaterThanOrEqual(percentile(measured.map((t) => t.ttft), 50) - 1);
    expect(f.latency_ms!.p50).toBeGreaterThanOrEqual(percentile(measured.map((t) => t.end), 50) - 1);
  });
});

describe('real servers\' SSE quirks are not failures', () => {
  it.each([
    ['a stream with finish_reason and usage but no [DONE] (TGI, text-generation-webui)', 'done=none'],
    ['data: [DONE] with whitespace around it', 'done=spaced'],
    ['bare CR line endings', 'eol=cr'],
    ['CRLF line endings', 'eol=crlf'],
  ])('%s', async (_name, behaviour) => {
    const { code, doc } = await bench(['--json', ...at(`ttft=1,itl=1,n=4,${behaviour}`), '--patterns', 'streaming', '--requests', '6', '--concurrency', '2']);
    expect(code).toBe(0);
    const f = doc.patterns.streaming!;
    expect(f.ok).toBe(6);
    expect(f.errors).toEqual({});
    expect(f.no_terminal_event).toBe(behaviour === 'done=none' ? 6 : 0);
    expect(doc.breaker.paced!.opened).toBe(0);
  });

  it('says once that streams ended without [DONE], as a protocol difference', async () => {
    const { code, stdout } = await bench([...at('ttft=1,itl=1,n=4,done=none'), '--patterns', 'streaming', '--requests', '4']);
    expect(code).toBe(0);
    expect(stdout.match(/protocol difference/g)).toHaveLength(1);
  });

  it('end-to-end ends at the terminal event, not when the server closes a stream it holds open', async () => {
    await truth();
    // One request at a time, no warm-up: each stream has a connection of its own (the pool keeps one spare), so
    // nothing waits for a connection the server is holding.
    const { code, doc } = await bench(['--json', ...at('ttft=5,itl=2,n=4,hold=400'), '--patterns', 'streaming', '--requests', '2', '--concurrency', '1', '--warmup', '0']);
    expect(code).toBe(0);
    const ends = (await truth()).slice(-2).map((t) => t.end);
    expect(doc.patterns.streaming!.latency_ms!.p99).toBeLessThan(Math.max(...ends) + 50);
  });

  it('no usage in the answer: tokens counted with the tokenizer and marked estimated', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'aip-bench-log-')), 'log.jsonl');
    const { code, doc } = await bench(['--json', ...at('ttft=1,itl=1,n=5,usage=0'), '--patterns', 'direct,streaming', '--requests', '4', '--log', log]);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { usage_estimated?: boolean; output_tokens: number });
    expect(lines.every((l) => l.usage_estimated === true && l.output_tokens > 0)).toBe(true);
    const { stdout } = await bench([...at('ttft=1,itl=1,n=5,usage=0'), '--patterns', 'streaming', '--requests', '4']);
    expect(code).toBe(0);
    expect(doc.patterns.direct!.usage_estimated).toBe(4);
    expect(doc.patterns.streaming!.usage_estimated).toBe(4);
    expect(doc.patterns.streaming!.tpot_ms).not.toBeNull();
    expect(stdout).toMatch(/usage estimated/);
  });

  it('no usage in the answer: the estimate is billed, so the spend cap still holds', async () => {
    const r = await runAip(['bench', '--json', '--target', 'openai', '--base-url', `${paced!.url}/ttft=1,itl=1,n=5,usage=0/v1`, '--model', 'gpt-4o-mini', '--patterns', 'direct', '--requests', '20', '--concurrency', '1', '--warmup', '0', '--max-spend', '0.0001']);
    const doc = JSON.parse(r.stdout) as { spend: { usd: number; capped: boolean }; patterns: Record<string, Figures> };
    expect(r.code).toBe(1);
    expect(doc.spend.capped).toBe(true);
    expect(doc.spend.usd).toBeGreaterThan(0);
    expect(doc.spend.usd).toBeLessThanOrEqual(0.0001);
    expect(doc.patterns.direct!.usage_estimated).toBeGreaterThan(0);
  });

  it('TPOT over visible tokens; reasoning tokens and time reported apart', async () => {
    await truth();
    const { code, doc } = await bench(['--json', ...at('ttft=10,itl=8,n=5,reasoning=3,hidden=4'), '--patterns', 'streaming', '--requests', '6', '--concurrency', '2']);
    expect(code).toBe(0);
    const f = doc.patterns.streaming!;
    const measured = (await truth()).slice(-6);
    // TPOT is the pace of the 5 content tokens, not (time)/(5 + 7 reasoning tokens).
    expectAccurate('TPOT', f.tpot_ms, measured.map((t) => t.gaps.reduce((a, b) => a + b, 0) / t.gaps.length));
    // TTFT is to the first content token: after the three visible reasoning tokens (3 × 8 ms after the 10 ms),
    // less the 2 ms a server's timers may fire early by (seen: 33.9 ms); at the first reasoning token it would be ~10 ms.
    expect(f.ttft_ms!.p50).toBeGreaterThanOrEqual(10 + 3 * 8 - 2);
    expect(f.reasoning_tokens).toBe(6 * 7);
    expect(f.reasoning_ms!.p50).toBeGreaterThan(2 * 8 - 2);
  });
});

describe('the output cap', () => {
  it('a server that reads only max_tokens (Ollama, llama-cpp-python) still gets the cap: --max-tokens holds', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'aip-bench-log-')), 'log.jsonl');
    const { code, doc } = await bench(['--json', ...at('ttft=1,itl=1,n=20,cap=max_tokens'), '--patterns', 'direct,streaming', '--requests', '3', '--max-tokens', '5', '--log', log]);
    expect(code).toBe(0);
    expect(doc.patterns.streaming!.ok).toBe(3);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { output_tokens: number });
    expect(lines.map((l) => l.output_tokens)).toEqual([5, 5, 5, 5, 5, 5]);
  });
});

describe('a broken run never passes', () => {
  it('a closed port: exit 1 with the connection error and host:port, no word of a models endpoint', async () => {
    const port = await freePort();
    const { code, stdout: report, stderr } = await bench(['--target', 'openai', '--base-url', `http://127.0.0.1:${port}/v1`, '--model', 'm', '--patterns', 'direct,streaming', '--requests', '2', '--retries', '0']);
    const stdout = report.replace(/\n +/g, ' '); // a long line wraps at the width (80 here) under an indent: read it as one
    expect(code).toBe(1);
    expect(report.replace(/\s+/g, ' ')).toContain('direct got no answer, streaming got no answer; 0 of 4 requests ok; 2 FAILs (below).');
    expect(stdout).toMatch(new RegExp(`FAIL direct: no successful request \\(2 of 2 failed\\); first error: .*ECONNREFUSED.*127\\.0\\.0\\.1:${port}`));
    expect(stderr).not.toMatch(/FAILED/); // the report says it; stderr only stands in for it with --json
    expect(stdout).toMatch(new RegExp(`harness TTFB floor: not measured \\(.*127\\.0\\.0\\.1:${port}`));
    expect(stdout).not.toMatch(/models endpoint/);
  });

  it('an unknown model: exit 1 with the status and the body as the server gave it', async () => {
    const { startSim } = await import('../helpers/sim.js');
    const sim = await startSim();
    try {
      const { code, doc, stderr } = await bench(['--json', '--target', 'openai', '--base-url', `${sim.url}/v1`, '--model', 'no-such-model', '--patterns', 'direct', '--requests', '2']);
      expect(code).toBe(1);
      expect(doc.patterns.direct!.first_error).toMatchObject({ class: '404', status: 404 });
      expect(doc.patterns.direct!.first_error!.message).toMatch(/^HTTP 404: \{.*no-such-model/);
      expect(doc.broken.map((b) => b.pattern)).toEqual(['direct']);
      expect(stderr).toMatch(/direct FAILED: no successful request \(2 of 2 failed\); first error: HTTP 404/);
    } finally {
      await sim.close();
    }
  });

  it('every stream broken: exit 1', async () => {
    const { code, doc } = await bench(['--json', '--latency-scale', '0', '--fault', 'drop:1', '--patterns', 'streaming', '--requests', '3', '--retries', '0']);
    expect(code).toBe(1);
    expect(doc.patterns.streaming!.ok).toBe(0);
  });

  it('one breaker per pattern: direct\'s failures do not stop streaming from being sent', async () => {
    const { code, doc } = await bench(['--json', '--latency-scale', '0', '--fault', '500:1', '--patterns', 'direct,streaming', '--requests', '6', '--concurrency', '1', '--warmup', '0', '--retries', '0', '--breaker-threshold', '2', '--breaker-cooldown', '1m']);
    expect(code).toBe(1);
    // Before: streaming was breaker_open × 6 with nothing sent. Now its own circuit sees its own 500s first.
    expect(doc.patterns.streaming!.errors['500']).toBe(2);
    expect(doc.patterns.streaming!.errors.breaker_open).toBe(4);
  });

  it('--max-error-rate fails a run above it, and passes the same run without it', async () => {
    const args = ['--json', '--latency-scale', '0', '--fault', '500:0.5', '--patterns', 'direct', '--requests', '20', '--retries', '0', '--breaker-threshold', '1000'];
    const loose = await bench(args);
    expect(loose.code).toBe(0);
    expect(loose.doc.patterns.direct!.failed).toBeGreaterThan(2);
    const strict = await bench([...args, '--max-error-rate', '5%']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/direct FAILED: error rate .* is above --max-error-rate 5\.0%/);
  });

  it('a target without a batch API: "not available", neither a failure nor a breaker event', async () => {
    const { code, doc } = await bench(['--json', ...at('ttft=1,itl=1,n=3'), '--requests', '2']);
    const { stdout } = await bench([...at('ttft=1,itl=1,n=3'), '--requests', '2']);
    expect(code).toBe(0);
    const b = doc.patterns.batch!;
    expect(b.available).toBe(false);
    expect(b.errors).toEqual({});
    expect(doc.stopped_by.batch).toBe('not_available');
    expect(doc.breaker.paced!.opened).toBe(0);
    expect(stdout).toMatch(/batch: not available at this target \(POST \/ttft=1,itl=1,n=3\/v1\/files → 404\)/);
  });

  it('a failed batch submission: exit 1 with the error as the server gave it', async () => {
    const { code, doc, stderr } = await bench(['--json', ...at('ttft=1,itl=1,n=3,files=500'), '--patterns', 'batch', '--requests', '2', '--retries', '0']);
    expect(code).toBe(1);
    expect(doc.patterns.batch!.available).toBe(true);
    expect(doc.patterns.batch!.first_error).toMatchObject({ status: 500 });
    expect(stderr).toMatch(/batch FAILED: no successful request \(none was accepted\); first error: HTTP 500: .*the file store is down/);
  });

  it('a target without a models endpoint says so, and still runs', async () => {
    const { code, doc } = await bench(['--json', ...at('ttft=1,itl=1,n=3,models=0'), '--patterns', 'direct', '--requests', '2']);
    expect(code).toBe(0);
    expect(doc.harness.error).toMatch(/GET \/.*\/v1\/models → 404/);
  });
});

describe('a third-party OpenAI-compatible mock server (@dwmkerr/mock-llm)', { retry: 2 }, () => {
  let mock: { url: string; child: ChildProcess } | undefined;
  const INTERVAL_MS = 15;
  // The mock echoes the prompt in chunks of 4 characters: 8 chunks.
  const PROMPT = 'abcdabcdabcdabcdabcdabcdabcdabcd';
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aip-mock-llm-'));
    writeFileSync(join(dir, 'mock-llm.yaml'), `streaming:\n  chunkSize: 4\n  chunkIntervalMs: ${INTERVAL_MS}\nrules:\n  - path: "/v1/chat/completions"\n    method: "POST"\n    match: "@"\n    response:\n      status: 200\n      content: |\n        {"id": "chatcmpl-1", "object": "chat.completion", "model": "{{jmes request body.model}}", "choices": [{"message": {"role": "assistant", "content": "{{jmes request body.messages[-1].content}}"}, "finish_reason": "stop"}]}\n`);
    writeFileSync(join(dir, 'prompt.txt'), PROMPT);
    const port = await freePort();
    mock = await startChild([join(ROOT, 'node_modules/@dwmkerr/mock-llm/dist/main.js'), '--config', join(dir, 'mock-llm.yaml')], { PORT: String(port), HOST: '127.0.0.1' }, /server running on (\S+)/);
    mock.url = `http://127.0.0.1:${port}`;
    promptFile = join(dir, 'prompt.txt');
  });
  afterAll(async () => stop(mock?.child));
  let promptFile = '';

  // Concurrency 64 is in scripts/bench-accuracy.mjs, not here: 64 streams of the mock's own setInterval on a shared
  // 2-core machine fire late and together (its chunks then arrive in one read), which is the mock's timing, not bench's.
  it.each([1, 16])('timing at concurrency %i matches its pace; no usage → estimated; no batch API → not available', async (concurrency) => {
    const { code, doc } = await bench(['--json', '--target', 'openai', '--base-url', `${mock!.url}/v1`, '--model', 'gpt-4o-mini', '--prompt', promptFile, '--concurrency', String(concurrency), '--requests', String(Math.max(12, concurrency * 2))]);
    expect(code).toBe(0);
    const s = doc.patterns.streaming!;
    expect(s.failed).toBe(0);
    // Its pace: a chunk every interval (its own setInterval, which runs a little late, and later under load: its
    // tail is its own, so only the median is held to the pace here; the tail is checked against the paced server,
    // which records what it did). Its response head goes out with the first chunk: TTFT = TTFB.
    expect(Math.abs(s.itl_ms!.p50 - INTERVAL_MS), `ITL p50 ${s.itl_ms!.p50}`).toBeLessThanOrEqual(LOADED.p50);
    const ttfb = (s as unknown as { ttfb_ms: Pct }).ttfb_ms;
    expect(Math.abs(s.ttft_ms!.p50 - ttfb.p50)).toBeLessThanOrEqual(2);
    // No [DONE] missing, nothing coalesced: its stream is the plain OpenAI format.
    expect(s.no_terminal_event).toBe(0);
    expect(s.usage_estimated).toBe(s.ok);
    expect(doc.patterns.batch!.available).toBe(false);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
