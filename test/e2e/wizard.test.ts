// aip wizard as a user meets it: refused without a terminal, driven through a real pseudo-terminal
// (keystrokes in, the written file checked with the real loader), Ctrl-C, and an existing file kept.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { loadWorkloadFile } from '../../src/io/workload-files.js';
import { BIN, runAip, runBin } from '../helpers/run.js';

const DRIVER = join(import.meta.dirname, '..', 'helpers', 'pty-drive.py');
const ENTER = '\r';
const DOWN = '\x1b[B';
const CTRL_C = '\x03';

interface Step {
  expect: string;
  send: string;
}

/** Run `aip wizard ARGS` in a pseudo-terminal, answering each prompt once it is on screen. */
function drive(cwd: string, args: string[], steps: Step[], opts: { stdoutTo?: string } = {}): Promise<{ code: number; screen: string; stderr: string }> {
  const aip = [process.execPath, BIN, ...args];
  // With stdoutTo, stdout goes to a file (not the terminal) while the questions stay on the terminal.
  const command = opts.stdoutTo ? ['sh', '-c', `"$@" > ${opts.stdoutTo}`, 'sh', ...aip] : aip;
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [DRIVER, JSON.stringify({ timeout: 15, steps }), '--', ...command], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', TERM: 'xterm-256color', COLUMNS: '120', LINES: '40' },
    });
    let screen = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (screen += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, screen, stderr }));
  });
}

const made: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'aip-wizard-e2e-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

// A typical chat feature: Enter through the suggestions, type the volume and sizes, pick tier 4.
const chatFeature: Step[] = [
  { expect: 'What does the feature do?', send: ENTER },
  { expect: 'A short name for it', send: ENTER },
  { expect: 'Does a person watch', send: ENTER },
  { expect: 'How long may a result take?', send: ENTER },
  { expect: 'How many requests?', send: `300k${ENTER}` },
  { expect: 'Model (type to filter', send: ENTER },
  // 2,000 tokens, 60% cached: a 1,200-token prefix, over gpt-4o-mini's 1,024 minimum, so the discount applies.
  { expect: 'Input tokens per request', send: `2000${ENTER}` },
  { expect: 'Output tokens per request', send: `450${ENTER}` },
  { expect: 'prompt cache', send: `0.6${ENTER}` },
  { expect: 'rate-limit tier', send: `${DOWN}${DOWN}${DOWN}${ENTER}` },
  { expect: 'What next?', send: ENTER },
];

