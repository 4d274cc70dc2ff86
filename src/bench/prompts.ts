// The prompts a run sends: the built-in set (short, realistic tasks of the kinds the decision rules name),
// or the user's own from --prompt files.

export interface Prompt {
  system?: string;
  prompt: string;
}

export const BUILT_IN_PROMPTS: readonly Prompt[] = [
  { system: 'You are a helpful support assistant for an online store. Answer briefly.', prompt: 'My order #4821 shows delivered but nothing arrived. What should I do?' },
  { system: 'Classify the ticket as billing, shipping, account or other. Answer with one word.', prompt: 'I was charged twice for the same subscription this month.' },
  { prompt: 'Summarise in three sentences: The team moved the nightly report generation from synchronous API calls to the batch API, halving its cost, while the support chat kept streaming so users see answers arrive.' },
  { system: 'Extract the fields name, date and amount as JSON.', prompt: 'Invoice from Acme Corp dated 2026-10-03 for $1,240.50, net 30.' },
];
