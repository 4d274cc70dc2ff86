// The curated model layer's file shape (data/models.yaml): patches of base models and complete entries of
// models the base lacks. Each entry is checked in full once merged (schema.ts Model); here only what every
// entry must have: an id, and where its figures come from.
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

export const CuratedEntry = z
  .object({
    id: z.string().min(1),
    /** The base dataset's id where aip names the model otherwise. */
    from_base: z.string().optional(),
    source: z.string().min(1),
    as_of: isoDate,
  })
  .passthrough();

export const CuratedFile = z.object({ as_of: isoDate, models: z.array(CuratedEntry) }).strict();
export type CuratedFile = z.infer<typeof CuratedFile>;