describe('aip wizard without a terminal', () => {
  it('refuses from the built bin with piped stdin, writing nothing', async () => {
    const cwd = tmp();
    const r = await runBin(['wizard', '-o', 'out.yaml'], { cwd, stdin: 'chat\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: wizard: needs an interactive terminal/);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('aip wizard in a pseudo-terminal', () => {
  it('a typical chat feature: writes a file that aip recommend loads unchanged, then prints the recommendation', async () => {
    const cwd = tmp();
    const r = await drive(cwd, ['wizard', '-o', 'chat.yaml'], chatFeature);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.screen).toContain('= 300,000 requests a month (10,000 a day)');
    expect(r.screen).toContain('wrote chat.yaml');
    // The live preview before writing, then what aip recommend prints for the file.
    // 300,000 × (2000×0.4×$0.15 + 2000×0.6×$0.075 + 450×$0.60) / 1e6 = 300,000 × 480 / 1e6 = $144.00
    expect(r.screen).toContain('support-chat → streaming  $144.00/month');
    expect(r.screen).toContain('Portfolio: streaming for support-chat');
    expect(readdirSync(cwd)).toEqual(['chat.yaml']);
    const text = readFileSync(join(cwd, 'chat.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\S+workload\.schema\.json\n/);
    const file = await loadWorkloadFile('chat.yaml', { catalog: await loadCatalog(), cwd });
    expect(file.tiers).toEqual({ openai: '4' });
    expect(file.workloads).toHaveLength(1);
    expect(file.workloads[0]).toMatchObject({
      name: 'support-chat',
      task: 'chat',
      userFacing: true,
      requestsPerMonth: 300_000,
      latencyText: 'interactive',
      input: { tokens: 2000, cachedFraction: 0.6 },
      output: { tokens: 450 },
    });
    expect(file.workloads[0]!.model.id).toBe('gpt-4o-mini');
    // The same file through the real command.
    const rec = await runAip(['recommend', 'chat.yaml'], { cwd });
    expect(rec.code).toBe(0);
  });

  it('with --json and stdout redirected, stdout holds only the recommendation JSON', async () => {
    const cwd = tmp();
    const r = await drive(cwd, ['--json', 'wizard', '-o', 'chat.yaml'], chatFeature, { stdoutTo: 'out.json' });
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8'));
    expect(doc.workloads).toHaveLength(1);
    expect(doc.workloads[0]).toMatchObject({ name: 'support-chat', model: 'gpt-4o-mini', pattern: 'streaming', requests_per_month: 300000 });
    expect(doc.workloads[0].cost_usd_per_month.direct).toBeCloseTo(144, 6);
    expect(r.screen).toContain('What does the feature do?');
  });

  it('a filter typed with its Enter in one burst takes the model the screen shows', async () => {
    const cwd = tmp();
    const steps = chatFeature.map((s) => (s.expect.startsWith('Model') ? { ...s, send: `haiku-4-5${ENTER}` } : s));
    const r = await drive(cwd, ['wizard', '-o', 'chat.yaml'], steps.filter((s) => s.expect !== 'prompt cache'));
    expect(r.code).toBe(0);
    expect(r.screen).toContain("Your anthropic account's rate-limit tier");
    expect(readFileSync(join(cwd, 'chat.yaml'), 'utf8')).toMatch(/model: claude-haiku-4-5 /);
  });

  it('fine-tuning: the arrow keys reach it from "What next?", Enter takes its suggestions, a typed price is written', async () => {
    const cwd = tmp();
    const steps: Step[] = [
      ...chatFeature.slice(0, -1),
      { expect: 'What next?', send: `${DOWN}${DOWN}${DOWN}${ENTER}` },
      { expect: 'Peak factor', send: ENTER },
      { expect: 'Output tokens at p95', send: ENTER },
      { expect: 'Fallback model', send: ENTER },
      { expect: 'other prices for gpt-4o-mini', send: `y${ENTER}` },
      { expect: 'Input price', send: `0.10${ENTER}` },
      { expect: 'Output price', send: ENTER },
      { expect: 'Cached input price', send: ENTER },
      { expect: 'Batch input price', send: ENTER },
      { expect: 'Batch output price', send: ENTER },
      { expect: 'What next?', send: ENTER },
    ];
    const r = await drive(cwd, ['wizard', '-o', 'chat.yaml'], steps);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The preview after fine-tuning: p95 1350 (3 × 450) → timeout ceil((0.45 + 1350/85) × 2) = 33 s.
    expect(r.screen).toContain('timeout 33 s per request, from the p95 output of 1,350 tokens');
    const file = await loadWorkloadFile('chat.yaml', { catalog: await loadCatalog(), cwd });
    const w = file.workloads[0]!;
    expect(w).toMatchObject({ peakFactor: 3, output: { tokens: 450, p95: 1350 }, pricing: { input: 0.1 } });
    expect(w.fallback!.provider).not.toBe('openai');
    // direct: 300,000 × (2000×0.4×$0.10 + 2000×0.6×$0.075 + 450×$0.60) / 1e6 = 300,000 × 440 / 1e6 = $132.00.
    expect(r.screen).toContain('support-chat → streaming  $132.00/month');
  });

  it('Ctrl-C exits 130 and leaves no file behind', async () => {
    const cwd = tmp();
    const r = await drive(cwd, ['wizard', '-o', 'chat.yaml'], [...chatFeature.slice(0, 5), { expect: 'Model (type to filter', send: CTRL_C }]);
    expect(r.code).toBe(130);
    expect(r.screen).toContain('interrupted');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('keeps an existing file unless told to replace it, and offers a free name', async () => {
    const cwd = tmp();
    writeFileSync(join(cwd, 'aip.yaml'), 'mine\n');
    const r = await drive(cwd, ['wizard'], [...chatFeature, { expect: 'aip.yaml already exists. Replace it?', send: ENTER }, { expect: 'Write to which file instead?', send: ENTER }]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(cwd, 'aip.yaml'), 'utf8')).toBe('mine\n');
    expect(readdirSync(cwd).sort()).toEqual(['aip-2.yaml', 'aip.yaml']);
  });
});

// python3 is part of the test environment (the pty module drives the terminal without native deps).
execFileSync('python3', ['-c', 'import pty']);
