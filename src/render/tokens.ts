// `aip tokens` for people: one row per file, the total, and how the count was made.
import { inline } from '../core/safe-text.js';
import type { TokensReport } from '../core/tokens/report.js';
import { count, usdPrecise } from '../core/format.js';
import { palette } from './kit/color.js';
import { renderTable, wrapWords } from './kit/table.js';

function fileCost(tokens: number, price: number | null): string {
  return price === null ? '-' : usdPrecise((tokens * price) / 1e6);
}

export function renderTokensReport(report: TokensReport, opts: { color: boolean; quiet: boolean; width?: number }): string {
  const width = opts.width ?? 1000;
  const c = palette(opts.color);
  const approx = report.approximate ? '~' : '';
  const price = report.input_price_per_million_usd;
  const rows = report.files.map((f) => [inline(f.path), `${approx}${count(f.tokens)}`, count(f.bytes), fileCost(f.tokens, price)]);
  const footer = report.files.length > 1 ? [[c.bold('total'), c.bold(`${approx}${count(report.total_tokens)}`), count(report.files.reduce((s, f) => s + f.bytes, 0)), c.bold(fileCost(report.total_tokens, price))]] : [];
  if (opts.quiet) return String(report.total_tokens);
  const lines: string[] = [];
  lines.push(
    renderTable(
      [{ header: 'file' }, { header: 'tokens', align: 'right' }, { header: 'bytes', align: 'right' }, { header: 'input cost/call', align: 'right' }],
      rows,
      { color: opts.color, footer, width },
    ),
  );
  const priceText = price === null ? 'input price unknown' : `input $${price}/1M tokens`;
  lines.push(c.dim(wrapWords(`${report.model}: ${report.method}; ${priceText}. Cost is per call, for this text as input (chat framing adds a few tokens per message).`, width, '  ')));
  // The "~" of the counts, explained where it first appears.
  if (report.approximate) lines.push(wrapWords(`${c.warn('approximate:')} ~ = an estimate${report.error_note ? `: ${report.error_note}` : '.'}`, width, '  '));
  return lines.join('\n');
}
