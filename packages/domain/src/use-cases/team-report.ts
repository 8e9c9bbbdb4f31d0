/**
 * Team report-back: AlertPickedUp opens a case, CaseClosed ends it (contract section 2).
 * A team may only report on its own alerts; the partners whose signals raised the alert are
 * told `picked-up` or `closed`, and nothing of the team's notes.
 */
import { MAX_FUTURE_SKEW_MS, parseTeamReport, teamIdFromSource, TEAM_SOURCE_PREFIX, type SignalOutcome, type TeamReportOutcome } from '@vroegsignaal/events';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { householdExpiresAtMs } from '../model/apply.ts';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import type { AlertRecord } from '../model/household.ts';
import { ConcurrencyError, MAX_WRITE_ATTEMPTS, writeAttempts } from './contention.ts';
import { idOf, type BusEntry } from '../model/intake.ts';
import type { AlertIndex, AlertIndexRecord, HouseholdStore, PipelineEvent } from '../ports.ts';

export interface TeamReportDeps {
  policy: CompiledPolicy;
  households: HouseholdStore;
  alerts: AlertIndex;
  nowMs: number;
}

export type TeamReportRejection = 'source' | 'unknown-team' | 'contract' | 'unknown-alert' | 'other-team' | 'future' | 'before-alert';

export interface TeamReportResult {
  events: PipelineEvent[];
  outcome: TeamReportOutcome['outcome'];
  rejection?: TeamReportRejection;
}

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
  if (!deps.policy.team(teamId)) return result('rejected', `team "${teamId}" is not in the policy`, 'unknown-team');
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

  for await (const _attempt of writeAttempts()) {
    const stored = await deps.households.get(index.householdRef);
    if (!stored) return result('rejected', `alert ${index.alertId} is no longer held`, 'unknown-alert');
    // The team holds the alert, so the household takes it back from the index if the writer
    // that sent it (ingest or route) gave up before recording it.
    const record = stored.alerts.find((a) => a.alertId === index.alertId) ?? recordFromIndex(index, stored.signalVersion);
    const change = report.detailType === 'AlertPickedUp' ? pickUp(record, atMs, stored.signalVersion) : close(record, atMs, stored.signalVersion);
    if (!change) return result('duplicate', `alert ${index.alertId} was already ${report.detailType === 'AlertPickedUp' ? 'picked up' : 'closed'}`);
    const next = { ...stored, alerts: [...stored.alerts.filter((a) => a.alertId !== index.alertId), change] };
    if (await deps.households.put(next, stored.version, householdExpiresAtMs(next, deps.policy, deps.nowMs))) {
      const outcome: SignalOutcome['outcome'] = report.detailType === 'AlertPickedUp' ? 'picked-up' : 'closed';
      const partnerEvents: PipelineEvent[] = index.signals.map((s) => ({
        type: 'SignalOutcome',
        detail: { partnerId: s.partnerId, signalId: s.signalId, outcome, reason: outcome === 'picked-up' ? 'a team has taken the case' : 'the team has closed the case', eventId: entry.id },
      }));
      return result('accepted', outcome === 'picked-up' ? 'case opened' : 'case closed', undefined, partnerEvents);
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

function pickUp(record: AlertRecord, atMs: number, signalVersion: number): AlertRecord | undefined {
  if (record.pickedUpAtMs !== undefined) return undefined;
  return { ...record, pickedUpAtMs: atMs, notifiedSignalVersion: Math.max(record.notifiedSignalVersion, signalVersion) };
}

function close(record: AlertRecord, atMs: number, signalVersion: number): AlertRecord | undefined {
  if (record.closedAtMs !== undefined) return undefined;
  return { ...record, pickedUpAtMs: record.pickedUpAtMs ?? atMs, closedAtMs: atMs, notifiedSignalVersion: Math.max(record.notifiedSignalVersion, signalVersion) };
}
