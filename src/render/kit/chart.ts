// Charts for the terminal, as plain strings: sparklines and line plots on a character grid.

const SPARKS = '▁▂▃▄▅▆▇█';

/** Counts of `values` in `bins` equal-width bins between their min and max. */
export function binCounts(values: readonly number[], bins: number): { counts: number[]; min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const counts = new Array<number>(bins).fill(0);
  if (values.length === 0) return { counts, min: 0, max: 0 };
  const width = max - min;
  for (const v of values) {
    const b = width === 0 ? Math.floor(bins / 2) : Math.min(bins - 1, Math.floor(((v - min) / width) * bins));
    counts[b]! += 1;
  }
  return { counts, min, max };
}

/** One line of block characters, tallest for the largest count; empty bins are blank. */
export function sparkline(counts: readonly number[]): string {
  const top = Math.max(...counts, 0);
  return counts.map((c) => (c === 0 || top === 0 ? ' ' : SPARKS[Math.min(SPARKS.length - 1, Math.round((c / top) * (SPARKS.length - 1)))])).join('');
}

export interface Series {
  label: string;
  /** The character the series is drawn with. */
  mark: string;
  points: ReadonlyArray<readonly [number, number]>;
}

export interface PlotOptions {
  width: number;
  height: number;
  xLog?: boolean;
  xMin?: number;
  xMax?: number;
  yMin?: number;
  yMax?: number;
  formatX(x: number): string;
  formatY(y: number): string;
  /** Vertical marker lines, e.g. the latency tolerance. */
  markers?: ReadonlyArray<{ x: number; label: string }>;
  /** Draw each series as connected points (interpolated between columns). */
  connect?: boolean;
  /** Columns the legend may fill before it wraps (default: the chart's own width). */
  legendWidth?: number;
}

/** A line plot on a width × height character grid, with a y axis on the left and an x axis below. */
export function plot(series: readonly Series[], o: PlotOptions): string {
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]).filter((x) => !o.xLog || x > 0);
  const ys = all.map((p) => p[1]);
  const xMin = o.xMin ?? Math.min(...xs);
  const xMax = o.xMax ?? Math.max(...xs);
  const yMin = o.yMin ?? Math.min(...ys);
  let yMax = o.yMax ?? Math.max(...ys);
  if (yMax === yMin) yMax = yMin + 1;
  const tx = (x: number): number => {
    const f = o.xLog ? (Math.log(x) - Math.log(xMin)) / (Math.log(xMax) - Math.log(xMin) || 1) : (x - xMin) / (xMax - xMin || 1);
    return Math.round(f * (o.width - 1));
  };
  const ty = (y: number): number => o.height - 1 - Math.round(((y - yMin) / (yMax - yMin)) * (o.height - 1));
  const grid: string[][] = Array.from({ length: o.height }, () => new Array<string>(o.width).fill(' '));
  for (const m of o.markers ?? []) {
    if (m.x < xMin || m.x > xMax) continue;
    const col = tx(m.x);
    for (let r = 0; r < o.height; r++) grid[r]![col] = '┊';
  }
  for (const s of series) {
    const pts = s.points.filter((p) => (!o.xLog || p[0] > 0) && p[0] >= xMin && p[0] <= xMax).map((p) => [tx(p[0]), ty(p[1])] as const);
    for (let i = 0; i < pts.length; i++) {
      const [c, r] = pts[i]!;
      grid[r]![c] = s.mark;
      const next = pts[i + 1];
      if (o.connect && next && next[0] > c + 1) {
        for (let cc = c + 1; cc < next[0]; cc++) {
          const rr = Math.round(r + ((next[1] - r) * (cc - c)) / (next[0] - c));
          if (grid[rr]![cc] === ' ' || grid[rr]![cc] === '┊') grid[rr]![cc] = s.mark;
        }
      }
    }
  }
  const yLabels = [o.formatY(yMax), o.formatY((yMax + yMin) / 2), o.formatY(yMin)];
  const pad = Math.max(...yLabels.map((l) => l.length));
  const lines = grid.map((row, r) => {
    const label = r === 0 ? yLabels[0]! : r === Math.floor((o.height - 1) / 2) ? yLabels[1]! : r === o.height - 1 ? yLabels[2]! : '';
    return `${label.padStart(pad)} ┤${row.join('')}`.trimEnd();
  });
  lines.push(`${' '.repeat(pad)} └${'─'.repeat(o.width)}`);
  const left = o.formatX(xMin);
  const right = o.formatX(xMax);
  const midX = o.xLog ? Math.sqrt(xMin * xMax) : (xMin + xMax) / 2;
  const mid = o.formatX(midX);
  const axis = new Array<string>(o.width + 1).fill(' ');
  const put = (col: number, text: string) => {
    for (let i = 0; i < text.length && col + i < axis.length; i++) axis[col + i] = text[i]!;
  };
  put(0, left);
  put(Math.max(left.length + 1, Math.min(o.width - right.length - mid.length - 1, Math.round(o.width / 2 - mid.length / 2))), mid);
  put(Math.max(0, o.width + 1 - right.length), right);
  lines.push(`${' '.repeat(pad + 1)}${axis.join('')}`.trimEnd());
  const legend = series.map((s) => `${s.mark} ${s.label}`).concat((o.markers ?? []).map((m) => `┊ ${m.label}`));
  // The legend wraps at its width (the chart's own unless told), items kept whole.
  const indent = ' '.repeat(pad + 2);
  const maxWidth = o.legendWidth ?? pad + 2 + o.width;
  let line = '';
  for (const item of legend) {
    if (line !== '' && indent.length + line.length + 3 + item.length > maxWidth) {
      lines.push(`${indent}${line}`);
      line = '';
    }
    line = line === '' ? item : `${line}   ${item}`;
  }
  if (line !== '') lines.push(`${indent}${line}`);
  return lines.join('\n');
}
