// Benchmarks `aip bench` itself (prints figures; run after `npm run build`):
//  1. request rate: bench (one process, --target openai --base-url at the simulator) vs autocannon, both
//     against `aip serve --latency-scale 0` in a child process, in the same run. Target: ≥ 0.8×.
//  2. timing honesty: TTFB error (measured − the server's exact 50 ms delay), p50 and p99 after warm-up, at
//     concurrency 1 and 256, bench vs a bare undici Pool loop (scripts/bench/bare-undici-ttfb.mjs) in the same
//     run, each in its own fresh process, same warm-up and samples, alternating. Target: ≤ 1.2×.
//     wrk (if installed: `apt-get install wrk`) runs beside autocannon in the same rounds.
//  3. stream timing accuracy against a paced server and a third-party mock at concurrency 1, 16 and 64
//     (scripts/bench-accuracy.mjs: TTFT, ITL, TPOT and end-to-end errors; target ±2 ms p50, ±10 ms p99).
// Usage: node scripts/bench-bench.mjs [--seconds 5] [--only rate|ttfb|accuracy] [--ttfb-concurrency 1,256]
//   AIP_BENCH_BIN=/path/to/other/bin/aip.js measures another build (e.g. a checkout of main) the same way.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Pool } from 'undici';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.AIP_BENCH_BIN ?? join(root, 'bin', 'aip.js');
const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1] || 5) || 5;
const CONNECTIONS = 64;
const DELAY_MS = 50;
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;
const ccAt = process.argv.indexOf('--ttfb-concurrency');
const ttfbConcurrencies = ccAt > 0 ? process.argv[ccAt + 1].split(',').map(Number) : [1, 256];

/** A child process that prints its URL on its first line of stdout. */
async function startChild(args, env = {}) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1', ...env } });
  let buffered = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      buffered += d;
      const m = /(http:\/\/[^\s]+)/.exec(buffered);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
  child.stdout.resume();
  return { url, stop: async () => { child.kill('SIGTERM'); await once(child, 'exit').catch(() => {}); } };
}

function runBench(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'bench', '--json', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`bench exited ${code}: ${err}`))));
  });
}

const PROMPT = 'Say something short.';
// bench sends the output cap in both fields to an OpenAI-compatible base URL (Ollama and llama-cpp-python read only max_tokens).
const chatBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }], max_completion_tokens: 16, max_tokens: 16 });
// bench sends the very same request body as autocannon and the bare loop (the simulator's work depends on it).
const promptFile = join(mkdtempSync(join(tmpdir(), 'aip-bench-bench-')), 'prompt.txt');
writeFileSync(promptFile, PROMPT);

// wrk, when installed: the same POST from a Lua script, two threads.
const wrkScript = join(dirname(promptFile), 'post.lua');
writeFileSync(wrkScript, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(chatBody)}\nwrk.headers["Content-Type"] = "application/json"\n`);
const hasWrk = spawnSync('wrk', ['--version']).error === undefined;
function wrkRate(url, connections, secs) {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t', '2', '-c', String(connections), '-d', `${secs}s`, '-s', wrkScript, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const m = /Requests\/sec:\s+([\d.]+)/.exec(out);
      if (code === 0 && m) resolve(Number(m[1]));
      else reject(new Error(`wrk exited ${code}: ${out}`));
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ROUNDS = 3;
// The TTFB comparison alternates more rounds: its p99 at C=256 swings between runs on a shared machine.
const TTFB_ROUNDS = 5;

/** Closed loop of bare undici requests (the floor any client on undici pays), for reference. */
async function bareUndiciRate(url, connections, ms) {
  const pool = new Pool(url, { connections, pipelining: 1 });
  let n = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const res = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: chatBody });
        JSON.parse(await res.body.text());
        n++;
      }
    }),
  );
  await pool.close();
  return n / (ms / 1000);
}

// 1. Request rate against the simulator child at --latency-scale 0. The three clients take turns, ROUNDS
//    times, and the medians are compared: on a shared machine one-shot figures swing by 2×.
if (only === undefined || only === 'rate') {
const sim = await startChild([bin, 'serve', '--latency-scale', '0', '--port', '0']);
try {
  // Warm the simulator (its tokenizer loads on the first request) before any measurement.
  await autocannon({ url: `${sim.url}/v1/chat/completions`, method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody, connections: 4, amount: 500 });
  const ac = [];
  const ours = [];
  const bare = [];
  const wrk = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (hasWrk) wrk.push(await wrkRate(`${sim.url}/v1/chat/completions`, CONNECTIONS, seconds));
    const a = await autocannon({ url: `${sim.url}/v1/chat/completions`, method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody, connections: CONNECTIONS, duration: seconds });
    ac.push(a.requests.average);
    const doc = await runBench(['--target', 'openai', '--base-url', `${sim.url}/v1`, '--patterns', 'direct', '--duration', `${seconds}s`, '--concurrency', String(CONNECTIONS), '--max-tokens', '16', '--warmup', '256', '--prompt', promptFile]);
    if (doc.patterns.direct.failed > 0) console.log(`  (bench round ${round}: ${doc.patterns.direct.failed} failed)`);
    ours.push(doc.patterns.direct.throughput_rps);
    bare.push(await bareUndiciRate(sim.url, CONNECTIONS, seconds * 1000));
  }
  const f = (xs) => `${median(xs).toFixed(0)} req/s (rounds: ${xs.map((x) => x.toFixed(0)).join(', ')})`;
  console.log(`request rate vs the simulator child (latency scale 0, ${CONNECTIONS} connections, ${seconds} s per run, median of ${ROUNDS}):`);
  console.log(`  autocannon        ${f(ac)}`);
  if (hasWrk) console.log(`  wrk (2 threads)   ${f(wrk)}`);
  else console.log('  wrk               not installed (apt-get install wrk)');
  console.log(`  bare undici loop  ${f(bare)}`);
  console.log(`  aip bench         ${f(ours)}`);
  console.log(`  aip bench / autocannon   ${(median(ours) / median(ac)).toFixed(2)}× (target ≥ 0.80×)`);
  console.log(`  aip bench / bare undici  ${(median(ours) / median(bare)).toFixed(2)}×`);
  if (hasWrk) console.log(`  aip bench / wrk          ${(median(ours) / median(wrk)).toFixed(2)}×`);
} finally {
  await sim.stop();
}
}

if (only === undefined || only === 'ttfb') {
// 2. TTFB error against a response delayed exactly 50 ms (a one-purpose server in a child process).
const delayedServer = `
  import { createServer } from 'node:http';
  const body = JSON.stringify({ id: 'chatcmpl-x', object: 'chat.completion', created: 0, model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 } });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'GET') { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"object":"list","data":[]}'); return; }
      setTimeout(() => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); }, ${DELAY_MS});
    });
  });
  server.keepAliveTimeout = 60000;
  server.maxConnections = 4096;
  server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
