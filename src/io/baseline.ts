// The baseline side of `aip check`: the same workload files at a git revision (computed now), a baseline file
// read from a git revision (git:REF:path) or from disk; with what the baseline is and the notes a reader
// needs to trust the comparison. Who controls what (docs/security.md): a file in the working tree is the pull
// request's to change; what is read from git:REF is the base's.
import type { TokenCountCache } from '../core/tokens/count-cache.js';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { readInputFile } from './file-source.js';
import { FileAccessError } from '../core/workload/file-source.js';
import { VERSION } from '../core/version.js';
import type { Catalog } from '../core/catalog/schema.js';
import { UsageError } from '../core/errors.js';
import { readBaselineFile, type BaselineSnapshot } from '../core/check/baseline-file.js';
import { openGitRevision, type GitRevision } from './git-source.js';
import type { BaselineInfo } from '../core/check/report.js';
import { loadSnapshot, type Recommend, type Snapshot } from './check-snapshot.js';
import { describeReadError } from '../core/parse/read-error.js';

export type BaselineSpec = { kind: 'git'; ref: string; path?: string; label: string } | { kind: 'file'; path: string; label: string };

/** "git:REF", "git:REF:path/to/baseline.json" (a file as the base revision has it) or a file on disk. */
export function parseBaselineSpec(spec: string): BaselineSpec {
  if (!spec.startsWith('git:')) return { kind: 'file', path: spec, label: spec };
  const rest = spec.slice(4);
  // A ref name cannot contain ":" (git check-ref-format), so the first one ends the ref.
  const colon = rest.indexOf(':');
  if (colon < 0) return { kind: 'git', ref: rest, label: spec };
  const path = rest.slice(colon + 1);
  if (path === '') throw new UsageError(`"${spec}" names no file after the revision`, { code: 'E_BASELINE_REF', option: '--baseline', expected: 'git:REF, or git:REF:path/to/aip-baseline.json' });
  return { kind: 'git', ref: rest.slice(0, colon), path, label: spec };
}

/** The base revision and, computed now, the workload files as it has them (those it has at all). */
export interface BaseSide {
  rev: GitRevision;
  /** "git:origin/main" */
  label: string;
  snapshot: Snapshot | undefined;
  /** The workload files the base does not have (added by the pull request). */
  missing: string[];
}

export interface BaseSideOptions {
  catalog: Catalog;
  cwd: string;
  env: Record<string, string | undefined>;
  recommend: Recommend;
  tokenCache?: TokenCountCache;
  signal?: AbortSignal;
}

export async function openBaseSide(spec: Extract<BaselineSpec, { kind: 'git' }>, files: readonly string[], opts: BaseSideOptions, opened?: GitRevision): Promise<BaseSide> {
  const rev = opened ?? (await openGitRevision(spec.ref, opts.cwd, opts.env));
  const label = `git:${spec.ref}`;
  const present: string[] = [];
  const missing: string[] = [];
  for (const f of files) {
    if (await rev.exists(isAbsolute(f) ? f : resolve(opts.cwd, f))) present.push(f);
    else missing.push(f);
  }
  const snapshot = present.length > 0 ? await loadSnapshot(present, { catalog: opts.catalog, cwd: opts.cwd, recommend: opts.recommend, source: rev, revisionLabel: label, tokenCache: opts.tokenCache, signal: opts.signal }) : undefined;
  return { rev, label, snapshot, missing };
}

export interface LoadedBaseline {
  snapshot: BaselineSnapshot;
  info: BaselineInfo;
  notes: string[];
}

export interface LoadBaselineOptions {
  catalog: Catalog;
  cwd: string;
  /** The current side: its pricing overrides stand in where a baseline file does not record them. */
  current: Snapshot;
  /** For git:REF and git:REF:path: the base revision, opened. */
  base?: BaseSide;
}

