/**
 * What the teams are told (signals-v1.md, section 2, "Alerting rules" and "Teams report back"):
 * planNotifications on hand-built households with their alert records.
 */
import { describe, expect, it } from 'vitest';
import { alertIdFor, normaliseAddress, planNotifications, type AlertRecord, type HouseholdState, type StoredSignal } from '@vroegsignaal/domain';
import { alertRecord, arrears, care, CODES, DAY, daysAgo, defaultPolicy, household, NOW, nuisance, proceeding, withdrawal } from './fixtures.ts';

const policy = defaultPolicy();
const AMERSFOORT = normaliseAddress({ postcode: '3811 AB', houseNumber: 4 });
const m = CODES.amersfoort;

/** Amersfoort profiles: signal -> schuldhulp, case -> woonoverlast/oggz, eviction-threat and urgent -> via. */
const debt = () => arrears({ monthsInArrears: 2, amountCents: 160_000 }, { municipalityCode: m, partnerId: 'omnia' });
const noise = () => nuisance('noise', 'medium', { municipalityCode: m });
const health = () => care(['mentalHealth'], { municipalityCode: m });
const summons = () => proceeding('summons', '2026-06-01', { municipalityCode: m, partnerId: 'omnia' });

function amersfoort(signals: StoredSignal[], alerts: AlertRecord[] = [], extra: Partial<HouseholdState> = {}): HouseholdState {
  return household(signals, { address: AMERSFOORT, alerts, ...extra });
}
const plan = (state: HouseholdState, nowMs = NOW) => planNotifications(state, policy, nowMs);
/** The alerts and updates planned: an earlier alert still raised past its respondBy also gets its overdue reminder (reminders.test.ts). */
const toldOf = (planned: ReturnType<typeof plan>) => planned.notifications.filter((n) => n.kind !== 'reminder');

describe('planNotifications: alerts', () => {
  it('raises one alert, at the current level only: the levels it skipped get none', () => {
    // Prepare: arrears (signal) and a summons (eviction-threat), never alerted before.
    const state = amersfoort([debt(), summons()]);

    // Act
    const { notifications, assessment } = plan(state);

    // Assess
    expect(assessment.level).toBe('eviction-threat');
    expect(notifications).toEqual([
      { kind: 'alert', team: 'amersfoort-via', level: 'eviction-threat', sequence: 0, alertId: alertIdFor(state, 'amersfoort-via', 'eviction-threat', 0) },
    ]);
  });

  it('raises nothing for a household without a level', () => {
    // Act
    const result = plan(amersfoort([noise()]));

    // Assess
    expect(result.assessment.level).toBeNull();
    expect(result.routing).toBeNull();
    expect(result.notifications).toEqual([]);
  });

  it('raises no second alert for the same team and level within the alert window, whoever sent the new signal', () => {
    // Prepare: alerted 5 months ago; a new partner's signal merged in since.
    const earlier = alertRecord({ team: 'amersfoort-oggz', level: 'case', raisedAtMs: Date.parse('2026-01-20T10:00:00+01:00') });
    const state = amersfoort([debt(), health(), care(['addiction'], { municipalityCode: m, partnerId: 'mondriaan' })], [earlier]);

    // Act / Assess
    expect(toldOf(plan(state))).toEqual([]);
  });

  it('raises a new alert, with the next sequence and a new id, once the 6-month window has passed', () => {
    // Prepare: now is 2026-06-15T10:00+02:00; the window of an alert raised 2025-12-15T10:00+01:00 ends now.
    const justInside = alertRecord({ team: 'amersfoort-oggz', level: 'case', raisedAtMs: Date.parse('2025-12-15T10:01:00+01:00') });
    const justOutside = alertRecord({ team: 'amersfoort-oggz', level: 'case', raisedAtMs: Date.parse('2025-12-15T10:00:00+01:00') });

    // Act
    const inside = plan(amersfoort([debt(), health()], [justInside]));
    const outsideState = amersfoort([debt(), health()], [justOutside]);
    const outside = plan(outsideState);

    // Assess
    expect(toldOf(inside)).toEqual([]);
    expect(toldOf(outside)).toEqual([
      { kind: 'alert', team: 'amersfoort-oggz', level: 'case', sequence: 1, alertId: alertIdFor(outsideState, 'amersfoort-oggz', 'case', 1) },
    ]);
    expect(toldOf(outside)[0]?.alertId).not.toBe(alertIdFor(outsideState, 'amersfoort-oggz', 'case', 0));
  });

  it('raises a new alert for a higher level, also at the same team', () => {
    // Prepare: VIA was alerted at eviction-threat; the eviction is now scheduled in 3 weeks.
    const earlier = alertRecord({ team: 'amersfoort-via', level: 'eviction-threat', raisedAtMs: daysAgo(14) });
    const scheduled = proceeding('scheduled', '2026-06-10', { municipalityCode: m, partnerId: 'omnia', scheduledFor: '2026-07-06' });

    // Act
    const planned = plan(amersfoort([debt(), summons(), scheduled], [earlier]));

    // Assess
    expect(toldOf(planned)).toMatchObject([{ kind: 'alert', team: 'amersfoort-via', level: 'urgent', sequence: 0 }]);
  });

  it('tells a new team at the same level when the profile now matches its rule', () => {
    // Prepare: a case without nuisance went to OGGZ; a nuisance report makes it Woonoverlast's.
    const earlier = alertRecord({ team: 'amersfoort-oggz', level: 'case', raisedAtMs: daysAgo(20) });

    // Act
    const { notifications } = plan(amersfoort([debt(), health(), noise()], [earlier]));

    // Assess
    expect(notifications).toMatchObject([{ kind: 'alert', team: 'amersfoort-woonoverlast', level: 'case', sequence: 0 }]);
  });

  it('does not alert again when a household drops a level and rises again within the window', () => {
    // Prepare: signal alert 60 days ago, case alert 30 days ago.
    const records = [
      alertRecord({ team: 'amersfoort-schuldhulp', level: 'signal', raisedAtMs: daysAgo(60) }),
      alertRecord({ team: 'amersfoort-oggz', level: 'case', raisedAtMs: daysAgo(30) }),
    ];
    const a = debt();
    const firstHealth = health();

    // Act: the health signal is withdrawn (back to signal), then a new one arrives (case again).
    const dropped = plan(amersfoort([a, firstHealth], records, { withdrawals: [withdrawal(firstHealth)] }));
    const risen = plan(amersfoort([a, firstHealth, care(['addiction'], { municipalityCode: m, at: daysAgo(1) })], records, { withdrawals: [withdrawal(firstHealth)] }));

    // Assess
    expect(dropped.assessment.level).toBe('signal');
    expect(toldOf(dropped)).toEqual([]);
    expect(risen.assessment.level).toBe('case');
    expect(toldOf(risen)).toEqual([]);
  });
});

