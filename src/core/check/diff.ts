// The cost diff between a baseline and now: per workload before/after/delta, and what drove each change,
// attributed step by step so the drivers add up to the delta exactly. Pure: costs come from an injected function.
import type { Pattern } from '../recommend/pattern.js';

export interface PromptFileTokens {
  /** Repository-relative where known ("prompts/system.md"), else as the workload file names it. */
  path: string;
  tokens: number;
}

/** One workload's figures on one side of the diff (the fields `aip recommend --json` has, plus where it is). */
export interface WorkloadPoint {
  name: string;
  model: string;
  pattern: Pattern;
  requestsPerMonth: number;
  inputTokens: number;
  outputTokens: number;
  cachedFraction: number;
  /** The cached share was measured from billed usage (input.cached_measured): priced as given. */
  cachedMeasured?: boolean | undefined;
  /** The monthly cost of `pattern` as recorded on this side (for a file baseline: at that day's prices). */
  costUsdPerMonth: number;
  /** The workload's own `pricing:` override, if any (a workload change, not a catalog change). */
  pricing?: Record<string, number> | undefined;
  /** Prompt files and their token counts, where the input was tokenized from files. */
  promptFiles?: PromptFileTokens[] | undefined;
  /** The workload file and the line of the workload's entry (current side; for annotations). */
  file?: string | undefined;
  line?: number | undefined;
  /** Line of each key of the entry (volume, model, input, …), to annotate the line that changed. */
  lines?: Record<string, number> | undefined;
  /** The latency tolerance as written and whether a person watches: what the pattern is decided from. */
  latency?: string | undefined;
  userFacing?: boolean | undefined;
  /** The recommended option's service tier (standard where absent: baselines written before tiers). */
  serviceTier?: 'standard' | 'flex' | 'priority' | 'provisioned' | undefined;
  /** Direct calls fed from a queue (a tolerant workload over its limits): named "queued direct". */
  viaQueue?: boolean | undefined;
  /** Share of its requests served at standard instead (flex sheds, Gemini priority past its limits). */
  standardShare?: number | undefined;
  /** Provisioned capacity: the monthly fee (the tier is a fee, not a price per token). */
  feeUsdPerMonth?: number | undefined;
}

/** The cost now (today's catalog) of a workload with these figures; null where the model cannot use the pattern. */
export type CostOf = (point: WorkloadPoint) => number | null;

export type DriverKind = 'catalog_price' | 'pricing' | 'volume' | 'input_tokens' | 'cached_fraction' | 'output_tokens' | 'model' | 'pattern' | 'service_tier';

export interface FileTokenChange {
  path: string;
  /** null: the file is new (after) or gone (before). */
  before: number | null;
  after: number | null;
}

export interface Driver {
  /** Usually one kind; two or more where a step had no price on its own (a model without batch forces the pattern too). */
  kinds: DriverKind[];
  deltaUsd: number;
  before: string | number | null;
  after: string | number | null;
  /** input_tokens: the prompt files whose token count changed. */
  files?: FileTokenChange[];
  /** input_tokens: how many prompt files the input is the mean of (when more than one). */
  meanOfFiles?: number;
  /** pattern: the workload fields the decision follows that changed ("latency overnight → 10s"). */
  because?: string[];
  /**
   * pattern or service_tier: the cheaper option a tighter latency tolerance gives up ("direct · flex" at its
   * baseline cost): a latency-tolerant workload made real-time.
   */
  givesUp?: { option: string; usdPerMonth: number; latencyBefore: string; latencyAfter: string };
}

export type WorkloadStatus = 'added' | 'removed' | 'renamed' | 'changed' | 'unchanged';

export interface WorkloadDiff {
  name: string;
  status: WorkloadStatus;
  /** renamed: the workload's name in the baseline. */
  previousName?: string;
  before: WorkloadPoint | null;
  after: WorkloadPoint | null;
  beforeUsd: number;
  afterUsd: number;
  deltaUsd: number;
  /** Percent change, null where there was no cost before. */
  deltaPct: number | null;
  drivers: Driver[];
}

export interface CostDiff {
  workloads: WorkloadDiff[];
  beforeUsd: number;
  afterUsd: number;
  deltaUsd: number;
  deltaPct: number | null;
}

/** Below this a dollar amount is noise from floating point, not a change. */
const CENT_EPSILON = 1e-9;

export function percentChange(before: number, after: number): number | null {
  if (before <= 0) return null;
  return ((after - before) / before) * 100;
}

