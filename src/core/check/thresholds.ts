// The gate's policy: thresholds from the command line and from the workload files' `check:` key, resolved to
// rules, and each rule evaluated against the cost diff. A crossed rule is what makes `aip check` exit 1.
import { UsageError } from '../errors.js';
import { closest } from '../suggest.js';
import type { CostDiff, WorkloadDiff } from './diff.js';
import { PERCENT_EXPECTED, USD_EXPECTED, parsePercent, parseUsd, usdHint, type CheckLimitsInput, type CheckPolicyInput } from './policy-schema.js';

export type ThresholdKind = 'max_increase_pct' | 'max_increase_usd' | 'budget_usd';

export const THRESHOLD_KINDS: readonly ThresholdKind[] = ['max_increase_pct', 'max_increase_usd', 'budget_usd'];

export interface ThresholdSource {
  option?: string;
  file?: string;
  line?: number;
  col?: number;
  /** Set from the file as it is at this revision ("git:origin/main"), not as the pull request has it. */
  revision?: string;
}

export type ThresholdScope =
  /** The summed cost of the workloads of `files` (all workloads when undefined). */
  | { kind: 'total'; files?: string[] }
  /** Every workload of `files` (all when undefined) on its own. */
  | { kind: 'each'; files?: string[] }
  | { kind: 'workload'; name: string; file: string };

export interface ThresholdRule {
  kind: ThresholdKind;
  /** Percent for max_increase_pct, US dollars per month otherwise. */
  limit: number;
  scope: ThresholdScope;
  source: ThresholdSource;
}

export type Limits = Partial<Record<ThresholdKind, number>>;

export interface CliThresholds {
  maxIncrease?: string;
  maxIncreaseUsd?: string;
  budget?: string;
  perWorkload?: boolean;
}

const OPTION: Record<ThresholdKind, string> = { max_increase_pct: '--max-increase', max_increase_usd: '--max-increase-usd', budget_usd: '--budget' };
const FILE_KEY: Record<ThresholdKind, keyof CheckLimitsInput> = { max_increase_pct: 'max_increase', max_increase_usd: 'max_increase_usd', budget_usd: 'budget' };

export function fileKey(kind: ThresholdKind): string {
  return FILE_KEY[kind];
}

/** Command-line thresholds → limits; a bad value is a usage error naming the option (exit 2). */
export function parseCliThresholds(opts: CliThresholds): Limits {
  const limits: Limits = {};
  const read = (kind: ThresholdKind, raw: string | undefined, parse: (v: string) => number | undefined, expected: string, example: string) => {
    if (raw === undefined) return;
    const value = parse(raw);
    if (value === undefined) {
      const k = kind !== 'max_increase_pct' ? /did you mean (\S+)\?/.exec(usdHint(raw))?.[1] : undefined;
      throw new UsageError(`"${raw}" is not a valid threshold`, { code: 'E_THRESHOLD', option: OPTION[kind], expected, hint: k ? `did you mean ${OPTION[kind]} ${k}?` : `e.g. ${OPTION[kind]} ${example}` });
    }
    limits[kind] = value;
  };
  read('max_increase_pct', opts.maxIncrease, parsePercent, PERCENT_EXPECTED, '10');
  read('max_increase_usd', opts.maxIncreaseUsd, parseUsd, USD_EXPECTED, '500');
  read('budget_usd', opts.budget, parseUsd, USD_EXPECTED, '5000');
  return limits;
}

/** A workload file's `check:` policy with where each value sits (for messages and annotations). */
export interface FilePolicy {
  file: string;
  policy: CheckPolicyInput;
  /** Position of `check.<path>` in the file. */
  locate(path: readonly string[]): { line: number; col: number } | undefined;
  /** The names of the workloads the file defines (named thresholds must refer to one of them). */
  workloadNames: readonly string[];
  /** The policy was read from this revision (aip check --trust base), not from the working tree. */
  revision?: string;
}

export function limitsOf(input: CheckLimitsInput): Limits {
  const limits: Limits = {};
  if (input.max_increase !== undefined) limits.max_increase_pct = parsePercent(input.max_increase);
  if (input.max_increase_usd !== undefined) limits.max_increase_usd = parseUsd(input.max_increase_usd);
  if (input.budget !== undefined) limits.budget_usd = parseUsd(input.budget);
  return limits;
}

/**
 * The rules in force. Command-line thresholds cover the total of all files and replace a file's total (and
 * per-workload) value of the same kind; `--per-workload` or a file's `per_workload: true` applies the total
 * thresholds to each workload too; a file's `workloads: { name: … }` thresholds replace the per-workload ones
 * for that workload.
 */
