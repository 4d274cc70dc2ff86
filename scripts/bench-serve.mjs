#!/usr/bin/env node
// Throughput of `aip serve` at --latency-scale 0 beside a bare node:http server that returns the same bytes:
// non-streaming requests/s and SSE events/s, the ratios (target ≥ 0.6×) and the p99 latency each adds, at
// each concurrency; and the first request's latency on a freshly started simulator (the tokenizer must not
// be built on that request). Prints figures; not a test.
//
//   node scripts/bench-serve.mjs [--seconds 2] [--rounds 3] [--connections 16,64,256] [--max-tokens 50]
//                                [--api chat|responses] [--aip path/to/bin/aip.js] [--first-only]
//   node scripts/bench-serve.mjs --cpu [--rounds 4] [--requests 2000,22000] [--connections 16] [--node-flags "…"]
//
// --aip runs another build of aip (e.g. an older checkout, to compare before and after).
// The two servers are measured alternately, round after round, and the median of the rounds is shown:
// on a shared machine, load from elsewhere then hits both alike.
//
// Simulated answers vary in length (log-normal around 120 tokens, cut at max_tokens); the bare server
// replays a sample that was cut at max_tokens, the length most answers have with a small max_tokens (about
// 93% at 50). Events per stream are printed for both so the comparison can be checked.
//
// --cpu measures server CPU per request instead of throughput, a figure that other load on the machine
// barely moves: each server answers a run of 2,000 and a run of 22,000 requests (c = 16), and the CPU time
// (utime + stime of its process, /proc/<pid>/stat) of the difference is divided by the 20,000 requests
// between them, so what a run costs whatever its length (connecting, a last GC) cancels out. Plain and SSE,
// simulator and bare alternately, median of the rounds. --node-flags passes V8/Node flags to the simulator
// (e.g. "--max-semi-space-size=16") to measure their effect.
//
// Both servers run as child processes; this process is the client (an undici Pool), so client and servers
// do not share an event loop. Run `npm run build` first (the simulator runs from dist/ via bin/aip.js).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2' },
    rounds: { type: 'string' },
    connections: { type: 'string' },
    'max-tokens': { type: 'string', default: '50' },
    api: { type: 'string', default: 'chat' },
    aip: { type: 'string' },
    'first-only': { type: 'boolean', default: false },
    cpu: { type: 'boolean', default: false },
    requests: { type: 'string', default: '2000,22000' },
    'node-flags': { type: 'string', default: '' },
  },
});
const seconds = Number(values.seconds);
const cpuMode = values.cpu;
const rounds = Number(values.rounds ?? (cpuMode ? 4 : 3));
const connectionList = (values.connections ?? (cpuMode ? '16' : '16,64,256')).split(',').map(Number);
const [fewRequests, manyRequests] = values.requests.split(',').map(Number);
const nodeFlags = values['node-flags'].split(' ').filter(Boolean);
const maxTokens = Number(values['max-tokens']);
const api = values.api;
if (api !== 'chat' && api !== 'responses') {
  console.error('bench-serve: --api must be chat or responses');
  process.exit(2);
}
const aipBin = values.aip ?? join(root, 'bin', 'aip.js');
if (!values.aip && !existsSync(join(root, 'dist', 'cli.js'))) {
  console.error('bench-serve: dist/ is missing; run "npm run build" first');
  process.exit(2);
}
const path = api === 'chat' ? '/v1/chat/completions' : '/v1/responses';

/** Starts a child that prints "listening on URL" first; resolves the URL and the child. */
function startChild(args, input) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  if (input !== undefined) child.stdin.end(input);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      const m = /^listening on (\S+)$/.exec(line);
      if (m) resolve({ url: m[1], child });
      else reject(new Error(`unexpected first line: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening`)));
  });
}

