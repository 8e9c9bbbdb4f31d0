/**
 * What a team receives on its SQS queue (docs/contract.md, section 2): a JSON
 * body with `kind` `alert`, `update` or `reminder`. The pipeline produces these; the schemas
 * guard what leaves it and document it for teams.
 */
import * as z from 'zod';
import {
  contactSchema,
  described,
  enumOf,
  expecting,
  flag,
  householdRefSchema,
  householdSchema,
  HOUSE_NUMBER_ADDITION_PATTERN,
  houseNumberSchema,
  idSchema,
  isoDateTimeWithOffset,
  municipalityCodeSchema,
  NORMALISED_POSTCODE_PATTERN,
  partnerIdSchema,
  teamIdSchema,
} from './common.ts';
import { PARTNER_DETAIL_TYPES } from './names.ts';

/** Escalation levels, lowest first: compare levels by their index here. */
export const LEVELS = ['signal', 'case', 'eviction-threat', 'urgent'] as const;
export type Level = (typeof LEVELS)[number];

export const levelSchema = enumOf(LEVELS, 'Escalation level, lowest first: signal, case, eviction-threat, urgent');

export const TEAM_MESSAGE_KINDS = ['alert', 'update', 'reminder'] as const;
export type TeamMessageKind = (typeof TEAM_MESSAGE_KINDS)[number];

/** Machine-readable reason codes are kebab-case, e.g. `arrears-2m`. */
export const REASON_CODE_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const alertReasonSchema = z
  .strictObject({
    code: expecting(
      z.string().regex(REASON_CODE_PATTERN).meta({ description: 'Machine-readable code, e.g. arrears-2m' }),
      'a kebab-case code like "arrears-2m"',
    ),
    text: expecting(
      z.string().min(1).max(500).meta({ description: 'A sentence for the team' }),
      'a string of 1 to 500 characters',
    ),
  })
  .meta({ description: 'Why the household is at this level' });
export type AlertReason = z.infer<typeof alertReasonSchema>;

const reasonsSchema = expecting(
  z.array(alertReasonSchema).min(1).meta({ description: 'Why the household is at this level' }),
  'a non-empty list of {code, text}',
);

/** Signal types that can be live; a withdrawal is never summarised as a signal. */
export const LIVE_SIGNAL_TYPES = PARTNER_DETAIL_TYPES.filter(
  (type): type is Exclude<(typeof PARTNER_DETAIL_TYPES)[number], 'SignalWithdrawn'> => type !== 'SignalWithdrawn',
) as [
  'RentArrearsReported',
  'NuisanceReported',
  'EvictionProceedingUpdated',
  'CareSignalReported',
];
export type LiveSignalType = (typeof LIVE_SIGNAL_TYPES)[number];

export const signalSummarySchema = z
  .strictObject({
    type: expecting(
      z.enum(LIVE_SIGNAL_TYPES).meta({ description: 'Detail type of the signal' }),
      `one of ${LIVE_SIGNAL_TYPES.join(', ')}`,
    ),
    partnerId: partnerIdSchema,
    observedAt: isoDateTimeWithOffset,
    figures: expecting(
      z
        .record(z.string(), expecting(z.union([z.string(), z.number(), z.boolean()]), 'a string, number or boolean'))
        .meta({ description: 'Key figures of the signal, e.g. monthsInArrears, stage, domains' }),
      'an object of strings, numbers and booleans',
    ),
  })
  .meta({ description: 'Summary of one live signal' });
export type SignalSummary = z.infer<typeof signalSummarySchema>;

/** The address after normalising: postcode `1234AB`, letter and addition upper case. */
export const normalisedAddressSchema = z
  .strictObject({
    postcode: expecting(
      z.string().regex(NORMALISED_POSTCODE_PATTERN).meta({ description: 'Postcode as 1234AB' }),
      'a normalised postcode like "1234AB"',
    ),
    houseNumber: houseNumberSchema,
    houseLetter: expecting(
      z.string().regex(/^[A-Z]$/).meta({ description: 'House letter, upper case' }),
      'a single upper-case letter',
    ).optional(),
    houseNumberAddition: expecting(
      z
        .string()
        .regex(new RegExp(HOUSE_NUMBER_ADDITION_PATTERN.source.replace('A-Za-z', 'A-Z')))
        .meta({ description: 'House number addition, upper case' }),
      '1 to 4 upper-case letters or digits',
    ).optional(),
  })
  .meta({ description: 'The normalised address of the household' });
export type NormalisedAddress = z.infer<typeof normalisedAddressSchema>;

/**
 * One partner's contact data in an alert (intake v1.1, "Contact data per partner"): the contact
 * of that partner's newest live signal that carries one. Need-to-know data, as `contact`.
 */
export const partnerContactSchema = z
  .strictObject({
    partnerId: partnerIdSchema,
    observedAt: described(isoDateTimeWithOffset, "observedAt of the partner's signal this contact data comes from"),
    ...contactSchema.shape,
  })
  .meta({
    description:
      "One partner's contact data, from its newest live signal that carries contact data; need-to-know, never logged",
  });
export type PartnerContact = z.infer<typeof partnerContactSchema>;

/** Adds a rule's problem at `path`, worded for the reason (see `formatIssues`). */
function addProblem(ctx: z.RefinementCtx, path: PropertyKey[], problem: string): void {
  ctx.addIssue({ code: 'custom', path, message: problem, params: { problem } });
}

