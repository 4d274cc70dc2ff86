// `aip bench` in-process against its built-in simulator: each fault kind's counts checked against the
// simulator's own count, the breaker, the spend cap, thresholds, Ctrl-C, figures against the configured
// latency, keys, the request log, and usage errors. Loopback only; seeded; no timed assertions.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { PatternFigures } from '../../src/bench/collect.js';
import type { BatchFigures } from '../../src/bench/run.js';
import { run } from '../../src/cli.js';
import type { InStream, Proc } from '../../src/io/context.js';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { startSimulator } from '../../src/provider-sim/index.js';
import { ROOT, runAip } from '../helpers/run.js';

type Figures = PatternFigures & Partial<Pick<BatchFigures, 'batch_id' | 'batch_status' | 'turnaround_ms' | 'cancelled'>>;
interface BenchJson {
  target: string;
  model: string;
  patterns: Record<string, Figures>;
  harness: { ttfb_floor_ms: { p50: number; p99: number } | null; probes: number };
  breaker: Record<string, { state: string; opened: number; closed: number }>;
  spend: { usd: number; max_usd: number | null; capped: boolean };
  thresholds: Array<{ threshold: string; actual: number | null; passed: boolean }>;
  simulator: { stats: { requests: number; statuses: Record<string, number>; faults: Record<string, number> } };
  interrupted: boolean;
}

const FAST = ['--json', '--latency-scale', '0.01', '--warmup', '0', '--backoff', '2ms', '--seed', '7'];

