// `aip bench` against a hostile server (test/helpers/hostile-server.mjs, its own process): one that hangs,
// answers slowly, inflates or leaves out usage, answers 429 forever, or echoes the key in a 401. Each run ends
// (bounded loads, short timeouts: the test's own timeout is the bound), exits 1, sends no more than the spend cap
// allows (at most one request's worst case above it, at concurrency 1 to 512), and never shows the key or a
// password from --base-url in stdout, stderr, -o or --log. Loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import type { InStream, Proc } from '../../src/io/context.js';
import { requestCostUsd } from '../../src/bench/spend.js';
import { findModel } from '../../src/core/catalog/models.js';
import { effectivePrices } from '../../src/core/recommend/cost/prices.js';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { ROOT, runAip } from '../helpers/run.js';

interface Doc {
  base_url: string;
  key_sent: boolean;
  key_withheld?: string;
  patterns: Record<string, { requests: number; ok: number; failed: number; first_error: { message: string } | null; batch_id?: string | null; batch_status?: string }>;
  spend: { usd: number; max_usd: number | null; capped: boolean; counted_locally: number; charged_worst_case: number; overruns: number; overrun_usd: number };
  stopped_by: Record<string, string>;
  retry_after_s: Record<string, number>;
  broken: Array<{ pattern: string; problem: string }>;
  interrupted: boolean;
}

const KEY = 'sk-hostile-test-0123456789abcdef';
const PASSWORD = 'pw-s3cret-9876';
const MAX_TOKENS = 1000;

let server: { url: string; child: ChildProcess };
let dir: string;
let prompt: string;
/** USD of one output token; one request's worst case (its whole output cap and ≤100 input tokens). */
let perOutputToken: number;
let upper: number;

beforeAll(async () => {
  const child = spawn(process.execPath, [join(ROOT, 'test/helpers/hostile-server.mjs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'], env: { PATH: process.env.PATH } });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`hostile server exited ${code}: ${out}`)));
  });
  child.stdout!.resume();
  server = { url, child };
  dir = mkdtempSync(join(tmpdir(), 'aip-hostile-'));
  prompt = join(dir, 'prompt.txt');
  writeFileSync(prompt, 'Say hi.\n');
  const prices = effectivePrices(findModel(await loadCatalog(), 'gpt-4o-mini')!, undefined, 100);
  perOutputToken = requestCostUsd(prices, { inputTokens: 0, outputTokens: 1, cachedInputTokens: 0 }, false);
  upper = requestCostUsd(prices, { inputTokens: 100, outputTokens: MAX_TOKENS, cachedInputTokens: 0 }, false);
});
afterAll(async () => {
  if (server?.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await once(server.child, 'exit');
  }
});

interface Seen {
  completions: number;
  /** The sum of the output caps of the requests received: bench reserved at least this many output tokens. */
  maxTokens: number;
  authorization: string[];
}

/** What the server received since the last call. */
async function seen(): Promise<Seen> {
  return (await fetch(`${server.url}/seen`)).json() as Promise<Seen>;
}

const at = (behaviour: string, host = server.url) => ['--target', 'openai', '--base-url', `${host}/${behaviour}/v1`, '--model', 'gpt-4o-mini', '--prompt', prompt];

async function bench(args: string[], env: Record<string, string> = { OPENAI_API_KEY: KEY }) {
  await seen(); // clear
  const r = await runAip(['bench', '--json', '--seed', '3', '--max-tokens', String(MAX_TOKENS), ...args], { env, cwd: dir });
  expect(r.stderr).not.toMatch(/internal error/);
  return { ...r, doc: JSON.parse(r.stdout) as Doc, received: await seen() };
}

