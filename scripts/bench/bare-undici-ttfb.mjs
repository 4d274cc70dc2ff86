// The reference for bench-bench's timing-honesty check: a bare undici Pool loop measuring TTFB against the
// delayed server, run in its own fresh process as `aip bench` is (same JIT and GC starting point), with the
// same warm-up and sample counts, recording every sample into the same kind of histogram (µs, 3 digits).
// A closed loop: each worker sends its next request as soon as its last answer is read, warm-up included.
// Usage: node scripts/bench/bare-undici-ttfb.mjs URL CONCURRENCY REQUESTS WARMUP BODY → one JSON line {p50, p99} in ms
import hdr from 'hdr-histogram-js';
import { Pool } from 'undici';

const [url, c, n, wu, body] = process.argv.slice(2);
const concurrency = Number(c);
const requests = Number(n);
const warmup = Number(wu);
const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
const hist = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 2, numberOfSignificantValueDigits: 3, autoResize: true, useWebAssembly: false });
const headers = { 'content-type': 'application/json' };
let next = 0;
const total = warmup + requests;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      const res = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers, body });
      const t1 = performance.now();
      await res.body.text();
      if (i >= warmup) hist.recordValue(Math.max(1, Math.round((t1 - t0) * 1000)));
    }
  }),
);
await pool.close();
process.stdout.write(`${JSON.stringify({ p50: hist.getValueAtPercentile(50) / 1000, p99: hist.getValueAtPercentile(99) / 1000, count: hist.totalCount })}\n`);
