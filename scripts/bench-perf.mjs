// npm run bench:perf — start-up and throughput figures, printed (not a test). Each case is a node command
// timed in a child process; cases run interleaved, several times, and the median is compared with a
// baseline case measured in the same run. Add a case to CASES to measure another command.
// The start-up cases run twice: on the built checkout and on the package as a user gets it (`npm pack`,
// then `npm install` of the tarball into a temporary directory), because the two can differ (file
// times, paths). `--no-installed` skips the packed copy; other arguments pick cases by name.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mixedText, pathologicalText } from './mixed-text.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'aip.js');
const work = mkdtempSync(join(tmpdir(), 'aip-bench-'));
const TEXT_BYTES = 5 * 1024 * 1024;
const textFile = join(work, 'mixed-5mb.txt');
writeFileSync(textFile, mixedText(TEXT_BYTES, 1));
/** 5 MB texts that are hard on a tokenizer, counted beside the prose above (the same MB/s is the target). */
const hardFiles = [
  ['one unbroken run, "q"', 'one-char', 'q'],
  ['one unbroken run, "="', 'one-char', '='],
  ['random letters, no break', 'letters'],
  ['base64', 'base64'],
  ['hex', 'hex'],
  ['minified JS', 'minified-js'],
].map(([label, kind, char]) => {
  const path = join(work, `${kind}-${char ?? ''}.txt`);
  writeFileSync(path, pathologicalText(kind, TEXT_BYTES, 2, char));
  return { label, path };
});
const smallFile = join(work, 'hello.txt');
writeFileSync(smallFile, 'Summarise the ticket below in two sentences.\n');
// aip check with prompt files, cold (no token-count cache, so the tokenizer is built) and warm.
const examples = join(root, 'examples', 'workloads.yaml');
const baselineFile = join(work, 'baseline.json');
const cacheDir = join(work, 'cache');
{
  const r = spawnSync(process.execPath, [bin, 'baseline', examples, '-o', baselineFile], { cwd: root, encoding: 'utf8', env: { ...process.env, AIP_CACHE_DIR: cacheDir } });
  if (r.status !== 0) throw new Error(`aip baseline exited ${r.status}: ${r.stderr}`);
}

