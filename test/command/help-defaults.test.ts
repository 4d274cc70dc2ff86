// The help's defaults come from the values the code uses: the option table's constants, and for bench's
// resilience options the resilience policy built from data/thresholds.yaml (and any --catalog overlay).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/bench/defaults.js';
import { runAip } from '../helpers/run.js';

/** One option's help text with its wrapping undone. */
function optionHelp(help: string, flag: string): string {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => l.trimStart().startsWith(flag));
  expect(start, flag).toBeGreaterThanOrEqual(0);
  let text = lines[start]!.trim();
  for (let i = start + 1; i < lines.length && /^\s{10,}\S/.test(lines[i]!); i++) text += ` ${lines[i]!.trim()}`;
  return text;
}

describe('help defaults', () => {
  it('every command states its defaults one way, "(default: …)"', async () => {
    for (const command of ['recommend', 'tokens', 'models', 'check', 'baseline', 'wizard', 'simulate', 'bench', 'serve']) {
      const r = await runAip([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout, command).not.toMatch(/\(default [^:]|; default/);
    }
  });

  it("bench's load defaults are the values the run uses", async () => {
    const help = (await runAip(['bench', '--help'])).stdout;
    expect(optionHelp(help, '--requests')).toContain(`(default: ${DEFAULTS.requests})`);
    expect(optionHelp(help, '--concurrency')).toContain(`(default: ${DEFAULTS.concurrency})`);
    expect(optionHelp(help, '--max-tokens')).toContain(`(default: ${DEFAULTS.maxTokens},`);
  });

  it("bench's resilience defaults follow the thresholds, a --catalog overlay included", async () => {
    const plain = (await runAip(['bench', '--help'])).stdout;
    expect(optionHelp(plain, '--retries')).toContain('(default: 3; data/thresholds.yaml)');
    expect(optionHelp(plain, '--backoff')).toContain('(default: 1s, capped at 30s; 529 waits 30s; data/thresholds.yaml)');
    expect(optionHelp(plain, '--timeout')).toContain('(default: 2× the expected time for the output length, at least 10 s; data/thresholds.yaml)');
    const dir = mkdtempSync(join(tmpdir(), 'aip-help-'));
    const overlay = join(dir, 'policy.yaml');
    writeFileSync(overlay, 'thresholds:\n  source: "team"\n  as_of: 2026-11-20\n  values:\n    retry_max: { value: 5, source: "team" }\n    retry_cap_s: { value: 12, source: "team" }\n');
    for (const args of [['--catalog', overlay, 'bench', '--help'], ['--catalog', overlay, 'help', 'bench']]) {
      const help = (await runAip(args)).stdout;
      expect(optionHelp(help, '--retries')).toContain('(default: 5; data/thresholds.yaml)');
      expect(optionHelp(help, '--backoff')).toContain('capped at 12s');
    }
  });
});
