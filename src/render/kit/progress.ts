// The one progress display: a line on stderr redrawn in place (only on a terminal), at most every
// `minIntervalMs` and only when its text changes. simulate shows runs done; bench shows its phases.
import { palette } from './color.js';

/** Where the line is drawn: stderr, or a test's capture. */
interface Sink {
  write(chunk: string): unknown;
}

export interface ProgressLine {
  /** A bar of `done` out of `total` after `label`, e.g. "simulating chat ████░░ 3/10 runs". */
  update(done: number, total: number, label: string, unit?: string): void;
  /** Any other text in place of the bar (a phase: "batch: polling"). */
  status(text: string, final?: boolean): void;
  clear(): void;
}

const WIDTH = 24;
const CLEAR_LINE = '\r\x1b[2K';

export function progressBar(stream: Sink, color: boolean, opts: { minIntervalMs?: number; clock?: () => number } = {}): ProgressLine {
  const c = palette(color);
  const clock = opts.clock ?? (() => performance.now());
  const minIntervalMs = opts.minIntervalMs ?? 0;
  let shown = '';
  let drawn = false;
  let last = Number.NEGATIVE_INFINITY;
  const draw = (line: string, final: boolean) => {
    if (line === shown) return;
    const now = clock();
    if (!final && now - last < minIntervalMs) return;
    last = now;
    shown = line;
    drawn = true;
    stream.write(`${CLEAR_LINE}${line}`);
  };
  return {
    update(done, total, label, unit = 'runs') {
      const filled = total > 0 ? Math.round((Math.min(done, total) / total) * WIDTH) : 0;
      draw(`${label} ${c.cyan('█'.repeat(filled))}${c.dim('░'.repeat(WIDTH - filled))} ${done}/${total} ${unit}`, done >= total);
    },
    status(text, final = false) {
      draw(text, final);
    },
    clear() {
      if (drawn) stream.write(CLEAR_LINE);
      drawn = false;
      shown = '';
    },
  };
}
