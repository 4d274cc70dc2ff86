// Output for people fits the terminal (issue 17): no line wider than the columns given, at 80 and 120, and
// recommend's portfolio on the first screen.
import { describe, expect, it } from 'vitest';
import { runAip } from '../helpers/run.js';

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));
const EX = 'examples/workloads.yaml';

describe.each([80, 120])('at %i columns', (columns) => {
  it('recommend fits and opens with the portfolio and its total', async () => {
    const r = await runAip(['recommend', EX], { columns });
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
    const screen = r.stdout.split('\n').slice(0, 30).join('\n');
    for (const name of ['support-chat', 'nightly-digest', 'invoice-extraction']) expect(screen).toContain(name);
    // product-labeling direct (its batch queue overflows at Gemini tier 1), comment-moderation at priority (95% within 800 ms)
    expect(screen).toMatch(/^total +\$3,596 +\$1,061/m);
    expect(screen).toMatch(/Recommended \$3,596\/month against \$4,657/);
  });

  it('recommend --details and explain fit, each shared plan line printed once', async () => {
    const r = await runAip(['recommend', EX, '--details'], { columns });
    expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
    expect(r.stdout.match(/retry ≤3×/g)).toHaveLength(1);
    expect(r.stdout.match(/failures below zero/g)).toHaveLength(1);
    const e = await runAip(['explain', 'nightly-digest', EX], { columns });
    expect(e.code).toBe(0);
    expect(widest(e.stdout)).toBeLessThanOrEqual(columns);
    expect(e.stdout).toMatch(/→ BATCH/);
    expect(e.stdout).not.toMatch(/support-chat/);
  });
});

describe('explain', () => {
  it('an unknown name exits 2 with did-you-mean', async () => {
    const r = await runAip(['explain', 'nightly-digets', EX]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean "nightly-digest"/);
  });
});

describe.each([80, 120])('models and check at %i columns', (columns) => {
  it('models stacks its table instead of wrapping rows', async () => {
    const r = await runAip(['models'], { columns });
    expect(r.code).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
  });
});