async function bench(args: string[], env: Record<string, string> = {}): Promise<{ code: number; doc: BenchJson; stderr: string }> {
  const r = await runAip(['bench', ...FAST, ...args], { env });
  expect(r.stderr).not.toMatch(/internal error/);
  return { code: r.code, doc: JSON.parse(r.stdout) as BenchJson, stderr: r.stderr };
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/** Every request is accounted for, and every failed attempt is either retried or the request's last. */
function expectConsistent(f: Figures) {
  expect(f.ok + f.failed).toBe(f.requests);
  expect(sum(f.errors)).toBe(f.retries + f.failed);
}

describe('each fault kind: counts match what the simulator injected', () => {
  it.each([
    // kind, patterns, the classes the client must see for it
    ['429', 'direct,streaming', ['429']],
    ['500', 'direct,streaming', ['500']],
    ['503', 'direct,streaming', ['503']],
    // OpenAI has no 529: the simulator answers an overload on the OpenAI surface with 503
    ['529', 'direct,streaming', ['503']],
    ['timeout', 'direct,streaming', ['timeout']],
    ['drop', 'direct,streaming', ['connection', 'stream_drop']],
    ['stall', 'streaming', ['idle_timeout']],
    ['malformed', 'direct,streaming', ['malformed']],
  ])('%s on %s', async (kind, patterns, classes) => {
    // The breaker is out of the way (it has its own tests): a run of faults must not stop the count.
    // Short timeouts only where the fault needs one to end (timeout, stall): elsewhere a slow, loaded machine
    // must not turn an ordinary answer into an extra timeout that the simulator did not inject.
    // The short ones still leave a wide margin: at --latency-scale 0.01 an answer takes a few ms, a stall 1.2 s
    // (120 s scaled), so a machine loaded enough to pause 400 ms is the only way to see an extra timeout.
    const short = kind === 'timeout' || kind === 'stall';
    const timeouts = short ? ['--timeout', '800ms', '--idle-timeout', '400ms'] : ['--timeout', '10s', '--idle-timeout', '5s'];
    const { code, doc } = await bench(['--fault', `${kind}:0.3`, '--patterns', patterns, '--requests', '12', '--concurrency', '1', ...timeouts, '--breaker-threshold', '1000']);
    expect(code).toBe(0);
    let seen = 0;
    for (const p of patterns.split(',')) {
      const f = doc.patterns[p]!;
      expect(f.requests).toBe(12);
      expectConsistent(f);
      expect(Object.keys(f.errors).every((c) => classes.includes(c))).toBe(true);
      seen += sum(f.errors);
    }
    // Each fault the simulator injected is exactly one failed attempt the client saw and classified.
    expect(seen).toBe(doc.simulator.stats.faults[kind]);
    expect(seen).toBeGreaterThan(0);
  });

  it('529 on the Anthropic surface is a 529', async () => {
    const { doc } = await bench(['--model', 'claude-haiku-4-5', '--fault', '529:0.3', '--patterns', 'streaming', '--requests', '12', '--concurrency', '1']);
    expect(Object.keys(doc.patterns.streaming!.errors)).toEqual(['529']);
    expect(doc.patterns.streaming!.errors['529']).toBe(doc.simulator.stats.faults['529']);
  });

  it('batch-item-error: failed items as many as the simulator injected; the rest ok', async () => {
    const { doc } = await bench(['--fault', 'batch-item-error:0.3', '--patterns', 'batch', '--requests', '12']);
    const b = doc.patterns.batch!;
    expect(b.requests).toBe(12);
    expect(b.errors.batch_item_error).toBe(doc.simulator.stats.faults['batch-item-error']);
    expect(b.ok + b.failed).toBe(12);
    expect(b.batch_status).toBe('completed');
  });

  it('batch-expire: the batch expires; items without results fail as batch_expired', async () => {
    const { doc } = await bench(['--fault', 'batch-expire:1', '--patterns', 'batch', '--requests', '12']);
    const b = doc.patterns.batch!;
    expect(b.batch_status).toBe('expired');
    expect(b.failed).toBeGreaterThan(0);
    expect(b.errors.batch_expired).toBe(b.failed);
    expect(b.ok + b.failed).toBe(12);
  });

  it('keeps and marks partial results when a dropped stream is not retried', async () => {
    const { doc } = await bench(['--fault', 'drop:1', '--patterns', 'streaming', '--requests', '4', '--concurrency', '1', '--retries', '0']);
    const s = doc.patterns.streaming!;
    expect(s.failed).toBe(4);
    expect(s.partial).toBe(4);
    expect(s.errors).toEqual({ stream_drop: 4 });
  });
});

describe('circuit breaker', () => {
  it('opens after the threshold and fails fast: nothing more reaches the server', async () => {
    const { doc } = await bench(['--fault', '500:1', '--retries', '0', '--breaker-threshold', '3', '--requests', '10', '--concurrency', '1', '--patterns', 'direct']);
    const d = doc.patterns.direct!;
    expect(d.errors).toEqual({ '500': 3, breaker_open: 7 });
    expect(d.failed).toBe(10);
    expect(doc.simulator.stats.statuses['500']).toBe(3);
    expect(doc.breaker['gpt-4o-mini']).toEqual({ state: 'open', opened: 1, closed: 0 });
  });

  it('closes again when a probe after the cool-down succeeds', async () => {
    // An open loop spaces requests (5 ms apart on average) so the 1 ms cool-down passes between them.
    const { doc } = await bench(['--fault', '500:0.5', '--breaker-threshold', '1', '--breaker-cooldown', '1ms', '--backoff', '5ms', '--requests', '30', '--rate', '200/s', '--patterns', 'direct']);
    const b = doc.breaker['gpt-4o-mini']!;
    const d = doc.patterns.direct!;
    expect(b.opened).toBeGreaterThan(0);
    expect(b.closed).toBeGreaterThan(0);
    expect(d.errors.breaker_open).toBeGreaterThan(0);
    expect(d.ok + d.failed).toBe(d.requests);
    // Held back by the open circuit: fewer 500s reached the server than failed attempts were counted.
    expect(d.errors['500']).toBe(doc.simulator.stats.faults['500']);
  });
});

describe('spend', () => {
  it('--max-spend 0 sends no model request at all (fails closed) and exits 1', async () => {
    const { code, doc } = await bench(['--max-spend', '0', '--requests', '5']);
    expect(code).toBe(1);
    expect(doc.spend).toMatchObject({ usd: 0, max_usd: 0, capped: true });
    // Only the harness probes (GET /v1/models) and the one priming request reached the simulator.
    expect(doc.simulator.stats.requests).toBe(doc.harness.probes + 1);
    expect(doc.patterns.direct!.skipped_spend_cap).toBeGreaterThan(0);
  });

  it('stops before the cap, never past it', async () => {
    // Worst case per request for gpt-4o-mini at 48 output tokens: under (200×0.15 + 48×0.60)/1e6 ≈ $0.0000588;
    // a cap of $0.0002 admits a few requests, not 8 per pattern.
    const { code, doc } = await bench(['--max-spend', '0.0002', '--requests', '8', '--concurrency', '1']);
    expect(code).toBe(1);
    expect(doc.spend.capped).toBe(true);
    expect(doc.spend.usd).toBeLessThanOrEqual(0.0002);
    expect(doc.patterns.direct!.requests).toBeGreaterThan(0);
    expect(doc.patterns.direct!.requests + (doc.patterns.streaming?.requests ?? 0)).toBeLessThan(16);
  });

  it('prices the run from the catalog, batch at batch prices', async () => {
    const { doc } = await bench(['--requests', '4']);
    for (const p of ['direct', 'streaming', 'batch']) expect(doc.patterns[p]!.cost_usd).toBeGreaterThan(0);
    // gpt-4o-mini's batch prices are half of list, and the same prompts and caps ran in each pattern.
    expect(doc.patterns.batch!.cost_usd!).toBeLessThan(doc.patterns.direct!.cost_usd!);
    expect(doc.spend.usd).toBeCloseTo(doc.patterns.direct!.cost_usd! + doc.patterns.streaming!.cost_usd! + doc.patterns.batch!.cost_usd!, 7);
  });
});

describe('load shapes, SLO and progress', () => {
  it('--duration bounds a run by time', async () => {
    const { doc } = await bench(['--duration', '300ms', '--patterns', 'direct', '--concurrency', '2']);
    expect((doc as unknown as { stopped_by: Record<string, string> }).stopped_by.direct).toBe('duration');
    expect(doc.patterns.direct!.requests).toBeGreaterThan(0);
  });

  it('goodput counts the requests that met every SLO target', async () => {
    const strict = await bench(['--requests', '6', '--patterns', 'streaming', '--slo', 'ttft=0.001ms']);
    const loose = await bench(['--requests', '6', '--patterns', 'streaming', '--slo', 'ttft=10s,latency=60s']);
    const g = (d: BenchJson) => (d.patterns.streaming as unknown as { goodput: { good: number; fraction: number } }).goodput;
    expect(g(strict.doc)).toMatchObject({ good: 0, fraction: 0 });
    expect(g(loose.doc)).toMatchObject({ good: 6, fraction: 1 });
  });

  it('draws a progress bar on stderr only on a terminal', async () => {
    const tty = await runAip(['bench', '--latency-scale', '0', '--requests', '3', '--patterns', 'direct'], { tty: true });
    expect(tty.stderr).toMatch(/direct\s+█+░* \d+\/3 requests/);
    const pipe = await runAip(['bench', '--latency-scale', '0', '--requests', '3', '--patterns', 'direct']);
    expect(pipe.stderr).toBe('');
  });
});

describe('thresholds', () => {
  it('exit 0 when all hold, 1 when one is missed, and say which', async () => {
    const ok = await bench(['--requests', '4', '--patterns', 'direct', '--threshold', 'direct.errors_rate<0.5', '--threshold', 'direct.ok>=4']);
    expect(ok.code).toBe(0);
    expect(ok.doc.thresholds.every((t) => t.passed)).toBe(true);
    const missed = await bench(['--requests', '4', '--patterns', 'streaming', '--threshold', 'streaming.ttft_ms.p50<0.001']);
    expect(missed.code).toBe(1);
    expect(missed.doc.thresholds[0]).toMatchObject({ threshold: 'streaming.ttft_ms.p50<0.001', passed: false });
  });

  it('an unknown metric is a usage error before anything is sent', async () => {
    const r = await runAip(['bench', '--threshold', 'streaming.ttft.p95<800']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threshold: unknown metric "ttft.p95"/);
  });
});

describe('figures against the simulator\'s configured latency', () => {
  it('TTFT, TPOT and latency land near the catalog speed × latency scale', async () => {
    // gpt-4o-mini: TTFT 0.45 s, 85 tok/s. At scale 0.2: TTFT median 90 ms (log-normal σ 0.35: 90% within
    // ×0.56…×1.78), 1000/85 × 0.2 = 2.35 ms per token (σ 0.15).
    const r = await runAip(['bench', '--json', '--latency-scale', '0.2', '--requests', '16', '--concurrency', '4', '--max-tokens', '32', '--patterns', 'direct,streaming', '--seed', '11']);
    const doc = JSON.parse(r.stdout) as BenchJson;
    const s = doc.patterns.streaming!;
    expect(s.ttft_ms!.p50).toBeGreaterThan(90 * 0.5);
    expect(s.ttft_ms!.p50).toBeLessThan(90 * 2);
    expect(s.tpot_ms!.p50).toBeGreaterThan(2.35 * 0.5);
    expect(s.tpot_ms!.p50).toBeLessThan(2.35 * 2);
    // A direct answer arrives whole: TTFT + (tokens − 1) × per-token time, so TTFB ≈ latency, and more than the TTFT alone.
    const d = doc.patterns.direct!;
    expect(d.latency_ms!.p50).toBeGreaterThan(s.ttft_ms!.p50 * 0.5);
    expect(d.ttfb_ms!.p50).toBeGreaterThan(d.latency_ms!.p50 * 0.9);
    // The streaming TTFB (headers) comes at the first token, not at the end.
    expect(s.ttfb_ms!.p50).toBeLessThan(s.latency_ms!.p50);
    // The harness's own floor is reported and small next to what it measures.
    expect(doc.harness.ttfb_floor_ms!.p50).toBeLessThan(s.ttft_ms!.p50);
    expect(doc.harness.probes).toBeGreaterThan(1);
  });
});

describe('Ctrl-C', () => {
  function fakeProc(args: string[]): { proc: Proc; out: () => string; err: () => string; interrupt: () => void } {
    let stdout = '';
    let stderr = '';
    const listeners: Array<() => void> = [];
    const proc: Proc = {
      argv: ['node', 'aip', ...args],
      env: { NO_COLOR: '1' },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: Readable.from([]) as unknown as InStream,
      cwd: () => ROOT,
      on: (_e, l) => listeners.push(l),
      off: () => undefined,
    };
    return { proc, out: () => stdout, err: () => stderr, interrupt: () => listeners.forEach((l) => l()) };
  }

  it('stops sending, writes what was measured (stdout and --out), exits 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aip-bench-'));
    const out = join(dir, 'partial.json');
    const p = fakeProc(['bench', '--json', '--latency-scale', '0.1', '--requests', '200', '--concurrency', '2', '--patterns', 'direct,streaming', '--out', out]);
    const running = run(p.proc);
    await new Promise((r) => setTimeout(r, 700));
    p.interrupt();
    const code = await running;
    expect(code).toBe(130);
    const doc = JSON.parse(p.out()) as BenchJson;
    expect(doc.interrupted).toBe(true);
    expect(doc.patterns.direct!.requests).toBeGreaterThan(0);
    expect(doc.patterns.direct!.requests).toBeLessThan(200);
    expect(doc.patterns.streaming).toBeUndefined(); // never started
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(doc);
  });

  it('a submitted batch is reported by id and cancelled with --cancel-on-exit', async () => {
    const p = fakeProc(['bench', '--json', '--latency-scale', '0.1', '--patterns', 'batch', '--batch-turnaround', '600', '--requests', '5', '--cancel-on-exit']);
    const running = run(p.proc);
    await new Promise((r) => setTimeout(r, 600));
    p.interrupt();
    expect(await running).toBe(130);
    const b = (JSON.parse(p.out()) as BenchJson).patterns.batch!;
    expect(b.batch_id).toMatch(/^batch_/);
    expect(b.cancelled).toBe(true);
  });
});

