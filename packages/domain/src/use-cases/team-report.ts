/**
 * Team report-back (contract v1.1, "After the alert"): a team picks up, tries to reach, does not
 * take, forwards or closes its own alerts. Each report goes on the alert's timeline, whose order
 * by `at` decides the alert's state (model/timeline.ts). Partners whose signals raised the alert
 * are told `picked-up`, `not-taken` or `closed`, never why nor by whom, and nothing of a forward.
 * A forward's new alert or update is owed by the household from then on: deliver sends it.
 */
import { MAX_FUTURE_SKEW_MS, parseTeamReport, teamIdFromSource, TEAM_SOURCE_PREFIX, type SignalOutcome, type TeamReportOutcome } from '@vroegsignaal/events';
import type { CompiledPolicy, TeamPolicy } from '@vroegsignaal/policy';
import { householdExpiresAtMs } from '../model/apply.ts';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { alertStatus, type AlertEnding, type AlertRecord, type HouseholdState, type TimelineEntry } from '../model/household.ts';
import { municipalityOfAddress } from '../model/routing.ts';
import { endingEntry, entryOfReport, forwardRefusal, holderOf, isSameReport, lifeOf, owedForward, recordedReport, recordOnTimeline, timelineOf } from '../model/timeline.ts';
import { viewHousehold } from '../model/view.ts';
import { ConcurrencyError, MAX_WRITE_ATTEMPTS, writeAttempts } from './contention.ts';
import { idOf, type BusEntry } from '../model/intake.ts';
import type { AlertIndex, AlertIndexRecord, HouseholdStore, PipelineEvent } from '../ports.ts';

export interface TeamReportDeps {
  policy: CompiledPolicy;
  households: HouseholdStore;
  alerts: AlertIndex;
  nowMs: number;
}

export type TeamReportRejection = 'source' | 'unknown-team' | 'contract' | 'unknown-alert' | 'other-team' | 'future' | 'before-alert' | 'after-end' | 'forward-target';

export interface TeamReportResult {
  events: PipelineEvent[];
  outcome: TeamReportOutcome['outcome'];
  rejection?: TeamReportRejection;
  /** The report moved an alert that was overdue out of `raised`: it no longer counts as overdue. */
  overdueCleared?: { team: string };
}

/** What partners are told of an alert's end; a forward tells them nothing (contract v1.1 section 4). */
const PARTNER_ENDINGS: Partial<Record<AlertEnding, { outcome: SignalOutcome['outcome']; reason: string }>> = {
  'not-taken': { outcome: 'not-taken', reason: 'the team did not take the case' },
  closed: { outcome: 'closed', reason: 'the team has closed the case' },
};
const PICKED_UP = { outcome: 'picked-up', reason: 'a team has taken the case' } as const;

const ENDED_AS: Record<AlertEnding, string> = { 'not-taken': 'was not taken', forwarded: 'was forwarded', closed: 'was closed' };

