// Records what every command prints on examples/ (stdout, stderr, exit code), with a fixed clock and no
// token cache, so a refactor can prove its output is byte-identical:
//   node scripts/output-snapshot.mjs write before.json     (on the old code, after npm run build)
//   node scripts/output-snapshot.mjs compare before.json   (on the new code: lists every difference, exit 1)
// It runs the built dist/cli.js in-process, as test/helpers/run.ts does. Live commands (bench, serve,
// wizard) are left out: their figures depend on timing and a terminal.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NOW = new Date('2026-11-25T12:00:00Z');
const work = mkdtempSync(join(tmpdir(), 'aip-snapshot-'));
const baselineFile = join(work, 'baseline.json');
const badFile = join(work, 'bad.yaml');
writeFileSync(badFile, 'version: 1\nworkloads:\n  - name: a\n    modle: gpt-4o-mini\n    volume: 10 per day\n    latency: 3000\n');

const EX = 'examples/workloads.yaml';
const CASES = [
  ['--help'],
  ['recommend', EX],
  ['recommend', EX, '--json'],
  ['recommend', EX, '--format', 'markdown'],
  ['recommend', EX, '--chart'],
  ['recommend', EX, '--quiet'],
  ['recommend', EX, '--min-batch-saving', '200', '--json'],
  ['recommend', 'missing.yaml'],
  ['recommend', badFile],
  ['models'],
  ['models', '--json'],
  ['models', '--provider', 'anthropic'],
  ['models', '--all'],
  ['tokens', 'examples/prompts/support-system.md', 'examples/prompts/support-faq.md', '-m', 'gpt-4o-mini'],
  ['tokens', 'examples/prompts/support-system.md', '-m', 'claude-sonnet-4-5', '--json'],
  ['simulate', EX, '--seed', '7', '--runs', '10'],
  ['simulate', EX, '--seed', '7', '--runs', '10', '--json'],
  ['simulate', EX, '--seed', '3', '--runs', '5', '--months', '3', '--growth', '10', '--workload', 'support-chat'],
  ['simulate', EX, '--seed', '3', '--runs', '5', '--trace', 'examples/traces/support-chat-day.txt', '--workload', 'support-chat', '--json'],
  ['baseline', EX, '-o', baselineFile],
  ['check', EX, '--baseline', baselineFile],
  ['check', EX, '--baseline', baselineFile, '--format', 'markdown', '--budget', '10'],
  ['check', EX, '--baseline', baselineFile, '--format', 'json', '--max-increase', '5'],
  ['check', EX, '--baseline', baselineFile, '--format', 'github', '--budget', '10'],
  ['catalog', 'import-litellm', 'test/fixtures/litellm_model_prices.json', '--provider', 'anthropic'],
  ['report', EX, '--seed', '7', '--runs', '5'],
  ...['recommend', 'tokens', 'models', 'check', 'baseline', 'wizard', 'simulate', 'report', 'bench', 'serve', 'catalog'].map((c) => [c, '--help']),
];

class Capture {
  text = '';
  isTTY = false;
  write(chunk) {
    this.text += chunk;
    return true;
  }
}

async function runAll() {
  const { run } = await import(pathToFileURL(join(root, 'dist', 'cli.js')).href);
  const out = {};
  for (const args of CASES) {
    const stdout = new Capture();
    const stderr = new Capture();
    const stdin = Readable.from([]);
    const proc = { argv: ['node', 'aip', ...args], env: { NO_COLOR: '1', AIP_NO_CACHE: '1', PATH: process.env.PATH, HOME: process.env.HOME }, stdout, stderr, stdin, cwd: () => root };
    const code = await run(proc, () => new Date(NOW));
    const key = args.join(' ').replaceAll(work, '$WORK');
    out[key] = { code, stdout: stdout.text.replaceAll(work, '$WORK'), stderr: stderr.text.replaceAll(work, '$WORK') };
  }
  return out;
}

const [mode, file] = process.argv.slice(2);
if (!['write', 'compare'].includes(mode) || !file) {
  console.error('usage: node scripts/output-snapshot.mjs write|compare FILE.json');
  process.exit(2);
}
try {
  const now = await runAll();
  if (mode === 'write') {
    writeFileSync(file, `${JSON.stringify(now, null, 1)}\n`);
    console.log(`wrote ${Object.keys(now).length} cases to ${file}`);
  } else {
    const before = JSON.parse(readFileSync(file, 'utf8'));
    let differ = 0;
    for (const key of new Set([...Object.keys(before), ...Object.keys(now)])) {
      const a = before[key];
      const b = now[key];
      for (const part of ['code', 'stdout', 'stderr']) {
        if (JSON.stringify(a?.[part]) === JSON.stringify(b?.[part])) continue;
        differ++;
        const al = String(a?.[part] ?? '').split('\n');
        const bl = String(b?.[part] ?? '').split('\n');
        const i = al.findIndex((l, k) => l !== bl[k]);
        console.log(`DIFFERS: aip ${key} [${part}] from line ${i + 1}:\n  before: ${al[i]}\n  after:  ${bl[i]}`);
      }
    }
    console.log(differ ? `${differ} difference(s)` : `identical: ${Object.keys(now).length} cases`);
    process.exitCode = differ ? 1 : 0;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
