/**
 * Internal events between the pipeline's own functions (pipeline bus, source
 * `vroegsignaal`). Not part of the public contract; kept minimal on purpose.
 */
import * as z from 'zod';
import { householdRefSchema, idSchema, isoDateTimeWithOffset, schemaVersionSchema, teamIdSchema } from './common.ts';
import { levelSchema, REMINDER_REASONS } from './team-messages.ts';
import { MEMBER_ID_PATTERN } from './team-reports.ts';

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

/**
 * From the team messenger to notify: a message a member may want an e-mail about went on its
 * team queue: an alert at `eviction-threat` or `urgent`, or an `overdue` or `overdue-escalated`
 * reminder. Codes only, never the message's household data: notify reads the alert's record.
 */
export const teamMessageSentSchema = z.strictObject({
  schemaVersion: schemaVersionSchema,
  kind: z.enum(['alert', 'reminder']),
  /** The team whose queue got the message (for an escalation: the coordinating team). */
  team: teamIdSchema,
  level: levelSchema,
  alertId: idSchema('The alert the message is about'),
  /** The message's deduplication id on the team queue: a resend of it is the same notice. */
  deliveryId: idSchema('The team message deduplication id'),
  /** A reminder's reason. */
  reason: z.enum(REMINDER_REASONS).optional(),
  /** For an escalation: the team the alert belongs to. */
  alertTeam: teamIdSchema.optional(),
  /** When it was sent. */
  at: isoDateTimeWithOffset,
});
export type TeamMessageSent = z.infer<typeof teamMessageSentSchema>;

/**
 * From team-report to notify: an accepted AlertPickedUp gave the alert a holder it did not have
 * (a first pickup by a named member, or a re-assignment). `eventId` is the report's bus event.
 */
export const alertAssignedSchema = z.strictObject({
  schemaVersion: schemaVersionSchema,
  team: teamIdSchema,
  alertId: idSchema('The alert that was assigned'),
  /** The member it is assigned to: the report's pseudonymous `by`. */
  memberId: z.string().regex(MEMBER_ID_PATTERN),
  eventId: idSchema('The bus event of the AlertPickedUp'),
  at: isoDateTimeWithOffset,
});
export type AlertAssigned = z.infer<typeof alertAssignedSchema>;