// The bare server: node:http answering every request with fixed bytes read from stdin (JSON: plain and SSE).
const BARE = `
import { createServer } from 'node:http';
let input = '';
for await (const c of process.stdin) input += c;
const { plain, sse } = JSON.parse(input);
const plainBuf = Buffer.from(plain), sseBuf = Buffer.from(sse);
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const isSse = req.url.includes('stream');
    res.writeHead(200, { 'content-type': isSse ? 'text/event-stream; charset=utf-8' : 'application/json', 'content-length': isSse ? sseBuf.length : plainBuf.length, 'x-request-id': 'req_bare' });
    res.end(isSse ? sseBuf : plainBuf);
  });
});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const SYSTEM = 'You are a helpful assistant that answers briefly and precisely.';
const USER = 'Explain in a few sentences when a batch API is cheaper than direct calls.';
const chatBody = (stream) =>
  api === 'chat'
    ? JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: USER },
        ],
        max_tokens: maxTokens,
        ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      })
    : JSON.stringify({ model: 'gpt-4o-mini', instructions: SYSTEM, input: USER, max_output_tokens: maxTokens, store: false, ...(stream ? { stream: true } : {}) });

/**
 * CPU seconds a process has used (Linux /proc; undefined elsewhere). Per request, this is a figure that
 * other load on the machine does not distort, unlike requests/s.
 */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}

/** Runs `connections` request loops for `seconds`; counts responses and SSE events ("\n\n" boundaries). */
async function load(url, path, body, pid, connections) {
  const cpuBefore = cpuSeconds(pid);
  const pool = new Pool(url, { connections, pipelining: 1 });
  let requests = 0;
  let events = 0;
  let errors = 0;
  let running = true;
  const latencies = [];
  const worker = async () => {
    while (running) {
      try {
        const t0 = performance.now();
        const res = await pool.request({ method: 'POST', path, body, headers: { 'content-type': 'application/json', authorization: 'Bearer sim' } });
        let prev = 0;
        for await (const chunk of res.body) {
          for (let i = 0; i < chunk.length; i++) {
            if (chunk[i] === 10 && prev === 10) events++;
            prev = chunk[i];
          }
        }
        if (res.statusCode === 200) {
          requests++;
          latencies.push(performance.now() - t0);
        } else errors++;
      } catch {
        errors++;
      }
    }
  };
  const started = performance.now();
  const workers = Array.from({ length: connections }, worker);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  running = false;
  await Promise.all(workers);
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  const cpuAfter = cpuSeconds(pid);
  const cpuPerRequestUs = cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) / requests) * 1e6;
  latencies.sort((a, b) => a - b);
  const p99 = latencies.length > 0 ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] : NaN;
  return { rps: requests / elapsed, eps: events / elapsed, errors, cpuPerRequestUs, p99 };
}

/** Sends exactly `n` requests over `connections` connections; the server's CPU seconds meanwhile. */
async function cpuOfRun(url, path, body, pid, connections, n) {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const cpuBefore = cpuSeconds(pid);
  let issued = 0;
  let failed = 0;
  const worker = async () => {
    while (issued < n) {
      issued++;
      const res = await pool.request({ method: 'POST', path, body, headers: { 'content-type': 'application/json', authorization: 'Bearer sim' } });
      await res.body.dump();
      if (res.statusCode !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const cpu = cpuSeconds(pid) - cpuBefore;
  await pool.close();
  if (failed > 0) throw new Error(`${failed} requests failed`);
  return cpu;
}

/** --cpu: server CPU µs per request, simulator beside bare, by the difference of a long and a short run. */
async function cpuPerRequest() {
  const flags = nodeFlags.length > 0 ? `, simulator run with ${nodeFlags.join(' ')}` : '';
  console.log(`server CPU per request (${api}), (CPU of ${manyRequests.toLocaleString('en-US')} requests − CPU of ${fewRequests.toLocaleString('en-US')}) ÷ ${(manyRequests - fewRequests).toLocaleString('en-US')}, median of ${rounds} alternating rounds, answers of ≤ ${maxTokens} tokens${flags} (${env})`);
  const servers = [['bare', bare.url, bare.child.pid], ['sim', sim.url, sim.child.pid]];
  for (const [, url] of servers) {
    await warm(url, path, chatBody(false));
    await warm(url, `${path}?stream`, chatBody(true));
  }
  for (const connections of connectionList) {
    const us = { bare: { plain: [], sse: [] }, sim: { plain: [], sse: [] } };
    for (let r = 0; r < rounds; r++) {
      for (const [name, url, pid] of r % 2 === 0 ? servers : [...servers].reverse()) {
        for (const [kind, p, body] of [['plain', path, chatBody(false)], ['sse', `${path}?stream`, chatBody(true)]]) {
          const few = await cpuOfRun(url, p, body, pid, connections, fewRequests);
          const many = await cpuOfRun(url, p, body, pid, connections, manyRequests);
          us[name][kind].push(((many - few) / (manyRequests - fewRequests)) * 1e6);
        }
      }
    }
    const row = (label, kind) => {
      const b = median(us.bare[kind]);
      const s = median(us.sim[kind]);
      const all = (xs) => xs.map((x) => x.toFixed(0)).join(' ');
      return `${label.padEnd(20)}${b.toFixed(1).padStart(10)}${s.toFixed(1).padStart(12)}${(b / s).toFixed(2).padStart(9)}×   (bare ${all(us.bare[kind])}; aip serve ${all(us.sim[kind])})`;
    };
    console.log(`\nc=${connections}${''.padEnd(17 - String(connections).length)}${'bare'.padStart(10)}${'aip serve'.padStart(12)}${'ratio'.padStart(10)}`);
    console.log(row('plain µs/request', 'plain'));
    console.log(row('SSE µs/stream', 'sse'));
  }
  console.log('\nratio = bare ÷ aip serve: the throughput ratio a CPU-bound server reaches (target ≥ 0.6×).');
}

async function warm(url, path, body) {
  await loadFor(url, path, body, 1);
}
async function loadFor(url, path, body, s) {
  const pool = new Pool(url, { connections: 4 });
  const until = performance.now() + s * 1000;
  while (performance.now() < until) {
    const res = await pool.request({ method: 'POST', path, body, headers: { 'content-type': 'application/json' } });
    await res.body.text();
  }
  await pool.close();
}

/**
 * The first request on a freshly started simulator, end to end (ms), and the time from spawn to "listening on".
 * Median of `n` fresh starts.
 */
async function firstRequest(n) {
  const firsts = [];
  const starts = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const s = await startChild([aipBin, 'serve', '--port', '0', '--latency-scale', '0', '--seed', '1', '--quiet']);
    starts.push(performance.now() - t0);
    const t1 = performance.now();
    const res = await fetch(`${s.url}${path}`, { method: 'POST', body: chatBody(false), headers: { 'content-type': 'application/json' } });
    await res.text();
    firsts.push(performance.now() - t1);
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  return { first: med(firsts), start: med(starts), firsts };
}

const env = `${process.platform}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}, node ${process.version}`;
const fr = cpuMode ? undefined : await firstRequest(3);
if (fr) console.log(`first request on a fresh simulator (${api}): ${fr.first.toFixed(1)} ms median of 3 (${fr.firsts.map((x) => x.toFixed(0)).join(', ')}); spawn to "listening on": ${fr.start.toFixed(0)} ms (${env})`);
if (values['first-only']) process.exit(0);

const sim = await startChild([...nodeFlags, aipBin, 'serve', '--port', '0', '--latency-scale', '0', '--seed', '1', '--quiet']);
// The bytes the bare server will return: one answer of each kind from the simulator itself.
const full = (text) => (api === 'chat' ? text.includes(`"completion_tokens":${maxTokens},`) : text.includes(`"output_tokens":${maxTokens},`));
const sample = async (stream) => {
  for (;;) {
    const text = await (await fetch(`${sim.url}${path}`, { method: 'POST', body: chatBody(stream), headers: { 'content-type': 'application/json' } })).text();
    if (full(text)) return text;
  }
};
const bare = await startChild(['--input-type=module', '-e', BARE], JSON.stringify({ plain: await sample(false), sse: await sample(true) }));

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
if (cpuMode) {
  try {
    await cpuPerRequest();
  } finally {
    sim.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
  }
  process.exit(0);
}
const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(10);
console.log(`aip serve (${api}) throughput at --latency-scale 0: median of ${rounds} alternating runs of ${seconds} s per concurrency, answers of ≤ ${maxTokens} tokens (${env})`);
try {
  for (const url of [bare.url, sim.url]) {
    await warm(url, path, chatBody(false));
    await warm(url, `${path}?stream`, chatBody(true));
  }
  for (const connections of connectionList) {
    const runs = { bare: [], sim: [] };
    for (let r = 0; r < rounds; r++) {
      const servers = [['bare', bare.url, bare.child.pid], ['sim', sim.url, sim.child.pid]];
      // Each round swaps which server goes first, so a drift in background load does not favour one.
      for (const [name, url, pid] of r % 2 === 0 ? servers : servers.reverse()) {
        const plain = await load(url, path, chatBody(false), pid, connections);
        const sse = await load(url, `${path}?stream`, chatBody(true), pid, connections);
        runs[name].push({ plain, sse });
      }
    }
    const summary = (list) => ({
      plain: { rps: median(list.map((x) => x.plain.rps)), p99: median(list.map((x) => x.plain.p99)), cpu: median(list.map((x) => x.plain.cpuPerRequestUs ?? NaN)), errors: list.reduce((a, x) => a + x.plain.errors, 0) },
      sse: { rps: median(list.map((x) => x.sse.rps)), eps: median(list.map((x) => x.sse.eps)), p99: median(list.map((x) => x.sse.p99)), cpu: median(list.map((x) => x.sse.cpuPerRequestUs ?? NaN)), errors: list.reduce((a, x) => a + x.sse.errors, 0) },
    });
    const b = summary(runs.bare);
    const s = summary(runs.sim);
    console.log(`\nc=${connections}${''.padEnd(17 - String(connections).length)}${'bare node:http'.padStart(16)}${'aip serve'.padStart(12)}${'ratio'.padStart(8)}`);
    console.log(`${'plain requests/s'.padEnd(22)}${fmt(b.plain.rps).padStart(16)}${fmt(s.plain.rps).padStart(12)}${(s.plain.rps / b.plain.rps).toFixed(2).padStart(7)}×`);
    console.log(`${'plain p99 ms'.padEnd(22)}${b.plain.p99.toFixed(1).padStart(16)}${s.plain.p99.toFixed(1).padStart(12)}   (+${(s.plain.p99 - b.plain.p99).toFixed(1)} ms)`);
    console.log(`${'SSE events/s'.padEnd(22)}${fmt(b.sse.eps).padStart(16)}${fmt(s.sse.eps).padStart(12)}${(s.sse.eps / b.sse.eps).toFixed(2).padStart(7)}×`);
    console.log(`${'SSE streams/s'.padEnd(22)}${fmt(b.sse.rps).padStart(16)}${fmt(s.sse.rps).padStart(12)}${(s.sse.rps / b.sse.rps).toFixed(2).padStart(7)}×`);
    console.log(`${'SSE p99 ms'.padEnd(22)}${b.sse.p99.toFixed(1).padStart(16)}${s.sse.p99.toFixed(1).padStart(12)}   (+${(s.sse.p99 - b.sse.p99).toFixed(1)} ms)`);
    console.log(`${'SSE events per stream'.padEnd(22)}${(b.sse.eps / b.sse.rps).toFixed(1).padStart(16)}${(s.sse.eps / s.sse.rps).toFixed(1).padStart(12)}`);
    if (Number.isFinite(b.plain.cpu) && Number.isFinite(s.plain.cpu)) {
      // Server CPU per request: the throughput ratio a CPU-bound server would reach, whatever else runs here.
      console.log(`${'server CPU µs/request'.padEnd(22)}${b.plain.cpu.toFixed(0).padStart(16)}${s.plain.cpu.toFixed(0).padStart(12)}${(b.plain.cpu / s.plain.cpu).toFixed(2).padStart(7)}×  (plain; ratio = bare ÷ aip serve)`);
      console.log(`${'server CPU µs/stream'.padEnd(22)}${b.sse.cpu.toFixed(0).padStart(16)}${s.sse.cpu.toFixed(0).padStart(12)}${(b.sse.cpu / s.sse.cpu).toFixed(2).padStart(7)}×  (SSE)`);
    }
    const errs = b.plain.errors + b.sse.errors + s.plain.errors + s.sse.errors;
    if (errs > 0) console.log(`(${errs} failed requests were not counted)`);
  }
} finally {
  sim.child.kill('SIGTERM');
  bare.child.kill('SIGTERM');
}
