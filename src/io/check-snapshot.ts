// One side of the diff computed now: workload files (from disk or a git revision) through the recommend
// engine, to one point per workload with where it sits in its file, and each file's `check:` policy.
import type { TokenCountCache } from '../core/tokens/count-cache.js';
import type { Catalog } from '../core/catalog/schema.js';
import { findModel } from '../core/catalog/models.js';
import { billedOutputTokens, cacheApplies } from '../core/recommend/cost/workload-cost.js';
import { tierMonthlyCost } from '../core/recommend/options.js';
import { effectivePrices } from '../core/recommend/cost/prices.js';
import { UsageError, UsageErrors } from '../core/errors.js';
import { locate, parseYamlSource } from '../core/parse/yaml-source.js';
import type { WorkloadFile } from '../core/workload/normalise.js';
import { diskFileSource } from './file-source.js';
import type { FileSource } from '../core/workload/file-source.js';
import { VERSION } from '../core/version.js';
import type { Context } from './context.js';
import type { RecommendReport, WorkloadRecommendation } from '../core/recommend/build.js';
import type { RecommendJson } from '../core/recommend/document.js';
import type { CostOf, WorkloadPoint } from '../core/check/diff.js';
import type { CheckPolicyInput } from '../core/check/policy-schema.js';
import type { FilePolicy } from '../core/check/thresholds.js';

export interface Snapshot {
  workloads: WorkloadPoint[];
  policies: FilePolicy[];
  /** The loaded files and the recommend JSON they gave (what `aip baseline` writes out). */
  files: WorkloadFile[];
  recommendation: RecommendJson;
}

/** The recommend engine as the check needs it: loaded files in, the report and its `--json` document out. */
export type Recommend = (files: WorkloadFile[], catalog: Catalog) => { report: RecommendReport; json: RecommendJson };

/** The real engine, with the injected clock and this aip's version. */
export async function recommendEngine(ctx: Pick<Context, 'now'>): Promise<Recommend> {
  const { buildRecommendation } = await import('../core/recommend/build.js');
  const { recommendJson } = await import('../core/recommend/document.js');
  return (files, catalog) => {
    const report = buildRecommendation(files, catalog, { now: ctx.now(), version: VERSION });
    return { report, json: recommendJson(report) };
  };
}

export interface SnapshotOptions {
  catalog: Catalog;
  cwd: string;
  recommend: Recommend;
  source?: FileSource;
  /** "git:origin/main" when reading a revision: problems in those files say where they come from. */
  revisionLabel?: string;
  /** Token counts known from earlier runs (both sides of a check often share most prompt text). */
  tokenCache?: TokenCountCache;
  /** Ctrl-C: stops a long token count. */
  signal?: AbortSignal;
  /** --allow-outside: the working tree's prompt files may lie outside the repository. */
  allowOutside?: boolean;
}

export async function loadSnapshot(files: readonly string[], opts: SnapshotOptions): Promise<Snapshot> {
  const { loaded, source } = await loadSideFiles(files, opts);
  return snapshotOf(loaded, source, opts);
}

/** The workload files of one side, loaded (prompt files tokenized) but not yet recommended. */
export async function loadSideFiles(files: readonly string[], opts: SnapshotOptions): Promise<{ loaded: WorkloadFile[]; source: FileSource }> {
  const { loadWorkloadFiles } = await import('./workload-files.js');
  const source = opts.source ?? diskFileSource({ allowOutside: opts.allowOutside === true, cwd: opts.cwd });
  try {
    return { loaded: await loadWorkloadFiles(files, { catalog: opts.catalog, cwd: opts.cwd, source, tokenCache: opts.tokenCache, signal: opts.signal }), source };
  } catch (err) {
    throw opts.revisionLabel ? atRevision(err, opts.revisionLabel) : err;
  }
}

/** Loaded files through the recommend engine: one point per workload, and each file's check: policy. */
export async function snapshotOf(loaded: WorkloadFile[], source: FileSource, opts: Pick<SnapshotOptions, 'catalog' | 'cwd' | 'recommend'>): Promise<Snapshot> {
  const { report, json } = opts.recommend(loaded, opts.catalog);
  const workloads = report.workloads.map(pointOf);
  const policies: FilePolicy[] = [];
  for (const f of loaded) {
    const policy = await readPolicy(f, opts.cwd, source);
    if (policy) policies.push(policy);
  }
  return { workloads, policies, files: loaded, recommendation: json };
}

