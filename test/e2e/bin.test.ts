// bin/aip.js as a user runs it: the built bundle starts, and a reader closing the pipe early (`aip models |
// head`) is the reader's choice, not an error.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/paths.js';
import { runBin } from '../helpers/run.js';

describe('bin/aip.js', () => {
  it('runs end to end through bin/aip.js', async () => {
    const r = await runBin(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 0 without a word when stdout is closed before it writes (EPIPE)', async () => {
    const child = spawn(process.execPath, [BIN, 'models', '--all', '--json'], { cwd: ROOT, env: { PATH: process.env.PATH, NO_COLOR: '1', AIP_NO_CACHE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    // The read end closes at once, so the first write of the document meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
