// The baseline side of `aip check`: the same workload files at a git revision (computed now), or a baseline
// file; with what the baseline is and the notes a reader needs to trust the comparison.
import type { TokenCountCache } from '../core/tokens/count-cache.js';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { VERSION } from '../core/version.js';
import type { Catalog } from '../core/catalog/schema.js';
import { UsageError } from '../core/errors.js';
import { readBaselineFile, type BaselineSnapshot } from '../core/check/baseline-file.js';
import { openGitRevision } from './git-source.js';
import type { BaselineInfo } from '../core/check/report.js';
import { loadSnapshot, type Recommend, type Snapshot } from './check-snapshot.js';
import { describeReadError } from '../core/parse/read-error.js';

export interface LoadedBaseline {
  snapshot: BaselineSnapshot;
  info: BaselineInfo;
  notes: string[];
}

export interface LoadBaselineOptions {
  catalog: Catalog;
  cwd: string;
  env: Record<string, string | undefined>;
  /** The current side: its pricing overrides stand in where a baseline file does not record them. */
  current: Snapshot;
  recommend: Recommend;
  tokenCache?: TokenCountCache;
}

/** `--baseline git:REF` or `--baseline FILE` → the baseline side, what it is, and notes for the reader. */
export async function loadBaseline(spec: string, files: readonly string[], opts: LoadBaselineOptions): Promise<LoadedBaseline> {
  const { catalog, cwd, current, recommend } = opts;
  if (spec.startsWith('git:')) {
    const ref = spec.slice(4);
    const rev = await openGitRevision(ref, cwd, opts.env);
    const notes: string[] = [];
    // A workload file the pull request adds has no baseline: its workloads are all new.
    const present: string[] = [];
    for (const f of files) {
      if (await rev.exists(isAbsolute(f) ? f : resolve(cwd, f))) present.push(f);
      else notes.push(`${f} does not exist at ${spec}: its workloads are all new.`);
    }
    const before = present.length > 0 ? await loadSnapshot(present, { catalog, cwd: cwd, recommend, source: rev, revisionLabel: spec, tokenCache: opts.tokenCache }) : undefined;
    // The gate's own thresholds can change in the pull request it judges: say so, so a reviewer looks.
    const policyAt = (s: Snapshot | undefined, file: string) => JSON.stringify(s?.policies.find((p) => p.file === file)?.policy ?? null);
    for (const f of present) {
      if (policyAt(before, f) !== policyAt(current, f)) notes.push(`The check: thresholds in ${f} differ from ${spec}: this change sets its own limits.`);
    }
    return {
      snapshot: { label: spec, aipVersion: VERSION, catalogAsOf: catalog.asOf, workloads: before?.workloads ?? [], detailed: true },
      info: { kind: 'git', label: spec, commit: rev.commit },
      notes,
    };
  }
  const path = isAbsolute(spec) ? spec : resolve(cwd, spec);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? 'baseline file not found' : describeReadError(err, 'a baseline file'), {
      code: 'E_BASELINE_FILE',
      file: spec,
      option: '--baseline',
      expected: 'git:REF, or a file written by "aip baseline" or "aip recommend --json"',
      hint: 'write one with "aip baseline FILE... -o aip-baseline.json", or compare with a git revision: --baseline git:origin/main',
    });
  }
  const snapshot = readBaselineFile(spec, text, VERSION);
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
