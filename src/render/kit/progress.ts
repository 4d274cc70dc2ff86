// A progress bar on stderr for long runs: redrawn in place, only when the shown figure changes.
import type { OutStream } from '../../io/context.js';
import { palette } from './color.js';

export interface ProgressBar {
  update(done: number, total: number, label: string): void;
  clear(): void;
}

const WIDTH = 24;

export function progressBar(stream: OutStream, color: boolean): ProgressBar {
  const c = palette(color);
  let shown = '';
  let drawn = false;
  return {
    update(done, total, label) {
      const filled = total > 0 ? Math.round((done / total) * WIDTH) : 0;
      const line = `${label} ${c.cyan('█'.repeat(filled))}${c.dim('░'.repeat(WIDTH - filled))} ${done}/${total} runs`;
      if (line === shown) return;
      shown = line;
      drawn = true;
      stream.write(`\r\x1b[2K${line}`);
    },
    clear() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
