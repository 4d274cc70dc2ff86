// Benchmark of `aip simulate`: requests simulated per second and memory at 100K → 100M requests/month,
// all three patterns, default runs (100). Memory must stay flat as volume grows (no per-request arrays).
// Then a portfolio: files of 10, 100 and 1,000 workloads through `aip simulate FILE --json` end to end
// (issue 13: 10 workloads under 1 s, 1,000 under 15 s).
// Usage: npm run bench:simulate   (builds dist/ and a bundle of the core from src/ with esbuild, then runs them)
//        node scripts/bench-simulate.mjs --portfolio [10,100,1000]   (only the portfolio, these sizes)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The bundle lives under dist/ (ignored by git) so the catalog's package-root lookup finds data/.
const out = join(root, 'dist', 'bench');
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'aip-bench-simulate-'));
// Tier 5 keeps every case far below the limits (simulated window by window); at tier 2 (2M TPM ≈ 1,250
// requests/min of 1,600 tokens) 15M/month peaks at ~1,040/min, near them, and at tier 1 (200K TPM) 10M/month
// is far past them: those two run minute by minute through the rate-limit queue.
const cases = [
  { volume: 100_000, tier: 5 },
  { volume: 1_000_000, tier: 5 },
  { volume: 10_000_000, tier: 5 },
  { volume: 100_000_000, tier: 5 },
  { volume: 15_000_000, tier: 2 },
  { volume: 10_000_000, tier: 1 },
];

const workloadYaml = (volume, tier = 5) => `version: 1
tiers: { openai: ${tier} }
workloads:
  - name: bench
    model: gpt-4o-mini
    volume: ${volume}
    latency: 5s
    user_facing: true
    input: { tokens: 1200, cached: 0.5 }
    output: { tokens: 400, p95: 1200 }
    peak_factor: 3
`;

if (process.argv[2] === '--child') {
  // One volume per child process, so each memory figure starts from a clean heap.
  const volume = Number(process.argv[3]);
  const { bench } = await import(pathToFileURL(join(out, 'simulate-core.mjs')).href);
  const result = await bench(workloadYaml(volume, Number(process.argv[4])));
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
}

/** Issue 13's targets, and its reference figure (0.14 s a workload, linear, one core, when it was opened). */
const TARGET_S = { 10: 1, 1000: 15 };
const REFERENCE_S_PER_WORKLOAD = 0.141;

const portfolioOnly = process.argv[2] === '--portfolio';
const portfolioSizes = portfolioOnly && process.argv[3] ? process.argv[3].split(',').map(Number) : [10, 100, 1000];

if (!portfolioOnly) await volumeTable();
portfolio(portfolioSizes);

