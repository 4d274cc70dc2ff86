// Charts of `aip report` as inline SVG strings: a line chart (linear or log axes, markers) and a histogram of
// small panels. No script, no external font or image: the page stays one self-contained file that prints.
// Each chart is an accessible image (role="img", <title> and <desc> named by aria-labelledby) whose
// description states the figures in words. Every data point carries its values as data-x/data-y, so a test
// (or a curious reader) can check what is drawn against the JSON it came from. Pure: spec in, string out.
import { escapeHtml } from './escape.js';

export interface Tick {
  value: number;
  label: string;
}

export interface Axis {
  kind: 'linear' | 'log';
  min: number;
  max: number;
  label: string;
  ticks: Tick[];
}

export interface LineSeries {
  /** A short machine name (data-series), e.g. "direct". */
  key: string;
  label: string;
  color: string;
  /** stroke-dasharray, so series differ in grey print too. */
  dash?: string;
  points: ReadonlyArray<readonly [number, number]>;
  /** Draw a marker at each point (few points); otherwise the line only. */
  dots?: boolean;
}

export interface Marker {
  at: number;
  label: string;
  /** "break-even", "volume", "tolerance", …: the marker's class. */
  kind: string;
}

export interface LineChartSpec {
  id: string;
  title: string;
  desc: string;
  x: Axis;
  y: Axis;
  series: LineSeries[];
  markers?: Marker[];
  /** The tooltip of a point (dots only). */
  pointTitle?: (series: LineSeries, x: number, y: number) => string;
  width?: number;
  height?: number;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"';
const MARGIN = { left: 78, right: 24, top: 40, bottom: 50 };

/** A number for an SVG attribute: two decimals, no exponent. */
const n = (v: number) => (Math.round(v * 100) / 100).toString();
const esc = escapeHtml;

/** Where a value falls on an axis, 0..1 (values outside are clamped by the caller's filtering). */
export function axisFraction(a: Axis, v: number): number {
  if (a.kind === 'log') {
    const lo = Math.log10(a.min);
    const hi = Math.log10(a.max);
    return hi === lo ? 0.5 : (Math.log10(v) - lo) / (hi - lo);
  }
  return a.max === a.min ? 0.5 : (v - a.min) / (a.max - a.min);
}

function inAxis(a: Axis, v: number): boolean {
  return Number.isFinite(v) && (a.kind !== 'log' || v > 0) && v >= a.min * (1 - 1e-9) && v <= a.max * (1 + 1e-9);
}

function open(id: string, title: string, desc: string, w: number, h: number, kind: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-${kind}" id="${esc(id)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-labelledby="${esc(id)}-title ${esc(id)}-desc" ${FONT} font-size="12">` +
    `<title id="${esc(id)}-title">${esc(title)}</title><desc id="${esc(id)}-desc">${esc(desc)}</desc>`
  );
}

/** A line chart with axes, grid, a legend and vertical markers. */
export function lineChart(spec: LineChartSpec): string {
  const W = spec.width ?? 720;
  const H = spec.height ?? 340;
  const plotW = W - MARGIN.left - MARGIN.right;
  const plotH = H - MARGIN.top - MARGIN.bottom;
  const px = (v: number) => MARGIN.left + axisFraction(spec.x, v) * plotW;
  const py = (v: number) => MARGIN.top + (1 - axisFraction(spec.y, v)) * plotH;
  const out: string[] = [open(spec.id, spec.title, spec.desc, W, H, 'line')];
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#c8c8c8"/>`);
  // Grid and tick labels.
  out.push('<g class="axis axis-x" aria-hidden="true">');
  for (const t of spec.x.ticks.filter((t) => inAxis(spec.x, t.value))) {
    const x = n(px(t.value));
    out.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotH}" stroke="#ececec"/><text x="${x}" y="${MARGIN.top + plotH + 16}" text-anchor="middle" fill="#333">${esc(t.label)}</text>`);
  }
  out.push(`<text x="${n(MARGIN.left + plotW / 2)}" y="${H - 10}" text-anchor="middle" fill="#333">${esc(spec.x.label)}</text></g>`);
  out.push('<g class="axis axis-y" aria-hidden="true">');
  for (const t of spec.y.ticks.filter((t) => inAxis(spec.y, t.value))) {
    const y = n(py(t.value));
    out.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotW}" y2="${y}" stroke="#ececec"/><text x="${MARGIN.left - 6}" y="${y}" dy="4" text-anchor="end" fill="#333">${esc(t.label)}</text>`);
  }
  out.push(`<text transform="translate(14 ${n(MARGIN.top + plotH / 2)}) rotate(-90)" text-anchor="middle" fill="#333">${esc(spec.y.label)}</text></g>`);
  // Markers: vertical dashed lines with their label at the top, alternating rows so two close ones stay legible.
  const markers = (spec.markers ?? []).filter((m) => inAxis(spec.x, m.at));
  markers.forEach((m, i) => {
    const x = px(m.at);
    const right = x > MARGIN.left + plotW * 0.62;
    const y = MARGIN.top + 14 + i * 15;
    out.push(
      `<g class="marker marker-${esc(m.kind)}" data-x="${m.at}"><line x1="${n(x)}" y1="${MARGIN.top}" x2="${n(x)}" y2="${MARGIN.top + plotH}" stroke="#555" stroke-dasharray="2 3"/>` +
        `<text x="${n(right ? x - 4 : x + 4)}" y="${y}" text-anchor="${right ? 'end' : 'start'}" fill="#222" paint-order="stroke" stroke="#fff" stroke-width="3">${esc(m.label)}</text></g>`,
    );
  });
  // Series.
  for (const s of spec.series) {
    const pts = s.points.filter(([x, y]) => inAxis(spec.x, x) && inAxis(spec.y, y));
    if (pts.length === 0) continue;
    const coords = pts.map(([x, y]) => `${n(px(x))},${n(py(y))}`).join(' ');
    out.push(`<g class="series" data-series="${esc(s.key)}" data-points="${pts.length}">`);
    out.push(`<polyline points="${coords}" fill="none" stroke="${s.color}" stroke-width="2.25"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    if (s.dots) for (const [x, y] of pts) out.push(`<circle class="point" cx="${n(px(x))}" cy="${n(py(y))}" r="3.5" fill="${s.color}" data-x="${x}" data-y="${y}"><title>${esc(spec.pointTitle ? spec.pointTitle(s, x, y) : `${s.label}: ${x}, ${y}`)}</title></circle>`);
    out.push('</g>');
  }
  // Legend, above the plot.
  let lx = MARGIN.left;
  out.push('<g class="legend" aria-hidden="true">');
  for (const s of spec.series) {
    out.push(`<line x1="${lx}" y1="${MARGIN.top - 16}" x2="${lx + 22}" y2="${MARGIN.top - 16}" stroke="${s.color}" stroke-width="2.25"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/><text x="${lx + 27}" y="${MARGIN.top - 12}" fill="#222">${esc(s.label)}</text>`);
    lx += 40 + s.label.length * 6.6;
  }
  out.push('</g></svg>');
  return out.join('');
}

export interface HistogramPanel {
  key: string;
  label: string;
  color: string;
  bins: ReadonlyArray<{ lo: number; hi: number; count: number }>;
  x: Axis;
  markers: Marker[];
}

/** One histogram per panel, stacked, each with its own x axis (the spread within a pattern is what matters). */
export function histogramChart(spec: { id: string; title: string; desc: string; panels: HistogramPanel[]; width?: number }): string {
  const W = spec.width ?? 720;
  const PANEL = 120;
  const GAP = 34;
  const top = 12;
  const H = top + spec.panels.length * (PANEL + GAP) + 10;
  const plotW = W - MARGIN.left - MARGIN.right;
  const out: string[] = [open(spec.id, spec.title, spec.desc, W, H, 'histogram')];
  spec.panels.forEach((p, i) => {
    const y0 = top + i * (PANEL + GAP) + 18;
    const h = PANEL - 18;
    const px = (v: number) => MARGIN.left + axisFraction(p.x, v) * plotW;
    const most = Math.max(1, ...p.bins.map((b) => b.count));
    const total = p.bins.reduce((a, b) => a + b.count, 0);
    out.push(`<g class="panel" data-series="${esc(p.key)}" data-runs="${total}">`);
    out.push(`<text x="${MARGIN.left}" y="${y0 - 6}" font-weight="600" fill="#222">${esc(p.label)}</text>`);
    out.push(`<line x1="${MARGIN.left}" y1="${y0 + h}" x2="${MARGIN.left + plotW}" y2="${y0 + h}" stroke="#999"/>`);
    for (const b of p.bins) {
      if (b.count === 0) continue;
      const x1 = px(b.lo);
      const x2 = px(b.hi);
      const bh = (b.count / most) * (h - 4);
      out.push(`<rect class="bin" x="${n(x1 + 0.5)}" y="${n(y0 + h - bh)}" width="${n(Math.max(1, x2 - x1 - 1))}" height="${n(bh)}" fill="${p.color}" fill-opacity="0.75" data-lo="${b.lo}" data-hi="${b.hi}" data-count="${b.count}"/>`);
    }
    out.push(`<text x="${MARGIN.left - 6}" y="${y0 + 10}" text-anchor="end" fill="#555" aria-hidden="true">${most} runs</text>`);
    for (const t of p.x.ticks.filter((t) => inAxis(p.x, t.value))) {
      out.push(`<text x="${n(px(t.value))}" y="${y0 + h + 15}" text-anchor="middle" fill="#333" aria-hidden="true">${esc(t.label)}</text><line x1="${n(px(t.value))}" y1="${y0 + h}" x2="${n(px(t.value))}" y2="${y0 + h + 4}" stroke="#999"/>`);
    }
    p.markers.filter((m) => inAxis(p.x, m.at)).forEach((m, j) => {
      const x = px(m.at);
      const right = x > MARGIN.left + plotW * 0.62;
      out.push(
        `<g class="marker marker-${esc(m.kind)}" data-x="${m.at}"><line x1="${n(x)}" y1="${y0}" x2="${n(x)}" y2="${y0 + h}" stroke="#222" stroke-dasharray="${m.kind === 'analytic' ? '5 3' : '2 2'}"/>` +
          `<text x="${n(right ? x - 4 : x + 4)}" y="${y0 + 10 + j * 13}" text-anchor="${right ? 'end' : 'start'}" font-size="11" fill="#222" paint-order="stroke" stroke="#fff" stroke-width="3">${esc(m.label)}</text></g>`,
      );
    });
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('');
}

/** Ticks at powers of ten between min and max (at least two), labelled by `label`. */
export function logTicks(min: number, max: number, label: (v: number) => string): Tick[] {
  const ticks: Tick[] = [];
  for (let e = Math.ceil(Math.log10(min) - 1e-9); e <= Math.floor(Math.log10(max) + 1e-9); e++) ticks.push({ value: 10 ** e, label: label(10 ** e) });
  return ticks;
}

/** About `count` round ticks (1, 2 or 5 × 10^k apart) between min and max. */
export function linearTicks(min: number, max: number, count: number, label: (v: number) => string): Tick[] {
  if (!(max > min)) return [{ value: min, label: label(min) }];
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: Tick[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    const value = Math.round(v / step) * step;
    ticks.push({ value, label: label(value) });
  }
  return ticks;
}
