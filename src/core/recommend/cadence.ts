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
  /**
   * Set where the interval from the tolerance alone left batch's within_tolerance under the threshold plus
   * its margin and a shorter interval was chosen (tightenCadence): the interval it replaced and both shares.
   */
  tightened?: { fromEveryS: number; fromShare: number; share: number; target: number; minShare: number };
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

/** What the one model of time says of a cadence: the share within the tolerance, and whether the batch queue holds it. */
export interface CadenceProbe {
  share: number;
  /** The batch queue (requests or enqueued tokens at the tier) holds every batch in flight at once, at the peak. */
  queueFits: boolean;
}

/**
 * The interval from the tolerance alone can leave batch's share of requests within the tolerance right at the
 * threshold (24 h tolerance, 12 h cadence: 99.0% against 99%), where a small change in the turnaround's
 * spread flips it. Where `probe(everyS)` (the one model of time, core/time) is under the threshold plus the
 * margin, submit more often: the longest interval (that divides a day, not below the floor) whose share
 * clears the target and whose batches in flight still fit the batch queue; where none clears the target, the
 * longest that clears the threshold, else the interval from the tolerance. A cadence whose queue overflows is
 * left alone: that is a tier's or a slicing plan's question, not the cadence's (the options name it). Pure.
 */
export function tightenCadence(c: BatchCadence, x: BatchCadenceInput, probe: (everyS: number) => CadenceProbe, minShare: number, margin: number): BatchCadence {
  const target = Math.min(1, minShare + margin);
  const from = probe(c.everyS);
  if (from.share >= target || !c.meetsTypically || !from.queueFits) return c;
  const shorter = SUBMIT_INTERVALS_S.filter((s) => s >= c.floorS && s < c.everyS).reverse();
  let best: { everyS: number; share: number } | null = null;
  for (const everyS of shorter) {
    const at = probe(everyS);
    if (!at.queueFits) break; // shorter still only puts more batches in flight at once
    if (at.share >= target) {
      best = { everyS, share: at.share };
      break;
    }
    if (at.share >= minShare && from.share < minShare && best === null) best = { everyS, share: at.share };
  }
  if (best === null) return c;
  return {
    ...c,
    everyS: best.everyS,
    meetsTypically: best.everyS + x.typicalTurnaroundS <= x.toleranceS,
    guaranteed: best.everyS + x.guaranteeS <= x.toleranceS,
    tightened: { fromEveryS: c.everyS, fromShare: from.share, share: best.share, target, minShare },
  };
}
