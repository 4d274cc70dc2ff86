// How a recommended choice is named, in one place so recommend, simulate, check and the report say the same
// thing: "queued direct" and "direct priority" in a narrow column, "direct (from a queue), priority tier" in prose.

export interface Choice {
  pattern: string;
  /** Direct calls fed from the team's own queue (a tolerant workload over its rate limits). */
  viaQueue?: boolean | undefined;
  /** The service tier of the chosen option; standard (or absent) is not named. */
  serviceTier?: string | null | undefined;
}

const tierOf = (c: Choice): string | null => (c.serviceTier && c.serviceTier !== 'standard' ? c.serviceTier : null);
const queued = (c: Choice): boolean => c.viaQueue === true && c.pattern === 'direct';

/** "queued direct", "streaming priority", "direct flex": the choice in a table column. */
export function shortChoiceLabel(c: Choice): string {
  const tier = tierOf(c);
  return `${queued(c) ? 'queued direct' : c.pattern}${tier ? ` ${tier}` : ''}`;
}

/** "direct (from a queue), priority tier": the choice in a sentence or a wide layout. */
export function longChoiceLabel(c: Choice): string {
  const tier = tierOf(c);
  return `${queued(c) ? 'direct (from a queue)' : c.pattern}${tier ? `, ${tier} tier` : ''}`;
}
