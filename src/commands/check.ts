// aip check: the CI gate. Projected monthly cost now vs. a baseline (a recommend/baseline JSON file or the
// same workload files at a git revision); exit 1 only when a threshold is crossed.
import { readFile } from 'node:fs/promises';
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import pkg from '../../package.json' with { type: 'json' };
import { loadCatalog } from '../catalog/load.js';
import { readBaselineFile, type BaselineSnapshot } from '../check/baseline-file.js';
import { diffCosts } from '../check/diff.js';
import { openGitRevision } from '../check/git-source.js';
import type { BaselineInfo, CheckReport } from '../check/report.js';
import { costOfPoint, loadSnapshot, recommendEngine, type Recommend, type Snapshot } from '../check/snapshot.js';
import type { Catalog } from '../catalog/schema.js';
import { evaluateRules, parseCliThresholds, resolveRules } from '../check/thresholds.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';

export const CHECK_FORMATS = ['table', 'markdown', 'json', 'github'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export interface CheckOptions {
  baseline?: string;
  maxIncrease?: string;
  maxIncreaseUsd?: string;
  budget?: string;
  perWorkload?: boolean;
  format?: CheckFormat;
}

export async function checkCommand(ctx: Context, files: string[], opts: CheckOptions): Promise<number> {
  if (!opts.baseline) {
    throw new UsageError('a baseline is required', {
      code: 'E_BASELINE_MISSING',
      option: '--baseline',
      expected: 'git:REF (the same workload files at a git revision) or a file written by "aip baseline" / "aip recommend --json"',
      hint: 'in a pull request: --baseline git:origin/main',
    });
  }
  // Options first: a bad threshold fails fast, before any file is read.
  const cliLimits = parseCliThresholds(opts);
  const format: CheckFormat = ctx.json ? 'json' : (opts.format ?? 'table');
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd });

  const recommend = await recommendEngine(ctx);
  const current = await loadSnapshot(files, { catalog, cwd: ctx.cwd, recommend });
  const { snapshot: baseline, info, notes } = await loadBaseline(ctx, opts.baseline, files, catalog, current, recommend);

  const costOf = costOfPoint(catalog);
  const diff = diffCosts(baseline.workloads, current.workloads, costOf);
  const rules = resolveRules(cliLimits, opts.perWorkload === true, current.policies);
  const fileOf = (w: (typeof diff.workloads)[number]) => w.after?.file ?? w.before?.file;
  const verdict = evaluateRules(rules, diff, fileOf);
  const report: CheckReport = { aipVersion: pkg.version, catalogAsOf: catalog.asOf, baseline: info, diff, rules, verdict, notes };

  ctx.out(await render(ctx, report, format));
  return verdict.failed ? 1 : 0;
}

async function render(ctx: Context, report: CheckReport, format: CheckFormat): Promise<string> {
  switch (format) {
    case 'json': {
      const { checkJson } = await import('../check/render-json.js');
      return JSON.stringify(checkJson(report), null, 2);
    }
    case 'markdown':
      return (await import('../check/render-markdown.js')).renderMarkdown(report);
    case 'github': {
      const { renderGithub } = await import('../check/render-github.js');
      const place = await placeInRepo(ctx);
      // GitHub resolves annotation paths against the repository root (the workspace).
      return renderGithub(report, (file) => {
        if (!place) return file;
        if (isAbsolute(file)) return relative(place.root, file).split(sep).join('/');
        return posix.normalize(place.prefix + file.split(sep).join('/'));
      });
    }
    default:
      return (await import('../check/render-table.js')).renderCheckTable(report, { color: ctx.color, quiet: ctx.quiet });
  }
}

/** The repository root and the cwd's path inside it ("ai/"), as git sees them (through any symlinks). */
async function placeInRepo(ctx: Context): Promise<{ root: string; prefix: string } | undefined> {
  const { git } = await import('../check/git-source.js');
  try {
    const [root = '', prefix = ''] = (await git(['rev-parse', '--show-toplevel', '--show-prefix'], ctx.cwd, ctx.env)).split('\n');
    return { root, prefix };
  } catch {
    return undefined;
  }
}

interface LoadedBaseline {
  snapshot: BaselineSnapshot;
  info: BaselineInfo;
  notes: string[];
}

async function loadBaseline(ctx: Context, spec: string, files: string[], catalog: Catalog, current: Snapshot, recommend: Recommend): Promise<LoadedBaseline> {
  if (spec.startsWith('git:')) {
    const ref = spec.slice(4);
    const rev = await openGitRevision(ref, ctx.cwd, ctx.env);
    const notes: string[] = [];
    // A workload file the pull request adds has no baseline: its workloads are all new.
    const present: string[] = [];
    for (const f of files) {
      if (await rev.exists(isAbsolute(f) ? f : resolve(ctx.cwd, f))) present.push(f);
      else notes.push(`${f} does not exist at ${spec}: its workloads are all new.`);
    }
    const before = present.length > 0 ? await loadSnapshot(present, { catalog, cwd: ctx.cwd, recommend, source: rev, revisionLabel: spec }) : undefined;
    // The gate's own thresholds can change in the pull request it judges: say so, so a reviewer looks.
    const policyAt = (s: Snapshot | undefined, file: string) => JSON.stringify(s?.policies.find((p) => p.file === file)?.policy ?? null);
    for (const f of present) {
      if (policyAt(before, f) !== policyAt(current, f)) notes.push(`The check: thresholds in ${f} differ from ${spec}: this change sets its own limits.`);
    }
    return {
      snapshot: { label: spec, aipVersion: pkg.version, catalogAsOf: catalog.asOf, workloads: before?.workloads ?? [], detailed: true },
      info: { kind: 'git', label: spec, commit: rev.commit },
      notes,
    };
  }
  const path = isAbsolute(spec) ? spec : resolve(ctx.cwd, spec);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? 'baseline file not found' : `cannot read the baseline file (${(err as Error).message})`, {
      code: 'E_BASELINE_FILE',
      file: spec,
      option: '--baseline',
      expected: 'git:REF, or a file written by "aip baseline" or "aip recommend --json"',
      hint: 'write one with "aip baseline FILE... -o aip-baseline.json", or compare with a git revision: --baseline git:origin/main',
    });
  }
  const snapshot = readBaselineFile(spec, text, pkg.version);
  const notes: string[] = [];
  if (!snapshot.detailed) {
    notes.push(`${spec} is plain "aip recommend --json" output, which does not record pricing overrides: a changed override shows as a catalog price change. "aip baseline" records them.`);
    // Without a recorded override, assume the workload's override did not change (else every override reads as a change).
    const now = new Map(current.workloads.map((w) => [w.name, w]));
    snapshot.workloads = snapshot.workloads.map((w) => ({ ...w, pricing: now.get(w.name)?.pricing }));
  }
  if (snapshot.catalogAsOf && snapshot.catalogAsOf !== catalog.asOf) {
    notes.push(`The baseline was priced with the catalog as of ${snapshot.catalogAsOf}; now ${catalog.asOf}. Price changes are shown apart from workload changes.`);
  }
  return { snapshot, info: { kind: 'file', label: spec, aipVersion: snapshot.aipVersion, ...(snapshot.catalogAsOf ? { catalogAsOf: snapshot.catalogAsOf } : {}) }, notes };
}