describe('planNotifications: open cases', () => {
  it('sends the team with an open case an update, not an alert, when there are new signals', () => {
    // Prepare: OGGZ picked the case up when the household had signalVersion 2; a third signal came.
    const open = alertRecord({ team: 'amersfoort-oggz', level: 'case', raisedAtMs: daysAgo(200), pickedUpAtMs: daysAgo(190), notifiedSignalVersion: 2 });
    const state = amersfoort([debt(), health(), care(['addiction'], { municipalityCode: m })], [open]);

    // Act
    const { notifications } = plan(state);

    // Assess: even though the alert window of the old alert has passed.
    expect(state.signalVersion).toBe(3);
    expect(notifications).toEqual([{ kind: 'update', team: 'amersfoort-oggz', level: 'case', alertId: open.alertId }]);
  });

  it('sends no update when nothing changed since the team was last told', () => {
    // Prepare
    const open = alertRecord({ team: 'amersfoort-oggz', level: 'case', pickedUpAtMs: daysAgo(5), notifiedSignalVersion: 2 });

    // Act / Assess
    expect(plan(amersfoort([debt(), health()], [open])).notifications).toEqual([]);
  });

  it('sends an update instead of a higher-level alert to the same team with an open case', () => {
    // Prepare: VIA has the eviction-threat case open; a crisis mark makes the household urgent.
    const open = alertRecord({ team: 'amersfoort-via', level: 'eviction-threat', pickedUpAtMs: daysAgo(5), notifiedSignalVersion: 2 });
    const state = amersfoort([debt(), summons(), nuisance('threat', 'low', { municipalityCode: m, crisis: true })], [open]);

    // Act
    const { notifications, assessment } = plan(state);

    // Assess
    expect(assessment.level).toBe('urgent');
    expect(notifications).toEqual([{ kind: 'update', team: 'amersfoort-via', level: 'urgent', alertId: open.alertId }]);
  });

  it('alerts another team as usual while one team has the case open', () => {
    // Prepare: OGGZ has the case open; a nuisance report makes it Woonoverlast's.
    const open = alertRecord({ team: 'amersfoort-oggz', level: 'case', pickedUpAtMs: daysAgo(5), notifiedSignalVersion: 2 });

    // Act
    const { notifications } = plan(amersfoort([debt(), health(), noise()], [open]));

    // Assess
    expect(notifications).toMatchObject([
      { kind: 'update', team: 'amersfoort-oggz', alertId: open.alertId },
      { kind: 'alert', team: 'amersfoort-woonoverlast', level: 'case' },
    ]);
  });

  it('keeps the team and level quiet for 90 days after the case is closed, also past the alert window', () => {
    // Prepare: alerted 8 months ago (window over), closed 89 or 90 days ago, with new signals since.
    const closed = (daysSinceClose: number) =>
      alertRecord({
        team: 'amersfoort-oggz',
        level: 'case',
        raisedAtMs: Date.parse('2025-10-15T10:00:00+02:00'),
        pickedUpAtMs: Date.parse('2025-10-20T10:00:00+02:00'),
        closedAtMs: NOW - daysSinceClose * DAY,
        notifiedSignalVersion: 0,
      });
    const signals = [debt(), health()];

    // Act
    const quiet = plan(amersfoort(signals, [closed(89)]));
    const over = plan(amersfoort(signals, [closed(90)]));

    // Assess: a closed case gets no update either.
    expect(quiet.notifications).toEqual([]);
    expect(over.notifications).toMatchObject([{ kind: 'alert', team: 'amersfoort-oggz', level: 'case', sequence: 1 }]);
  });

  it('lets a closed case team hear of a different level at once', () => {
    // Prepare
    const closed = alertRecord({ team: 'amersfoort-via', level: 'eviction-threat', pickedUpAtMs: daysAgo(20), closedAtMs: daysAgo(2) });
    const crisis = nuisance('threat', 'low', { municipalityCode: m, crisis: true });

    // Act / Assess
    expect(plan(amersfoort([debt(), summons(), crisis], [closed])).notifications).toMatchObject([{ kind: 'alert', team: 'amersfoort-via', level: 'urgent' }]);
  });
});

