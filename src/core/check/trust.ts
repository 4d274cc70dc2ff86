// The CI gate's trust model (docs/security.md "What a pull request controls"): under `--trust base` a pull
// request is judged by values its base revision has, not by values it brings itself. Here, as plain data:
// - pricing: overrides are taken from the base's version of each workload (a workload the base does not have
//   gets catalog prices); every override the pull request adds, changes or removes is reported;
// - check: policies are the base's, bound to the workloads the pull request has; a changed or deleted
//   check: key is reported, never obeyed.
import type { Workload, WorkloadFile } from '../workload/normalise.js';
import type { FilePolicy } from './thresholds.js';

export type Trust = 'base' | 'head';
export const TRUST_MODES: readonly Trust[] = ['base', 'head'];

export interface PricingChange {
  file: string;
  workload: string;
  /** The override at the base (undefined: none) and in the pull request. */
  base: Record<string, number> | undefined;
  head: Record<string, number> | undefined;
}

const key = (file: string, name: string) => `${file}\u0000${name}`;

export function pricingKey(p: Record<string, number> | Partial<Record<string, number>> | undefined): string {
  if (!p) return '';
  return Object.entries(p)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** The current files with each workload's pricing override replaced by the base's, and what changed. */
export function adoptBasePricing(current: readonly WorkloadFile[], base: readonly WorkloadFile[]): { files: WorkloadFile[]; changes: PricingChange[] } {
  const before = new Map<string, Workload>();
  for (const f of base) for (const w of f.workloads) before.set(key(f.file, w.name), w);
  const changes: PricingChange[] = [];
  const files = current.map((f) => ({
    ...f,
    workloads: f.workloads.map((w) => {
      const b = before.get(key(f.file, w.name));
      const basePricing = b?.pricing as Record<string, number> | undefined;
      const headPricing = w.pricing as Record<string, number> | undefined;
      if (pricingKey(basePricing) === pricingKey(headPricing)) return w;
      changes.push({ file: f.file, workload: w.name, base: basePricing, head: headPricing });
      return { ...w, pricing: basePricing };
    }),
  }));
  return { files, changes };
}

/**
 * The base's check: policies, to judge the current files by: where the current file's policy is the same,
 * the current one (its positions are the working tree's); otherwise the base's, bound to the workloads the
 * current file has (a named threshold whose workload is gone is dropped, and said), marked with the revision.
 */
export function adoptBasePolicies(base: readonly FilePolicy[], head: readonly FilePolicy[], current: readonly WorkloadFile[], revision: string): { policies: FilePolicy[]; notes: string[] } {
  const notes: string[] = [];
  const policies: FilePolicy[] = [];
  for (const p of base) {
    const file = current.find((f) => f.file === p.file);
    if (!file) continue;
    const same = head.find((h) => h.file === p.file && JSON.stringify(h.policy) === JSON.stringify(p.policy));
    if (same) {
      policies.push(same);
      continue;
    }
    const names = file.workloads.map((w) => w.name);
    const named = Object.entries(p.policy.workloads ?? {});
    const kept = named.filter(([name]) => names.includes(name));
    for (const [name] of named) if (!names.includes(name)) notes.push(`The threshold for workload "${name}" in ${p.file} at ${revision} has no workload of that name in this change: not applied.`);
    const policy = { ...p.policy, ...(p.policy.workloads ? { workloads: Object.fromEntries(kept) } : {}) };
    policies.push({ ...p, policy, workloadNames: names, revision });
  }
  return { policies, notes };
}

/** What the pull request did to the check: keys, file by file (compared as data, not as text). */
export function policyChanges(base: readonly FilePolicy[], head: readonly FilePolicy[], files: readonly string[], revision: string, trust: Trust): string[] {
  const notes: string[] = [];
  for (const file of files) {
    const b = base.find((p) => p.file === file)?.policy;
    const h = head.find((p) => p.file === file)?.policy;
    if (JSON.stringify(b ?? null) === JSON.stringify(h ?? null)) continue;
    const what = b === undefined ? 'adds a check: key' : h === undefined ? 'deletes the check: key' : 'changes the check: thresholds';
    notes.push(
      trust === 'base'
        ? `This change ${what} in ${file}: it is judged by the thresholds at ${revision} (--trust base); the new ones apply once merged.`
        : `This change ${what} in ${file} and is judged by its own thresholds (--trust head): review that change.`,
    );
  }
  return notes;
}
