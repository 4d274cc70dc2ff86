// Tables for the terminal: cli-table3 with a light frame, numbers right-aligned, '-' for unknown.
import Table from 'cli-table3';

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

export function renderTable(columns: Column[], rows: string[][], opts: { color?: boolean; footer?: string[][] } = {}): string {
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
  for (const row of rows) table.push(row);
  if (opts.footer) {
    for (const row of opts.footer) table.push(row);
  }
  return table.toString();
}