/** `--baseline git:REF`, `git:REF:path` or `FILE` → the baseline side, what it is, and notes for the reader. */
export async function loadBaseline(spec: BaselineSpec, opts: LoadBaselineOptions): Promise<LoadedBaseline> {
  const { catalog, cwd, current, base } = opts;
  if (spec.kind === 'git' && spec.path === undefined) {
    if (!base) throw new Error('the base revision was not opened');
    // A workload file the pull request adds has no baseline: its workloads are all new.
    const notes = base.missing.map((f) => `${f} does not exist at ${spec.label}: its workloads are all new.`);
    return {
      snapshot: { label: spec.label, aipVersion: VERSION, catalogAsOf: catalog.asOf, workloads: base.snapshot?.workloads ?? [], detailed: true },
      info: { kind: 'git', label: spec.label, commit: base.rev.commit },
      notes,
    };
  }
  const notes: string[] = [];
  let text: string;
  const where = { code: 'E_BASELINE_FILE', file: spec.label, option: '--baseline' } as const;
  try {
    if (spec.kind === 'git') text = await base!.rev.readText(isAbsolute(spec.path!) ? spec.path! : resolve(cwd, spec.path!));
    else text = await readInputFile(isAbsolute(spec.path) ? spec.path : resolve(cwd, spec.path));
  } catch (err) {
    if (err instanceof FileAccessError) throw new UsageError(err.message, { ...where, code: err.code, hint: err.hint });
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? (spec.kind === 'git' ? `baseline file not found at ${base!.label}` : 'baseline file not found') : describeReadError(err, 'a baseline file'), {
      ...where,
      expected: 'git:REF, git:REF:path, or a file written by "aip baseline" or "aip recommend --json"',
      hint: code === 'ENOENT' && looksLikeRef(spec) ? `did you mean "--baseline git:${spec.label}"?` : 'write one with "aip baseline FILE... -o aip-baseline.json", or compare with a git revision: --baseline git:origin/main',
    });
  }
  if (spec.kind === 'file' && insideRepository(isAbsolute(spec.path) ? spec.path : resolve(cwd, spec.path))) {
    notes.push(`${spec.label} is read from the working tree, which a pull request can change (a forged baseline would hide any increase): in CI read it from the base branch with --baseline git:origin/<base>:${spec.path}.`);
  }
  const snapshot = readBaselineFile(spec.label, text, VERSION);
  if (!snapshot.detailed) {
    notes.push(`${spec.label} is plain "aip recommend --json" output, which does not record pricing overrides: a changed override shows as a catalog price change. "aip baseline" records them.`);
    // Without a recorded override, assume the workload's override did not change (else every override reads as a change).
    const now = new Map(current.workloads.map((w) => [w.name, w]));
    snapshot.workloads = snapshot.workloads.map((w) => ({ ...w, pricing: now.get(w.name)?.pricing }));
  }
  if (snapshot.catalogAsOf && snapshot.catalogAsOf !== catalog.asOf) {
    notes.push(`The baseline was priced with the catalog as of ${snapshot.catalogAsOf}; now ${catalog.asOf}. Price changes are shown apart from workload changes.`);
  }
  const info: BaselineInfo = { kind: 'file', label: spec.label, aipVersion: snapshot.aipVersion, ...(snapshot.catalogAsOf ? { catalogAsOf: snapshot.catalogAsOf } : {}), ...(base ? { commit: base.rev.commit } : {}) };
  return { snapshot, info, notes };
}

/** "HEAD", "main", "origin/main", "HEAD~1", a commit id: a git revision given without its "git:" (short, safe to echo). */
function looksLikeRef(spec: BaselineSpec): boolean {
  return spec.kind === 'file' && spec.label.length <= 100 && /^[A-Za-z0-9][\w./~^-]*$/.test(spec.label) && !/\.(json|ya?ml)$/i.test(spec.label) && !spec.label.includes('..');
}

function insideRepository(path: string): boolean {
  for (let d = dirname(path); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return true;
    if (dirname(d) === d) return false;
  }
}
