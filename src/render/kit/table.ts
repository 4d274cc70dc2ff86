// Tables for the terminal: cli-table3 with a light frame, numbers right-aligned, '-' for unknown.
import Table from 'cli-table3';
import { stripColor } from './color.js';

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/** A full-width row that names the group of rows below it (e.g. a provider). */
export interface SectionRow {
  section: string;
}

export interface FitOptions {
  /** The columns of text available (ctx.width): a wider table is stacked, one block per row, instead. */
  width?: number;
}

export function renderTable(columns: Column[], rows: Array<string[] | SectionRow>, opts: { color?: boolean; footer?: string[][] } & FitOptions = {}): string {
  const framed = framedTable(columns, rows, opts);
  if (opts.width === undefined || widest(framed) <= opts.width) return framed;
  return stackRows(columns, rows, opts.footer ?? [], opts.width);
}

function framedTable(columns: Column[], rows: Array<string[] | SectionRow>, opts: { color?: boolean; footer?: string[][] }): string {
  const table = new Table({
    head: columns.map((c) => c.header),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: { head: opts.color ? ['bold'] : [], border: opts.color ? ['grey'] : [], 'padding-left': 1, 'padding-right': 1, compact: true },
    chars: {
      top: '─', 'top-mid': '┬', 'top-left': '┌', 'top-right': '┐',
      bottom: '─', 'bottom-mid': '┴', 'bottom-left': '└', 'bottom-right': '┘',
      left: '│', 'left-mid': '├', mid: '─', 'mid-mid': '┼', right: '│', 'right-mid': '┤', middle: '│',
    },
  });
  for (const row of rows) {
    if (Array.isArray(row)) table.push(row);
    else table.push([{ colSpan: columns.length, content: row.section }] as never);
  }
  if (opts.footer) {
    for (const row of opts.footer) table.push(row);
  }
  return table.toString();
}

/** Visible width of a cell: colour codes take no room. */
function visibleWidth(s: string): number {
  return [...stripColor(s)].length;
}

/**
 * Plain aligned columns without a frame, for long tables: cli-table3's time grows quadratically with the
 * rows, so past a hundred or so rows a frame costs seconds.
 */
export function renderColumns(columns: Column[], rows: string[][], opts: { footer?: string[][] } & FitOptions = {}): string {
  const aligned = alignedColumns(columns, rows, opts.footer ?? []);
  if (opts.width === undefined || widest(aligned) <= opts.width) return aligned;
  return stackRows(columns, rows, opts.footer ?? [], opts.width);
}

function alignedColumns(columns: Column[], rows: string[][], footer: string[][]): string {
  const all = [columns.map((c) => c.header), ...rows, ...footer];
  const widths = columns.map((_, i) => Math.max(...all.map((r) => visibleWidth(r[i] ?? ''))));
  return all
    .map((r) =>
      columns
        .map((c, i) => {
          const cell = r[i] ?? '';
          const pad = ' '.repeat(widths[i]! - visibleWidth(cell));
          return c.align === 'right' ? pad + cell : cell + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The widest visible line of a block of text. */
export function widest(text: string): number {
  let max = 0;
  for (const line of text.split('\n')) max = Math.max(max, visibleWidth(line));
  return max;
}

/**
 * A table too wide for the terminal, stacked: each row becomes its first cell on a line of its own, then
 * "header value" pairs joined by " · " and wrapped under it. Rows are never split across lines mid-cell,
 * so an 80-column pane reads it as a list instead of a wrapped grid.
 */
function stackRows(columns: Column[], rows: Array<string[] | SectionRow>, footer: string[][], width: number): string {
  const out: string[] = [];
  for (const row of [...rows, ...footer]) {
    if (!Array.isArray(row)) {
      out.push(`── ${row.section} ──`);
      continue;
    }
    const pairs = columns.slice(1).flatMap((c, i) => {
      const cell = row[i + 1] ?? '';
      if (stripColor(cell).trim() === '') return [];
      return [c.header ? `${c.header} ${cell}` : cell];
    });
    out.push(row[0] ?? '');
    if (pairs.length > 0) out.push(fillLine(pairs, ' · ', width, '  '));
  }
  return out.join('\n');
}

/**
 * Items joined by a separator, broken between items (or, for one too long, between words) to fit the width;
 * the first line starts with `lead`, the others with `indent`.
 */
export function fillLine(items: string[], separator: string, width: number, indent: string, lead = indent): string {
  const lines: string[] = [];
  let current = lead;
  let empty = true;
  let currentWidth = lead.length;
  for (const item of items) {
    const w = visibleWidth(item);
    const sep = empty ? 0 : visibleWidth(separator);
    if (!empty && currentWidth + sep + w > width) {
      lines.push(current);
      current = indent;
      currentWidth = indent.length;
      empty = true;
    }
    if (!empty) {
      current += separator;
      currentWidth += visibleWidth(separator);
    }
    current += item;
    currentWidth += w;
    empty = false;
  }
  if (!empty) lines.push(current);
  return lines.map((l) => wrapWords(l, width, indent)).join('\n');
}

const UNIT = /^(ms|s|h|min|d|days?|hours?|minutes?|seconds?)[),.;:]*$/;

/** A number and its time unit ("30 s", "800 ms") stay on one line. */
export function keepUnits(words: string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    const prev = out[out.length - 1];
    if (prev !== undefined && /\d$/.test(prev) && UNIT.test(word)) out[out.length - 1] = `${prev} ${word}`;
    else out.push(word);
  }
  return out;
}

/** One line broken at spaces so no piece is wider than the width, continuation lines under the indent. */
export function wrapWords(line: string, width: number, hang: string): string {
  if (visibleWidth(line) <= width) return line;
  const lead = /^ */.exec(line)![0];
  const out: string[] = [];
  let current = lead;
  let currentWidth = lead.length;
  for (const word of keepUnits(line.slice(lead.length).split(' '))) {
    const w = visibleWidth(word);
    const atStart = current === lead || current === hang;
    if (!atStart && currentWidth + 1 + w > width) {
      out.push(current);
      current = hang + word;
      currentWidth = hang.length + w;
    } else {
      current += (atStart ? '' : ' ') + word;
      currentWidth += (atStart ? 0 : 1) + w;
    }
  }
  out.push(current);
  return out.join('\n');
}