describe('a server that stops answering', () => {
  it('hanging on every call, the start-up probe too: the run ends at its timeouts, exit 1, each attempt kept at its worst case', async () => {
    const { code, doc, received } = await bench([...at('mode=hang,models=1'), '--patterns', 'direct,streaming', '--requests', '3', '--concurrency', '2', '--timeout', '300ms', '--retries', '0']);
    expect(code).toBe(1);
    expect(doc.broken.map((b) => b.pattern).sort()).toEqual(['direct', 'streaming']);
    // Every attempt the server received may be billed: none is counted as $0.
    expect(received.completions).toBeGreaterThan(0);
    expect(doc.spend.charged_worst_case).toBeGreaterThanOrEqual(received.completions);
    expect(doc.spend.usd).toBeGreaterThanOrEqual(received.maxTokens * perOutputToken);
  });
});

describe('batch calls against a server that stops answering', () => {
  it.each([
    ['the upload hangs', 'files=hang'],
    ['the batch create hangs', 'files=200,batch=hang'],
  ])('%s: the call ends at --timeout, exit 1, the batch kept at its worst case', async (_name, behaviour) => {
    const { code, doc } = await bench([...at(behaviour), '--patterns', 'batch', '--requests', '2', '--timeout', '300ms', '--poll-interval', '100ms']);
    expect(code).toBe(1);
    expect(doc.broken.map((b) => b.pattern)).toEqual(['batch']);
    expect(doc.patterns.batch!.first_error!.message).toMatch(/timeout/);
    expect(doc.spend.charged_worst_case).toBe(1);
  });

  it('a batch that never finishes: polling ends at --duration, reported with its status; nothing measured fails the run', async () => {
    const { code, doc, stderr } = await bench([...at('files=200,batch=stuck'), '--patterns', 'batch', '--requests', '2', '--timeout', '300ms', '--duration', '1s', '--poll-interval', '100ms']);
    expect(doc.stopped_by).toEqual({ batch: 'duration' });
    expect(doc.patterns.batch).toMatchObject({ batch_id: 'batch_hostile', batch_status: 'in_progress', requests: 0, ok: 0 });
    // A run that measured nothing does not pass, and it says the batch is still running at the provider.
    expect(code).toBe(1);
    expect(doc.broken).toEqual([{ pattern: 'batch', problem: expect.stringMatching(/^nothing measured within --duration; batch batch_hostile was in_progress, is left running and may be billed \(cancel it, or add --cancel-on-exit\)/), first_error: null }]);
    expect(stderr).toMatch(/aip bench: batch FAILED: nothing measured within --duration/);
  });
});

describe('Ctrl-C while a batch call hangs', () => {
  it('exits 130 at once, keeping the direct and streaming figures already measured (stdout and -o)', async () => {
    let stdout = '';
    const listeners: Array<() => void> = [];
    const proc: Proc = {
      argv: ['node', 'aip', 'bench', '--json', '--seed', '3', ...at('files=200,batch=hang'), '--requests', '3', '--concurrency', '1', '--timeout', '60s', '-o', 'interrupted.json'],
      env: { NO_COLOR: '1', OPENAI_API_KEY: KEY },
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: () => true },
      stdin: Readable.from([]) as unknown as InStream,
      cwd: () => dir,
      on: (_e, l) => listeners.push(l),
      off: () => undefined,
    };
    const state = async () => ((await (await fetch(`${server.url}/state`)).json()) as { batchCreates: number }).batchCreates;
    const before = await state();
    const running = run(proc);
    // Ctrl-C once the batch create has reached the server (and hangs there): no timing guess.
    while ((await state()) === before) await new Promise((r) => setTimeout(r, 20));
    listeners.forEach((l) => l());
    expect(await running).toBe(130);
    const doc = JSON.parse(stdout) as Doc;
    expect(doc.interrupted).toBe(true);
    expect(doc.patterns.direct).toMatchObject({ requests: 3, ok: 3 });
    expect(doc.patterns.streaming).toMatchObject({ requests: 3, ok: 3 });
    expect(JSON.parse(readFileSync(join(dir, 'interrupted.json'), 'utf8'))).toEqual(doc);
  });
});

