/**
 * A team reports back on the signals bus (contract section 2): `AlertPickedUp` when it takes a
 * case, `CaseClosed` with a result when it closes it, from source `team.<teamId>`. The report is
 * validated with the contract's own schema before it is sent.
 */
import { BUSES, CASE_RESULTS, parseTeamReport, TEAM_ID_PATTERN, TEAM_SOURCE_PREFIX, type CaseResult, type TeamDetailType } from '@vroegsignaal/events';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { CliError, EXIT, UsageError } from '../errors.ts';
import { sendEntries, type PutEventsClient, type SendOptions } from '../put-events.ts';
import type { InboxEntry } from './inbox.ts';

export interface TeamReportRequest {
  team: string;
  type: TeamDetailType;
  alertId: string;
  atMs: number;
  result?: CaseResult;
}

/** A close's --result, checked: one of CASE_RESULTS. */
export function requireCaseResult(value: string | undefined): CaseResult {
  if (value === undefined || !(CASE_RESULTS as readonly string[]).includes(value)) {
    throw new UsageError(`close needs --result, one of ${CASE_RESULTS.join(', ')}`);
  }
  return value as CaseResult;
}

export function reportEntry(request: TeamReportRequest) {
  if (!TEAM_ID_PATTERN.test(request.team)) throw new UsageError('--team must be a team id like "utrecht-schuldhulp"');
  if (request.type === 'CaseClosed') requireCaseResult(request.result);
  const detail = {
    schemaVersion: 1,
    alertId: request.alertId,
    at: formatAmsterdamIso(new Date(request.atMs)),
    ...(request.type === 'CaseClosed' ? { result: request.result } : {}),
  };
  const parsed = parseTeamReport(request.type, detail);
  if (!parsed.ok) throw new UsageError(`the report would not be valid: ${parsed.reason}`);
  return { Source: `${TEAM_SOURCE_PREFIX}${request.team}`, DetailType: request.type, Detail: JSON.stringify(detail), at: detail.at };
}

/** Sends one report; returns its event id and the `at` it carries. */
export async function sendTeamReport(
  client: PutEventsClient,
  request: TeamReportRequest,
  options: Omit<SendOptions, 'busName'> & { busName?: string } = {},
): Promise<{ eventId: string; at: string }> {
  const { at, ...entry } = reportEntry(request);
  const result = await sendEntries(client, [entry], { ...options, busName: options.busName ?? BUSES.signals });
  if (result.stopped) throw result.stopped;
  const slot = result.results[0]!;
  if (!slot.eventId) throw new CliError(EXIT.failed, `the bus did not take the report (${slot.errorCode ?? 'unknown error'}: ${slot.errorMessage ?? 'no message'})`, 'REPORT_FAILED');
  return { eventId: slot.eventId, at };
}

/** Marks the inbox entry after the bus took the report. */
export function markReported(entry: InboxEntry, report: { type: TeamDetailType; at: string; eventId: string; result?: CaseResult }): void {
  entry.reports.push({ type: report.type, at: report.at, eventId: report.eventId, ...(report.result ? { result: report.result } : {}) });
  entry.status = report.type === 'CaseClosed' ? 'closed' : 'picked-up';
}