describe('planNotifications: levels heard of through an update', () => {
  it('keeps a team quiet after closing for a level it was told of in an update of the open case', () => {
    // Prepare: Den Haag's sociaal casemanagement had the case open at `case`, heard of the
    // summons in an update (levelsUpdated), and closed the case two days ago.
    const denHaag = normaliseAddress({ postcode: '2525 BK', houseNumber: 14 });
    const code = CODES.denhaag;
    const closed = alertRecord({ team: 'denhaag-sociaal-casemanagement', level: 'case', pickedUpAtMs: daysAgo(30), closedAtMs: daysAgo(2), levelsUpdated: ['eviction-threat'] });
    const signals = [
      arrears({ monthsInArrears: 2, amountCents: 150_000 }, { municipalityCode: code, partnerId: 'staedion' }),
      proceeding('summons', '2026-06-01', { municipalityCode: code, partnerId: 'staedion' }),
      care(['mentalHealth'], { municipalityCode: code }),
    ];

    // Act
    const withUpdate = plan(household(signals, { address: denHaag, alerts: [closed] }));
    const withoutUpdate = plan(household(signals, { address: denHaag, alerts: [{ ...closed, levelsUpdated: undefined }] }));

    // Assess: quiet when it heard of the level; alerted when it never did.
    expect(withUpdate.notifications).toEqual([]);
    expect(withoutUpdate.notifications).toMatchObject([{ kind: 'alert', team: 'denhaag-sociaal-casemanagement', level: 'eviction-threat', sequence: 0 }]);
  });
});

describe('alertIdFor', () => {
  it('gives the same id for the same household life, team, level and sequence, and another for any change', () => {
    // Prepare
    const state = { ref: 'a'.repeat(64), createdAtMs: daysAgo(3) };

    // Act
    const id = alertIdFor(state, 'amersfoort-via', 'urgent', 0);

    // Assess
    expect(id).toMatch(/^al_[A-Za-z0-9_-]{22}$/);
    expect(alertIdFor({ ...state }, 'amersfoort-via', 'urgent', 0)).toBe(id);
    const variants = [
      alertIdFor(state, 'amersfoort-via', 'urgent', 1),
      alertIdFor(state, 'amersfoort-via', 'eviction-threat', 0),
      alertIdFor(state, 'amersfoort-oggz', 'urgent', 0),
      alertIdFor({ ...state, createdAtMs: state.createdAtMs + 1 }, 'amersfoort-via', 'urgent', 0),
      alertIdFor({ ...state, ref: 'b'.repeat(64) }, 'amersfoort-via', 'urgent', 0),
    ];
    expect(new Set([id, ...variants]).size).toBe(6);
  });

  it('is what planNotifications uses, so two racing plans of one state agree', () => {
    // Prepare
    const state = amersfoort([debt()]);

    // Act
    const first = plan(state).notifications;
    const second = plan(structuredClone(state), NOW + 1_000).notifications;

    // Assess
    expect(first).toEqual(second);
    expect(first[0]?.alertId).toBe(alertIdFor(state, 'amersfoort-schuldhulp', 'signal', 0));
  });
});
