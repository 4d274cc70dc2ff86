// Benchmark of `aip import`: MB/s and peak RSS importing OTLP JSON lines (the collector's file exporter:
// one ExportTraceServiceRequest per line, ~1 KB per GenAI span) next to a bare loop that only JSON.parses
// the same lines; then a year of per-minute OpenAI usage buckets as one JSON document (the streaming parser).
// Usage: npm run bench:import [-- MB]   (default 1024 MB of spans; e.g. "-- 100" for a quick run)
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'aip.js');
const targetMb = Number(process.argv[2] ?? 1024);
if (!(targetMb > 0)) {
  console.error('usage: npm run bench:import [-- MB]  (MB of OTLP lines to generate, default 1024)');
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'aip-bench-import-'));
const preload = join(work, 'maxrss.mjs');
writeFileSync(preload, "process.on('exit', () => process.stderr.write(`\\nMAXRSS_KB ${process.resourceUsage().maxRSS}\\n`));\n");

function write(path, lines) {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(path);
    out.on('error', reject);
    const next = () => {
      for (;;) {
        const line = lines.next();
        if (line.done) return out.end(resolve);
        if (!out.write(line.value)) return out.once('drain', next);
      }
    };
    next();
  });
}

const kv = (key, v) => ({ key, value: typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v } });
const MODELS = [['openai', 'gpt-4o-mini', 'openai.response.service_tier'], ['anthropic', 'claude-haiku-4-5', 'anthropic.response.service_tier'], ['openai', 'gpt-4.1', 'openai.response.service_tier']];
const SERVICES = ['support-bot', 'search-api', 'nightly-digest'];
const START_NS = BigInt(Date.parse('2026-10-01T00:00:00Z')) * 1_000_000n;
const MONTH_NS = 30n * 86_400n * 1_000_000_000n;

function* otlpLines(bytes) {
  let written = 0;
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  let n = 0;
  const spansPerLine = 20;
  while (written < bytes) {
    const service = SERVICES[n % SERVICES.length];
    const spans = [];
    for (let i = 0; i < spansPerLine; i++, n++) {
      const [provider, model, tierKey] = MODELS[n % MODELS.length];
      const start = START_NS + (BigInt(Math.floor(rand() * 1e9)) * MONTH_NS) / 1_000_000_000n;
      const stream = n % 2 === 0;
      const ttft = 0.3 + rand();
      const output = 50 + Math.floor(rand() * 600);
      const durationNs = BigInt(Math.round((ttft + output / 80) * 1e9));
      spans.push({
        traceId: (n * 7919).toString(16).padStart(32, '0'),
        spanId: n.toString(16).padStart(16, '0'),
        parentSpanId: '',
        name: `chat ${model}`,
        kind: 3,
        startTimeUnixNano: String(start),
        endTimeUnixNano: String(start + durationNs),
        attributes: [
          kv('gen_ai.operation.name', 'chat'), kv('gen_ai.provider.name', provider), kv('gen_ai.request.model', model), kv('gen_ai.response.model', model),
          kv('gen_ai.usage.input_tokens', 200 + Math.floor(rand() * 3000)), kv('gen_ai.usage.output_tokens', output), kv('gen_ai.usage.cache_read.input_tokens', Math.floor(rand() * 100)),
          kv('gen_ai.request.stream', stream), ...(stream ? [kv('gen_ai.response.time_to_first_chunk', ttft)] : []), kv(tierKey, 'standard'),
          kv('server.address', 'api.example.com'), kv('gen_ai.request.max_tokens', 1024), kv('gen_ai.response.finish_reasons', 'stop'),
        ],
        droppedAttributesCount: 0,
        events: [],
        droppedEventsCount: 0,
        status: { code: 0 },
        links: [],
        droppedLinksCount: 0,
        flags: 1,
      });
    }
    const line = `${JSON.stringify({ resourceSpans: [{ resource: { attributes: [kv('service.name', service), kv('telemetry.sdk.language', 'nodejs')], droppedAttributesCount: 0 }, scopeSpans: [{ scope: { name: '@traceloop/instrumentation-openai', version: '0.27.0' }, spans }] }] })}\n`;
    written += Buffer.byteLength(line);
    yield line;
  }
}

