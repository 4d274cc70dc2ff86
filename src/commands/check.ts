// aip check: the CI gate. Projected monthly cost now vs. a baseline (a recommend/baseline JSON file or the
// same workload files at a git revision); exit 1 only when a threshold is crossed.
import { FORMATS, chooseFormat } from './options.js';
import { diskTokenCountCache } from '../io/token-cache.js';
import { isAbsolute, posix, relative, sep } from 'node:path';
import { VERSION } from '../core/version.js';
import { loadCatalog } from '../io/catalog/load.js';
import { diffCosts } from '../core/check/diff.js';
import { loadBaseline } from '../io/baseline.js';
import type { CheckReport } from '../core/check/report.js';
import { costOfPoint, loadSnapshot, recommendEngine } from '../io/check-snapshot.js';
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
  const format: CheckFormat = chooseFormat(ctx, opts.format, FORMATS.check);
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });

  const recommend = await recommendEngine(ctx);
  const tokenCache = diskTokenCountCache(ctx.env);
  const current = await loadSnapshot(files, { catalog, cwd: ctx.cwd, recommend, tokenCache });
  const { snapshot: baseline, info, notes } = await loadBaseline(opts.baseline, files, { catalog, cwd: ctx.cwd, env: ctx.env, current, recommend, tokenCache });
  tokenCache.save();

  const costOf = costOfPoint(catalog);
  const diff = diffCosts(baseline.workloads, current.workloads, costOf);
  const rules = resolveRules(cliLimits, opts.perWorkload === true, current.policies);
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

  ctx.out(await render(ctx, report, format));
  return verdict.failed ? 1 : 0;
}

async function render(ctx: Context, report: CheckReport, format: CheckFormat): Promise<string> {
  switch (format) {
    case 'json': {
      const { checkJson } = await import('../render/check/json.js');
      return JSON.stringify(checkJson(report), null, 2);
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
      return (await import('../render/check/table.js')).renderCheckTable(report, { color: ctx.color, quiet: ctx.quiet });
  }
}

