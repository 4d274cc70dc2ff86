// The `aip tokens` result as plain data (the --json document of SPEC.md) and as a table for people.
import { palette } from '../../render/kit/color.js';
import { count, usdPrecise } from '../format.js';
import { renderTable } from '../../render/kit/table.js';

export interface FileCount {
  path: string;
  tokens: number;
  bytes: number;
}

export interface TokensReport {
  model: string;
  encoding: string;
  approximate: boolean;
  method: string;
  error_note: string | null;
  files: FileCount[];
  total_tokens: number;
  /** total_tokens × the model's input price; null where the model (and so its price) is unknown. */
  input_cost_usd: number | null;
  input_price_per_million_usd: number | null;
  notes: string[];
}

export interface TokensReportInput {
  model: string;
  encoding: string;
  approximate: boolean;
  method: string;
  errorNote: string | undefined;
  files: FileCount[];
  inputPricePerMillion: number | null;
  notes?: string[];
}

export function buildTokensReport(input: TokensReportInput): TokensReport {
  // The total is the sum of the per-file figures so the table adds up (each file is scaled separately).
  const total = input.files.reduce((sum, f) => sum + f.tokens, 0);
  return {
    model: input.model,
    encoding: input.encoding,
    approximate: input.approximate,
    method: input.method,
    error_note: input.errorNote ?? null,
    files: input.files,
    total_tokens: total,
    input_cost_usd: input.inputPricePerMillion === null ? null : (total * input.inputPricePerMillion) / 1e6,
    input_price_per_million_usd: input.inputPricePerMillion,
    notes: input.notes ?? [],
  };
}

function fileCost(tokens: number, price: number | null): string {
  return price === null ? '-' : usdPrecise((tokens * price) / 1e6);
}

export function renderTokensReport(report: TokensReport, opts: { color: boolean; quiet: boolean }): string {
  const c = palette(opts.color);
  const approx = report.approximate ? '~' : '';
  const price = report.input_price_per_million_usd;
  const rows = report.files.map((f) => [f.path, `${approx}${count(f.tokens)}`, count(f.bytes), fileCost(f.tokens, price)]);
  const footer = report.files.length > 1 ? [[c.bold('total'), c.bold(`${approx}${count(report.total_tokens)}`), count(report.files.reduce((s, f) => s + f.bytes, 0)), c.bold(fileCost(report.total_tokens, price))]] : [];
  if (opts.quiet) return String(report.total_tokens);
  const lines: string[] = [];
  lines.push(
    renderTable(
      [{ header: 'file' }, { header: 'tokens', align: 'right' }, { header: 'bytes', align: 'right' }, { header: 'input cost/call', align: 'right' }],
      rows,
      { color: opts.color, footer },
    ),
  );
  const priceText = price === null ? 'input price unknown' : `input $${price}/1M tokens`;
  lines.push(c.dim(`${report.model}: ${report.method}; ${priceText}. Cost is per call, for this text as input (chat framing adds a few tokens per message).`));
  if (report.approximate && report.error_note) lines.push(`${c.warn('approximate:')} ${report.error_note}`);
  return lines.join('\n');
}
