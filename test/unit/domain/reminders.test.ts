/**
 * Reminders before a verdict lapses (municipalities.md, Utrecht: "a verdict stays executable 12
 * months: send the team a reminder 2 months before it lapses").
 */
import { describe, expect, it } from 'vitest';
import { planNotifications, planReminders, viewHousehold, type AlertRecord, type StoredSignal } from '@vroegsignaal/domain';
import { alertRecord, defaultPolicy, household, NOW, proceeding } from './fixtures.ts';

const policy = defaultPolicy();
const TEAM = 'utrecht-voorkom-huisuitzetting';
// NOW is 2026-06-15: a verdict of 2025-08-01 lapses on 2026-08-01 and is due for a reminder on 2026-06-01.
const dueVerdict = () => proceeding('verdict', '2025-08-01');
const freshVerdict = () => proceeding('verdict', '2026-06-01');

function plan(signals: StoredSignal[], alerts: AlertRecord[]) {
  const state = household(signals, { alerts });
  return planReminders(state, viewHousehold(state, policy.settings, NOW), policy, NOW);
}

describe('planReminders', () => {
  it('reminds the team of its case once the reminder date has passed and the verdict has not lapsed', () => {
    const record = alertRecord({ team: TEAM, level: 'eviction-threat', pickedUpAtMs: NOW - 1 });
    const { due, checks } = plan([dueVerdict()], [record]);
    expect(due).toMatchObject([{ record: { alertId: record.alertId }, verdict: { verdictDate: '2025-08-01', lapsesAtMs: Date.parse('2026-08-01T00:00:00+02:00') } }]);
    expect(checks).toEqual([]);
  });

  it('schedules a check for the reminder date when it is still ahead', () => {
    const record = alertRecord({ team: TEAM, level: 'eviction-threat' });
    const { due, checks } = plan([freshVerdict()], [record]);
    expect(due).toEqual([]);
    expect(checks).toEqual([{ alertId: record.alertId, verdictKey: 'mitros|2026-06-01', atMs: Date.parse('2027-04-01T00:00:00+02:00') }]);
  });

  it('asks for nothing again once reminded or scheduled for that verdict', () => {
    expect(plan([dueVerdict()], [alertRecord({ team: TEAM, level: 'eviction-threat', remindedFor: 'mitros|2025-08-01' })]).due).toEqual([]);
    expect(plan([freshVerdict()], [alertRecord({ team: TEAM, level: 'eviction-threat', reminderScheduledFor: 'mitros|2026-06-01' })]).checks).toEqual([]);
  });

  it('reminds no team that closed its case, no team without the setting, and nobody once the proceeding ended', () => {
    expect(plan([dueVerdict()], [alertRecord({ team: TEAM, level: 'eviction-threat', closedAtMs: NOW - 1 })]).due).toEqual([]);
    expect(plan([dueVerdict()], [alertRecord({ team: 'utrecht-schuldhulp', level: 'signal' })]).due).toEqual([]);
    const withdrawn = proceeding('withdrawn', '2026-06-10');
    expect(plan([dueVerdict(), { ...withdrawn, signalId: 'w' }], [alertRecord({ team: TEAM, level: 'eviction-threat' })]).due).toEqual([]);
  });
});

describe('planNotifications with a verdict', () => {
  it('plans the reminder as a notification on the alert it belongs to', () => {
    // The team has the case open and has heard of every signal: the reminder is all it gets.
    const record = alertRecord({ team: TEAM, level: 'eviction-threat', pickedUpAtMs: NOW - 1, notifiedSignalVersion: 1 });
    const state = household([dueVerdict()], { alerts: [record] });
    const { notifications } = planNotifications(state, policy, NOW);
    expect(notifications).toMatchObject([{ kind: 'reminder', team: TEAM, alertId: record.alertId, level: 'eviction-threat' }]);
  });
});
