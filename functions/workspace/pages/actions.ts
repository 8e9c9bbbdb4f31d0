/**
 * A member's action on an alert is a team report (contract v1.1) like any other: built as the
 * bus entry a team's system would send (source `team.<team>`, `by` the member, `at` now), judged
 * by the same use case as the team-report stage, and its outcomes published on the pipeline
 * bus, so the partners hear of it exactly as they would of a report on the bus. The form's
 * action id, made when the page was rendered, is the entry's id: a second submit of the same
 * form is the same report, answered with its first outcome.
 */
import { amsterdamDate, amsterdamWallTimeMs, formatAmsterdamIso, isCalendarDate } from '@vroegsignaal/calendar';
import { CASE_RESULT_DETAILS, type CaseResult, type PartOfDay, type TeamDetailType } from '@vroegsignaal/events';
import { handleTeamReport, partOfDayAt, type AlertIndexRecord, type PipelineEvent, type TeamReportRejection } from '@vroegsignaal/domain';
import { logger, reportTeamReport } from '../../lib/observability.ts';
import type { WorkspaceDeps } from '../deps.ts';
import type { DoneCode } from '../i18n.ts';
import type { ToldCode } from './alert.ts';
import type { View } from './layout.ts';

/** The actions' paths under /meldingen/:alertId/, and the report each makes. */
export const ACTIONS = {
  oppakken: 'AlertPickedUp',
  contactpoging: 'ContactAttemptLogged',
  'niet-oppakken': 'AlertNotTaken',
  doorsturen: 'AlertForwarded',
  afsluiten: 'CaseClosed',
} as const satisfies Record<string, TeamDetailType>;
export type ActionPath = keyof typeof ACTIONS;

export function isActionPath(value: string): value is ActionPath {
  return Object.hasOwn(ACTIONS, value);
}

/** What the page then says: done (and what partners were told), or why not, as a rejection code. */
export type ActionResult =
  | { ok: true; done: DoneCode; told: ToldCode }
  | { ok: false; rejection: TeamReportRejection | 'date' | 'action-id' };

type Form = Record<string, string | File | (string | File)[]>;

const ACTION_ID = /^[A-Za-z0-9-]{8,64}$/;
/** The moment an attempt on another part of a day is dated at: the middle of that part, as a member would say it. */
const PART_OF_DAY_TIME: Record<PartOfDay, string> = { morning: '09:00', afternoon: '14:00', evening: '19:00' };

function field(form: Form, name: string): string | undefined {
  const value = form[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * When a contact attempt happened: now, when the member names today and the part of the day it
 * is; else that part of the named day. A day or part still to come is left for the use case to
 * refuse as in the future, as it would a team system's report.
 */
function attemptAt(form: Form, nowMs: number): { atMs: number; partOfDay: string | undefined } | undefined {
  const date = field(form, 'datum');
  const partOfDay = field(form, 'dagdeel');
  if (!date || !isCalendarDate(date)) return undefined;
  const part = partOfDay as PartOfDay | undefined;
  if (date === amsterdamDate(new Date(nowMs)) && part === partOfDayAt(nowMs)) return { atMs: nowMs, partOfDay };
  const time = part && Object.hasOwn(PART_OF_DAY_TIME, part) ? PART_OF_DAY_TIME[part] : undefined;
  return { atMs: time ? amsterdamWallTimeMs(date, time) : nowMs, partOfDay };
}

/** The report's fields from the form; values are passed on as given, for the contract's schema to judge. */
function reportDetail(action: ActionPath, form: Form, nowMs: number): { atMs: number; fields: Record<string, unknown> } | 'date' {
  switch (action) {
    case 'oppakken':
      return { atMs: nowMs, fields: {} };
    case 'contactpoging': {
      const at = attemptAt(form, nowMs);
      if (!at) return 'date';
      const reached = field(form, 'bereikt');
      return { atMs: at.atMs, fields: { channel: field(form, 'soort'), reached: reached === 'ja' ? true : reached === 'nee' ? false : reached, partOfDay: at.partOfDay } };
    }
    case 'niet-oppakken':
      return { atMs: nowMs, fields: { reason: field(form, 'reden') } };
    case 'doorsturen':
      return { atMs: nowMs, fields: { toTeam: field(form, 'team'), reason: field(form, 'reden') } };
    case 'afsluiten': {
      const detail = field(form, 'resultaat');
      const result = (Object.keys(CASE_RESULT_DETAILS) as CaseResult[]).find((r) => (CASE_RESULT_DETAILS[r] as readonly string[]).includes(detail ?? ''));
      return { atMs: nowMs, fields: { result, detail } };
    }
  }
}

function doneCode(action: ActionPath, fields: Record<string, unknown>): DoneCode {
  switch (action) {
    case 'oppakken':
      return 'picked-up';
    case 'contactpoging':
      return fields.reached === true ? 'reached' : 'attempt';
    case 'niet-oppakken':
      return 'not-taken';
    case 'doorsturen':
      return 'forwarded';
    case 'afsluiten':
      return 'closed';
  }
}

/** What the partners were told, read from the outcomes the use case gave to publish. */
function toldOf(events: PipelineEvent[]): ToldCode {
  const told = events.flatMap((e) => (e.type === 'SignalOutcome' ? [e.detail.outcome] : []));
  // A report that ends the alert tells its end; one pick-up that also closes (v1) tells both, the end last.
  const last = told.at(-1);
  return last === 'picked-up' || last === 'not-taken' || last === 'closed' ? last : 'nothing';
}

export async function performAction(deps: WorkspaceDeps, view: View, index: AlertIndexRecord, action: ActionPath, form: Form): Promise<ActionResult> {
  const actionId = field(form, 'actie-id');
  if (!actionId || !ACTION_ID.test(actionId)) return { ok: false, rejection: 'action-id' };
  const built = reportDetail(action, form, view.nowMs);
  if (built === 'date') return { ok: false, rejection: 'date' };
  const defined = Object.fromEntries(Object.entries(built.fields).filter(([, v]) => v !== undefined));
  const detail = { schemaVersion: 1, alertId: index.alertId, at: formatAmsterdamIso(new Date(built.atMs)), by: view.member.id, ...defined };
  const entry = { id: actionId, source: `team.${index.team}`, 'detail-type': ACTIONS[action], detail };
  const result = await handleTeamReport(entry, { policy: view.policy, households: deps.households, alerts: deps.alerts, nowMs: view.nowMs });
  reportTeamReport(logger, entry, result);
  await deps.publisher.publish(result.events);
  if (result.outcome !== 'accepted') return { ok: false, rejection: result.rejection ?? 'contract' };
  return { ok: true, done: doneCode(action, defined), told: toldOf(result.events) };
}
