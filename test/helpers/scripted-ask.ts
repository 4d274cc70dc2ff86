// Answers the wizard's questions from a script keyed by question id, the way a person at a terminal
// would: an answer the question's own validation rejects is recorded and the next scripted answer is
// tried; an unscripted question gets its default (what pressing Enter gives).
import { isHeading, type Ask, type Choice, type Heading } from '../../src/wizard/ask.js';

/** A search answer given by typing a filter and taking the first match. */
export interface Typed {
  type: string;
}

export type Script = Record<string, unknown>;

export interface Asked {
  id: string;
  kind: 'select' | 'input' | 'confirm' | 'search';
  message: string;
  default: unknown;
  answer: unknown;
}

export interface ScriptedAsk extends Ask {
  asked: Asked[];
  notes: string[];
  rejected: Array<{ id: string; text: string; message: string }>;
  /** The ids asked, in order. */
  ids(): string[];
}

export function scriptedAsk(script: Script): ScriptedAsk {
  const queues = new Map<string, unknown[]>(Object.entries(script).map(([k, v]) => [k, Array.isArray(v) ? [...v] : [v]]));
  const asked: Asked[] = [];
  const notes: string[] = [];
  const rejected: ScriptedAsk['rejected'] = [];
  const next = (id: string): { given: boolean; value?: unknown } => {
    const q = queues.get(id);
    if (!q || q.length === 0) return { given: false };
    return { given: true, value: q.shift() };
  };
  const values = <T>(choices: Array<Choice<T> | Heading>): T[] => choices.filter((c): c is Choice<T> => !isHeading(c)).map((c) => c.value);
  const record = (a: Asked) => {
    asked.push(a);
    return a.answer;
  };
  return {
    asked,
    notes,
    rejected,
    ids: () => asked.map((a) => a.id),
    async select(q) {
      const n = next(q.id);
      const answer = n.given ? n.value : q.default;
      if (!values(q.choices).includes(answer as never)) throw new Error(`${q.id}: "${String(answer)}" is not one of ${values(q.choices).join(', ')}`);
      return record({ id: q.id, kind: 'select', message: q.message, default: q.default, answer }) as never;
    },
    async input(q) {
      for (;;) {
        const n = next(q.id);
        if (!n.given && q.default === undefined) throw new Error(`${q.id}: no scripted answer and no default`);
        const text = n.given ? String(n.value) : q.default!;
        const verdict = await q.validate(text);
        if (verdict === true) return record({ id: q.id, kind: 'input', message: q.message, default: q.default, answer: text }) as string;
        rejected.push({ id: q.id, text, message: verdict });
        if (!n.given) throw new Error(`${q.id}: the default "${text}" is rejected: ${verdict}`);
      }
    },
    async confirm(q) {
      const n = next(q.id);
      return record({ id: q.id, kind: 'confirm', message: q.message, default: q.default, answer: n.given ? Boolean(n.value) : q.default }) as boolean;
    },
    async search(q) {
      const n = next(q.id);
      const term = n.given && typeof n.value === 'object' && n.value !== null ? (n.value as Typed).type : '';
      const shown = values(q.source(term));
      // Enter takes the highlighted (first) choice: a terminal has no other notion of a default here.
      const answer = n.given && typeof n.value === 'string' ? n.value : shown[0];
      if (!shown.includes(answer as never)) throw new Error(`${q.id}: "${String(answer)}" is not in the list for "${term}"`);
      return record({ id: q.id, kind: 'search', message: q.message, default: q.default, answer }) as never;
    },
    note(text) {
      notes.push(text);
    },
  };
}
