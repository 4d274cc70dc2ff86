// aip wizard in-process: refused without a terminal (stdin and stderr), a directory as -o refused before any
// question (the wizard in a real pseudo-terminal: test/e2e/wizard.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { InStream } from '../../src/io/context.js';
import { requireTerminal } from '../../src/wizard/terminal.js';
import { runAip } from '../helpers/run.js';

const made: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'aip-wizard-cmd-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('aip wizard without a terminal', () => {
  it('refuses at once with exit 2 and says what to do instead (in-process)', async () => {
    const r = await runAip(['wizard']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: wizard: needs an interactive terminal to ask its questions \(stdin is not a terminal\)/);
    expect(r.stderr).toMatch(/hint: write a workload file instead \(start from examples\/workloads\.yaml/);
  });

  it('needs stderr on the terminal too (the questions are drawn there)', () => {
    const stdin = Object.assign([], { isTTY: true }) as unknown as InStream;
    expect(() => requireTerminal({ stdin, stderr: { write: () => true, isTTY: false } })).toThrow(/stderr is not a terminal/);
    expect(() => requireTerminal({ stdin, stderr: { write: () => true, isTTY: true } })).not.toThrow();
  });

  it('on a terminal, refuses a directory as -o before asking anything', async () => {
    const cwd = tmp();
    const r = await runAip(['wizard', '-o', '.'], { cwd, tty: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --output: \. is a directory/);
    expect(r.stderr).toMatch(/hint: e\.g\. -o \.\/aip\.yaml/);
  });
});