export async function handleTeamReport(entry: BusEntry & { id: string }, deps: TeamReportDeps): Promise<TeamReportResult> {
  const source = typeof entry.source === 'string' ? entry.source : '';
  const teamId = teamIdFromSource(source) ?? null;
  const alertId = idOf(entry.detail, 'alertId');
  const result = (outcome: TeamReportOutcome['outcome'], reason: string, rejection?: TeamReportRejection, later: PipelineEvent[] = []): TeamReportResult => ({
    events: [{ type: 'TeamReportOutcome', detail: { teamId, alertId, outcome, reason, eventId: entry.id } }, ...later],
    outcome,
    ...(rejection ? { rejection } : {}),
  });

  if (!teamId) return result('rejected', `source must be "${TEAM_SOURCE_PREFIX}<teamId>"`, 'source');
  const team = deps.policy.team(teamId);
  if (!team) return result('rejected', `team "${teamId}" is not in the policy`, 'unknown-team');
  const parsed = parseTeamReport(typeof entry['detail-type'] === 'string' ? entry['detail-type'] : '', entry.detail);
  if (!parsed.ok) return result('rejected', parsed.reason, 'contract');
  const { report } = parsed;
  const atMs = Date.parse(report.detail.at);
  if (atMs > deps.nowMs + MAX_FUTURE_SKEW_MS) return result('rejected', '"at" is more than 5 minutes in the future', 'future');
  const index = await deps.alerts.get(report.detail.alertId);
  if (!index) return result('rejected', `alert ${report.detail.alertId} is not known`, 'unknown-alert');
  // Told apart from an unknown alert only in the metric: the reporting team learns nothing of others' alerts.
  if (index.team !== teamId) return result('rejected', `alert ${report.detail.alertId} is not known`, 'other-team');
  // A case cannot be taken before its alert existed; the same clock skew as for the future is allowed.
  if (atMs < index.atMs - MAX_FUTURE_SKEW_MS) return result('rejected', '"at" is before the alert was raised', 'before-alert');
  const reported = entryOfReport(report, entry.id);

  for await (const _attempt of writeAttempts()) {
    const stored = await deps.households.get(index.householdRef);
    if (!stored) return result('rejected', `alert ${index.alertId} is no longer held`, 'unknown-alert');
    // The team holds the alert, so the household takes it back from the index if the writer
    // that sent it (ingest or route) gave up before recording it.
    const record = stored.alerts.find((a) => a.alertId === index.alertId) ?? recordFromIndex(index, stored.signalVersion);
    // A forward not delivered yet is deliver's to send: told again on every answer until it is.
    const deliveryDue = (changed: AlertRecord, version: number): PipelineEvent[] =>
      owedForward(changed) ? [{ type: 'DeliveryDue', detail: { schemaVersion: 1, householdRef: stored.ref, version, at: formatAmsterdamIso(new Date(deps.nowMs)) } }] : [];

    // A resend gets its first outcome again; the same bus event again also tells the partners
    // again (the outcomes stage keeps each once per event), in case its first run never got to.
    const earlier = recordedReport(record, reported);
    if (earlier) {
      const redelivered = earlier.eventId === entry.id;
      // The same bus event again: its first run may have died between the household write and the copy.
      if (redelivered) await deps.alerts.recordLife(index.alertId, lifeOf(record));
      const partners = redelivered ? [...partnerEvents(index, entry.id, toldFor(record, earlier)), ...assignment(index, record, earlier, entry.id)] : [];
      return result('accepted', acceptedReason(record, earlier), undefined, [...partners, ...deliveryDue(record, stored.version)]);
    }
    const ending = endingEntry(record);
    if (ending && reported.atMs > ending.atMs) {
      return result('rejected', `the alert ${ENDED_AS[ending.type]} at ${formatAmsterdamIso(new Date(ending.atMs))}, before this report's "at"; a report dated after an alert's end is not recorded`, 'after-end');
    }
    if (reported.type === 'forwarded') {
      const refusal = forwardRefusalReason(team, reported.toTeam!, stored, deps);
      if (refusal) return result('rejected', refusal, 'forward-target');
    }

    let changed = recordOnTimeline(record, reported);
    // Opening the case: the team has the household as it is now, so what came before is not an update.
    if (record.pickedUpAtMs === undefined && changed.pickedUpAtMs !== undefined) changed = { ...changed, notifiedSignalVersion: Math.max(record.notifiedSignalVersion, stored.signalVersion) };
    const next = { ...stored, alerts: [...stored.alerts.filter((a) => a.alertId !== index.alertId), changed] };
    if (await deps.households.put(next, stored.version, householdExpiresAtMs(next, deps.policy, deps.nowMs))) {
      // The household's write decided; the index keeps a copy without the address for 24 months.
      await deps.alerts.recordLife(index.alertId, lifeOf(changed));
      const cleared = record.overdueRemindedAtMs !== undefined && alertStatus(record) === 'raised' && alertStatus(changed) !== 'raised';
      return {
        ...result('accepted', acceptedReason(changed, reported), undefined, [
          ...partnerEvents(index, entry.id, toldOnArrival(record, changed, reported)),
          ...assignment(index, changed, reported, entry.id),
          ...deliveryDue(changed, stored.version + 1),
        ]),
        ...(cleared ? { overdueCleared: { team: index.team } } : {}),
      };
    }
  }
  throw new ConcurrencyError(MAX_WRITE_ATTEMPTS);
}

function recordFromIndex(index: AlertIndexRecord, signalVersion: number): AlertRecord {
  return {
    alertId: index.alertId,
    team: index.team,
    level: index.level,
    sequence: index.sequence,
    raisedAt: formatAmsterdamIso(new Date(index.atMs)),
    raisedAtMs: index.atMs,
    notifiedSignalVersion: signalVersion,
  };
}

/**
 * Why a forward cannot be taken, in the team's words. The catch-all team belongs to no
 * municipality: it may hand an alert on to a team of the municipality the household's address lies in.
 */
