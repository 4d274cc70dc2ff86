// What `aip check` found, as plain data for the renderers: the diff, the thresholds and the verdict.
import type { CostDiff } from './diff.js';
import type { ThresholdRule, Verdict } from './thresholds.js';

export interface BaselineInfo {
  kind: 'git' | 'file';
  /** "git:origin/main" or the file path as given. */
  label: string;
  /** git: the commit the ref resolved to. */
  commit?: string;
  /** The aip version that wrote a baseline file. */
  aipVersion?: string;
  catalogAsOf?: string;
}

export interface CheckReport {
  aipVersion: string;
  catalogAsOf: string;
  baseline: BaselineInfo;
  diff: CostDiff;
  rules: ThresholdRule[];
  verdict: Verdict;
  /** Things the reader should know about the comparison itself (e.g. a baseline without prompt-file detail). */
  notes: string[];
}
