// The `aip tokens` result as plain data: the --json document (docs/spec.md); render/tokens.ts draws it for people.

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