describe('targets and keys', () => {
  it.each([
    ['openai', 'OPENAI_API_KEY'],
    ['anthropic', 'ANTHROPIC_API_KEY'],
  ])('--target %s without its key exits 2 naming %s', async (target, variable) => {
    const r = await runAip(['bench', '--target', target], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(variable);
    expect(r.stdout).toBe('');
  });

  it('--target openai --base-url: any OpenAI-compatible server; the key is sent but never printed or logged', async () => {
    const sim = await startSimulator({ catalog: await loadCatalog(), latencyScale: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'aip-bench-'));
    const log = join(dir, 'requests.jsonl');
    try {
      const key = 'sk-test-SECRET-0123456789';
      const r = await runAip(['bench', '--target', 'openai', '--base-url', `${sim.url}/v1`, '--requests', '3', '--warmup', '0', '--poll-interval', '20ms', '--log', log], { env: { OPENAI_API_KEY: key } });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/direct/);
      const logText = readFileSync(log, 'utf8');
      for (const text of [r.stdout, r.stderr, logText]) expect(text).not.toContain('SECRET');
      const lines = logText.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      // 3 direct + 3 streaming request lines, one batch line; no prompt text unless --log-content.
      expect(lines.filter((l) => l.pattern === 'direct')).toHaveLength(3);
      expect(lines.filter((l) => l.pattern === 'batch')).toHaveLength(1);
      expect(logText).not.toContain('order #4821');
      expect(lines[0]).toMatchObject({ status: 'ok', retries: 0 });
      expect(typeof lines[0]!.latency_ms).toBe('number');
    } finally {
      await sim.close();
    }
  });

  it('takes model, sizes and fallback from a workload', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aip-bench-'));
    const file = join(dir, 'w.yaml');
    writeFileSync(file, 'version: 1\nworkloads:\n  - name: tagger\n    model: claude-haiku-4-5\n    volume: 1000/day\n    latency: 2s\n    input: { tokens: 300 }\n    output: { tokens: 12 }\n');
    const r = await runAip(['bench', '--json', '--latency-scale', '0', '--workload', file, '--name', 'tagger', '--requests', '2', '--patterns', 'direct']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as BenchJson & { load: { max_tokens: number } };
    expect(doc.model).toBe('claude-haiku-4-5');
    expect(doc.load.max_tokens).toBe(12);
    const bad = await runAip(['bench', '--workload', file, '--name', 'taggr']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/did you mean tagger/);
    const embedding = await runAip(['bench', '--workload', 'examples/workloads.yaml', '--name', 'search-embeddings']);
    expect(embedding.code).toBe(2);
    expect(embedding.stderr).toMatch(/search-embeddings: model.*embedding model/);
  });
});

