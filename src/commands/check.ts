// aip check: the CI gate. Projected monthly cost now vs. a baseline (a recommend/baseline JSON file or the
// same workload files at a git revision); exit 1 only when a threshold is crossed.
import { finiteJson } from '../render/kit/json.js';
import { FORMATS, chooseFormat, workloadFilesOrDefault } from './options.js';
import { diskTokenCountCache } from '../io/token-cache.js';
import { basename, dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { VERSION } from '../core/version.js';
import { loadCatalog } from '../io/catalog/load.js';
import { diffCosts } from '../core/check/diff.js';
import { loadBaseline, openBaseSide, parseBaselineSpec, type BaseSide } from '../io/baseline.js';
import { adoptBasePolicies, adoptBasePricing, policyChanges, pricingKey, TRUST_MODES, type PricingChange, type Trust } from '../core/check/trust.js';
import type { GitRevision } from '../io/git-source.js';
import { readInputFile } from '../io/file-source.js';
import { realpathSync } from 'node:fs';
import { signedUsd } from '../render/check/describe.js';
import type { CheckReport } from '../core/check/report.js';
import { costOfPoint, loadSideFiles, recommendEngine, snapshotOf, type Snapshot } from '../io/check-snapshot.js';
import { evaluateRules, parseCliThresholds, resolveRules } from '../core/check/thresholds.js';
import { lifecycleOn } from '../core/catalog/warnings.js';
import type { Context } from '../io/context.js';
import { UsageError } from '../core/errors.js';

type CheckFormat = (typeof FORMATS.check)[number];

export interface CheckOptions {
  baseline?: string;
  maxIncrease?: string;
  maxIncreaseUsd?: string;
  budget?: string;
  perWorkload?: boolean;
  format?: CheckFormat;
  allowOutside?: boolean;
  trust?: string;
}

export async function checkCommand(ctx: Context, given: string[], opts: CheckOptions): Promise<number> {
  const files = workloadFilesOrDefault(ctx, given, 'check');
  if (!opts.baseline) {
    throw new UsageError('a baseline is required', {
      code: 'E_BASELINE_MISSING',
      option: '--baseline',
      expected: 'git:REF (the same workload files at a git revision), git:REF:path (a baseline file as that revision has it) or a file written by "aip baseline" / "aip recommend --json"',
      hint: 'in a pull request: --baseline git:origin/main',
    });
  }
  // Options first: a bad threshold fails fast, before any file is read.
  const cliLimits = parseCliThresholds(opts);
  const format: CheckFormat = chooseFormat(ctx, opts.format, FORMATS.check);
  const trust = trustOption(opts.trust);
  const spec = parseBaselineSpec(opts.baseline);
  const recommend = await recommendEngine(ctx);
  const tokenCache = diskTokenCountCache(ctx.env);
  const notes: string[] = [];
  const headCatalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });
  const sideOptions = { cwd: ctx.cwd, recommend, tokenCache, signal: ctx.signal };

  // The base revision, when there is one. Under --trust base its --catalog files, pricing: overrides and
  // check: thresholds are the ones that count (docs/security.md); the pull request's are reported.
  let base: BaseSide | undefined;
  let catalog = headCatalog;
  if (spec.kind === 'git') {
    const { openGitRevision } = await import('../io/git-source.js');
    const rev = await openGitRevision(spec.ref, ctx.cwd, ctx.env);
    if (trust === 'base') catalog = await baseCatalog(ctx, rev, `git:${spec.ref}`, notes);
    base = await openBaseSide(spec, files, { ...sideOptions, catalog, env: ctx.env }, rev);
  } else if (trust === 'base' && opts.trust !== undefined) {
    notes.push(`--trust base needs a git baseline (git:REF or git:REF:path): with ${spec.label} the thresholds, pricing: overrides and --catalog files of the working tree count.`);
  }

  const headSide = await loadSideFiles(files, { ...sideOptions, catalog, allowOutside: opts.allowOutside });
  let loaded = headSide.loaded;
  if (base && trust === 'base') {
    const adopted = adoptBasePricing(loaded, base.snapshot?.files ?? []);
    if (adopted.changes.length > 0) {
      const asIs = await snapshotOf(loaded, headSide.source, { ...sideOptions, catalog });
      const asBase = await snapshotOf(adopted.files, headSide.source, { ...sideOptions, catalog });
      for (const c of adopted.changes) notes.push(pricingNote(c, base.label, asIs, asBase));
      loaded = adopted.files;
    }
  }
  const current = await snapshotOf(loaded, headSide.source, { ...sideOptions, catalog });
  const { snapshot: baseline, info, notes: baselineNotes } = await loadBaseline(spec, { catalog, cwd: ctx.cwd, current, ...(base ? { base } : {}) });
  notes.unshift(...baselineNotes);
  tokenCache.save();

  let policies = current.policies;
  if (base) {
    const basePolicies = base.snapshot?.policies ?? [];
    const present = files.filter((f) => !base!.missing.includes(f));
    notes.push(...policyChanges(basePolicies, current.policies, present, base.label, trust));
    if (trust === 'base') {
      const adopted = adoptBasePolicies(basePolicies, current.policies, current.files, base.label);
      // A file the base does not have brings its own thresholds, which apply once merged: not to itself.
      for (const f of base.missing) if (current.policies.some((p) => p.file === f)) notes.push(`${f} is new in this change: its check: thresholds apply once merged (--trust base).`);
      notes.push(...adopted.notes);
      policies = adopted.policies;
    }
  }

  const costOf = costOfPoint(catalog);
  const diff = diffCosts(baseline.workloads, current.workloads, costOf);
  const rules = resolveRules(cliLimits, opts.perWorkload === true, policies);
  const fileOf = (w: (typeof diff.workloads)[number]) => w.after?.file ?? w.before?.file;
  const verdict = evaluateRules(rules, diff, fileOf);
  // A workload moved onto (or left on) a retired model fails the check whatever the thresholds.
  const today = ctx.now().toISOString().slice(0, 10);
  const retired = current.files
    .flatMap((f) => f.workloads)
    .map((w) => ({ w, life: lifecycleOn(w.model, today) }))
    .filter(({ life }) => life.status === 'retired')
    .map(({ w, life }) => ({ workload: w.name, file: w.file, line: w.lines.model ?? w.line, model: w.model.id, retiresOn: life.retiresOn, successor: life.successor }));
  if (retired.length > 0) {
    verdict.retired = retired;
    verdict.failed = true;
  }
  const report: CheckReport = { aipVersion: VERSION, catalogAsOf: catalog.asOf, baseline: info, diff, rules, verdict, notes };

  // --format github writes workflow commands on purpose (their data escaped per GitHub's rules).
  ctx.out(await render(ctx, report, format), { workflowCommands: format === 'github' });
  return verdict.failed ? 1 : 0;
}