async function volumeTable() {
  const entry = join(work, 'entry.ts');
  writeFileSync(
    entry,
    `import { loadCatalog } from ${JSON.stringify(join(root, 'src/io/catalog/load.ts'))};
  import { normaliseWorkloadSource } from ${JSON.stringify(join(root, 'src/core/workload/normalise.ts'))};
  import { parseYamlSource } from ${JSON.stringify(join(root, 'src/core/parse/yaml-source.ts'))};
  import { fsFileSource } from ${JSON.stringify(join(root, 'src/io/file-source.ts'))};
  import { simulateFile } from ${JSON.stringify(join(root, 'src/core/montecarlo/run.ts'))};
export { SIM_ASSUMPTIONS } from ${JSON.stringify(join(root, 'src/core/montecarlo/assumptions.ts'))};
  export async function bench(yaml: string) {
    const catalog = await loadCatalog();
    const file = await normaliseWorkloadSource(parseYamlSource('bench.yaml', yaml), { catalog, cwd: '/', source: fsFileSource });
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    const t0 = performance.now();
    const report = await simulateFile(file.workloads, catalog, { seed: 1, runs: 100, months: 1, growthPct: 0, now: new Date('2026-11-25T12:00:00Z'), version: 'bench',
      onProgress: () => { const h = process.memoryUsage().heapUsed; if (h > peakHeap) peakHeap = h; } });
    const ms = performance.now() - t0;
    const w = report.workloads[0];
    const direct = w.result.patterns.direct;
    return { ms, runs: w.result.runs, patterns: Object.keys(w.result.patterns).length, traced: w.result.tracedRequests,
      heapGrowthMb: (peakHeap - before.heapUsed) / 1e6, rssMb: process.memoryUsage().rss / 1e6,
      meanCost: direct.cost.mean, analytic: direct.analytic.totalUsdPerMonth, queued: direct.queue.fraction };
  }
  `,
  );
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: join(out, 'simulate-core.mjs'),
    logLevel: 'warning',
    // Bundled CommonJS dependencies (yaml) call require() for Node built-ins.
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
  });

  console.log(`aip simulate benchmark — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
  const { SIM_ASSUMPTIONS } = await import(pathToFileURL(join(out, 'simulate-core.mjs')).href);
  console.log(`default 100 runs of a month, 3 patterns (direct, streaming, batch), ${SIM_ASSUMPTIONS.latencySamples / 1000}K requests traced per pattern\n`);
  console.log('requests/month  tier  time (100 runs)  per run  requests simulated/s  traced requests/s  heap growth   RSS    queued  direct mean vs analytic');
  for (const { volume, tier } of cases) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(volume), String(tier)], { encoding: 'utf8' });
    if (child.status !== 0) {
      console.error(child.stderr);
      process.exit(1);
    }
    const r = JSON.parse(child.stdout);
    // Requests simulated: every request of every run, for each pattern (their bills and queues).
    const simulated = volume * r.runs * r.patterns;
    // Traced requests: those followed one by one (latency, retries), per pattern.
    const traced = r.traced * r.patterns;
    const s = r.ms / 1000;
    console.log(
      `${volume.toLocaleString('en-US').padStart(14)}  ${String(tier).padStart(4)}  ${s.toFixed(2).padStart(13)} s  ${(r.ms / r.runs).toFixed(1).padStart(4)} ms  ${(simulated / s).toExponential(2).padStart(20)}  ${(traced / s).toExponential(2).padStart(17)}  ${r.heapGrowthMb.toFixed(1).padStart(8)} MB  ${r.rssMb.toFixed(0).padStart(4)} MB  ${(r.queued * 100).toFixed(1).padStart(5)}%  $${r.meanCost.toFixed(2)} vs $${r.analytic.toFixed(2)}`,
    );
  }

  // The command as a user runs it (start-up, catalog, loading, simulation, JSON), at 10M requests/month.
  writeFileSync(join(work, 'w10m.yaml'), workloadYaml(10_000_000));
  const bin = join(root, 'bin', 'aip.js');
  const t0 = performance.now();
  const cli = spawnSync(process.execPath, [bin, 'simulate', join(work, 'w10m.yaml'), '--json'], { encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (cli.status !== 0) {
    console.error(cli.stderr);
    process.exit(1);
  }
  console.log(`\naip simulate (10M requests/month, 3 patterns, 100 runs) end to end: ${(wall / 1000).toFixed(2)} s wall (target < 3 s)`);
}

/**
 * A portfolio of n workloads: examples/workloads.yaml's twelve, cycled, each copy renamed and its volume
 * scaled by a factor that cycles with the copy (×1, ×0.5, ×2, ×0.25, ×4), so the file is the same every time
 * and mixes small and large volumes, every pattern, tiers near and far from their limits.
 */
function portfolioFile(n) {
  const examples = parse(readFileSync(join(root, 'examples', 'workloads.yaml'), 'utf8'));
  const factors = [1, 0.5, 2, 0.25, 4];
  const workloads = Array.from({ length: n }, (_, i) => {
    const base = examples.workloads[i % examples.workloads.length];
    const copy = Math.floor(i / examples.workloads.length);
    return { ...base, name: `${base.name}-${i}`, volume: scaleVolume(base.volume, factors[copy % factors.length]) };
  });
  const dir = join(work, `portfolio-${n}`);
  mkdirSync(dir, { recursive: true });
  // The prompt files the examples name, beside the file as in examples/.
  cpSync(join(root, 'examples', 'prompts'), join(dir, 'prompts'), { recursive: true });
  const path = join(dir, 'workloads.json');
  writeFileSync(path, JSON.stringify({ ...examples, workloads }));
  return path;
}

function scaleVolume(volume, factor) {
  const m = /^([\d.]+)([kM]?)\/(\w+)$/.exec(String(volume));
  if (!m) throw new Error(`bench: cannot scale the volume "${volume}"`);
  const n = Number(m[1]) * { '': 1, k: 1e3, M: 1e6 }[m[2]] * factor;
  return `${n}/${m[3]}`;
}

function portfolio(sizes) {
  const bin = join(root, 'bin', 'aip.js');
  // The CPU time of the whole process, all its threads, printed on exit: wall time depends on what else the
  // machine runs, CPU time much less.
  const cpuFile = join(work, 'cpu.cjs');
  writeFileSync(cpuFile, "if (require('node:worker_threads').isMainThread) process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeSync(2, `\\naip-bench-cpu ${(u.user + u.system) / 1e6}\\n`); });\n");
  console.log(`\naip simulate FILE --json on a portfolio (examples/workloads.yaml cycled, volumes ×0.25–×4), end to end, ${cpus().length} cores`);
  console.log('workloads      wall   CPU (all threads)   per workload   target   wall/target   reference (issue 13: 0.14 s a workload)   wall/reference');
  for (const n of sizes) {
    const file = portfolioFile(n);
    const t0 = performance.now();
    const cli = spawnSync(process.execPath, ['--require', cpuFile, bin, 'simulate', file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const s = (performance.now() - t0) / 1000;
    if (cli.status !== 0) {
      console.error(cli.stderr);
      process.exit(1);
    }
    const cpu = Number(/aip-bench-cpu (\S+)/.exec(cli.stderr)?.[1]);
    const simulated = JSON.parse(cli.stdout).workloads.length;
    if (simulated !== n) throw new Error(`bench: ${simulated} workloads simulated, ${n} given`);
    const target = TARGET_S[n];
    const reference = n * REFERENCE_S_PER_WORKLOAD;
    console.log(
      `${String(n).padStart(9)}  ${s.toFixed(2).padStart(7)} s  ${cpu.toFixed(2).padStart(15)} s  ${(s / n).toFixed(3).padStart(10)} s  ${(target ? `< ${target} s` : '—').padStart(7)}  ${(target ? (s / target).toFixed(2) : '—').padStart(11)}  ${reference.toFixed(1).padStart(36)} s  ${(s / reference).toFixed(2).padStart(15)}`,
    );
  }
}
