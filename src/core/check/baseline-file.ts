// Baseline files (`aip recommend --json` output, or `aip baseline`'s, which adds where each workload and its
// prompt files came from): parsed with positions, checked for a compatible aip version, turned into diff points.
import type { z } from 'zod';
import { UsageError, UsageErrors } from '../errors.js';
import { issuesToErrors, locate, parseYamlSource } from '../parse/yaml-source.js';
import type { WorkloadPoint } from './diff.js';
import { RecommendDocumentAsRead } from '../recommend/document.js';

type BaselineFile = z.infer<typeof RecommendDocumentAsRead>;

export interface BaselineSnapshot {
  /** "aip-baseline.json" or "git:origin/main", for headings. */
  label: string;
  aipVersion: string;
  catalogAsOf: string | undefined;
  workloads: WorkloadPoint[];
  /** false for plain `aip recommend --json` output: pricing overrides are not recorded. */
  detailed: boolean;
}

/** Same major version; while the major is 0, the same minor (0.x releases may change the JSON shape). */
export function versionsCompatible(baseline: string, running: string): boolean {
  const a = parseVersion(baseline);
  const b = parseVersion(running);
  if (!a || !b) return false;
  if (a.major !== b.major) return false;
  return a.major > 0 || a.minor === b.minor;
}

function parseVersion(v: string): { major: number; minor: number } | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(v.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

const REGENERATE_HINT = 'write a new one with "aip baseline FILE... -o aip-baseline.json", or compare with a git revision: --baseline git:origin/main';

/** Parse a baseline file's text; every problem is a usage error naming the file and line (exit 2). */
export function readBaselineFile(file: string, text: string, runningVersion: string): BaselineSnapshot {
  const src = parseYamlSource(file, text);
  const data = src.data as Record<string, unknown> | null;
  if (data === null || typeof data !== 'object' || Array.isArray(data) || !('workloads' in data)) {
    throw new UsageError('not a baseline: it has no "workloads"', {
      code: 'E_BASELINE_FORMAT',
      file,
      line: 1,
      col: 1,
      expected: 'the JSON written by "aip baseline" or "aip recommend --json"',
      hint: REGENERATE_HINT,
    });
  }
  const version = data.aip_version;
  if (typeof version !== 'string') {
    throw new UsageError('the baseline does not say which aip version wrote it ("aip_version" is missing)', {
      code: 'E_BASELINE_VERSION',
      file,
      ...locate(src, []),
      expected: 'the JSON written by "aip baseline" or "aip recommend --json", which starts with "aip_version"',
      hint: REGENERATE_HINT,
    });
  }
  if (!versionsCompatible(version, runningVersion)) {
    // Quoted only when it reads as a version number (file text stays out of messages otherwise).
    const shown = /^v?\d{1,6}\.\d{1,6}\.\d{1,6}(?:[-+][0-9A-Za-z.-]{1,40})?$/.test(version) ? `aip ${version}` : 'an unrecognised aip version';
    throw new UsageError(`the baseline was written by ${shown}, which is incompatible with this aip ${runningVersion}`, {
      code: 'E_BASELINE_VERSION',
      file,
      ...locate(src, ['aip_version']),
      field: 'aip_version',
      expected: `a baseline written by aip ${compatibleRange(runningVersion)}`,
      hint: REGENERATE_HINT,
    });
  }
  const parsed = RecommendDocumentAsRead.safeParse(data);
  if (!parsed.success) throw new UsageErrors(issuesToErrors(src, RecommendDocumentAsRead, parsed.error.issues));
  const workloads = parsed.data.workloads;
  const seen = new Set<string>();
  workloads.forEach((w, i) => {
    if (seen.has(w.name)) {
      throw new UsageError('a workload name appears twice', { code: 'E_BASELINE_FORMAT', file, ...locate(src, ['workloads', i, 'name']), field: `workloads[${i}].name`, expected: 'unique workload names' });
    }
    seen.add(w.name);
    if (w.cost_usd_per_month[w.pattern] === null) {
      throw new UsageError(`the cost of the recommended pattern "${w.pattern}" is null`, { code: 'E_BASELINE_FORMAT', file, ...locate(src, ['workloads', i, 'cost_usd_per_month', w.pattern]), field: `workloads[${i}].cost_usd_per_month.${w.pattern}`, expected: 'a number of US dollars per month' });
    }
  });
  return {
    label: file,
    aipVersion: version,
    catalogAsOf: parsed.data.catalog_as_of,
    workloads: workloads.map(toPoint),
    detailed: workloads.every((w) => w.pricing !== undefined),
  };
}

function compatibleRange(running: string): string {
  const v = parseVersion(running);
  if (!v) return running;
  return v.major > 0 ? `${v.major}.x` : `0.${v.minor}.x`;
}

/** The option the document recommended (the one without a why_not). */
function chosenOption(w: BaselineFile['workloads'][number]) {
  return w.options?.find((o) => o.why_not === null && o.pattern === w.pattern && o.service_tier === (w.service_tier ?? 'standard'));
}

function toPoint(w: BaselineFile['workloads'][number]): WorkloadPoint {
  return {
    name: w.name,
    model: w.model,
    pattern: w.pattern,
    requestsPerMonth: w.requests_per_month,
    inputTokens: w.tokens.input,
    // Billed output: hidden reasoning tokens included (documents written before they were counted lack them).
    outputTokens: w.tokens.output + (w.tokens.reasoning ?? 0),
    cachedFraction: w.tokens.cached_fraction,
    // Priced in full although recorded: the share was measured (input.cached_measured), or the prefix met the minimum.
    cachedMeasured: w.tokens.cached_fraction > 0 && w.tokens.cached_fraction_priced === w.tokens.cached_fraction ? true : undefined,
    // The recommended option's cost where the document has it (service tiers), else the pattern's.
    costUsdPerMonth: w.recommended_cost_usd_per_month ?? w.cost_usd_per_month[w.pattern]!,
    serviceTier: w.service_tier ?? 'standard',
    viaQueue: w.via_queue,
    standardShare: chosenOption(w)?.standard_share ?? 0,
    feeUsdPerMonth: chosenOption(w)?.provisioned?.fee_usd_per_month,
    pricing: w.pricing ?? undefined,
    promptFiles: w.tokens.prompt_files && w.tokens.prompt_files.length > 0 ? w.tokens.prompt_files : undefined,
    file: w.file,
  };
}