function trustOption(value: string | undefined): Trust {
  if (value === undefined) return 'base';
  if ((TRUST_MODES as readonly string[]).includes(value)) return value as Trust;
  throw new UsageError(`"${value}" is not a trust mode`, {
    code: 'E_OPTION',
    option: '--trust',
    expected: 'base (judge a change by its base revision\'s thresholds, pricing: overrides and --catalog files) or head (by its own)',
  });
}

/**
 * The catalog as the base revision has the --catalog files: a file the base does not have is not applied,
 * and one that differs is read as the base has it; both are said, with what the change would make of them.
 */
async function baseCatalog(ctx: Context, rev: GitRevision, label: string, notes: string[]) {
  const present: string[] = [];
  for (const file of ctx.catalog) {
    const path = isAbsolute(file) ? file : resolve(ctx.cwd, file);
    const inRepo = !relative(rev.root, realpathOr(path)).startsWith('..');
    if (!inRepo) {
      present.push(file); // outside the repository: not the pull request's, read from disk as given
      continue;
    }
    if (!(await rev.exists(path))) {
      notes.push(`--catalog ${file} does not exist at ${label}: not applied (--trust base). It would reprice this change; once merged it applies.`);
      continue;
    }
    const [atBase, inTree] = await Promise.all([rev.readText(path), readInputFile(path).catch(() => undefined)]);
    if (atBase !== inTree) notes.push(`--catalog ${file} differs from ${label}: priced with the base's version (--trust base); the change to it applies once merged.`);
    present.push(file);
  }
  const inRepo = (file: string) => !relative(rev.root, realpathOr(isAbsolute(file) ? file : resolve(ctx.cwd, file))).startsWith('..');
  return loadCatalog({
    overlays: present,
    cwd: ctx.cwd,
    overlaySource: { label, readText: (path) => (inRepo(path) ? rev.readText(path) : readInputFile(path)) },
  });
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

/** "pricing: of w in f changed in this change (input=0, output=0; at git:main: catalog prices): not applied …". */
function pricingNote(c: PricingChange, label: string, asIs: Snapshot, asBase: Snapshot): string {
  const cost = (s: Snapshot) => s.workloads.find((w) => w.file === c.file && w.name === c.workload)?.costUsdPerMonth ?? 0;
  const effect = cost(asIs) - cost(asBase);
  const shown = (p: Record<string, number> | undefined) => (p ? pricingKey(p) : 'catalog prices');
  return `The pricing: override of workload "${c.workload}" in ${c.file} is ${c.base ? (c.head ? 'changed' : 'removed') : 'added'} by this change (${shown(c.head)}; at ${label}: ${shown(c.base)}): priced as at ${label} (--trust base). Applied, it would change the monthly cost by ${signedUsd(effect)}.`;
}

async function render(ctx: Context, report: CheckReport, format: CheckFormat): Promise<string> {
  switch (format) {
    case 'json': {
      const { checkJson } = await import('../render/check/json.js');
      return finiteJson(checkJson(report));
    }
    case 'markdown':
      return (await import('../render/check/markdown.js')).renderMarkdown(report);
    case 'github': {
      const { renderGithub } = await import('../render/check/github.js');
      const { placeInRepo } = await import('../io/git-source.js');
      const place = await placeInRepo(ctx.cwd, ctx.env);
      // GitHub resolves annotation paths against the repository root (the workspace).
      return renderGithub(report, (file) => {
        if (!place) return file;
        if (isAbsolute(file)) return relative(place.root, file).split(sep).join('/');
        return posix.normalize(place.prefix + file.split(sep).join('/'));
      });
    }
    default:
      return (await import('../render/check/table.js')).renderCheckTable(report, { color: ctx.color, quiet: ctx.quiet, width: ctx.width });
  }
}

