/**
 * Internal events between the pipeline's own functions (pipeline bus, source
 * `vroegsignaal`). Not part of the public contract; kept minimal on purpose.
 */
import * as z from 'zod';
import { householdRefSchema, isoDateTimeWithOffset, schemaVersionSchema } from './common.ts';

/**
 * From ingest to deliver: a household's state changed and may need an alert. It carries no
 * state: deliver re-reads the household, so an old or replayed event can do no harm.
 */
export const deliveryDueSchema = z.strictObject({
  schemaVersion: schemaVersionSchema,
  householdRef: householdRefSchema,
  /** The household item version that produced this event. */
  version: z.int().min(0),
  /** When ingest changed the household. */
  at: isoDateTimeWithOffset,
});
export type DeliveryDue = z.infer<typeof deliveryDueSchema>;