/**
 * Pair workloads across the two sides: by file and name first (names are unique per file, not across files),
 * then by name alone where that is unambiguous (a baseline written from another directory names files
 * differently). Current file order leads — that is what the reader sees in the PR; removed workloads come last.
 */
export function diffCosts(before: readonly WorkloadPoint[], after: readonly WorkloadPoint[], costOf: CostOf): CostDiff {
  const pairs = pairWorkloads(before, after);
  const paired = new Set(pairs.values());
  const renames = pairRenames(before.filter((b) => !paired.has(b)), after.filter((a) => !pairs.has(a)));
  for (const [a, b] of renames) pairs.set(a, b);
  const workloads: WorkloadDiff[] = after.map((a) => diffWorkload(pairs.get(a) ?? null, a, costOf));
  const matched = new Set(pairs.values());
  for (const b of before) if (!matched.has(b)) workloads.push(diffWorkload(b, null, costOf));
  const beforeUsd = sum(workloads.map((w) => w.beforeUsd));
  const afterUsd = sum(workloads.map((w) => w.afterUsd));
  return { workloads, beforeUsd, afterUsd, deltaUsd: afterUsd - beforeUsd, deltaPct: percentChange(beforeUsd, afterUsd) };
}

/** How far apart two figures may be and still be "nearly the same" workload under a new name. */
const RENAME_TOLERANCE = 0.1;

function nearly(x: number, y: number): boolean {
  return Math.abs(x - y) <= RENAME_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
}

/** Same file, same model, nearly the same volume and tokens, the same latency where both sides know it. */
function looksRenamed(b: WorkloadPoint, a: WorkloadPoint): boolean {
  return (
    b.file !== undefined &&
    b.file === a.file &&
    b.model === a.model &&
    nearly(b.requestsPerMonth, a.requestsPerMonth) &&
    nearly(b.inputTokens, a.inputTokens) &&
    nearly(b.outputTokens, a.outputTokens) &&
    Math.abs(b.cachedFraction - a.cachedFraction) <= RENAME_TOLERANCE &&
    (b.latency === undefined || a.latency === undefined || b.latency === a.latency)
  );
}

/**
 * Likely renames among the workloads left unpaired: a removed and an added workload that look alike, where
 * neither has any other look-alike. Conservative: anything ambiguous stays removed + added.
 */
export function pairRenames(removed: readonly WorkloadPoint[], added: readonly WorkloadPoint[]): Map<WorkloadPoint, WorkloadPoint> {
  const pairs = new Map<WorkloadPoint, WorkloadPoint>();
  // Only workloads of the same file and model can look alike: compare within those groups. A group larger
  // than RENAME_GROUP_LIMIT (thousands of look-alike workloads) is left as removed + added rather than
  // compared pair by pair (quadratic), which is also the conservative answer.
  const key = (w: WorkloadPoint) => `${w.file ?? ''}\u0000${w.model}`;
  const addedBy = new Map<string, WorkloadPoint[]>();
  const removedBy = new Map<string, WorkloadPoint[]>();
  for (const [list, by] of [[added, addedBy], [removed, removedBy]] as const) {
    for (const w of list) {
      const group = by.get(key(w));
      if (group) group.push(w);
      else by.set(key(w), [w]);
    }
  }
  for (const [k, group] of removedBy) {
    const others = addedBy.get(k) ?? [];
    if (group.length > RENAME_GROUP_LIMIT || others.length > RENAME_GROUP_LIMIT) continue;
    for (const b of group) {
      const candidates = others.filter((a) => looksRenamed(b, a));
      if (candidates.length !== 1) continue;
      const a = candidates[0]!;
      if (group.filter((x) => looksRenamed(x, a)).length === 1) pairs.set(a, b);
    }
  }
  return pairs;
}

const RENAME_GROUP_LIMIT = 500;

function pairWorkloads(before: readonly WorkloadPoint[], after: readonly WorkloadPoint[]): Map<WorkloadPoint, WorkloadPoint> {
  const pairs = new Map<WorkloadPoint, WorkloadPoint>();
  const free = new Map<string, WorkloadPoint[]>(); // name → unpaired baseline workloads of that name
  for (const b of before) {
    const list = free.get(b.name);
    if (list) list.push(b);
    else free.set(b.name, [b]);
  }
  const take = (a: WorkloadPoint, b: WorkloadPoint) => {
    pairs.set(a, b);
    free.set(b.name, free.get(b.name)!.filter((x) => x !== b));
  };
  for (const a of after) {
    const b = free.get(a.name)?.find((x) => x.file !== undefined && x.file === a.file);
    if (b) take(a, b);
  }
  const unpairedByName = new Map<string, number>();
  for (const a of after) if (!pairs.has(a)) unpairedByName.set(a.name, (unpairedByName.get(a.name) ?? 0) + 1);
  for (const a of after) {
    const candidates = free.get(a.name) ?? [];
    if (!pairs.has(a) && candidates.length === 1 && unpairedByName.get(a.name) === 1) take(a, candidates[0]!);
  }
  return pairs;
}

