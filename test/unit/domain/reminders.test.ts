/**
 * Reminders (contract v1.1 section 3): before a verdict lapses (municipalities.md, Utrecht: "a
 * verdict stays executable 12 months: send the team a reminder 2 months before it lapses"); an
 * alert overdue at its respondBy; and, in Maastricht, an alert still raised at 3 times its term
 * escalated to the process managers.
 */
import { describe, expect, it } from 'vitest';
import { planNotifications, planReminders, viewHousehold, type AlertRecord, type StoredSignal } from '@vroegsignaal/domain';
import { alertRecord, defaultPolicy, household, NOW, proceeding } from './fixtures.ts';

const policy = defaultPolicy();
const TEAM = 'utrecht-voorkom-huisuitzetting';
// NOW is 2026-06-15: a verdict of 2025-08-01 lapses on 2026-08-01 and is due for a reminder on 2026-06-01.
const dueVerdict = () => proceeding('verdict', '2025-08-01');
const freshVerdict = () => proceeding('verdict', '2026-06-01');

function plan(signals: StoredSignal[], alerts: AlertRecord[], nowMs = NOW) {
  const state = household(signals, { alerts });
  return planReminders(state, viewHousehold(state, policy.settings, nowMs), policy, nowMs);
}
/** The verdict reminders and their checks only (these alerts are also past or before their respondBy). */
function planVerdict(signals: StoredSignal[], alerts: AlertRecord[]) {
  const { due, checks } = plan(signals, alerts);
  return { due: due.filter((d) => d.reminder.reason === 'verdict-lapses'), checks: checks.filter((c) => c.reason === 'verdict-lapses') };
}

describe('planReminders: verdicts', () => {
  it('reminds the team of its case once the reminder date has passed and the verdict has not lapsed', () => {
    const record = alertRecord({ team: TEAM, level: 'eviction-threat', pickedUpAtMs: NOW - 1 });
    const { due, checks } = planVerdict([dueVerdict()], [record]);
    expect(due).toMatchObject([{ record: { alertId: record.alertId }, team: TEAM, reminder: { reason: 'verdict-lapses', verdict: { verdictDate: '2025-08-01', lapsesAtMs: Date.parse('2026-08-01T00:00:00+02:00') } } }]);
    expect(checks).toEqual([]);
  });

  it('schedules a check for the reminder date when it is still ahead', () => {
    const record = alertRecord({ team: TEAM, level: 'eviction-threat' });
    const { due, checks } = planVerdict([freshVerdict()], [record]);
    expect(due).toEqual([]);
    expect(checks).toEqual([{ alertId: record.alertId, reason: 'verdict-lapses', verdictKey: 'mitros|2026-06-01', atMs: Date.parse('2027-04-01T00:00:00+02:00') }]);
  });

  it('asks for nothing again once reminded or scheduled for that verdict', () => {
    expect(planVerdict([dueVerdict()], [alertRecord({ team: TEAM, level: 'eviction-threat', remindedFor: 'mitros|2025-08-01' })]).due).toEqual([]);
    expect(planVerdict([freshVerdict()], [alertRecord({ team: TEAM, level: 'eviction-threat', reminderScheduledFor: 'mitros|2026-06-01' })]).checks).toEqual([]);
  });

  it('reminds no team that closed its case, no team without the setting, and nobody once the proceeding ended', () => {
    expect(planVerdict([dueVerdict()], [alertRecord({ team: TEAM, level: 'eviction-threat', closedAtMs: NOW - 1 })]).due).toEqual([]);
    expect(planVerdict([dueVerdict()], [alertRecord({ team: 'utrecht-schuldhulp', level: 'signal' })]).due).toEqual([]);
    const withdrawn = proceeding('withdrawn', '2026-06-10');
    expect(planVerdict([dueVerdict(), { ...withdrawn, signalId: 'w' }], [alertRecord({ team: TEAM, level: 'eviction-threat' })]).due).toEqual([]);
  });
});

describe('planNotifications with a verdict', () => {
  it('plans the reminder as a notification on the alert it belongs to', () => {
    // The team has the case open and has heard of every signal: the reminder is all it gets.
    const record = alertRecord({ team: TEAM, level: 'eviction-threat', pickedUpAtMs: NOW - 1, notifiedSignalVersion: 1 });
    const state = household([dueVerdict()], { alerts: [record] });
    const { notifications } = planNotifications(state, policy, NOW);
    expect(notifications).toMatchObject([{ kind: 'reminder', team: TEAM, alertId: record.alertId, level: 'eviction-threat', reminder: { reason: 'verdict-lapses' } }]);
  });
});

// Maastricht's vangnet OGGZ gets an urgent alert on Thursday 11 June 2026 at 10:00: 3 working
// days give respondBy Tuesday 16 June; 3 times that, 9 working days across two weekends, give
// the escalation moment Wednesday 24 June at 10:00.
const VANGNET = 'maastricht-vangnet-oggz';
const COORDINATOR = 'maastricht-procesmanagement';
const RAISED = Date.parse('2026-06-11T10:00:00+02:00');
const RESPOND_BY = Date.parse('2026-06-16T10:00:00+02:00');
const ESCALATE_AT = Date.parse('2026-06-24T10:00:00+02:00');
const SECOND = 1000;

