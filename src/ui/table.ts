// Tables for the terminal: cli-table3 with a light frame, numbers right-aligned, '-' for unknown.
import Table from 'cli-table3';

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