`;
const delayed = await startChild(['--input-type=module', '-e', delayedServer]);

/** The bare undici loop in its own fresh process (as bench runs in one): same warm-up, same sample count. */
function bareUndiciTtfb(concurrency, requests, warmup) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'scripts', 'bench', 'bare-undici-ttfb.mjs'), delayed.url, String(concurrency), String(requests), String(warmup), chatBody], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`bare loop exited ${code}`))));
  });
}

try {
  console.log(`\nTTFB error for a response delayed exactly ${DELAY_MS} ms (measured − ${DELAY_MS} ms, after warm-up; median of ${TTFB_ROUNDS} alternating runs, each client in its own fresh process):`);
  const err = (x) => Math.max(x - DELAY_MS, 0.001);
  for (const concurrency of ttfbConcurrencies) {
    // Warm-up long enough for the JIT to settle both clients (five rounds of the pool at c=256).
    const requests = concurrency === 1 ? 300 : 5120;
    const warmup = concurrency === 1 ? 100 : 1280;
    const bare = { p50: [], p99: [] };
    const ours = { p50: [], p99: [] };
    const runBare = async () => {
      const b = await bareUndiciTtfb(concurrency, requests, warmup);
      bare.p50.push(err(b.p50));
      bare.p99.push(err(b.p99));
    };
    const runOurs = async () => {
      const doc = await runBench(['--target', 'openai', '--base-url', `${delayed.url}/v1`, '--patterns', 'direct', '--requests', String(requests), '--concurrency', String(concurrency), '--warmup', String(warmup), '--max-tokens', '16', '--prompt', promptFile]);
      ours.p50.push(err(doc.patterns.direct.ttfb_ms.p50));
      ours.p99.push(err(doc.patterns.direct.ttfb_ms.p99));
    };
    // Alternating which goes first, so neither always runs on a machine the other just warmed or loaded.
    for (let round = 0; round < TTFB_ROUNDS; round++) {
      if (round % 2 === 0) {
        await runBare();
        await runOurs();
      } else {
        await runOurs();
        await runBare();
      }
    }
    const row = (name, r) => `  c=${String(concurrency).padEnd(4)} ${name.padEnd(12)} p50 +${median(r.p50).toFixed(3)} ms   p99 +${median(r.p99).toFixed(3)} ms   (p99 rounds: ${r.p99.map((x) => x.toFixed(1)).join(', ')})`;
    console.log(row('bare undici', bare));
    console.log(row('aip bench', ours));
    console.log(`  c=${String(concurrency).padEnd(4)} ratio        p50 ${(median(ours.p50) / median(bare.p50)).toFixed(2)}×   p99 ${(median(ours.p99) / median(bare.p99)).toFixed(2)}× (target ≤ 1.2×)`);
  }
} finally {
  await delayed.stop();
}
}

if (only === undefined || only === 'accuracy') {
  // 3. Stream timing accuracy (its own script, which can also be run alone: npm run bench:accuracy).
  console.log('\nstream timing accuracy (scripts/bench-accuracy.mjs):');
  const child = spawn(process.execPath, [join(root, 'scripts', 'bench-accuracy.mjs')], { cwd: root, stdio: 'inherit', env: { ...process.env, AIP_BENCH_BIN: bin } });
  const [code] = await once(child, 'exit');
  if (code !== 0) process.exitCode = code ?? 1;
}