describe('usage errors exit 2 and name the option', () => {
  it.each([
    [['--patterns', 'direkt'], /--patterns: unknown pattern "direkt"[\s\S]*did you mean direct/],
    [['--target', 'openal'], /--target: unknown target[\s\S]*did you mean openai/],
    [['--fault', 'nope:0.1'], /--fault: unknown fault kind "nope"/],
    [['--target', 'anthropic', '--latency-scale', '0'], /--latency-scale shapes the built-in simulator only/],
    [['--slo', 'ttfb=1s'], /--slo: unknown SLO target/],
    [['--rate', 'fast'], /--rate: cannot read the rate/],
    [['--model', 'gpt-4o-minni'], /--model: unknown model[\s\S]*gpt-4o-mini/],
    [['--requests', '0'], /--requests/],
  ])('%j', async (args, message) => {
    const r = await runAip(['bench', ...args], { env: { ANTHROPIC_API_KEY: 'x' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });
});

describe('with no flags', () => {
  it('`aip bench` with no flags and no key benchmarks all three patterns on the simulator', async () => {
    const r = await runAip(['bench'], { env: {} });
    expect(r.code).toBe(0);
    for (const p of ['direct', 'streaming', 'batch']) expect(r.stdout).toContain(p);
    expect(r.stdout).toMatch(/TTFT p50/);
    expect(r.stdout).toMatch(/harness TTFB floor/);
    expect(r.stdout).toMatch(/batch batch_\S+: completed/);
    expect(r.stderr).toBe(''); // no progress bar without a terminal
  });
});