/**
 * One workload's recommendation as a diff point: the recommended option (pattern and service tier) and its
 * unrounded monthly cost. Output tokens are the billed ones (hidden reasoning included).
 */
export function pointOf(r: WorkloadRecommendation): WorkloadPoint {
  const w = r.workload;
  const pattern = r.decision.pattern;
  const chosen = r.options.chosen;
  const cost = r.recommendedCostUsdPerMonth;
  if (r.cost.monthly[pattern] === null) throw new Error(`the recommended pattern ${pattern} of ${w.name} has no cost`);
  return {
    name: w.name,
    model: w.model.id,
    pattern,
    requestsPerMonth: w.requestsPerMonth,
    inputTokens: w.input.tokens,
    outputTokens: billedOutputTokens(w),
    cachedFraction: w.input.cachedFraction,
    cachedMeasured: w.input.cachedMeasured,
    costUsdPerMonth: cost,
    serviceTier: chosen.serviceTier,
    viaQueue: r.decision.viaQueue,
    standardShare: chosen.standardShare,
    feeUsdPerMonth: chosen.provisioned?.feeUsdPerMonth,
    pricing: w.pricing as Record<string, number> | undefined,
    promptFiles: w.input.from === 'prompt' ? w.input.promptFiles.map((p) => ({ path: p.path, tokens: p.tokens })) : undefined,
    file: w.file,
    line: w.line,
    lines: w.lines,
    latency: w.latencyText,
    userFacing: w.userFacing,
  };
}

/** Today's list-price cost of a point: the recommend engine's own cost model, so both sides agree to the cent. */
export function costOfPoint(catalog: Catalog): CostOf {
  return (p) => {
    const model = findModel(catalog, p.model);
    if (!model) return null;
    const tier = p.serviceTier ?? 'standard';
    const prices = effectivePrices(model, p.pricing, p.inputTokens);
    // A cached prefix under the model's minimum is priced uncached, as recommend prices it.
    const cached = cacheApplies({ model, input: { tokens: p.inputTokens, cachedFraction: p.cachedFraction, ...(p.cachedMeasured ? { cachedMeasured: true as const } : {}) } }) ? p.cachedFraction : 0;
    const usage = { requestsPerMonth: p.requestsPerMonth, inputTokens: p.inputTokens, cachedFraction: cached, outputTokens: p.outputTokens };
    // Capacity is a fee, plus the overflow spilled to standard where it was sized below the peak.
    if (tier === 'provisioned') {
      const std = tierMonthlyCost(model, prices, usage, p.pattern, 'standard', 0);
      return p.feeUsdPerMonth === undefined || std === null ? null : p.feeUsdPerMonth + (p.standardShare ?? 0) * std;
    }
    return tierMonthlyCost(model, prices, usage, p.pattern, tier, p.standardShare ?? 0);
  };
}

/** The file's `check:` key with positions (the loader validated it; this reads where each value sits). */
async function readPolicy(f: WorkloadFile, cwd: string, source: FileSource): Promise<FilePolicy | undefined> {
  const { isAbsolute, resolve } = await import('node:path');
  const text = await source.readText(isAbsolute(f.file) ? f.file : resolve(cwd, f.file));
  // Parsing again only for positions: skip it when the file has no check: key (long files parse slowly).
  if (!/^\s*["']?check["']?\s*:/m.test(text)) return undefined;
  const src = parseYamlSource(f.file, text);
  const policy = (src.data as { check?: CheckPolicyInput } | null)?.check;
  if (!policy) return undefined;
  return {
    file: f.file,
    policy,
    locate: (path) => locate(src, ['check', ...path]),
    workloadNames: f.workloads.map((w) => w.name),
  };
}

/** Errors in the baseline's files name the revision, so nobody hunts for them in the working tree. */
function atRevision(err: unknown, label: string): unknown {
  const relabel = (e: UsageError) =>
    new UsageError(`${e.message} (in the baseline, ${label})`, { ...e.where, code: e.code, expected: e.expected, hint: e.hint ?? `the workload file at ${label} must be valid to compare with it; use a baseline file instead` });
  if (err instanceof UsageErrors) return new UsageErrors(err.errors.map(relabel));
  if (err instanceof UsageError) return relabel(err);
  return err;
}