export function diffWorkload(before: WorkloadPoint | null, after: WorkloadPoint | null, costOf: CostOf): WorkloadDiff {
  const name = (after ?? before)!.name;
  const beforeUsd = before?.costUsdPerMonth ?? 0;
  const afterUsd = after?.costUsdPerMonth ?? 0;
  const deltaUsd = afterUsd - beforeUsd;
  const base = { name, before, after, beforeUsd, afterUsd, deltaUsd, deltaPct: percentChange(beforeUsd, afterUsd) };
  if (!before) return { ...base, status: 'added', drivers: [] };
  if (!after) return { ...base, status: 'removed', drivers: [] };
  const drivers = attributeDrivers(before, after, costOf);
  if (before.name !== after.name) return { ...base, status: 'renamed', previousName: before.name, drivers };
  const changed = drivers.length > 0 || Math.abs(deltaUsd) > CENT_EPSILON;
  return { ...base, status: changed ? 'changed' : 'unchanged', drivers };
}

interface Step {
  kind: DriverKind;
  changed: (b: WorkloadPoint, a: WorkloadPoint) => boolean;
  apply: (running: WorkloadPoint, a: WorkloadPoint) => WorkloadPoint;
  show: (p: WorkloadPoint) => string | number | null;
}

/**
 * Workload changes, substituted one at a time in this order. Quantities first (at the old model and pattern),
 * then the model, then the pattern: a model switch is then priced at the new volume and tokens.
 */
const STEPS: Step[] = [
  { kind: 'pricing', changed: (b, a) => pricingKey(b) !== pricingKey(a), apply: (r, a) => ({ ...r, pricing: a.pricing }), show: (p) => pricingKey(p) || 'catalog' },
  { kind: 'volume', changed: (b, a) => b.requestsPerMonth !== a.requestsPerMonth, apply: (r, a) => ({ ...r, requestsPerMonth: a.requestsPerMonth }), show: (p) => p.requestsPerMonth },
  { kind: 'input_tokens', changed: (b, a) => b.inputTokens !== a.inputTokens, apply: (r, a) => ({ ...r, inputTokens: a.inputTokens }), show: (p) => p.inputTokens },
  { kind: 'cached_fraction', changed: (b, a) => b.cachedFraction !== a.cachedFraction, apply: (r, a) => ({ ...r, cachedFraction: a.cachedFraction }), show: (p) => p.cachedFraction },
  { kind: 'output_tokens', changed: (b, a) => b.outputTokens !== a.outputTokens, apply: (r, a) => ({ ...r, outputTokens: a.outputTokens }), show: (p) => p.outputTokens },
  { kind: 'model', changed: (b, a) => b.model !== a.model, apply: (r, a) => ({ ...r, model: a.model }), show: (p) => p.model },
  { kind: 'pattern', changed: (b, a) => b.pattern !== a.pattern, apply: (r, a) => ({ ...r, pattern: a.pattern }), show: (p) => p.pattern },
  {
    kind: 'service_tier',
    changed: (b, a) => tierOf(b) !== tierOf(a),
    apply: (r, a) => ({ ...r, serviceTier: a.serviceTier, standardShare: a.standardShare, feeUsdPerMonth: a.feeUsdPerMonth }),
    show: (p) => tierOf(p),
  },
];

function tierOf(p: WorkloadPoint): string {
  return p.serviceTier ?? 'standard';
}

/**
 * Sequential substitution: start from the baseline, first reprice it with today's catalog (a price change, kept
 * apart from workload changes), then swap in one changed field at a time. Each driver is the cost change of its
 * step, so the drivers sum to the workload's delta exactly.
 */
