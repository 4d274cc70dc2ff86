// Forgiving, precise input (issue 17): units wherever a count is, "65%" as well as 0.65, and for each near
// miss the exact text to write; one error per real mistake, with a count at the top. File values are not
// quoted back: the suggestions are built from the parsed digits or named from aip's own lists.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAip } from '../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'aip-forgiving-'));

/** One workload whose lines can be replaced: the default is valid. */
function file(over: Partial<Record<'model' | 'volume' | 'latency' | 'task' | 'input' | 'output' | 'extra', string>> = {}): string {
  const f = { model: 'model: gpt-4o-mini', volume: 'volume: 10/day', latency: 'latency: 2h', task: '', input: 'input: { tokens: 1000, cached: 0.5 }', output: 'output: { tokens: 50 }', extra: '', ...over };
  return `version: 1\nworkloads:\n  - name: a\n    ${f.model}\n    ${f.volume}\n    ${f.latency}\n${f.task ? `    ${f.task}\n` : ''}    ${f.input}\n    ${f.output}\n${f.extra}`;
}

async function run(text: string, args: string[] = ['recommend', 'w.yaml', '--json']) {
  const d = mkdtempSync(join(dir, 'w-'));
  writeFileSync(join(d, 'w.yaml'), text);
  return runAip(args, { cwd: d });
}

