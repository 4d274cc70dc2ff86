// How often to submit a batch so that a request meets its latency tolerance in the typical case (pure):
// it waits at most one interval for the next submission, then the batch's turnaround.
import type { Thresholds } from '../catalog/schema.js';

/**
 * Intervals that divide a day, so submissions fall at the same clock times every day (00:00 and 12:00,
 * not drifting); a cadence is rounded down to one of them.
 */
export const SUBMIT_INTERVALS_S = [300, 600, 900, 1200, 1800, 3600, 7200, 10800, 14400, 21600, 28800, 43200, 86400] as const;

export interface BatchCadenceInput {
  toleranceS: number;
  /** The provider's typical turnaround (most batches finish within it), s. */
  typicalTurnaroundS: number;
  /** The provider's completion guarantee, s (24 h). */
  guaranteeS: number;
}

export interface BatchCadence {
  /** Submit a batch this often, s. */
  everyS: number;
  /** Tolerance − typical turnaround − margin, before rounding (may be negative). */
  budgetS: number;
  /** Slack kept for batches slower than typical: the tolerance × the margin fraction. */
  marginS: number;
  /** The shortest interval aip suggests (data/thresholds.yaml). */
  floorS: number;
  /** everyS + typical turnaround ≤ tolerance: the typical request meets the tolerance. */
  meetsTypically: boolean;
  /** budgetS ≥ floor: the typical request meets it with the margin to spare. */
  withMargin: boolean;
  /** everyS + guarantee ≤ tolerance: even a batch that takes the whole guarantee meets it. */
  guaranteed: boolean;
}

export function batchCadence(x: BatchCadenceInput, thresholds: Thresholds['values']): BatchCadence {
  const floorS = thresholds.batch_submit_min_interval_s.value;
  const marginS = x.toleranceS * thresholds.batch_submit_margin_fraction.value;
  const budgetS = x.toleranceS - x.typicalTurnaroundS - marginS;
  const largest = SUBMIT_INTERVALS_S[SUBMIT_INTERVALS_S.length - 1];
  // Round down to an interval that divides a day; never below the floor, never more than a day apart.
  const fitting = SUBMIT_INTERVALS_S.filter((s) => s >= floorS && s <= budgetS);
  const everyS = fitting.length > 0 ? fitting[fitting.length - 1]! : Math.min(floorS, largest!);
  return {
    everyS,
    budgetS,
    marginS,
    floorS,
    meetsTypically: everyS + x.typicalTurnaroundS <= x.toleranceS,
    withMargin: budgetS >= floorS,
    guaranteed: everyS + x.guaranteeS <= x.toleranceS,
  };
}
