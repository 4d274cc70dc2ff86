// Which tokenizer counts for a model name: the catalog model's own, or, for an OpenAI name the catalog does
// not list yet, the encoding of its family (said in a note). Anything else is an error with "did you mean".
import { allNames, findModel, resolveModel } from '../catalog/models.js';
import type { Catalog, Model } from '../catalog/schema.js';
import { closest, editDistance } from '../suggest.js';
import { counterForModel, encodingForOpenAIName, tokenCounterFor, type TokenCounter } from './tokenizer.js';

export interface CounterChoice {
  /** The catalog model, or undefined for a fallback (its price is then unknown). */
  model: Model | undefined;
  modelName: string;
  counter: TokenCounter;
  notes: string[];
}

export async function chooseCounter(catalog: Catalog, name: string): Promise<CounterChoice> {
  const model = findModel(catalog, name);
  if (model) return { model, modelName: model.id, counter: await counterForModel(model), notes: [] };
  const fallback = encodingForOpenAIName(name);
  // A misspelt catalog id is an error with "did you mean"; a new OpenAI name (gpt-5.9, o5) falls back.
  if (!fallback || looksLikeTypo(name, allNames(catalog))) resolveModel(catalog, name, { option: '--model' });
  const { encoding } = fallback!;
  const guess = closest(name, allNames(catalog).filter((n) => !n.includes('/')), 1)[0];
  const family = encoding === 'o200k_base' ? 'gpt-4o and later OpenAI models' : 'gpt-4, gpt-3.5 and the embeddings';
  const note = `"${name}" is not in the catalog${guess ? ` (did you mean "${guess}"?)` : ''}; counting with ${encoding}, the encoding of ${family}. Input cost unknown: add the model with --catalog FILE.`;
  return { model: undefined, modelName: name, counter: await tokenCounterFor({ encoding, factor: 1, approximate: false }, name), notes: [note] };
}

/** Close to a known name, and not only in its digits (gpt-4o-mnii is a typo; gpt-5.9 is a newer model). */
export function looksLikeTypo(name: string, known: readonly string[]): boolean {
  const n = name.toLowerCase().replace(/^openai\//, '');
  // gpt-5.9 against gpt-5-4 (a dashed alias) differs only in digits and separators: a newer model, not a typo.
  const letters = (s: string) => s.replace(/[0-9.-]/g, '');
  return known.some((k) => editDistance(n, k) <= 2 && letters(n) !== letters(k));
}
