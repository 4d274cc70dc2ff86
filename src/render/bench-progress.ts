// A one-line progress bar on stderr while bench runs (only on a terminal), redrawn at most 10×/s.
import type { OutStream } from '../io/context.js';
import type { ProgressEvent } from '../bench/run.js';

export function progressBar(stream: OutStream, clock: () => number = () => performance.now()): { update(e: ProgressEvent): void; clear(): void } {
  let last = 0;
  let shown = false;
  const width = 24;
  return {
    update(e) {
      const now = clock();
      if (e.phase !== 'done' && now - last < 100) return;
      last = now;
      let text: string;
      if (e.phase === 'submitting' || e.phase === 'polling') text = `${e.pattern}: ${e.phase} ${e.detail ?? ''}`;
      else if (e.phase === 'warmup') text = `${e.pattern}: warming up`;
      else if (e.total !== undefined) {
        const filled = Math.round((Math.min(e.done, e.total) / e.total) * width);
        text = `${e.pattern.padEnd(9)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${e.done}/${e.total}`;
      } else text = `${e.pattern.padEnd(9)} ${e.done} requests`;
      stream.write(`\r\x1b[2K${text}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
