#!/usr/bin/env node
// Throughput of `aip serve` at --latency-scale 0 beside a bare node:http server that returns the same bytes:
// non-streaming requests/s and SSE events/s, and the ratios (target ≥ 0.5×). Prints figures; not a test.
//
//   node scripts/bench-serve.mjs [--seconds 2] [--rounds 5] [--connections 64] [--max-tokens 50]
//
// The two servers are measured alternately, round after round, and the median of the rounds is shown:
// on a shared machine, load from elsewhere then hits both alike.
//
// Simulated answers vary in length (log-normal around 120 tokens, cut at max_tokens); the bare server
// replays a sample that was cut at max_tokens, the length most answers have with a small max_tokens (about
// 93% at 50). Events per stream are printed for both so the comparison can be checked.
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
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' }, rounds: { type: 'string', default: '5' }, connections: { type: 'string', default: '64' }, 'max-tokens': { type: 'string', default: '50' } } });
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const maxTokens = Number(values['max-tokens']);
if (!existsSync(join(root, 'dist', 'cli.js'))) {
  console.error('bench-serve: dist/ is missing; run "npm run build" first');
  process.exit(2);
}

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

const chatBody = (stream) =>
  JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You are a helpful assistant that answers briefly and precisely.' },
      { role: 'user', content: 'Explain in a few sentences when a batch API is cheaper than direct calls.' },
    ],
    max_tokens: maxTokens,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });

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
async function load(url, path, body, pid) {
  const cpuBefore = cpuSeconds(pid);
  const pool = new Pool(url, { connections, pipelining: 1 });
  let requests = 0;
  let events = 0;
  let errors = 0;
  let running = true;
  const worker = async () => {
    while (running) {
      try {
        const res = await pool.request({ method: 'POST', path, body, headers: { 'content-type': 'application/json', authorization: 'Bearer sim' } });
        let prev = 0;
        for await (const chunk of res.body) {
          for (let i = 0; i < chunk.length; i++) {
            if (chunk[i] === 10 && prev === 10) events++;
            prev = chunk[i];
          }
        }
        if (res.statusCode === 200) requests++;
        else errors++;
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
  return { rps: requests / elapsed, eps: events / elapsed, errors, cpuPerRequestUs };
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

const sim = await startChild([join(root, 'bin', 'aip.js'), 'serve', '--port', '0', '--latency-scale', '0', '--seed', '1', '--quiet']);
// The bytes the bare server will return: one answer of each kind from the simulator itself.
const sample = async (stream) => {
  for (;;) {
    const text = await (await fetch(`${sim.url}/v1/chat/completions`, { method: 'POST', body: chatBody(stream), headers: { 'content-type': 'application/json' } })).text();
    if (text.includes(`"completion_tokens":${maxTokens},`)) return text;
  }
};
const bare = await startChild(['--input-type=module', '-e', BARE], JSON.stringify({ plain: await sample(false), sse: await sample(true) }));

const runs = { bare: [], sim: [] };
try {
  for (const url of [bare.url, sim.url]) {
    await warm(url, '/v1/chat/completions', chatBody(false));
    await warm(url, '/v1/chat/completions?stream', chatBody(true));
  }
  for (let r = 0; r < rounds; r++) {
    const servers = [['bare', bare.url, bare.child.pid], ['sim', sim.url, sim.child.pid]];
    // Each round swaps which server goes first, so a drift in background load does not favour one.
    for (const [name, url, pid] of r % 2 === 0 ? servers : servers.reverse()) {
      const plain = await load(url, '/v1/chat/completions', chatBody(false), pid);
      const sse = await load(url, '/v1/chat/completions?stream', chatBody(true), pid);
      runs[name].push({ plain, sse });
    }
  }
} finally {
  sim.child.kill('SIGTERM');
  bare.child.kill('SIGTERM');
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const summary = (list) => ({
  plain: { rps: median(list.map((x) => x.plain.rps)), cpu: median(list.map((x) => x.plain.cpuPerRequestUs ?? NaN)), errors: list.reduce((a, x) => a + x.plain.errors, 0) },
  sse: { rps: median(list.map((x) => x.sse.rps)), eps: median(list.map((x) => x.sse.eps)), cpu: median(list.map((x) => x.sse.cpuPerRequestUs ?? NaN)), errors: list.reduce((a, x) => a + x.sse.errors, 0) },
});
const results = { 'bare node:http': summary(runs.bare), 'aip serve': summary(runs.sim) };
const b = results['bare node:http'];
const s = results['aip serve'];
const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(10);
console.log(`aip serve throughput at --latency-scale 0: ${connections} connections, median of ${rounds} alternating runs of ${seconds} s, answers of ≤ ${maxTokens} tokens (${process.platform}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}, node ${process.version})`);
console.log(`${''.padEnd(22)}${'bare node:http'.padStart(16)}${'aip serve'.padStart(12)}${'ratio'.padStart(8)}`);
console.log(`${'plain requests/s'.padEnd(22)}${fmt(b.plain.rps).padStart(16)}${fmt(s.plain.rps).padStart(12)}${(s.plain.rps / b.plain.rps).toFixed(2).padStart(7)}×`);
console.log(`${'SSE events/s'.padEnd(22)}${fmt(b.sse.eps).padStart(16)}${fmt(s.sse.eps).padStart(12)}${(s.sse.eps / b.sse.eps).toFixed(2).padStart(7)}×`);
console.log(`${'SSE streams/s'.padEnd(22)}${fmt(b.sse.rps).padStart(16)}${fmt(s.sse.rps).padStart(12)}${(s.sse.rps / b.sse.rps).toFixed(2).padStart(7)}×`);
console.log(`${'SSE events per stream'.padEnd(22)}${(b.sse.eps / b.sse.rps).toFixed(1).padStart(16)}${(s.sse.eps / s.sse.rps).toFixed(1).padStart(12)}`);
if (Number.isFinite(b.plain.cpu) && Number.isFinite(s.plain.cpu)) {
  // Server CPU per request: the throughput ratio a CPU-bound server would reach, whatever else runs here.
  console.log(`${'server CPU µs/request'.padEnd(22)}${b.plain.cpu.toFixed(0).padStart(16)}${s.plain.cpu.toFixed(0).padStart(12)}${(b.plain.cpu / s.plain.cpu).toFixed(2).padStart(7)}×  (plain; ratio = bare ÷ aip serve)`);
  console.log(`${'server CPU µs/stream'.padEnd(22)}${b.sse.cpu.toFixed(0).padStart(16)}${s.sse.cpu.toFixed(0).padStart(12)}${(b.sse.cpu / s.sse.cpu).toFixed(2).padStart(7)}×  (SSE)`);
}
const errs = b.plain.errors + b.sse.errors + s.plain.errors + s.sse.errors;
if (errs > 0) console.log(`(${errs} failed requests were not counted)`);