describe('the spend cap holds against a hostile server (overshoot at most one request\'s worst case)', () => {
  const cap = 0.006; // about nine requests' worst case

  it.each([
    ['slow (every attempt times out)', 'mode=slow,ms=2000', ['--timeout', '200ms', '--retries', '1']],
    ['no usage in the answers', 'mode=nousage', []],
    ['usage inflated 1000×', 'mode=inflate,factor=1000', []],
  ])('%s, at concurrency 1, 64 and 512', async (_name, behaviour, extra) => {
    for (const concurrency of [1, 64, 512]) {
      const { code, doc, received } = await bench([...at(behaviour), '--patterns', 'direct,streaming', '--requests', '600', '--concurrency', String(concurrency), '--max-spend', String(cap), '--breaker-threshold', '100000', ...extra]);
      const what = `${behaviour} at concurrency ${concurrency}: ${received.completions} received`;
      expect(code, what).toBe(1);
      expect(doc.spend.capped, what).toBe(true);
      // Sent: each request the server received was reserved at least its output cap (warm-up requests ask for
      // one token), and what was reserved never passed the cap by more than one request's worst case.
      expect(received.maxTokens * perOutputToken, what).toBeLessThanOrEqual(cap + upper);
      expect(received.completions, what).toBeGreaterThan(0);
      if (behaviour.startsWith('mode=inflate')) {
        // What the server claims for answers already in flight is counted in full, and the run stops.
        expect(doc.spend.overruns, what).toBeGreaterThan(0);
        expect(doc.spend.overrun_usd, what).toBeGreaterThan(0);
      } else {
        expect(doc.spend.usd, what).toBeLessThanOrEqual(cap + upper);
        if (behaviour === 'mode=nousage') expect(doc.spend.counted_locally, what).toBeGreaterThan(0);
        // Every attempt that timed out is charged, including those still queued on the way at 512 in flight.
        else expect(doc.spend.charged_worst_case, what).toBeGreaterThanOrEqual(received.completions);
      }
    }
  }, 120_000);
});

describe('429 forever', () => {
  it('with retry-after: 3600 each pattern ends at once with that wait, exit 1', async () => {
    const { code, doc } = await bench([...at('mode=429,retry=3600'), '--patterns', 'direct,streaming', '--requests', '5', '--concurrency', '2']);
    expect(code).toBe(1);
    expect(doc.stopped_by).toMatchObject({ direct: 'retry_after', streaming: 'retry_after' });
    expect(doc.retry_after_s).toMatchObject({ direct: 3600, streaming: 3600 });
    expect(doc.spend.usd).toBe(0); // a refusal costs nothing
  });

  it('without retry-after, retries and backoff end it: exit 1, nothing charged', async () => {
    const { code, doc, received } = await bench([...at('mode=429,retry=none'), '--patterns', 'direct', '--requests', '4', '--concurrency', '1', '--retries', '2', '--backoff', '10ms']);
    expect(code).toBe(1);
    expect(doc.patterns.direct!.failed).toBe(4);
    expect(received.completions).toBeGreaterThan(0);
    expect(doc.spend.usd).toBe(0);
  });
});

