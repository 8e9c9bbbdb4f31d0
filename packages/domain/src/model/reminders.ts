/**
 * Reminders before a verdict lapses. A verdict stays executable for 12 months (handbook; the
 * policy's proceedingLiveMonths); a team whose policy sets verdictReminderMonthsBeforeLapse
 * (Utrecht's Voorkom Huisuitzetting: 2) is reminded that many months before, once per verdict,
 * on the case it was alerted with, unless it closed that case.
 *
 * Time passing is not a signal, so a reminder that is not due yet becomes a check to schedule:
 * at its due time the household is looked at again, and the reminder sent if still due.
 */
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { addCalendarMonthsMs } from '@vroegsignaal/calendar';
import type { AlertRecord, HouseholdState } from './household.ts';
import type { HouseholdView } from './view.ts';

export interface VerdictLapse {
  /** `<partnerId>|<verdict date>`: one reminder per verdict. */
  key: string;
  verdictDate: string;
  lapsesAtMs: number;
}

export interface ReminderDue {
  record: AlertRecord;
  verdict: VerdictLapse;
}

export interface ReminderCheck {
  alertId: string;
  verdictKey: string;
  atMs: number;
}

/** Verdicts of live proceedings that are still executable: current stage verdict or scheduled. */
export function verdictLapses(view: HouseholdView, policy: CompiledPolicy): VerdictLapse[] {
  return view.proceedings.flatMap((proceeding) => {
    if (!proceeding.live || !['verdict', 'scheduled'].includes(proceeding.current.proceeding.stage)) return [];
    const verdict = proceeding.updates.findLast((u) => u.proceeding?.stage === 'verdict');
    if (!verdict?.proceeding) return [];
    return [
      {
        key: `${proceeding.partnerId}|${verdict.proceeding.stageDate}`,
        verdictDate: verdict.proceeding.stageDate,
        lapsesAtMs: addCalendarMonthsMs(verdict.proceeding.stageDateMs, policy.settings.proceedingLiveMonths),
      },
    ];
  });
}

export function planReminders(state: HouseholdState, view: HouseholdView, policy: CompiledPolicy, nowMs: number): { due: ReminderDue[]; checks: ReminderCheck[] } {
  const due: ReminderDue[] = [];
  const checks: ReminderCheck[] = [];
  const lapses = verdictLapses(view, policy);
  if (lapses.length === 0) return { due, checks };
  for (const record of latestOpenRecordPerReminderTeam(state, policy)) {
    const monthsBefore = policy.team(record.team)!.verdictReminderMonthsBeforeLapse!;
    for (const verdict of lapses) {
      const dueAtMs = addCalendarMonthsMs(verdict.lapsesAtMs, -monthsBefore);
      if (nowMs >= verdict.lapsesAtMs || record.remindedFor === verdict.key) continue;
      if (nowMs >= dueAtMs) due.push({ record, verdict });
      else if (record.reminderScheduledFor !== verdict.key) checks.push({ alertId: record.alertId, verdictKey: verdict.key, atMs: dueAtMs });
    }
  }
  return { due, checks };
}

function latestOpenRecordPerReminderTeam(state: HouseholdState, policy: CompiledPolicy): AlertRecord[] {
  const latest = new Map<string, AlertRecord>();
  for (const record of state.alerts) {
    if (!policy.team(record.team)?.verdictReminderMonthsBeforeLapse) continue;
    const seen = latest.get(record.team);
    if (!seen || record.raisedAtMs > seen.raisedAtMs) latest.set(record.team, record);
  }
  return [...latest.values()].filter((record) => record.closedAtMs === undefined);
}
