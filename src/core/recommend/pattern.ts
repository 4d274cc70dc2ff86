// The three ways to call a model API, in the order every table, document and simulation lists them.
export const PATTERNS = ['direct', 'streaming', 'batch'] as const;
export type Pattern = (typeof PATTERNS)[number];
/** One value per pattern (costs, figures, reasons). */
export type PerPattern<T> = Record<Pattern, T>;