const contactsSchema = expecting(
  z
    .array(partnerContactSchema)
    .superRefine((contacts, ctx) => {
      // One partner's contact data never replaces another's: one entry per partner, newest first.
      const seen = new Set<string>();
      contacts.forEach((contact, index) => {
        if (seen.has(contact.partnerId)) {
          addProblem(ctx, [index], 'repeats an earlier partner, expected one entry per partner');
        }
        seen.add(contact.partnerId);
        const before = index > 0 ? Date.parse(contacts[index - 1]!.observedAt) : Number.NaN;
        if (Date.parse(contact.observedAt) > before) {
          addProblem(ctx, [index], 'is newer than the entry before it, expected newest first');
        }
      });
    })
    .meta({
      description:
        "Contact data per partner (contract v1.1): one entry per partner whose live signals carry contact data, newest observedAt first; one partner's contact data never replaces another's; contact stays the most recent of them. Need-to-know data, never logged. Absent in messages from before v1.1",
    }),
  'a list of {partnerId, observedAt, name, phone, email}, one per partner, newest first',
);

const alertFields = {
  alertId: idSchema('Stable: the same household, team and level within the alert window give the same id'),
  householdRef: householdRefSchema,
  municipalityCode: municipalityCodeSchema,
  team: teamIdSchema,
  level: levelSchema,
  score: expecting(
    z.number().meta({ description: "The number the level was derived from (the policy's formula)" }),
    'a number',
  ),
  reasons: reasonsSchema,
  partners: expecting(
    z.array(partnerIdSchema).meta({ description: 'Partner ids (without partner.) whose live signals contributed' }),
    'a list of partner ids',
  ),
  signals: expecting(
    z.array(signalSummarySchema).meta({ description: 'Summary of the live signals' }),
    'a list of signal summaries',
  ),
  address: normalisedAddressSchema,
  contact: contactSchema.optional(),
  contacts: contactsSchema.optional(),
  household: householdSchema.optional(),
  createdAt: isoDateTimeWithOffset,
  respondBy: described(isoDateTimeWithOffset, "Deadline from the team's policy"),
  capacityExceeded: flag('The team is past its yearly capacity; the alert is still delivered'),
  forwardedFrom: idSchema('v1.1: the alertId of the alert another team of the municipality forwarded to this one').optional(),
};

export const alertMessageSchema = z
  .strictObject({ kind: z.literal('alert'), ...alertFields })
  .meta({ description: 'A new alert' });
export type AlertMessage = z.infer<typeof alertMessageSchema>;

export const updateMessageSchema = z
  .strictObject({ kind: z.literal('update'), ...alertFields })
  .meta({ description: 'New signals for a case the team has open; alertId is that of the open case' });
export type UpdateMessage = z.infer<typeof updateMessageSchema>;

/**
 * Why a reminder is sent (v1.1; absent in v1 messages, which are all `verdict-lapses`):
 * a verdict about to lapse, an alert past its respondBy, or (to the municipality's
 * coordinating team) an alert still untouched at the escalation moment.
 */
export const REMINDER_REASONS = ['verdict-lapses', 'overdue', 'overdue-escalated'] as const;
export type ReminderReason = (typeof REMINDER_REASONS)[number];

export const reminderMessageSchema = z
  .strictObject({
    kind: z.literal('reminder'),
    reason: enumOf(REMINDER_REASONS, 'v1.1: verdict-lapses, overdue (respondBy passed while the alert is still raised) or overdue-escalated (to the coordinating team)').optional(),
    alertId: alertFields.alertId,
    householdRef: described(householdRefSchema, 'The household the alert is about; absent in overdue-escalated reminders, which carry no household data').optional(),
    municipalityCode: municipalityCodeSchema,
    team: teamIdSchema,
    alertTeam: described(teamIdSchema, 'overdue-escalated only: the team that holds the alert (team is the coordinating team that receives this)').optional(),
    level: levelSchema,
    reasons: reasonsSchema,
    createdAt: isoDateTimeWithOffset,
    respondBy: alertFields.respondBy,
    dueAt: described(isoDateTimeWithOffset, 'The deadline this reminder is about: when a verdict lapses, the alert\'s respondBy, or the escalation moment'),
    alertCreatedAt: described(isoDateTimeWithOffset, 'overdue and overdue-escalated: when the alert was raised, so how long it has waited shows').optional(),
  })
  .superRefine((reminder, ctx) => {
    const escalated = reminder.reason === 'overdue-escalated';
    const problem = (path: string, text: string) => ctx.addIssue({ code: 'custom', path: [path], message: text, params: { problem: text } });
    if (escalated && reminder.householdRef !== undefined) problem('householdRef', 'must be absent in an overdue-escalated reminder, which carries no household data');
    if (!escalated && reminder.householdRef === undefined) problem('householdRef', 'is required, expected a household reference');
    if (escalated !== (reminder.alertTeam !== undefined)) problem('alertTeam', escalated ? 'is required in an overdue-escalated reminder' : 'belongs only in an overdue-escalated reminder');
  })
  .meta({ description: "A deadline from the team's policy is near or has passed" });
export type ReminderMessage = z.infer<typeof reminderMessageSchema>;

export const teamMessageSchema = z
  .discriminatedUnion('kind', [alertMessageSchema, updateMessageSchema, reminderMessageSchema])
  .meta({ description: 'The body of an SQS message on a team queue' });
export type TeamMessage = z.infer<typeof teamMessageSchema>;
