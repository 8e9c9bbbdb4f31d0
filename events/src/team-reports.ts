/**
 * What a team sends back on the signals bus with source `team.<teamId>`
 * (docs/contract.md, section 2, "Teams report back").
 */
import * as z from 'zod';
import { described, enumOf, idSchema, isoDateTimeWithOffset, parseWithReason, schemaVersionSchema } from './common.ts';
import { TEAM_DETAIL_TYPES, type TeamDetailType } from './names.ts';

const alertIdSchema = idSchema('The alertId of the alert the team reports on');
const atSchema = described(isoDateTimeWithOffset, 'When it happened, ISO-8601 with offset');

export const alertPickedUpSchema = z
  .strictObject({
    schemaVersion: schemaVersionSchema,
    alertId: alertIdSchema,
    at: atSchema,
  })
  .meta({ description: 'The team has taken the case the alert is about' });
export type AlertPickedUp = z.infer<typeof alertPickedUpSchema>;

export const CASE_RESULTS = ['resolved', 'referred', 'no-contact', 'declined'] as const;
export type CaseResult = (typeof CASE_RESULTS)[number];

export const caseClosedSchema = z
  .strictObject({
    schemaVersion: schemaVersionSchema,
    alertId: alertIdSchema,
    at: atSchema,
    result: enumOf(CASE_RESULTS, 'How the case ended'),
  })
  .meta({ description: 'The team has closed the case the alert is about' });
export type CaseClosed = z.infer<typeof caseClosedSchema>;

export const teamReportSchemas = {
  AlertPickedUp: alertPickedUpSchema,
  CaseClosed: caseClosedSchema,
} as const satisfies Record<TeamDetailType, z.ZodType>;

export type TeamReportByType = {
  [K in TeamDetailType]: z.infer<(typeof teamReportSchemas)[K]>;
};
export type TeamReportDetail = TeamReportByType[TeamDetailType];
export type TeamReport = {
  [K in TeamDetailType]: { detailType: K; detail: TeamReportByType[K] };
}[TeamDetailType];

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