describe('units wherever a count is', () => {
  it('takes "15k" input tokens and "1.5k" output tokens as 15,000 and 1,500', async () => {
    const a = await run(file({ input: 'input: { tokens: 15k }', output: 'output: { tokens: "1.5k", p95: 2k }' }));
    const b = await run(file({ input: 'input: { tokens: 15000 }', output: 'output: { tokens: 1500, p95: 2000 }' }));
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('takes "1.5M/month" as a volume', async () => {
    const r = await run(file({ volume: 'volume: 1.5M/month' }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).workloads[0].requests_per_month).toBe(1_500_000);
  });

  it('a count that is not whole says the whole number to write', async () => {
    const r = await run(file({ input: 'input: { tokens: 1.2345k }' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('workloads[0].input.tokens: text is not a whole number');
    expect(r.stderr).toContain('hint: did you mean 1235?');
  });
});

describe('fractions as 0.65 or "65%"', () => {
  it('takes cached: "65%" as 0.65', async () => {
    const a = await run(file({ input: 'input: { tokens: 1000, cached: "65%" }' }));
    const b = await run(file({ input: 'input: { tokens: 1000, cached: 0.65 }' }));
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('cached: 65 asks "did you mean 0.65 (or "65%")?"', async () => {
    const r = await run(file({ input: 'input: { tokens: 1000, cached: 65 }' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('w.yaml:7:36: workloads[0].input.cached: 65 is above 1');
    expect(r.stderr).toContain('expected: a fraction from 0 to 1, e.g. 0.65 or "65%"');
    expect(r.stderr).toContain('hint: did you mean 0.65 (or "65%")?');
  });
});

describe('a "did you mean" with the exact text to write', () => {
  it('latency: 3000 → "3000ms"', async () => {
    const r = await run(file({ latency: 'latency: 3000' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('workloads[0].latency: 3000 has no unit');
    expect(r.stderr).toContain('hint: did you mean "3000ms"?');
    expect(r.stderr).not.toContain('not text (a string)');
  });

  it('latency: "30" → "30s"', async () => {
    const r = await run(file({ latency: 'latency: "30"' }));
    expect(r.stderr).toContain('hint: did you mean "30s"?');
  });

  it('volume: 10 per day → "10/day"; 2k requests an hour → "2k/hour"', async () => {
    const a = await run(file({ volume: 'volume: 10 per day' }));
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('workloads[0].volume: not a volume');
    expect(a.stderr).toContain('hint: did you mean "10/day"?');
    const b = await run(file({ volume: 'volume: 2k requests an hour' }));
    expect(b.stderr).toContain('hint: did you mean "2k/hour"?');
  });

  it('task: chatbot → "chat", task: summary → "summarization"', async () => {
    const a = await run(file({ task: 'task: chatbot' }));
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('workloads[0].task: text is not a task kind');
    expect(a.stderr).toContain('hint: did you mean "chat"?');
    expect(a.stderr).not.toContain('chatbot');
    const b = await run(file({ task: 'task: summary' }));
    expect(b.stderr).toContain('hint: did you mean "summarization"?');
  });

  it('--baseline HEAD → "git:HEAD"', async () => {
    const r = await run(file(), ['check', 'w.yaml', '--baseline', 'HEAD']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('baseline file not found');
    expect(r.stderr).toContain('hint: did you mean "--baseline git:HEAD"?');
  });

  it('a file value is never quoted back, even when it is a near miss', async () => {
    const r = await run(file({ volume: 'volume: sk-live-SECRET per day', task: 'task: sk-live-SECRET2' }));
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('SECRET');
  });
});

describe('one error per real mistake, and a count at the top', () => {
  it('modle gives only "unknown key modle, did you mean model"', async () => {
    const r = await run(file({ model: 'modle: gpt-4o-mini' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/workloads\[0\]: unknown key "modle"\n.*\n\s+hint: did you mean "model"\?/);
    expect(r.stderr).not.toContain('missing');
    expect(r.stderr.match(/^error:/gm)).toHaveLength(1);
  });

  it('six typos give six errors under "6 problems in w.yaml"', async () => {
    const text = file({ model: 'modle: gpt-4o-mini', volume: 'volumne: 10/day', latency: 'latncy: 2h', input: 'inptu: { tokens: 10 }', output: 'output: { tokns: 5 }', extra: '    peak_facter: 2\n' });
    const r = await run(text);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('6 problems in w.yaml');
    expect(r.stderr.match(/^error:/gm)).toHaveLength(6);
    expect(r.stderr.match(/did you mean/g)).toHaveLength(6);
    expect(r.stderr).not.toContain('missing');
  });

  it('a misspelt input key is not also "missing the input size"', async () => {
    const r = await run(file({ input: 'input: { tokns: 10 }' }));
    expect(r.stderr.match(/^error:/gm)).toHaveLength(1);
    expect(r.stderr).toContain('did you mean "tokens"?');
  });
});

describe('the check: thresholds', () => {
  it('budget: "1.2k" → 1200, in the file and on the command line', async () => {
    const a = await run(file({ extra: 'check:\n  budget: 1.2k\n' }), ['recommend', 'w.yaml']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('check.budget: text is not an amount of US dollars');
    expect(a.stderr).toContain('hint: did you mean 1200?');
    const b = await run(file(), ['check', 'w.yaml', '--baseline', 'git:HEAD', '--budget', '2k']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('hint: did you mean --budget 2000?');
  });
});

describe('fault rates of aip serve and aip bench', () => {
  it('--fault 429:5% is 429:0.05; 429:5 asks "did you mean 0.05 (or "5%")?"', async () => {
    const a = await runAip(['bench', '--requests', '2', '--warmup', '0', '--latency-scale', '0', '--patterns', 'direct', '--fault', '429:50%', '--retries', '0', '--seed', '3', '--json']);
    const b = await runAip(['bench', '--requests', '2', '--warmup', '0', '--latency-scale', '0', '--patterns', 'direct', '--fault', '429:0.5', '--retries', '0', '--seed', '3', '--json']);
    expect(a.code, a.stderr).toBeLessThan(2);
    expect(JSON.parse(a.stdout).simulator.faults).toEqual({ 429: 0.5 });
    expect(JSON.parse(b.stdout).simulator.faults).toEqual({ 429: 0.5 });
    const c = await runAip(['bench', '--fault', '429:5']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('did you mean 0.05 (or "5%")?');
  });
});

describe('more near misses, each with the text to write', () => {
  it.each([
    ['latency: 5mins', { latency: 'latency: 5mins' }, 'did you mean "5min"?'],
    ['latency: 2 hrs', { latency: 'latency: 2 hrs' }, 'did you mean "2hr"?'],
    ['latency: 1 week', { latency: 'latency: 1 week' }, 'did you mean "7d"?'],
    ['user_facing: yes', { extra: '    user_facing: yes\n' }, 'did you mean true?'],
    ['peak_factor: 3x', { extra: '    peak_factor: 3x\n' }, 'did you mean 3?'],
    ['pricing input: $0.15', { extra: '    pricing: { input: "$0.15" }\n' }, 'did you mean 0.15?'],
  ] as const)('%s', async (_name, over, hint) => {
    const r = await run(file(over));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`hint: ${hint}`);
    expect(r.stderr.match(/^error:/gm)).toHaveLength(1);
  });

  it('--format md → "markdown"', async () => {
    const r = await run(file(), ['recommend', 'w.yaml', '--format', 'md']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "markdown"?');
  });
});

describe('counts on the command line', () => {
  it('--max-tokens 2k is 2000 (and --rpm 1.5k, --tpm 40k in aip serve parse the same way)', async () => {
    const r = await runAip(['bench', '--requests', '1', '--warmup', '0', '--latency-scale', '0', '--patterns', 'direct', '--max-tokens', '2k', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).load.max_tokens).toBe(2000);
    const bad = await runAip(['bench', '--requests', '1.5']);
    expect(bad.code).toBe(2);
  });
});