export function resolveRules(cli: Limits, cliPerWorkload: boolean, files: readonly FilePolicy[]): ThresholdRule[] {
  const rules: ThresholdRule[] = [];
  for (const kind of THRESHOLD_KINDS) {
    const limit = cli[kind];
    if (limit === undefined) continue;
    const source = { option: OPTION[kind] };
    rules.push({ kind, limit, scope: { kind: 'total' }, source });
    if (cliPerWorkload) rules.push({ kind, limit, scope: { kind: 'each' }, source });
  }
  const oneFile = files.length === 1;
  for (const f of files) {
    const own = limitsOf(f.policy);
    const perWorkload = cliPerWorkload || f.policy.per_workload === true;
    for (const kind of THRESHOLD_KINDS) {
      const limit = own[kind];
      if (limit === undefined || cli[kind] !== undefined) continue;
      const source = { file: f.file, ...f.locate([FILE_KEY[kind]]), ...(f.revision ? { revision: f.revision } : {}) };
      const files = oneFile ? undefined : [f.file];
      rules.push({ kind, limit, scope: files ? { kind: 'total', files } : { kind: 'total' }, source });
      if (perWorkload) rules.push({ kind, limit, scope: files ? { kind: 'each', files } : { kind: 'each' }, source });
    }
    for (const [name, input] of Object.entries(f.policy.workloads ?? {})) {
      if (!f.workloadNames.includes(name)) {
        const guess = closest(name, f.workloadNames, 1)[0];
        throw new UsageError(`no workload named "${name}" in this file`, {
          code: 'E_THRESHOLD_WORKLOAD',
          file: f.file,
          ...f.locate(['workloads', name]),
          field: `check.workloads.${name}`,
          expected: `the name of one of its workloads: ${f.workloadNames.join(', ')}`,
          hint: guess ? `did you mean "${guess}"?` : undefined,
        });
      }
      const limits = limitsOf(input);
      for (const kind of THRESHOLD_KINDS) {
        const limit = limits[kind];
        if (limit === undefined) continue;
        rules.push({ kind, limit, scope: { kind: 'workload', name, file: f.file }, source: { file: f.file, ...f.locate(['workloads', name, FILE_KEY[kind]]), ...(f.revision ? { revision: f.revision } : {}) } });
      }
    }
  }
  return rules;
}

export interface ThresholdOutcome {
  rule: ThresholdRule;
  /** "total", "total of app.yaml", or a workload's name. */
  subject: string;
  /** The workload judged, for per-workload rules. */
  workload?: WorkloadDiff;
  /** What was compared with the limit: percent, or US dollars; null where it does not apply (no cost before). */
  value: number | null;
  crossed: boolean;
}

export interface Verdict {
  outcomes: ThresholdOutcome[];
  failed: boolean;
  /** Workloads on a model the provider has retired: a failed check whatever the thresholds. */
  retired?: RetiredUse[];
}

export interface RetiredUse {
  workload: string;
  file: string;
  line: number;
  model: string;
  retiresOn: string | undefined;
  successor: string | undefined;
}

/** "support-chat uses claude-sonnet-4-5, retired since 2026-11-30: move to claude-sonnet-5-5" */
export function describeRetired(r: RetiredUse): string {
  return `${r.workload} uses ${r.model}, retired${r.retiresOn ? ` since ${r.retiresOn}` : ''}: the provider no longer serves it${r.successor ? `; move to ${r.successor}` : ''}`;
}

/** Drop floating-point noise (820.0949999… is 820.095) so a figure rounds the same everywhere it is shown. */
export function tidy(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Round as the user reads the figure (cents, hundredths of a percent), so "just at the limit" passes. */
function comparable(value: number): number {
  return Math.round(tidy(value) * 100) / 100;
}

function measure(kind: ThresholdKind, before: number, after: number): number | null {
  if (kind === 'budget_usd') return after;
  if (kind === 'max_increase_usd') return after - before;
  return before > 0 ? ((after - before) / before) * 100 : null;
}

/**
 * Judge each rule. `fileOf` says which workload file a workload of the current side comes from (removed
 * workloads belong to the file they were removed from; the caller knows it from the baseline).
 */
export function evaluateRules(rules: readonly ThresholdRule[], diff: CostDiff, fileOf: (w: WorkloadDiff) => string | undefined): Verdict {
  const outcomes: ThresholdOutcome[] = [];
  const inFiles = (w: WorkloadDiff, files: string[] | undefined) => files === undefined || files.includes(fileOf(w) ?? '');
  const named = new Set(rules.filter((r) => r.scope.kind === 'workload').map((r) => `${r.kind}\0${(r.scope as { name: string }).name}`));
  const judge = (rule: ThresholdRule, subject: string, before: number, after: number, workload?: WorkloadDiff) => {
    const value = measure(rule.kind, before, after);
    const crossed = value !== null && comparable(value) > rule.limit;
    outcomes.push({ rule, subject, value, crossed, ...(workload ? { workload } : {}) });
  };
  for (const rule of rules) {
    const scope = rule.scope;
    if (scope.kind === 'total') {
      const ws = diff.workloads.filter((w) => inFiles(w, scope.files));
      const subject = scope.files ? `total of ${scope.files.join(', ')}` : 'total';
      judge(rule, subject, sum(ws.map((w) => w.beforeUsd)), sum(ws.map((w) => w.afterUsd)));
    } else if (scope.kind === 'each') {
      for (const w of diff.workloads) {
        // A removed workload costs nothing now; a workload with its own threshold of this kind is judged by that.
        if (w.status === 'removed' || !inFiles(w, scope.files) || named.has(`${rule.kind}\0${w.name}`)) continue;
        judge(rule, w.name, w.beforeUsd, w.afterUsd, w);
      }
    } else {
      const w = diff.workloads.find((x) => x.name === scope.name && x.status !== 'removed');
      if (w) judge(rule, w.name, w.beforeUsd, w.afterUsd, w);
    }
  }
  return { outcomes, failed: outcomes.some((o) => o.crossed) };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
