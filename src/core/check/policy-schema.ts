// The `check:` key of the workload file: the cost gate's thresholds, kept with the workloads they guard.
import { z } from 'zod';
import { MAX_USD_PER_MONTH } from '../bounds.js';
import { describeValue } from '../parse/yaml-source.js';

export const PERCENT_EXPECTED = 'a percentage ≥ 0, e.g. 10 or "10%"';
export const USD_EXPECTED = 'US dollars per month ≥ 0, e.g. 500 or "$1,200"';

/** "10", "10%", "12.5 %" → 10, 12.5; undefined when it is not a percentage ≥ 0. */
export function parsePercent(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*%?\s*$/.exec(value);
  return m ? Number(m[1]) : undefined;
}

/** "500", "$1,200.50", "1200" → dollars; undefined when it is not an amount ≥ 0. */
export function parseUsd(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const m = /^\s*\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*$/.exec(value);
  return m ? Number(`${m[1]!.replace(/,/g, '')}${m[2] ?? ''}`) : undefined;
}

/** "1.2k", "$2k" → "did you mean 1200?" (built from the digits); otherwise the general advice. */
export function usdHint(value: number | string): string {
  const m = typeof value === 'string' ? /^\s*\$?\s*(\d+(?:\.\d+)?)\s*([kKmM])\s*$/.exec(value) : null;
  if (m) return `did you mean ${Number((Number(m[1]) * (/k/i.test(m[2]!) ? 1e3 : 1e6)).toFixed(2))}?`;
  return 'write a plain number such as 500 (no "k", no other currency)';
}

/** The loader reports a custom issue's params.expected and params.hint beside its message. */
const valid = (parse: (v: number | string) => number | undefined, what: string, expected: string, hint: string | ((v: number | string) => string | undefined)) => (v: number | string, ctx: z.RefinementCtx) => {
  const n = parse(v);
  const said = typeof hint === 'function' ? (hint(v) ?? 'write a plain number') : hint;
  if (n === undefined) ctx.addIssue({ code: 'custom', message: `${describeValue(v)} is not ${what}`, params: { expected, hint: said } });
  else if (n > MAX_USD_PER_MONTH) ctx.addIssue({ code: 'custom', message: `above the maximum of ${MAX_USD_PER_MONTH.toExponential()}`, params: { expected, hint: said } });
};

const Percent = z
  .union([z.number(), z.string()])
  .superRefine(valid(parsePercent, 'a percentage', PERCENT_EXPECTED, 'write it as 10 or "10%"'))
  .meta({ description: `Fail when the monthly cost rises by more than this percentage: ${PERCENT_EXPECTED}.`, examples: [10, '10%'] });

const Usd = z
  .union([z.number(), z.string()])
  .superRefine(valid(parseUsd, 'an amount of US dollars', USD_EXPECTED, usdHint))
  .meta({ examples: [500, '$1,200'] });

const limitShape = {
  max_increase: Percent.optional(),
  max_increase_usd: Usd.optional().meta({ description: 'Fail when the monthly cost rises by more than this many US dollars.' }),
  budget: Usd.optional().meta({ description: 'Fail when the projected monthly cost is above this many US dollars.' }),
};

export const CheckLimitsSchema = z.object(limitShape).strict();

export const CheckPolicySchema = z
  .object({
    ...limitShape,
    per_workload: z.boolean().optional().meta({ description: 'Apply max_increase, max_increase_usd and budget to each workload as well as to the total.' }),
    workloads: z
      .record(z.string(), CheckLimitsSchema)
      .optional()
      .meta({ description: 'Thresholds for one workload by name; they replace the per-workload ones for it.' }),
  })
  .strict()
  .meta({ description: 'Thresholds for "aip check" (the CI cost gate). Command-line options override the total ones.' });

export type CheckLimitsInput = z.infer<typeof CheckLimitsSchema>;
export type CheckPolicyInput = z.infer<typeof CheckPolicySchema>;
