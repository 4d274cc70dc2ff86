// What the feature does (the decision matrix's situations) and the answers that make sense for each:
// pure data and small pure functions, so the defaults are testable and the flow stays short.

/** The workload file's `task` values the wizard offers, in the order it offers them. */
export type SituationId =
  | 'chat'
  | 'classification'
  | 'embedding'
  | 'generation'
  | 'summarization'
  | 'extraction'
  | 'moderation'
  | 'evaluation'
  | 'labeling'
  | 'chain'
  | 'other';

export type ToleranceKeyword = 'interactive' | 'seconds' | 'minutes' | 'hours' | 'overnight';

export interface Situation {
  id: SituationId;
  /** The choice as the list shows it. */
  label: string;
  description: string;
  /** A workload name to offer (unique in the file: a number is appended when taken). */
  name: string;
  /** Does a person usually watch the output arrive? */
  watched: boolean;
  /** The tolerance when nobody watches (a watched workload defaults to interactive). */
  tolerance: ToleranceKeyword;
  /** A typical monthly volume, as a person would type it. */
  volume: string;
  /** Typical mean input and output tokens per request. */
  inputTokens: number;
  outputTokens: number;
  /** Catalog ids to suggest, first one present wins; embeddings want an embedding model. */
  models: string[];
  modelKind: 'embedding' | 'text' | 'any';
}

// Sizes are starting points a person adjusts, not measurements: the seed matrix's "<100 tokens" for
// classification, "~500 tokens" for chat replies (the streaming threshold), and so on.
export const situations: readonly Situation[] = [
  { id: 'chat', label: 'Chat or assistant', description: 'a person types and reads the reply as it arrives', name: 'support-chat', watched: true, tolerance: 'interactive', volume: '100k', inputTokens: 1500, outputTokens: 500, models: ['gpt-4o-mini', 'claude-haiku-4-5'], modelKind: 'text' },
  { id: 'classification', label: 'Classification or routing', description: 'a short label or route (<100 tokens) for each input', name: 'router', watched: false, tolerance: 'interactive', volume: '300k', inputTokens: 400, outputTokens: 10, models: ['gpt-4o-mini', 'claude-haiku-4-5'], modelKind: 'text' },
  { id: 'embedding', label: 'Embeddings', description: 'vectors for search or retrieval; bulk indexing or per query', name: 'embeddings', watched: false, tolerance: 'seconds', volume: '1M', inputTokens: 500, outputTokens: 0, models: ['text-embedding-3-small', 'text-embedding-3-large'], modelKind: 'embedding' },
  { id: 'generation', label: 'Content generation', description: 'blog posts, reports, emails, code: long outputs', name: 'content-generation', watched: false, tolerance: 'hours', volume: '10k', inputTokens: 1000, outputTokens: 1500, models: ['gpt-4o-mini', 'claude-haiku-4-5'], modelKind: 'text' },
  { id: 'summarization', label: 'Summarization', description: 'long documents in, a short summary out', name: 'summaries', watched: false, tolerance: 'minutes', volume: '20k', inputTokens: 4000, outputTokens: 300, models: ['gpt-4o-mini', 'claude-haiku-4-5'], modelKind: 'text' },
  { id: 'extraction', label: 'Extraction', description: 'structured fields (JSON) pulled out of text', name: 'extraction', watched: false, tolerance: 'seconds', volume: '50k', inputTokens: 2000, outputTokens: 200, models: ['gpt-4o-mini', 'claude-haiku-4-5'], modelKind: 'text' },
  { id: 'moderation', label: 'Moderation', description: 'checks content before it is shown', name: 'moderation', watched: false, tolerance: 'interactive', volume: '500k', inputTokens: 300, outputTokens: 20, models: ['gpt-4o-mini', 'claude-haiku-4-5'], modelKind: 'text' },
  { id: 'evaluation', label: 'Evaluation pipeline', description: 'testing prompts or models against a dataset', name: 'evals', watched: false, tolerance: 'overnight', volume: '20k', inputTokens: 1500, outputTokens: 300, models: ['gpt-4o-mini', 'claude-haiku-4-5'], modelKind: 'text' },
  { id: 'labeling', label: 'Dataset labeling', description: 'labels for 1K+ items; no one waits for each', name: 'labeling', watched: false, tolerance: 'overnight', volume: '100k', inputTokens: 600, outputTokens: 50, models: ['gpt-4o-mini', 'claude-haiku-4-5'], modelKind: 'text' },
  { id: 'chain', label: 'Model chain', description: "one model's output is the next one's input; one step per workload", name: 'chain-step', watched: false, tolerance: 'seconds', volume: '100k', inputTokens: 1200, outputTokens: 300, models: ['gpt-4o-mini', 'claude-haiku-4-5'], modelKind: 'text' },
  { id: 'other', label: 'Something else', description: 'answer the questions as they apply', name: 'workload', watched: false, tolerance: 'seconds', volume: '100k', inputTokens: 1000, outputTokens: 500, models: ['gpt-4o-mini', 'claude-haiku-4-5'], modelKind: 'any' },
];

export function situation(id: SituationId): Situation {
  const s = situations.find((x) => x.id === id);
  if (!s) throw new Error(`no situation "${id}"`);
  return s;
}

export interface ToleranceChoice {
  value: ToleranceKeyword | 'custom';
  label: string;
}

/** The tolerance categories, written to the file as the schema's keywords (or a duration typed by the user). */
export const toleranceChoices: readonly ToleranceChoice[] = [
  { value: 'interactive', label: 'Under 5 s: someone is waiting for it' },
  { value: 'seconds', label: '5-60 s' },
  { value: 'minutes', label: 'Minutes' },
  { value: 'hours', label: 'Hours' },
  { value: 'overnight', label: 'Overnight: by tomorrow is fine' },
  { value: 'custom', label: 'A specific duration (800ms, 30s, 15m, 2h)…' },
];

/** Someone watching cannot wait long; otherwise the situation's own tolerance. */
export function defaultTolerance(s: Situation, watched: boolean): ToleranceKeyword {
  return watched ? 'interactive' : s.tolerance;
}

/** A name not yet used in this file: "router", then "router-2", "router-3"… */
export function uniqueName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base}-${i}`)) return `${base}-${i}`;
}
