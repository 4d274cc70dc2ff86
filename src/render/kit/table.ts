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

export function renderTable(columns: Column[], rows: Array<string[] | SectionRow>, opts: { color?: boolean; footer?: string[][] } = {}): string {
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
export function renderColumns(columns: Column[], rows: string[][], opts: { footer?: string[][] } = {}): string {
  const all = [columns.map((c) => c.header), ...rows, ...(opts.footer ?? [])];
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