describe('keys and passwords never leave the run', () => {
  function expectNoSecret(texts: string[], secrets: string[]) {
    for (const t of texts) for (const s of secrets) expect(t).not.toContain(s);
  }

  it('a 401 that echoes the key: the key is scrubbed from stdout, stderr, -o and --log', async () => {
    const r = await bench([...at('mode=401echo'), '--patterns', 'direct,streaming', '--requests', '2', '--concurrency', '1', '-o', 'out.json', '--log', 'log.jsonl']);
    expect(r.code).toBe(1);
    expect(r.received.authorization).toEqual([`Bearer ${KEY}`]); // loopback: the key was sent …
    expect(r.doc.key_sent).toBe(true);
    expect(r.doc.patterns.direct!.first_error!.message).toContain('[redacted]'); // … and its echo removed
    const files = [readFileSync(join(dir, 'out.json'), 'utf8'), readFileSync(join(dir, 'log.jsonl'), 'utf8')];
    expect(files[1]).toContain('[redacted]');
    expectNoSecret([r.stdout, r.stderr, ...files], [KEY]);
    // The report says the same, scrubbed.
    const text = await runAip(['bench', '--seed', '3', ...at('mode=401echo'), '--patterns', 'direct', '--requests', '1'], { env: { OPENAI_API_KEY: KEY }, cwd: dir });
    expect(text.stdout).toContain('[redacted]');
    expectNoSecret([text.stdout, text.stderr], [KEY]);
  });

  it('user:password in --base-url: out of every printed URL, sent to that host as Basic authorization, scrubbed from its echo', async () => {
    const url = new URL(server.url);
    const host = `http://alice:${PASSWORD}@${url.host}`;
    const basic = Buffer.from(`alice:${PASSWORD}`).toString('base64');
    const r = await bench([...at('mode=401echo', host), '--patterns', 'direct', '--requests', '1', '-o', 'basic.json', '--log', 'basic.jsonl'], {});
    expect(r.received.authorization).toEqual([`Basic ${basic}`]);
    expect(r.doc.base_url).toBe(`${server.url}/mode=401echo/v1`);
    const text = await runAip(['bench', '--seed', '3', ...at('mode=401echo', host), '--patterns', 'direct', '--requests', '1'], { env: {}, cwd: dir });
    expect(text.stdout).toContain(`openai ${server.url}/mode=401echo/v1`);
    const files = [readFileSync(join(dir, 'basic.json'), 'utf8'), readFileSync(join(dir, 'basic.jsonl'), 'utf8')];
    expectNoSecret([r.stdout, r.stderr, text.stdout, text.stderr, ...files], [PASSWORD, basic, 'alice:']);
  });

  it('a malformed --base-url holding a password is not quoted in the error', async () => {
    const r = await runAip(['bench', '--target', 'openai', '--base-url', `ftp://bob:${PASSWORD}@example.com/v1`], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--base-url/);
    expect(r.stderr).not.toContain(PASSWORD);
  });

  it('the key goes to the provider\'s host and loopback only: another host gets none unless --send-key-to names it', async () => {
    // 0.0.0.0 reaches this machine (the server listens on 127.0.0.1) but is not a loopback name: it stands for a remote host.
    const remote = server.url.replace('127.0.0.1', '0.0.0.0');
    const port = new URL(server.url).port;
    const withheld = await bench([...at('mode=401echo', remote), '--patterns', 'direct', '--requests', '1']);
    expect(withheld.received.authorization).toEqual([]);
    expect(withheld.doc).toMatchObject({ key_sent: false, key_withheld: 'OPENAI_API_KEY' });
    const report = await runAip(['bench', '--seed', '3', ...at('mode=401echo', remote), '--patterns', 'direct', '--requests', '1'], { env: { OPENAI_API_KEY: KEY }, cwd: dir });
    expect(report.stdout).toContain(`OPENAI_API_KEY was not sent to 0.0.0.0:${port}`);
    expect(report.stdout).toContain(`--send-key-to 0.0.0.0:${port}`);

    const named = await bench([...at('mode=401echo', remote), '--patterns', 'direct', '--requests', '1', '--send-key-to', `0.0.0.0:${port}`]);
    expect(named.received.authorization).toEqual([`Bearer ${KEY}`]);
    expect(named.doc.key_sent).toBe(true);
    expectNoSecret([named.stdout, named.stderr], [KEY]);
  });

  it('--send-key-to takes a host, not a URL', async () => {
    const r = await runAip(['bench', '--target', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--send-key-to', 'https://evil.example/'], { env: { OPENAI_API_KEY: KEY } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--send-key-to/);
  });
});