function forwardRefusalReason(from: TeamPolicy, toTeam: string, state: HouseholdState, deps: TeamReportDeps): string | undefined {
  const { policy } = deps;
  const municipality = from.municipalityCode ?? municipalityOfAddress(state.address, viewHousehold(state, policy.settings, deps.nowMs).municipalityCode, policy);
  switch (forwardRefusal(policy, from.id, toTeam, municipality)) {
    case 'own-team':
      return 'an alert cannot be forwarded to the team that holds it';
    case 'unknown-team':
      return `team "${toTeam}" is not in the policy`;
    case 'other-municipality':
      return `team "${toTeam}" works for another municipality: an alert is forwarded only to a team of its own municipality (or to unrouted), since another municipality has its own legal basis to obtain a household's data`;
    case undefined:
      return undefined;
  }
}

type Told = { outcome: SignalOutcome['outcome']; reason: string };

/** What the partners learn of this report's arrival: the first pick-up, and the alert's end when this report ended it (a forward excepted). */
function toldOnArrival(before: AlertRecord, after: AlertRecord, reported: TimelineEntry): Told[] {
  const told: Told[] = [];
  if (reported.type === 'picked-up' && before.pickedUpAtMs === undefined) told.push(PICKED_UP);
  const ending = endingEntry(after);
  const end = ending && ending.eventId === reported.eventId ? PARTNER_ENDINGS[ending.type] : undefined;
  if (end) told.push(end);
  return told;
}

/** What a recorded report tells the partners as the timeline stands now: for the same bus event delivered again. */
function toldFor(record: AlertRecord, recorded: TimelineEntry): Told[] {
  if (recorded.afterEnd) return [];
  if (recorded.type === 'picked-up') return timelineOf(record).find((e) => e.type === 'picked-up' && !e.afterEnd)?.eventId === recorded.eventId ? [PICKED_UP] : [];
  const end = endingEntry(record)?.eventId === recorded.eventId ? PARTNER_ENDINGS[recorded.type as AlertEnding] : undefined;
  return end ? [end] : [];
}

function partnerEvents(index: AlertIndexRecord, eventId: string, told: Told[]): PipelineEvent[] {
  return told.flatMap(({ outcome, reason }) => index.signals.map((s): PipelineEvent => ({ type: 'SignalOutcome', detail: { partnerId: s.partnerId, signalId: s.signalId, outcome, reason, eventId } })));
}

/**
 * The AlertAssigned a recorded pick-up calls for (notify mails the member): it named a member
 * who holds the alert now and did not hold it before this pick-up, as the timeline orders them.
 * The same bus event delivered again says it again, with the same event id, so that notify, which
 * sends once per event and member, still gets it if the first run died before it was published.
 */
function assignment(index: AlertIndexRecord, record: AlertRecord, recorded: TimelineEntry, eventId: string): PipelineEvent[] {
  const by = recorded.by;
  if (recorded.type !== 'picked-up' || by === undefined || holderOf(record) !== by) return [];
  const timeline = timelineOf(record);
  const at = timeline.findIndex((e) => isSameReport(e, recorded));
  if (at === -1 || timeline[at]!.afterEnd) return [];
  const heldBefore = timeline.slice(0, at).findLast((e) => e.type === 'picked-up' && !e.afterEnd && e.by !== undefined)?.by;
  if (heldBefore === by) return [];
  return [{ type: 'AlertAssigned', detail: { schemaVersion: 1, team: index.team, alertId: index.alertId, memberId: by, eventId, at: formatAmsterdamIso(new Date(recorded.atMs)) } }];
}

/** The team's answer to a report on the timeline, read from where the report stands there, so that a resend reads the same. */
function acceptedReason(record: AlertRecord, reported: TimelineEntry): string {
  const timeline = timelineOf(record);
  const at = timeline.findIndex((e) => isSameReport(e, reported));
  const recorded = timeline[at] ?? reported;
  if (recorded.afterEnd) return 'kept on the timeline and set aside: it is dated after the alert ended';
  switch (recorded.type) {
    case 'picked-up': {
      const before = timeline.slice(0, at).filter((e) => e.type === 'picked-up' && !e.afterEnd);
      if (before.length === 0) return 'case opened';
      const holder = before.findLast((e) => e.by !== undefined)?.by;
      return recorded.by !== undefined && recorded.by !== holder ? 'case re-assigned' : 'the case was already picked up; the report is kept on the timeline';
    }
    case 'attempt':
      return recorded.reached && record.reachedAtMs === recorded.atMs ? 'contact attempt recorded: the household is reached' : 'contact attempt recorded';
    case 'not-taken':
      return 'alert not taken: it ends without a case';
    case 'forwarded':
      return `alert forwarded to ${recorded.toTeam}: it ends here, and that team is alerted`;
    default:
      return 'case closed';
  }
}