/** A workload file of n workloads (tokens given, so no tokenizer): cycles through the decision rules. */
function workloadFile(n) {
  const shapes = [
    { model: 'gpt-4o-mini', volume: '300k/month', latency: '3s', user_facing: true, input: { tokens: 1200, cached: 0.6 }, output: { tokens: 450 } },
    { model: 'claude-haiku-4-5', volume: '12k/day', latency: 'overnight', input: { tokens: 2000 }, output: { tokens: 600 } },
    { model: 'gpt-4.1-nano', volume: '20/min', latency: '800ms', task: 'classification', input: { tokens: 600 }, output: { tokens: 8 } },
    { model: 'gemini-2.5-flash', volume: '2M/month', latency: 'hours', input: { tokens: 900 }, output: { tokens: 40 } },
  ];
  const workloads = Array.from({ length: n }, (_, i) => ({ name: `w${i}`, ...shapes[i % shapes.length] }));
  const path = join(work, `workloads-${n}.yaml`);
  writeFileSync(path, JSON.stringify({ version: 1, tiers: { openai: 4, anthropic: 'build' }, workloads }));
  return path;
}
// A check against a JSON baseline of 8,000 workloads (it was read as YAML: seconds and hundreds of MB). aip
// baseline writes ~50 MB for them, above the 20 MB input limit, hence --max-input-size.
const bigWorkloads = workloadFile(8000);
const bigBaseline = join(work, 'baseline-8000.json');
{
  const r = spawnSync(process.execPath, [bin, 'baseline', bigWorkloads, '-o', bigBaseline], { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`aip baseline (8,000) exited ${r.status}: ${r.stderr}`);
}
const workloads3 = workloadFile(3);
const workloads100 = workloadFile(100);
const workloads1000 = workloadFile(1000);

const args = process.argv.slice(2);
const withInstalled = !args.includes('--no-installed');
const only = args.filter((a) => !a.startsWith('--'));

/** npm pack (which builds) and npm install of the tarball into a temporary directory: the installed bin. */
function installPacked() {
  const dir = join(work, 'installed');
  const packDir = join(work, 'pack');
  execFileSync('mkdir', ['-p', dir, packDir]);
  execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const tgz = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  writeFileSync(join(dir, 'package.json'), '{"name":"aip-bench-install","private":true}');
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefer-offline', join(packDir, tgz)], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return join(dir, 'node_modules', 'aip', 'bin', 'aip.js');
}
const installedBin = withInstalled ? installPacked() : undefined;

/** The start-up cases, for one copy of aip (label '' for the checkout, ' [installed]' for the packed one). */
function startupCases(b, label) {
  return [
    { name: `aip --help${label}`, args: [b, '--help'], baseline: 'node -e 0', target: 1.5, runs: 15 },
    { name: `aip models --provider openai${label}`, args: [b, 'models', '--provider', 'openai'], baseline: 'node -e 0', target: 3, runs: 15 },
    { name: `aip models --json${label}`, args: [b, 'models', '--json'], baseline: 'node -e 0', runs: 15 },
    { name: `aip recommend (3 workloads)${label}`, args: [b, 'recommend', workloads3], baseline: 'node -e 0', target: 3, runs: 15 },
  ];
}

/**
 * name: what is measured; args: node's arguments; baseline: the case it is compared with; target: the
 * largest acceptable ratio (time / baseline time); bytes: input size, to print MB/s; runs: repetitions.
 * check(stdout): optional, returns a value that must agree with the baseline's (e.g. the token count).
 */
export const CASES = [
  { name: 'node -e 0', args: ['-e', '0'], runs: 15 },
  ...startupCases(bin, ''),
  ...(installedBin ? startupCases(installedBin, ' [installed]') : []),
  { name: 'js-tiktoken direct (5 MB)', args: [join(root, 'scripts/bench/tiktoken-direct.mjs'), textFile], bytes: TEXT_BYTES, runs: 3, check: (out) => Number(out.trim()) },
  {
    name: 'aip tokens (5 MB)',
    args: [bin, 'tokens', textFile, '--model', 'gpt-4o', '--json'],
    baseline: 'js-tiktoken direct (5 MB)',
    target: 1.15,
    bytes: TEXT_BYTES,
    runs: 3,
    check: (out) => JSON.parse(out).total_tokens,
  },
  ...hardFiles.map(({ label, path }) => ({
    name: `aip tokens (5 MB ${label})`,
    args: [bin, 'tokens', path, '--model', 'gpt-4o', '--json'],
    baseline: 'aip tokens (5 MB)',
    target: 1.5,
    bytes: TEXT_BYTES,
    runs: 3,
  })),
  // Cold start of the tokenizer: js-tiktoken building o200k_base vs aip counting one short file (start-up included).
  { name: 'js-tiktoken load o200k', args: [join(root, 'scripts/bench/tiktoken-load.mjs')], baseline: 'node -e 0', runs: 7 },
  { name: 'aip tokens (small file, cold)', args: [bin, 'tokens', smallFile, '--model', 'gpt-4o'], baseline: 'node -e 0', runs: 7 },
  { name: 'aip check (prompt files, cold)', args: [bin, 'check', examples, '--baseline', baselineFile], env: { AIP_NO_CACHE: '1' }, baseline: 'node -e 0', runs: 7 },
  { name: 'aip check (prompt files, warm)', args: [bin, 'check', examples, '--baseline', baselineFile], env: { AIP_CACHE_DIR: cacheDir }, baseline: 'aip check (prompt files, cold)', runs: 7 },
  { name: 'aip check (8,000 workloads, JSON baseline)', args: [bin, '--max-input-size', '100MB', 'check', bigWorkloads, '--baseline', bigBaseline, '--format', 'json'], baseline: 'node -e 0', runs: 3 },
  // aip recommend: a small file near start-up cost; 1,000 workloads linear (≤ 10× the 100-workload run,
  // start-up included) and under 1 s (read the median).
  { name: 'aip recommend (100 workloads)', args: [bin, 'recommend', workloads100, '--json'], baseline: 'node -e 0', runs: 7 },
  { name: 'aip recommend (1,000 workloads)', args: [bin, 'recommend', workloads1000, '--json'], baseline: 'aip recommend (100 workloads)', target: 10, runs: 7 },
  { name: 'aip recommend examples (prompt files)', args: [bin, 'recommend', join(root, 'examples', 'workloads.yaml')], baseline: 'node -e 0', runs: 7 },
];

const rssHook = join(root, 'scripts/bench/report-rss.mjs');

function timeOnce(c) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', rssHook, ...c.args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...c.env }, maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`);
  const rss = /aip-bench-maxrss-kb (\d+)/.exec(r.stderr);
  return { ms, stdout: r.stdout, rssMb: rss ? Number(rss[1]) / 1024 : undefined };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const cases = only.length ? CASES.filter((c) => only.some((o) => c.name.includes(o)) || CASES.some((d) => d.baseline === c.name && only.some((o) => d.name.includes(o)))) : CASES;
const times = new Map(cases.map((c) => [c.name, []]));
const rss = new Map(cases.map((c) => [c.name, []]));
const checks = new Map();
for (const c of cases) timeOnce(c); // warm the file cache once
const maxRuns = Math.max(...cases.map((c) => c.runs ?? 5));
for (let i = 0; i < maxRuns; i++) {
  for (const c of cases) {
    if (i >= (c.runs ?? 5)) continue;
    const { ms, stdout, rssMb } = timeOnce(c);
    times.get(c.name).push(ms);
    if (rssMb !== undefined) rss.get(c.name).push(rssMb);
    if (c.check) checks.set(c.name, c.check(stdout));
  }
}

const rows = cases.map((c) => {
  const ms = median(times.get(c.name));
  const base = c.baseline ? median(times.get(c.baseline)) : undefined;
  const ratio = base ? ms / base : undefined;
  const mbps = c.bytes ? c.bytes / (1024 * 1024) / (ms / 1000) : undefined;
  const agree = c.check && c.baseline && checks.has(c.baseline) ? checks.get(c.name) === checks.get(c.baseline) : undefined;
  return {
    case: c.name,
    'median ms': ms.toFixed(1),
    'MB/s': mbps === undefined ? '' : mbps.toFixed(2),
    'peak MB': rss.get(c.name).length ? median(rss.get(c.name)).toFixed(0) : '',
    'vs baseline': ratio === undefined ? '' : `${ratio.toFixed(2)}× ${c.baseline}`,
    target: c.target ? `≤ ${c.target}×${ratio !== undefined ? (ratio <= c.target ? ' ok' : ' MISSED') : ''}` : '',
    note: agree === undefined ? '' : agree ? `same count (${checks.get(c.name)})` : `COUNTS DIFFER: ${checks.get(c.name)} vs ${checks.get(c.baseline)}`,
  };
});

console.log(`aip bench:perf — node ${process.version}, ${process.platform}/${process.arch}; medians of interleaved runs; input ${TEXT_BYTES} bytes of mixed text (seed 1)${installedBin ? '; [installed] = npm pack + npm install into a temporary directory' : ''}`);
console.table(rows);
rmSync(work, { recursive: true, force: true });