export function attributeDrivers(before: WorkloadPoint, after: WorkloadPoint, costOf: CostOf): Driver[] {
  const drivers: Driver[] = [];
  let lastCost = before.costUsdPerMonth;
  const repriced = costOf(before);
  if (repriced !== null && Math.abs(repriced - lastCost) >= 0.005) {
    drivers.push({ kinds: ['catalog_price'], deltaUsd: repriced - lastCost, before: lastCost, after: repriced });
  }
  if (repriced !== null) lastCost = repriced;

  const changedSteps = STEPS.filter((s) => s.changed(before, after));
  let running = before;
  let pending: Step[] = [];
  let pendingFrom = before;
  changedSteps.forEach((step, i) => {
    running = step.apply(running, after);
    pending.push(step);
    const isLast = i === changedSteps.length - 1;
    // The last step lands exactly on the recorded cost of the current side, so rounding cannot leak.
    const cost = isLast ? after.costUsdPerMonth : costOf(running);
    if (cost === null) return; // no price on its own: fold into the next step
    drivers.push(makeDriver(pending, pendingFrom, running, cost - lastCost, before, after));
    lastCost = cost;
    pending = [];
    pendingFrom = running;
  });
  // No workload field changed but the recorded cost moved beyond the catalog repricing: say so rather than hide it.
  if (changedSteps.length === 0 && Math.abs(after.costUsdPerMonth - lastCost) >= 0.005) {
    drivers.push({ kinds: ['catalog_price'], deltaUsd: after.costUsdPerMonth - lastCost, before: lastCost, after: after.costUsdPerMonth });
  }
  return mergeCatalogDrivers(drivers);
}

function makeDriver(steps: Step[], from: WorkloadPoint, to: WorkloadPoint, deltaUsd: number, before: WorkloadPoint, after: WorkloadPoint): Driver {
  const first = steps[0]!;
  const driver: Driver = {
    kinds: steps.map((s) => s.kind),
    deltaUsd,
    before: steps.length === 1 ? first.show(from) : steps.map((s) => s.show(from)).join(', '),
    after: steps.length === 1 ? first.show(to) : steps.map((s) => s.show(to)).join(', '),
  };
  if (steps.some((s) => s.kind === 'input_tokens')) {
    const files = promptFileChanges(before.promptFiles, after.promptFiles);
    if (files.length > 0) driver.files = files;
    if ((after.promptFiles?.length ?? 0) > 1) driver.meanOfFiles = after.promptFiles!.length;
    // Prompt files are counted with the model's tokenizer: a model switch can move the count with no edit.
    if (before.model !== after.model && (before.promptFiles || after.promptFiles)) driver.because = [`counted with ${after.model}'s tokenizer`];
  }
  if (steps.some((s) => s.kind === 'pattern' || s.kind === 'service_tier')) {
    const because: string[] = [];
    const latencyChanged = before.latency !== undefined && after.latency !== undefined && before.latency !== after.latency;
    if (latencyChanged) because.push(`latency ${before.latency} → ${after.latency}`);
    if (before.userFacing !== undefined && after.userFacing !== undefined && before.userFacing !== after.userFacing) because.push(`user_facing ${before.userFacing} → ${after.userFacing}`);
    if (because.length > 0) driver.because = because;
    // A tighter tolerance that costs more: name the cheaper option the workload had.
    if (latencyChanged && deltaUsd > 0 && (before.pattern !== after.pattern || tierOf(before) !== tierOf(after))) {
      driver.givesUp = { option: `${before.pattern} · ${tierOf(before)}`, usdPerMonth: before.costUsdPerMonth, latencyBefore: before.latency!, latencyAfter: after.latency! };
    }
  }
  return driver;
}

function mergeCatalogDrivers(drivers: Driver[]): Driver[] {
  const catalog = drivers.filter((d) => d.kinds.length === 1 && d.kinds[0] === 'catalog_price');
  if (catalog.length < 2) return drivers;
  const merged: Driver = { kinds: ['catalog_price'], deltaUsd: sum(catalog.map((d) => d.deltaUsd)), before: catalog[0]!.before, after: catalog[catalog.length - 1]!.after };
  return [merged, ...drivers.filter((d) => !catalog.includes(d))];
}

/** Which prompt files grew, shrank, appeared or disappeared, by path. */
export function promptFileChanges(before: readonly PromptFileTokens[] | undefined, after: readonly PromptFileTokens[] | undefined): FileTokenChange[] {
  if (!before && !after) return [];
  const b = new Map((before ?? []).map((f) => [f.path, f.tokens]));
  const a = new Map((after ?? []).map((f) => [f.path, f.tokens]));
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  const out: FileTokenChange[] = [];
  for (const path of paths) {
    const was = b.get(path) ?? null;
    const now = a.get(path) ?? null;
    if (was !== now) out.push({ path, before: was, after: now });
  }
  return out;
}

function pricingKey(p: WorkloadPoint): string {
  if (!p.pricing) return '';
  return Object.entries(p.pricing)
    .filter(([, v]) => v !== undefined)
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
