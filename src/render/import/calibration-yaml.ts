// The calibration overlay as YAML for `--catalog`: measured speeds per model with the requests and period
// they rest on; recommend and simulate print "measured: N requests, period" where they use them.
import { stringify } from 'yaml';
import type { Calibration } from '../../core/import/calibration.js';
import { printable } from '../../core/import/detect.js';

export function renderCalibration(cal: Calibration, opts: { command: string; sources: string[] }): string {
  const head = [
    `# Measured speeds written by "${printable(opts.command)}" from ${opts.sources.map(printable).join(', ')}.`,
    '# A catalog overlay: aip recommend FILE --catalog THIS (and simulate) use these speeds instead of the',
    "# catalog's typical ones and label their latencies \"measured: N requests, period\". ttft_s and",
    '# output_tokens_per_s are the medians of the calls measured; `measured` keeps the percentiles, the',
    '# failure rate by class and, where the traffic used several service tiers, the same per tier.',
    ...cal.skipped.map((s) => `# Left out: ${printable(s)}`),
  ];
  return `${head.join('\n')}\n${stringify({ models: cal.models }, { lineWidth: 0 })}`;
}
