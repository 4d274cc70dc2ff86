// The wizard's answers as a commented workload file (docs/spec.md "The workload file") that `aip recommend` reads
// unchanged. Pure: text out; comments say what each value means so the file can be edited by hand.
import { stringify } from 'yaml';
import type { Catalog } from '../core/catalog/schema.js';
import { count, pricePerMillion } from '../core/format.js';
import type { WizardDocument } from './flow.js';
import type { WorkloadDraft } from './draft.js';
import { requestsPerMonth } from './rules.js';

export interface WriteOptions {
  catalog: Catalog;
  /** Where the editor finds the JSON Schema (relative to the file, or a URL). */
  schemaRef: string;
  /** The file's name as the user will type it in `aip recommend FILE`. */
  fileName: string;
  /** YYYY-MM-DD, from the injected clock. */
  writtenOn: string;
}

type Line = [text: string, comment?: string];

const latencyMeaning: Record<string, string> = {
  interactive: 'a person is waiting',
  seconds: 'within a minute',
  minutes: 'within minutes',
  hours: 'within hours',
  overnight: 'by tomorrow is fine',
};

/** "a person is waiting; aip plans for 3 s" — the keyword's seconds come from data/thresholds.yaml. */
function latencyComment(latency: string, catalog: Catalog): string {
  const meaning = latencyMeaning[latency];
  if (!meaning) return 'as written';
  const seconds = (catalog.thresholds.values as Record<string, { value: number } | undefined>)[`latency_${latency}_s`]?.value;
  if (seconds === undefined) return meaning;
  const shown = seconds >= 3600 ? `${Math.round(seconds / 3600)} h` : seconds >= 60 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
  return `${meaning}; aip plans for ${shown}`;
}

function scalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  return stringify(value).trimEnd();
}

function workloadLines(w: WorkloadDraft, catalog: Catalog): Line[] {
  const model = catalog.models.find((m) => m.id === w.model);
  const perMonth = requestsPerMonth(w.volume);
  const lines: Line[] = [
    [`  - name: ${scalar(w.name)}`],
    [`    task: ${w.task}`],
    [`    model: ${scalar(w.model)}`, model ? `${model.name}: ${pricePerMillion(model.prices.input)} in, ${pricePerMillion(model.prices.output)} out per 1M tokens` : undefined],
    [`    volume: ${scalar(w.volume)}`, `${count(perMonth, 0)} requests a month (30 days)`],
    [`    latency: ${scalar(w.latency)}`, `latency tolerance: ${latencyComment(String(w.latency), catalog)}`],
    [`    user_facing: ${w.user_facing}`, w.user_facing ? 'a person watches the output arrive' : 'no person watches the output arrive'],
    ['    input:'],
  ];
  if ('tokens' in w.input) lines.push([`      tokens: ${w.input.tokens}`, 'mean input tokens per request']);
  else {
    lines.push([`      prompt: ${scalar(w.input.prompt)}`, "sample prompt(s), counted with the model's tokenizer"]);
    if (w.input.extra_tokens !== undefined) lines.push([`      extra_tokens: ${w.input.extra_tokens}`, 'added per request (the user\'s message, retrieved text)']);
  }
  if (w.input.cached !== undefined) lines.push([`      cached: ${w.input.cached}`, 'share of input tokens read from the prompt cache']);
  lines.push(['    output:'], [`      tokens: ${w.output.tokens}`, w.output.tokens === 0 ? 'embeddings return vectors, no output tokens' : 'mean output tokens per request']);
  if (w.output.p95 !== undefined) lines.push([`      p95: ${w.output.p95}`, '95th percentile of output tokens: sets the request timeout']);
  if (w.output.reasoning_tokens !== undefined) lines.push([`      reasoning_tokens: ${w.output.reasoning_tokens}`, 'hidden reasoning tokens per request: billed as output']);
  if (w.output.reasoning !== undefined) lines.push([`      reasoning: ${w.output.reasoning}`, 'reasoning effort: hidden reasoning tokens ≈ a typical multiple of the output, billed as output']);
  if (w.peak_factor !== undefined) lines.push([`    peak_factor: ${w.peak_factor}`, 'busiest rate ÷ average rate: rate limits are checked at the peak']);
  if (w.fallback !== undefined) {
    const fb = catalog.models.find((m) => m.id === w.fallback);
    lines.push([`    fallback: ${scalar(w.fallback)}`, fb ? `used when ${w.model} fails; ${fb.name}: ${pricePerMillion(fb.prices.input)} in, ${pricePerMillion(fb.prices.output)} out` : `used when ${w.model} fails`]);
  }
  if (w.pricing !== undefined) {
    lines.push(['    pricing:', 'your own prices (negotiated or self-hosted), USD per 1M tokens; the rest follows the catalog']);
    for (const [field, price] of Object.entries(w.pricing)) {
      const list = model?.prices[field as keyof typeof model.prices];
      lines.push([`      ${field}: ${price}`, typeof list === 'number' ? `list price ${pricePerMillion(list)}` : undefined]);
    }
  }
  return lines;
}

/** Comments in one column through the file (up to a point: a very long value keeps its own). */
function align(lines: Line[], width: number): string[] {
  return lines.map(([text, comment]) => (comment ? `${text.padEnd(width)}  # ${comment}` : text));
}

function commentColumn(lines: Line[]): number {
  return Math.min(40, Math.max(0, ...lines.filter(([, c]) => c).map(([t]) => t.length)));
}

export function renderWorkloadFile(doc: WizardDocument, opts: WriteOptions): string {
  const head = [
    `# yaml-language-server: $schema=${opts.schemaRef}`,
    `# Written by "aip wizard" on ${opts.writtenOn}. Edit it freely; check it with: aip recommend ${opts.fileName}`,
    '# Volumes are per month unless a unit says otherwise ("2k/day"); a month is 30 days.',
    'version: 1',
  ];
  const body: Line[] = [];
  const providers = Object.keys(doc.tiers);
  if (providers.length > 0) {
    body.push(['tiers:', "your account's rate-limit tier per provider (sets the limits checked)"]);
    for (const p of providers) body.push([`  ${p}: ${scalar(doc.tiers[p]!)}`]);
  }
  const workloads = doc.workloads.map((w) => workloadLines(w, opts.catalog));
  const width = commentColumn([...body, ...workloads.flat()]);
  const blocks = workloads.map((lines) => align(lines, width).join('\n'));
  return `${[...head, ...align(body, width), 'workloads:'].join('\n')}\n${blocks.join('\n\n')}\n`;
}
