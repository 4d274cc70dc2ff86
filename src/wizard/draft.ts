// One workload as the wizard builds it, before it is written: the values as the user typed them.
import type { SituationId } from './situations.js';

/** One workload as the file will hold it (docs/spec.md "The workload file"); values as the user typed them. */
export interface WorkloadDraft {
  name: string;
  task: SituationId;
  model: string;
  volume: number | string;
  latency: string;
  user_facing: boolean;
  input: { tokens: number; cached?: number } | { prompt: string; extra_tokens?: number; cached?: number };
  /** reasoning (effort) or reasoning_tokens (a count): asked for reasoning models only. */
  output: { tokens: number; p95?: number; reasoning?: 'low' | 'medium' | 'high'; reasoning_tokens?: number };
  /** The fine-tuning step's answers (src/wizard/fine-tune.ts); absent unless the user chose it. */
  peak_factor?: number;
  fallback?: string;
  pricing?: Partial<Record<PriceField, number>>;
}

/** The pricing override fields the wizard asks about (the schema accepts a few more, kept by hand). */
export type PriceField = 'input' | 'output' | 'cached_input' | 'batch_input' | 'batch_output';
