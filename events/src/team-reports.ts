/**
 * What a team sends back on the signals bus with source `team.<teamId>` (docs/contract.md,
 * "Teams report back", and its v1.1 part "After the alert"). v1's AlertPickedUp and CaseClosed
 * keep their meaning; v1.1 adds the optional `by`, CaseClosed's `detail`, and three detail types.
 */
import * as z from 'zod';
import { described, enumOf, expecting, idSchema, isoDateTimeWithOffset, parseWithReason, schemaVersionSchema, teamIdSchema } from './common.ts';
import { TEAM_DETAIL_TYPES, type TeamDetailType } from './names.ts';

const alertIdSchema = idSchema('The alertId of the alert the team reports on');
const atSchema = described(isoDateTimeWithOffset, 'When it happened, ISO-8601 with offset; not more than 5 minutes in the future, nor before the alert was raised');

/** A team member's pseudonymous id: never a name or an e-mail address, so no `@` and no spaces. */
export const MEMBER_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const bySchema = expecting(
  z.string().regex(MEMBER_ID_PATTERN).meta({ description: "Pseudonymous id of the team member (1 to 64 of A-Z a-z 0-9 . _ -); never a name or e-mail address" }),
  'a pseudonymous member id of 1 to 64 letters, digits, ".", "_" or "-"',
).optional();

const reportFields = { schemaVersion: schemaVersionSchema, alertId: alertIdSchema, at: atSchema, by: bySchema };

export const alertPickedUpSchema = z
  .strictObject(reportFields)
  .meta({ description: 'The team has taken the case the alert is about; a later one with another `by` re-assigns it' });
export type AlertPickedUp = z.infer<typeof alertPickedUpSchema>;

export const CASE_RESULTS = ['resolved', 'referred', 'no-contact', 'declined'] as const;
export type CaseResult = (typeof CASE_RESULTS)[number];

/** Each result's refinements (v1.1), after the DDAS "resultaat" codes. */
export const CASE_RESULT_DETAILS = {
  resolved: ['quick-fix', 'paid-or-arrangement', 'self-managing'],
  referred: ['referred-financial', 'referred-non-financial', 'referred', 'referred-without-resident'],
  'no-contact': ['never-reached', 'no-response-after-contact'],
  declined: ['declined'],
} as const satisfies Record<CaseResult, readonly string[]>;
export const CASE_DETAILS = Object.values(CASE_RESULT_DETAILS).flat() as [CaseDetail, ...CaseDetail[]];
export type CaseDetail = (typeof CASE_RESULT_DETAILS)[CaseResult][number];

export function detailsOfResult(result: CaseResult): readonly CaseDetail[] {
  return CASE_RESULT_DETAILS[result];
}

export const caseClosedSchema = z
  .strictObject({
    ...reportFields,
    result: enumOf(CASE_RESULTS, 'How the case ended'),
    detail: enumOf(CASE_DETAILS, `Refines result (v1.1): ${Object.entries(CASE_RESULT_DETAILS).map(([result, details]) => `${result}: ${details.join(', ')}`).join('; ')}`).optional(),
  })
  .superRefine((closed, ctx) => {
    if (closed.detail === undefined || (detailsOfResult(closed.result) as readonly string[]).includes(closed.detail)) return;
    const problem = `does not refine result "${closed.result}", expected one of ${detailsOfResult(closed.result).join(', ')}`;
    ctx.addIssue({ code: 'custom', path: ['detail'], message: problem, params: { problem } });
  })
  .meta({ description: 'The team has closed the case the alert is about' });
export type CaseClosed = z.infer<typeof caseClosedSchema>;

export const CONTACT_CHANNELS = ['letter', 'card', 'phone', 'sms', 'email', 'home-visit', 'appointment', 'administrative', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const PARTS_OF_DAY = ['morning', 'afternoon', 'evening'] as const;
export type PartOfDay = (typeof PARTS_OF_DAY)[number];

export const contactAttemptLoggedSchema = z
  .strictObject({
    ...reportFields,
    channel: enumOf(CONTACT_CHANNELS, 'How the team tried to reach the household'),
    reached: expecting(z.boolean().meta({ description: 'Whether the household was reached; the first true marks it reached' }), 'true or false'),
    partOfDay: enumOf(PARTS_OF_DAY, 'Part of the day of the attempt; when absent it follows from at in Europe/Amsterdam (before 12:00 morning, before 18:00 afternoon, else evening)').optional(),
  })
  .meta({ description: 'The team tried to reach the household (v1.1)' });
export type ContactAttemptLogged = z.infer<typeof contactAttemptLoggedSchema>;

export const NOT_TAKEN_REASONS = ['unjustified', 'repeat', 'already-in-debt-help', 'other-trajectory', 'not-resident', 'deceased', 'other'] as const;
export type NotTakenReason = (typeof NOT_TAKEN_REASONS)[number];

export const alertNotTakenSchema = z
  .strictObject({ ...reportFields, reason: enumOf(NOT_TAKEN_REASONS, 'Why the team does not take the alert; never told to partners') })
  .meta({ description: 'The team does not take the alert: it ends without a case (v1.1)' });
export type AlertNotTaken = z.infer<typeof alertNotTakenSchema>;

export const alertForwardedSchema = z
  .strictObject({
    ...reportFields,
    toTeam: described(teamIdSchema, 'Another team of the same municipality in the policy, or unrouted'),
    reason: expecting(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).meta({ description: 'Optional kebab-case code for why, e.g. other-district; no free text' }), 'a kebab-case code like "other-district"').optional(),
  })
  .meta({ description: 'The alert ends here and the household is alerted to toTeam (same level, new alertId, forwardedFrom) (v1.1)' });
export type AlertForwarded = z.infer<typeof alertForwardedSchema>;

export const teamReportSchemas = {
  AlertPickedUp: alertPickedUpSchema,
  CaseClosed: caseClosedSchema,
  ContactAttemptLogged: contactAttemptLoggedSchema,
  AlertNotTaken: alertNotTakenSchema,
  AlertForwarded: alertForwardedSchema,
} as const satisfies Record<TeamDetailType, z.ZodType>;

export type TeamReportByType = {
  [K in TeamDetailType]: z.infer<(typeof teamReportSchemas)[K]>;
};
export type TeamReportDetail = TeamReportByType[TeamDetailType];
export type TeamReport = {
  [K in TeamDetailType]: { detailType: K; detail: TeamReportByType[K] };
}[TeamDetailType];

/** The reports that end an alert; the earliest of them by `at` is its end. */
export const ENDING_DETAIL_TYPES = ['AlertNotTaken', 'AlertForwarded', 'CaseClosed'] as const satisfies readonly TeamDetailType[];

export function isTeamDetailType(value: string): value is TeamDetailType {
  return (TEAM_DETAIL_TYPES as readonly string[]).includes(value);
}

export type TeamReportParseResult = { ok: true; report: TeamReport } | { ok: false; reason: string };

/** Validates a team's report; `reason` as in `parsePartnerDetail`, without values. */
export function parseTeamReport(detailType: string, detail: unknown): TeamReportParseResult {
  if (!isTeamDetailType(detailType)) {
    return { ok: false, reason: `unknown detail type; expected one of ${TEAM_DETAIL_TYPES.join(', ')}` };
  }
  const parsed = parseWithReason(teamReportSchemas[detailType] as z.ZodType, detail);
  return parsed.ok ? { ok: true, report: { detailType, detail: parsed.value } as TeamReport } : parsed;
}