const raised = (overrides: Partial<AlertRecord> = {}) => alertRecord({ team: VANGNET, level: 'urgent', raisedAtMs: RAISED, respondByMs: RESPOND_BY, ...overrides });

describe('planReminders: overdue and escalated', () => {
  it('schedules a check at respondBy and one at the escalation moment while neither has come', () => {
    const record = raised();
    expect(plan([], [record], RESPOND_BY - SECOND)).toEqual({
      due: [],
      checks: [
        { alertId: record.alertId, reason: 'overdue', atMs: RESPOND_BY },
        { alertId: record.alertId, reason: 'overdue-escalated', atMs: ESCALATE_AT },
      ],
    });
  });

  it('reminds the team at respondBy while the alert is still raised, with respondBy as the deadline', () => {
    const record = raised({ escalationCheckAtMs: ESCALATE_AT });
    expect(plan([], [record], RESPOND_BY)).toEqual({ due: [{ record, team: VANGNET, reminder: { reason: 'overdue', respondByMs: RESPOND_BY } }], checks: [] });
  });

  it('escalates at 3 times a working-day term counted across the weekends, to the coordinating team, not a second before', () => {
    const record = raised({ overdueRemindedAtMs: RESPOND_BY, escalationCheckAtMs: ESCALATE_AT });
    expect(plan([], [record], ESCALATE_AT - SECOND)).toEqual({ due: [], checks: [] });
    expect(plan([], [record], ESCALATE_AT).due).toEqual([
      { record, team: COORDINATOR, reminder: { reason: 'overdue-escalated', alertTeam: VANGNET, respondByMs: RESPOND_BY, escalateAtMs: ESCALATE_AT, afterTermMultiple: 3, term: { workingDays: 3 } } },
    ]);
  });

  it('sends each once: nothing is due or scheduled again once reminded and escalated', () => {
    const record = raised({ overdueRemindedAtMs: RESPOND_BY, escalatedAtMs: ESCALATE_AT });
    expect(plan([], [record], ESCALATE_AT + 30 * 86_400_000)).toEqual({ due: [], checks: [] });
    expect(plan([], [raised({ overdueCheckAtMs: RESPOND_BY, escalationCheckAtMs: ESCALATE_AT })])).toEqual({ due: [], checks: [] });
  });

  it('owes nothing for an alert that left raised: picked up, reached, not taken or forwarded', () => {
    const later = ESCALATE_AT + 86_400_000;
    for (const left of [
      { pickedUpAtMs: RAISED + 3_600_000 },
      { pickedUpAtMs: RAISED + 3_600_000, reachedAtMs: RAISED + 7_200_000 },
      { closedAtMs: RAISED + 3_600_000, ending: 'not-taken' as const },
      { closedAtMs: RAISED + 3_600_000, ending: 'forwarded' as const },
    ]) {
      expect(plan([], [raised(left)], later), JSON.stringify(left)).toEqual({ due: [], checks: [] });
    }
  });

  it("escalates no alert of the coordinating team itself, and none of the catch-all's: they are only reminded", () => {
    const own = raised({ team: COORDINATOR });
    const unrouted = raised({ team: policy.settings.unroutedTeam.id });
    expect(plan([], [own, unrouted], ESCALATE_AT).due.map((d) => [d.team, d.reminder.reason])).toEqual([
      [COORDINATOR, 'overdue'],
      [policy.settings.unroutedTeam.id, 'overdue'],
    ]);
  });

  it('reminds the team in a municipality without overdueEscalation, and escalates nothing there', () => {
    const utrecht = raised({ team: 'utrecht-schuldhulp' });
    expect(plan([], [utrecht], ESCALATE_AT + 365 * 86_400_000).due.map((d) => [d.team, d.reminder.reason])).toEqual([['utrecht-schuldhulp', 'overdue']]);
  });

  it("gives a record written before respondBy was kept its respondBy from when it was raised and its team's term", () => {
    const { respondByMs: _, ...legacy } = raised();
    expect(plan([], [legacy], RESPOND_BY).due).toMatchObject([{ reminder: { reason: 'overdue', respondByMs: RESPOND_BY } }]);
  });

  it('asks for a check at the first whole second not before the deadline, when a schedule runs', () => {
    const record = raised({ respondByMs: RESPOND_BY + 400 });
    expect(plan([], [record], RESPOND_BY - SECOND).checks[0]).toMatchObject({ reason: 'overdue', atMs: RESPOND_BY + SECOND });
  });
});

describe('planNotifications with an overdue alert', () => {
  it('plans the overdue reminder for the alert team and the escalation for the coordinating team, on the alert', () => {
    const record = raised();
    const { notifications } = planNotifications(household([], { alerts: [record] }), policy, ESCALATE_AT);
    expect(notifications).toMatchObject([
      { kind: 'reminder', team: VANGNET, level: 'urgent', alertId: record.alertId, reminder: { reason: 'overdue' } },
      { kind: 'reminder', team: COORDINATOR, level: 'urgent', alertId: record.alertId, reminder: { reason: 'overdue-escalated', alertTeam: VANGNET } },
    ]);
  });
});