/** A year of per-minute buckets as the API pages them (1,440 a page), pages in one JSON array, a bucket a line. */
function* yearOfMinuteBuckets() {
  const start = Date.parse('2025-11-01T00:00:00Z') / 1000;
  yield '[\n';
  for (let day = 0; day < 365; day++) {
    yield `${day ? ',\n' : ''}{"object":"page","has_more":${day < 364},"next_page":null,"data":[\n`;
    for (let m = 0; m < 1440; m++) {
      const t = start + (day * 1440 + m) * 60;
      const r = 2 + ((day * 1440 + m) % 17);
      yield `${m ? ',\n' : ''}{"object":"bucket","start_time":${t},"end_time":${t + 60},"results":[{"object":"organization.usage.completions.result","input_tokens":${r * 1200},"output_tokens":${r * 300},"input_cached_tokens":${r * 400},"input_audio_tokens":0,"output_audio_tokens":0,"num_model_requests":${r},"project_id":"proj_support","user_id":null,"api_key_id":null,"model":"gpt-4o-mini-2024-07-18","batch":false,"service_tier":"default"}]}`;
    }
    yield '\n]}';
  }
  yield '\n]\n';
}

function run(args, label) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(preload).href, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = Number(/MAXRSS_KB (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  if (r.status !== 0) {
    console.error(`${label} failed (exit ${r.status}):\n${r.stderr.slice(0, 2000)}`);
    process.exit(1);
  }
  return { seconds, rss, stdout: r.stdout };
}

try {
  const spans = join(work, 'traces.jsonl');
  process.stderr.write(`generating ${targetMb} MB of OTLP JSON lines in ${work} …\n`);
  await write(spans, otlpLines(targetMb * 1024 * 1024));
  const mb = statSync(spans).size / (1024 * 1024);
  const bare = join(work, 'bare.mjs');
  writeFileSync(bare, `import { createReadStream } from 'node:fs';\nimport { createInterface } from 'node:readline';\nlet n = 0;\nfor await (const line of createInterface({ input: createReadStream(process.argv[2], { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity })) if (line) { JSON.parse(line); n++; }\nconsole.log(n);\n`);
  const parse = run([bare, spans], 'JSON.parse loop');
  const imp = run([bin, 'import', spans, '--json', '-q'], 'aip import');
  const doc = JSON.parse(imp.stdout);
  const requests = doc.workloads.reduce((s, w) => s + (w.requests ?? 0), 0);
  const rows = [
    ['JSON.parse of each line (bare loop)', parse],
    ['aip import (parse, map, group, derive)', imp],
  ];
  console.log(`\nOTLP JSON lines: ${mb.toFixed(0)} MB, ${requests.toLocaleString('en-US')} spans → ${doc.workloads.length} workloads`);
  for (const [label, r] of rows) console.log(`  ${label.padEnd(42)} ${(mb / r.seconds).toFixed(1).padStart(7)} MB/s  ${r.seconds.toFixed(1).padStart(6)} s  peak RSS ${r.rss.toFixed(0).padStart(4)} MB`);

  const buckets = join(work, 'usage-year.json');
  await write(buckets, yearOfMinuteBuckets());
  const bmb = statSync(buckets).size / (1024 * 1024);
  const b = run([bin, 'import', buckets, '--json', '-q'], 'aip import (buckets)');
  const bdoc = JSON.parse(b.stdout);
  console.log(`\nOpenAI usage, a year of per-minute buckets as one JSON document: ${bmb.toFixed(0)} MB, ${(365 * 1440).toLocaleString('en-US')} buckets`);
  console.log(`  ${'aip import (streaming JSON parser)'.padEnd(42)} ${(bmb / b.seconds).toFixed(1).padStart(7)} MB/s  ${b.seconds.toFixed(1).padStart(6)} s  peak RSS ${b.rss.toFixed(0).padStart(4)} MB  (${bdoc.workloads[0]?.requests?.toLocaleString('en-US')} requests, peak factor ${bdoc.workloads[0]?.peak_factor})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
