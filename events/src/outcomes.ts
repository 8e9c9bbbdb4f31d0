/**
 * What the pipeline tells partners (and logs for teams) about each entry
 * (docs/contract.md, section 3), published with source `vroegsignaal`.
 */
import * as z from 'zod';
import { enumOf, expecting, idSchema, partnerIdSchema, teamIdSchema } from './common.ts';

/**
 * The first six are an entry's first outcome, in the contract's order of precedence (the
 * first that applies wins); `withdrawn`, `picked-up`, `closed` and (v1.1) `not-taken` also
 * come later, for the signal a withdrawal names or once a team acts on the alert the signal
 * raised. A forward is never told: a partner does not learn which team has the household.
 */
export const SIGNAL_OUTCOMES = [
  'rejected',
  'duplicate',
  'repeat',
  'below-threshold',
  'withdrawn',
  'accepted',
  'picked-up',
  'closed',
  'not-taken',
] as const;
export type SignalOutcomeKind = (typeof SIGNAL_OUTCOMES)[number];
/** Outcomes an entry can get when it arrives, in precedence order. */
export const FIRST_SIGNAL_OUTCOMES = SIGNAL_OUTCOMES.slice(0, 6) as [
  'rejected',
  'duplicate',
  'repeat',
  'below-threshold',
  'withdrawn',
  'accepted',
];
export type FirstSignalOutcome = (typeof FIRST_SIGNAL_OUTCOMES)[number];

export const TEAM_REPORT_OUTCOMES = ['accepted', 'duplicate', 'rejected'] as const;
export type TeamReportOutcomeKind = (typeof TEAM_REPORT_OUTCOMES)[number];

/** Reasons are one sentence, capped at 500 characters by the formatter; this leaves room. */
export const MAX_OUTCOME_REASON_LENGTH = 1000;

const reasonSchema = expecting(
  z.string().min(1).max(MAX_OUTCOME_REASON_LENGTH).meta({
    description: 'A sentence an operator understands; required for rejected. Never contains the values sent',
  }),
  `a string of 1 to ${MAX_OUTCOME_REASON_LENGTH} characters`,
);

const eventIdSchema = expecting(
  z.string().min(1).nullable().meta({
    description: 'The EventBridge id of the entry this outcome is about, so that even an entry without a signalId can be matched',
  }),
  'a string or null',
);

function requireReasonWhenRejected(value: { outcome: string; reason?: string | undefined }, ctx: z.RefinementCtx) {
  if (value.outcome === 'rejected' && value.reason === undefined) {
    const problem = 'required when outcome is "rejected", expected a sentence';
    ctx.addIssue({ code: 'custom', path: ['reason'], message: problem, params: { problem } });
  }
}

const reasonRequiredForRejected = {
  if: { properties: { outcome: { const: 'rejected' } }, required: ['outcome'] },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
  then: { required: ['reason'] },
};

export const signalOutcomeSchema = z
  .strictObject({
    partnerId: partnerIdSchema.nullable().meta({ description: 'Null when the entry is too broken to have one' }),
    signalId: idSchema('Null when the entry is too broken to have one').nullable(),
    outcome: enumOf(SIGNAL_OUTCOMES, 'What became of the signal'),
    reason: reasonSchema.optional(),
    eventId: eventIdSchema,
  })
  .superRefine(requireReasonWhenRejected)
  .meta({ description: 'What became of a partner entry or signal', ...reasonRequiredForRejected });
export type SignalOutcome = z.infer<typeof signalOutcomeSchema>;

export const teamReportOutcomeSchema = z
  .strictObject({
    teamId: teamIdSchema.nullable().meta({ description: 'Null when the entry is too broken to have one' }),
    alertId: idSchema('Null when the entry is too broken to have one').nullable(),
    outcome: enumOf(TEAM_REPORT_OUTCOMES, "What became of the team's report"),
    reason: reasonSchema.optional(),
    eventId: eventIdSchema,
  })
  .superRefine(requireReasonWhenRejected)
  .meta({ description: 'What became of a team report entry', ...reasonRequiredForRejected });
export type TeamReportOutcome = z.infer<typeof teamReportOutcomeSchema>;
