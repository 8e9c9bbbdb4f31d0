/**
 * A team reports back on the signals bus (contract section 2, and v1.1 "after the alert"):
 * `AlertPickedUp`, `ContactAttemptLogged`, `AlertNotTaken`, `AlertForwarded` and `CaseClosed`,
 * from source `team.<teamId>`. Each option is checked here in the user's words before the
 * report is validated with the contract's own schema and sent.
 */
import { didYouMean } from '@vroegsignaal/command';
import {
  BUSES,
  CASE_RESULTS,
  CONTACT_CHANNELS,
  detailsOfResult,
  MEMBER_ID_PATTERN,
  NOT_TAKEN_REASONS,
  parseTeamReport,
  PARTS_OF_DAY,
  TEAM_ID_PATTERN,
  TEAM_SOURCE_PREFIX,
  type CaseDetail,
  type CaseResult,
  type TeamDetailType,
} from '@vroegsignaal/events';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { forwardRefusal, partOfDayAt } from '@vroegsignaal/domain';
import { CliError, EXIT, UsageError } from '../errors.ts';
import { sendEntries, type PutEventsClient, type SendOptions } from '../put-events.ts';
import { deriveStatus, type InboxEntry, type InboxReport } from './inbox.ts';
import { DETAIL_WORDS } from './words.ts';

/** What a report carries besides its alert and time: codes only, as the inbox keeps them. */
export type ReportCodes = Omit<InboxReport, 'type' | 'at' | 'eventId'>;

export interface TeamReportRequest extends ReportCodes {
  team: string;
  type: TeamDetailType;
  alertId: string;
  atMs: number;
}

/** `value` if it is one of `codes`; otherwise a usage error listing them, with the nearest one offered. */
export function requireCode<Code extends string>(value: string | undefined, codes: readonly Code[], usage: string): Code {
  if (value !== undefined && (codes as readonly string[]).includes(value)) return value as Code;
  const nearest = value === undefined ? undefined : didYouMean(value, codes);
  const given = value === undefined ? '' : `, not "${value}"${nearest ? `; did you mean ${nearest}?` : ''}`;
  throw new UsageError(`${usage}, one of ${codes.join(', ')}${given}`);
}

/** A close's --result, checked: one of CASE_RESULTS. */
export function requireCaseResult(value: string | undefined): CaseResult {
  return requireCode(value, CASE_RESULTS, 'close needs --result');
}

/** A close's --detail, checked against its result (a detail of another result is rejected by the pipeline). */
export function requireCaseDetail(result: CaseResult, value: string | undefined): CaseDetail | undefined {
  if (value === undefined) return undefined;
  const fitting = detailsOfResult(result);
  if ((fitting as readonly string[]).includes(value)) return value as CaseDetail;
  const list = fitting.map((d) => `${d} (${DETAIL_WORDS[d]})`).join(', ');
  throw new UsageError(`--detail "${value}" does not fit --result ${result}; for ${result} give one of: ${list}`);
}

/** --by: a team member's pseudonymous id; a name or an e-mail address must not reach the pipeline. */
export function requireMemberId(value: string | undefined): string | undefined {
  if (value === undefined || MEMBER_ID_PATTERN.test(value)) return value;
  const looksLike = value.includes('@') ? 'an e-mail address' : /\s/.test(value) ? 'a name' : 'not an id';
  throw new UsageError(`--by must be a pseudonymous member id (1 to 64 letters, digits, ".", "_" or "-", e.g. sh-207), never a name or e-mail address; this looks like ${looksLike}`);
}

export function requireChannel(value: string | undefined) {
  return requireCode(value, CONTACT_CHANNELS, 'attempt needs --channel');
}

export function optionalPartOfDay(value: string | undefined) {
  return value === undefined ? undefined : requireCode(value, PARTS_OF_DAY, '--part-of-day must be');
}

/**
 * A sent report's codes as the alert's timeline keeps them: an attempt sent without a part of
 * day gets the one the pipeline fills in from its `at` (the domain's own rule), so the inbox and
 * the answer show what the timeline holds. `partOfDayFilled` says it was not given.
 */
export function codesAsKept(request: TeamReportRequest, at: string): { codes: ReportCodes; partOfDayFilled: boolean } {
  const { team: _team, type, alertId: _alertId, atMs: _atMs, ...codes } = request;
  if (type !== 'ContactAttemptLogged' || codes.partOfDay !== undefined) return { codes, partOfDayFilled: false };
  return { codes: { ...codes, partOfDay: partOfDayAt(Date.parse(at)) }, partOfDayFilled: true };
}

export function requireReached(reached: boolean | undefined, notReached: boolean | undefined): boolean {
  if (reached === notReached) throw new UsageError('attempt needs either --reached or --not-reached: was the household reached?');
  return reached === true;
}

export function requireNotTakenReason(value: string | undefined) {
  return requireCode(value, NOT_TAKEN_REASONS, 'not-taken needs --reason');
}

/**
 * Why the pipeline would reject forwarding an alert of `municipalityCode` from `fromTeam` to
 * `toTeam` (contract v1.1: another team of the same municipality in the policy, or the policy's
 * catch-all team, `unrouted`), in words; undefined when it may be sent. The municipality is the
 * household's (the alert's), so the catch-all team can forward to the right team too.
 */
export function forwardProblem(policy: CompiledPolicy, municipalityCode: string, fromTeam: string, toTeam: string): string | undefined {
  const unrouted = policy.settings.unroutedTeam.id;
  const teamsHere = policy.teams().filter((t) => t.municipalityCode === municipalityCode && t.id !== fromTeam).map((t) => t.id);
  const choices = `forward to ${[...teamsHere, unrouted].join(', ')}`;
  switch (forwardRefusal(policy, fromTeam, toTeam, municipalityCode)) {
    case 'own-team':
      return `the alert is already team ${fromTeam}'s`;
    case 'unknown-team': {
      const nearest = didYouMean(toTeam, [...teamsHere, unrouted]);
      return `team "${toTeam}" is not in the policy${nearest ? `; did you mean ${nearest}?` : ''} (${choices})`;
    }
    case 'other-municipality':
      return `team ${toTeam} works for municipality ${policy.team(toTeam)?.municipalityCode}, and this alert is about a household in ${municipalityCode}: an alert goes only to a team of its own municipality (${choices})`;
    case undefined:
      return undefined;
  }
}

export function reportEntry(request: TeamReportRequest) {
  const { team, type, alertId, atMs, ...codes } = request;
  if (!TEAM_ID_PATTERN.test(team)) throw new UsageError('--team must be a team id like "utrecht-schuldhulp"');
  if (type === 'CaseClosed') requireCaseResult(codes.result);
  const detail = { schemaVersion: 1, alertId, at: formatAmsterdamIso(new Date(atMs)), ...codes };
  const parsed = parseTeamReport(type, detail);
  if (!parsed.ok) throw new UsageError(`the report would not be valid: ${parsed.reason}`);
  return { Source: `${TEAM_SOURCE_PREFIX}${team}`, DetailType: type, Detail: JSON.stringify(detail), at: detail.at };
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

/** Keeps the report the bus took in the inbox entry, and derives the entry's status again. */
export function markReported(entry: InboxEntry, report: InboxReport): void {
  entry.reports.push(report);
  entry.status = deriveStatus(entry);
}
