/**
 * handleTeamReport under contract v1.1 ("After the alert"): the five reports on an alert's
 * timeline, what partners are told, a team's authority over its own alerts only, reports after
 * an alert's end, resends, and forwards (within the municipality, to unrouted, never elsewhere),
 * through deliverOwed to the receiving team.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy, type CompiledPolicy } from '@vroegsignaal/policy';
import type { SignalOutcome, TeamReportOutcome } from '@vroegsignaal/events';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { alertStatus, deliverOwed, handleTeamReport, holderOf, householdRef, ingestEntry, normaliseAddress, timelineOf, type BusEntry, type PipelineEvent, type TeamReportResult } from '@vroegsignaal/domain';
import { DAY, defaultPolicy, defaultPolicyData, detail, DETAIL_TYPE, HOUR, NOW, SECRET } from './fixtures.ts';
import { inMemoryPorts } from './in-memory-ports.ts';

type Entry = BusEntry & { id: string };
const HOME = { postcode: '3511 ab', houseNumber: 12 };
const REF = householdRef(normaliseAddress(HOME), SECRET);
/** Reports are judged three days after the alert. */
const JUDGED = NOW + 3 * DAY;
const at = (hours: number) => formatAmsterdamIso(new Date(NOW + hours * HOUR));

let counter = 0;
function partnerEntry(kind: keyof typeof DETAIL_TYPE, overrides: Record<string, unknown> = {}): Entry {
  return { id: `evt-p${++counter}`, source: 'partner.mitros', 'detail-type': DETAIL_TYPE[kind], detail: detail(kind, { address: HOME, ...overrides }) };
}
function teamEntry(team: string, detailType: string, body: Record<string, unknown>, id = `evt-t${++counter}`): Entry {
  return { id, source: `team.${team}`, 'detail-type': detailType, detail: { schemaVersion: 1, ...body } };
}

async function alerted(policy: CompiledPolicy = defaultPolicy()) {
  const ports = inMemoryPorts();
  const ingest = (entry: Entry, nowMs = NOW) => ingestEntry(entry, { policy, ...ports, householdSecret: SECRET, nowMs });
  const { sent: [alert] } = await ingest(partnerEntry('arrears', { signalId: 'mit-1', arrears: { amountCents: 180_000, monthsInArrears: 2 } }));
  if (!alert) throw new Error('no alert raised');
  return {
    ports,
    alertId: alert.alertId,
    team: alert.team,
    ingest,
    deliver: (nowMs = JUDGED) => deliverOwed(REF, { policy, ...ports, nowMs }),
    report: (entry: Entry, nowMs = JUDGED) => handleTeamReport(entry, { policy, households: ports.households, alerts: ports.alerts, nowMs }),
    record: (alertId = alert.alertId) => ports.households.peek(REF)?.alerts.find((a) => a.alertId === alertId),
  };
}

const answer = (result: TeamReportResult): TeamReportOutcome => {
  const [first] = result.events;
  if (first?.type !== 'TeamReportOutcome') throw new Error('no TeamReportOutcome first');
  return first.detail;
};
const told = (result: TeamReportResult): SignalOutcome[] => result.events.flatMap((e: PipelineEvent) => (e.type === 'SignalOutcome' ? [e.detail] : []));
const dueDeliveries = (result: TeamReportResult) => result.events.filter((e) => e.type === 'DeliveryDue');

describe('handleTeamReport: the five reports', () => {
  it('records each report on the timeline with codes, times and by; partners hear picked-up and closed only, without team, result or reason', async () => {
    // Prepare
    const { report, alertId, record } = await alerted();

    // Act
    const results = [
      await report(teamEntry('utrecht-schuldhulp', 'AlertPickedUp', { alertId, at: at(2), by: 'm-1' })),
      await report(teamEntry('utrecht-schuldhulp', 'ContactAttemptLogged', { alertId, at: at(3), channel: 'phone', reached: false, by: 'm-1' })),
      await report(teamEntry('utrecht-schuldhulp', 'ContactAttemptLogged', { alertId, at: at(8), channel: 'home-visit', reached: true, partOfDay: 'evening', by: 'm-1' })),
      await report(teamEntry('utrecht-schuldhulp', 'CaseClosed', { alertId, at: at(30), result: 'resolved', detail: 'paid-or-arrangement', by: 'm-1' })),
    ];

    // Assess
    expect(results.map((r) => [answer(r).outcome, answer(r).reason])).toEqual([
      ['accepted', 'case opened'],
      ['accepted', 'contact attempt recorded'],
      ['accepted', 'contact attempt recorded: the household is reached'],
      ['accepted', 'case closed'],
    ]);
    expect(results.map((r) => told(r).map((o) => o.outcome))).toEqual([['picked-up'], [], [], ['closed']]);
    const reasons = results.flatMap(told).map((o) => o.reason ?? '');
    expect(reasons.filter((reason) => /schuldhulp|resolved|paid|m-1/.test(reason))).toEqual([]);
    const stored = record()!;
    expect(timelineOf(stored).map(({ eventId: _eventId, ...e }) => e)).toEqual([
      { type: 'raised', atMs: NOW },
      { type: 'picked-up', atMs: NOW + 2 * HOUR, by: 'm-1' },
      { type: 'attempt', atMs: NOW + 3 * HOUR, by: 'm-1', channel: 'phone', partOfDay: 'afternoon', reached: false },
      { type: 'attempt', atMs: NOW + 8 * HOUR, by: 'm-1', channel: 'home-visit', partOfDay: 'evening', reached: true },
      { type: 'closed', atMs: NOW + 30 * HOUR, by: 'm-1', result: 'resolved', detail: 'paid-or-arrangement' },
    ]);
    expect(stored).toMatchObject({ pickedUpAtMs: NOW + 2 * HOUR, reachedAtMs: NOW + 8 * HOUR, closedAtMs: NOW + 30 * HOUR, ending: 'closed' });
  });

  it('ends an alert not taken without a case, and tells the partners not-taken, never the reason', async () => {
    // Prepare
    const { report, alertId, record } = await alerted();

    // Act
    const result = await report(teamEntry('utrecht-schuldhulp', 'AlertNotTaken', { alertId, at: at(4), reason: 'already-in-debt-help' }));

    // Assess
    expect(answer(result)).toMatchObject({ outcome: 'accepted', reason: 'alert not taken: it ends without a case' });
    expect(told(result)).toEqual([{ partnerId: 'mitros', signalId: 'mit-1', outcome: 'not-taken', reason: 'the team did not take the case', eventId: answer(result).eventId }]);
    expect(alertStatus(record()!)).toBe('not-taken');
    expect(record()?.pickedUpAtMs).toBeUndefined();
  });

  it('re-assigns the case on a later pick-up with another by, without telling the partners again', async () => {
    // Prepare
    const { report, alertId, record } = await alerted();
    await report(teamEntry('utrecht-schuldhulp', 'AlertPickedUp', { alertId, at: at(2), by: 'm-1' }));

    // Act
    const reassigned = await report(teamEntry('utrecht-schuldhulp', 'AlertPickedUp', { alertId, at: at(20), by: 'm-2' }));

    // Assess
    expect(answer(reassigned)).toMatchObject({ outcome: 'accepted', reason: 'case re-assigned' });
    expect(told(reassigned)).toEqual([]);
    expect(holderOf(record()!)).toBe('m-2');
    expect(record()?.pickedUpAtMs).toBe(NOW + 2 * HOUR);
  });

  it('counts an alert that was overdue and leaves raised, and not one that stays raised', async () => {
    // Prepare: the overdue reminder went out.
    const { report, alertId, ports } = await alerted();
    const stored = ports.households.peek(REF)!;
    ports.households.overwrite({ ...stored, alerts: stored.alerts.map((a) => ({ ...a, overdueRemindedAtMs: NOW + 2 * DAY })) }, NOW + 400 * DAY);

    // Act
    const missed = await report(teamEntry('utrecht-schuldhulp', 'ContactAttemptLogged', { alertId, at: at(49), channel: 'letter', reached: false }));
    const pickedUp = await report(teamEntry('utrecht-schuldhulp', 'AlertPickedUp', { alertId, at: at(50) }));
    const attemptAfter = await report(teamEntry('utrecht-schuldhulp', 'ContactAttemptLogged', { alertId, at: at(51), channel: 'phone', reached: true }));

    // Assess
    expect(missed.overdueCleared).toBeUndefined();
    expect(pickedUp.overdueCleared).toEqual({ team: 'utrecht-schuldhulp' });
    expect(attemptAfter.overdueCleared).toBeUndefined();
  });
});

describe('handleTeamReport: authority', () => {
  it.each([
    ['ContactAttemptLogged', { channel: 'phone', reached: true }],
    ['AlertForwarded', { toTeam: 'utrecht-buurtteam-binnenstad' }],
    ['AlertNotTaken', { reason: 'unjustified' }],
    ['CaseClosed', { result: 'declined' }],
  ])("does not let another team %s an alert: it is told the alert is not known, as for an unknown one", async (detailType, fields) => {
    // Prepare
    const { report, alertId, record } = await alerted();
    const before = record();

    // Act
    const other = await report(teamEntry('utrecht-voorkom-huisuitzetting', detailType, { alertId, at: at(2), ...fields }));
    const unknown = await report(teamEntry('utrecht-voorkom-huisuitzetting', detailType, { alertId: 'al_doesnotexist', at: at(2), ...fields }));

    // Assess
    expect(other).toMatchObject({ outcome: 'rejected', rejection: 'other-team' });
    expect(answer(other).reason?.replace(alertId, 'ID')).toBe(answer(unknown).reason?.replace('al_doesnotexist', 'ID'));
    expect(other.events).toHaveLength(1);
    expect(record()).toEqual(before);
  });
});

describe('handleTeamReport: after the end', () => {
  it('rejects a report dated after an end already known, with a reason an operator reads, and records nothing', async () => {
    // Prepare
    const { report, alertId, record } = await alerted();
    await report(teamEntry('utrecht-schuldhulp', 'AlertNotTaken', { alertId, at: at(4), reason: 'repeat' }));
    const before = record();

    // Act
    const late = await report(teamEntry('utrecht-schuldhulp', 'ContactAttemptLogged', { alertId, at: at(6), channel: 'phone', reached: true }));
    const secondEnd = await report(teamEntry('utrecht-schuldhulp', 'CaseClosed', { alertId, at: at(5), result: 'resolved' }));

    // Assess
    expect(late).toMatchObject({ outcome: 'rejected', rejection: 'after-end' });
    expect(answer(late).reason).toBe(`the alert was not taken at ${at(4)}, before this report's "at"; a report dated after an alert's end is not recorded`);
    expect(secondEnd.rejection).toBe('after-end');
    expect(record()).toEqual(before);
  });

  it('keeps a report that arrived first and is dated after an end that arrives later, set aside and without effect', async () => {
    // Prepare: the household is reached (reported first), then the close dated before it arrives.
    const { report, alertId, record } = await alerted();
    await report(teamEntry('utrecht-schuldhulp', 'ContactAttemptLogged', { alertId, at: at(9), channel: 'phone', reached: true }));

    // Act
    const closed = await report(teamEntry('utrecht-schuldhulp', 'CaseClosed', { alertId, at: at(5), result: 'no-contact', detail: 'never-reached' }));

    // Assess
    expect(answer(closed).outcome).toBe('accepted');
    expect(told(closed).map((o) => o.outcome)).toEqual(['closed']);
    expect(timelineOf(record()!).map((e) => [e.type, e.afterEnd ?? false])).toEqual([
      ['raised', false],
      ['closed', false],
      ['attempt', true],
    ]);
    expect(record()).toMatchObject({ ending: 'closed', closedAtMs: NOW + 5 * HOUR });
    expect(record()?.reachedAtMs).toBeUndefined();
  });

  it('ends the alert by an ending dated before the one known, whose report is then set aside', async () => {
    // Prepare
    const { report, alertId, record } = await alerted();
    await report(teamEntry('utrecht-schuldhulp', 'CaseClosed', { alertId, at: at(10), result: 'declined' }));

    // Act
    const notTaken = await report(teamEntry('utrecht-schuldhulp', 'AlertNotTaken', { alertId, at: at(3), reason: 'other-trajectory' }));

    // Assess
    expect(told(notTaken).map((o) => o.outcome)).toEqual(['not-taken']);
    expect(record()).toMatchObject({ ending: 'not-taken', closedAtMs: NOW + 3 * HOUR });
    expect(timelineOf(record()!).find((e) => e.type === 'closed')?.afterEnd).toBe(true);
  });
});

describe('handleTeamReport: resends', () => {
  it('answers the same bus event again with its first outcome, the partners told again under the same event, and changes nothing', async () => {
    // Prepare
    const { report, alertId, ports } = await alerted();
    const entry = teamEntry('utrecht-schuldhulp', 'AlertPickedUp', { alertId, at: at(2), by: 'm-1' });
    const first = await report(entry);
    const version = ports.households.peek(REF)!.version;

    // Act
    const again = await report(entry);

    // Assess
    expect(again.events).toEqual(first.events);
    expect(ports.households.peek(REF)!.version).toBe(version);
  });

  it('answers a report sent again as a new event with its first outcome, tells the partners nothing more and changes nothing', async () => {
    // Prepare
    const { report, alertId, ports } = await alerted();
    const body = { alertId, at: at(3), result: 'referred', detail: 'referred-financial' };
    const first = await report(teamEntry('utrecht-schuldhulp', 'CaseClosed', body));
    const version = ports.households.peek(REF)!.version;

    // Act
    const resent = await report(teamEntry('utrecht-schuldhulp', 'CaseClosed', body));

    // Assess
    expect(answer(resent)).toMatchObject({ outcome: answer(first).outcome, reason: answer(first).reason });
    expect(told(resent)).toEqual([]);
    expect(ports.households.peek(REF)!.version).toBe(version);
  });

  it('answers a pick-up a v1 record already holds as a resend, and records a v1.1 report beside what v1 kept', async () => {
    // Prepare: the alert was picked up under v1: a field, no timeline.
    const { report, alertId, ports, record } = await alerted();
    const stored = ports.households.peek(REF)!;
    const { timeline: _timeline, ...v1 } = stored.alerts[0]!;
    ports.households.overwrite({ ...stored, alerts: [{ ...v1, pickedUpAtMs: NOW + 2 * HOUR }] }, NOW + 400 * DAY);

    // Act
    const resent = await report(teamEntry('utrecht-schuldhulp', 'AlertPickedUp', { alertId, at: at(2) }));
    const attempt = await report(teamEntry('utrecht-schuldhulp', 'ContactAttemptLogged', { alertId, at: at(4), channel: 'letter', reached: true }));

    // Assess
    expect(answer(resent)).toMatchObject({ outcome: 'accepted', reason: 'case opened' });
    expect(told(resent)).toEqual([]);
    expect(answer(attempt).outcome).toBe('accepted');
    expect(timelineOf(record()!).map((e) => e.type)).toEqual(['raised', 'picked-up', 'attempt']);
    expect(record()).toMatchObject({ pickedUpAtMs: NOW + 2 * HOUR, reachedAtMs: NOW + 4 * HOUR });
  });

  it('answers a resent report that was set aside with its first outcome, not as after the end', async () => {
    // Prepare: an attempt, then a close dated before it.
    const { report, alertId } = await alerted();
    const attempt = { alertId, at: at(9), channel: 'sms', reached: false };
    await report(teamEntry('utrecht-schuldhulp', 'ContactAttemptLogged', attempt));
    await report(teamEntry('utrecht-schuldhulp', 'CaseClosed', { alertId, at: at(5), result: 'resolved' }));

    // Act
    const resent = await report(teamEntry('utrecht-schuldhulp', 'ContactAttemptLogged', attempt));

    // Assess
    expect(answer(resent)).toMatchObject({ outcome: 'accepted', reason: 'kept on the timeline and set aside: it is dated after the alert ended' });
  });
});

describe('handleTeamReport: forwarding', () => {
  it("ends the alert, tells the partners nothing, and has deliver alert the receiving team at the same level, counted against its capacity; the first team is not alerted again", async () => {
    // Prepare
    const { report, deliver, ingest, alertId, record, ports } = await alerted();

    // Act
    const forwarded = await report(teamEntry('utrecht-schuldhulp', 'AlertForwarded', { alertId, at: at(5), toTeam: 'utrecht-buurtteam-binnenstad', reason: 'other-trajectory', by: 'm-3' }));
    const sent = await deliver();
    const again = await deliver(JUDGED + HOUR);
    const { sent: afterNewSignal } = await ingest(partnerEntry('arrears', { signalId: 'mit-2', observedAt: '2026-06-18T09:00:00+02:00', arrears: { amountCents: 270_000, monthsInArrears: 3 } }), JUDGED + DAY);

    // Assess
    expect(answer(forwarded)).toMatchObject({ outcome: 'accepted', reason: 'alert forwarded to utrecht-buurtteam-binnenstad: it ends here, and that team is alerted' });
    expect(told(forwarded)).toEqual([]);
    expect(dueDeliveries(forwarded)).toEqual([{ type: 'DeliveryDue', detail: { schemaVersion: 1, householdRef: REF, version: expect.any(Number), at: formatAmsterdamIso(new Date(JUDGED)) } }]);
    expect(sent).toMatchObject([{ kind: 'alert', team: 'utrecht-buurtteam-binnenstad', level: 'signal' }]);
    const newId = sent[0]!.alertId;
    expect(newId).not.toBe(alertId);
    expect(ports.messenger.delivered.at(-1)?.message).toMatchObject({ kind: 'alert', alertId: newId, team: 'utrecht-buurtteam-binnenstad', level: 'signal', forwardedFrom: alertId });
    expect(record()).toMatchObject({ ending: 'forwarded', forwardDelivered: true });
    expect(record(newId)).toMatchObject({ team: 'utrecht-buurtteam-binnenstad', level: 'signal', forwardedFrom: alertId, timeline: [{ type: 'raised', atMs: JUDGED }] });
    expect(ports.capacity.years.size).toBe(0); // buurtteams have no capacity set: nothing counted
    expect(again).toEqual([]);
    expect(afterNewSignal).toEqual([]);
    expect(ports.messenger.delivered.map((d) => [d.message.kind, d.team])).toEqual([
      ['alert', 'utrecht-schuldhulp'],
      ['alert', 'utrecht-buurtteam-binnenstad'],
    ]);
  });

  it('counts a forwarded alert against the capacity of a receiving team that has one', async () => {
    // Prepare
    const { report, deliver, alertId, ports } = await alerted();

    // Act
    await report(teamEntry('utrecht-schuldhulp', 'AlertForwarded', { alertId, at: at(5), toTeam: 'utrecht-voorkom-huisuitzetting' }));
    const sent = await deliver();

    // Assess
    expect(sent).toMatchObject([{ kind: 'alert', team: 'utrecht-voorkom-huisuitzetting', capacityExceeded: false }]);
    expect([...ports.capacity.years.values()].map((y) => [y.team, y.households])).toEqual([['utrecht-voorkom-huisuitzetting', 1]]);
  });

  it('sends an update, not a new alert, to a receiving team that holds an open alert for the household', async () => {
    // Prepare: a summons raises Voorkom huisuitzetting's own alert.
    const { report, deliver, ingest, alertId, ports } = await alerted();
    const { sent: [held] } = await ingest(partnerEntry('proceeding', { signalId: 'mit-3' }), NOW + DAY);
    if (held?.team !== 'utrecht-voorkom-huisuitzetting') throw new Error('no alert to Voorkom huisuitzetting');

    // Act
    await report(teamEntry('utrecht-schuldhulp', 'AlertForwarded', { alertId, at: at(30), toTeam: 'utrecht-voorkom-huisuitzetting' }));
    const sent = await deliver();

    // Assess
    expect(sent).toMatchObject([{ kind: 'update', team: 'utrecht-voorkom-huisuitzetting', alertId: held.alertId }]);
    expect(ports.messenger.delivered.at(-1)?.message).toMatchObject({ kind: 'update', alertId: held.alertId, forwardedFrom: alertId });
    const stored = ports.households.peek(REF)!;
    expect(stored.alerts.filter((a) => a.team === 'utrecht-voorkom-huisuitzetting')).toHaveLength(1);
    expect(stored.alerts.find((a) => a.alertId === held.alertId)?.timeline?.map((e) => e.type)).toEqual(['raised', 'update']);
  });

  it('forwards to unrouted, the catch-all team', async () => {
    // Prepare
    const { report, deliver, alertId } = await alerted();

    // Act
    const result = await report(teamEntry('utrecht-schuldhulp', 'AlertForwarded', { alertId, at: at(5), toTeam: 'unrouted' }));
    const sent = await deliver();

    // Assess
    expect(result.outcome).toBe('accepted');
    expect(sent).toMatchObject([{ kind: 'alert', team: 'unrouted', level: 'signal' }]);
  });

  it.each([
    ['another municipality', 'amersfoort-via', /works for another municipality: .*its own legal basis/],
    ['itself', 'utrecht-schuldhulp', /cannot be forwarded to the team that holds it/],
    ['a team not in the policy', 'utrecht-nergens', /not in the policy/],
  ])('rejects a forward to %s with a reason, and the alert stays open', async (_case, toTeam, reason) => {
    // Prepare
    const { report, deliver, alertId, record } = await alerted();

    // Act
    const result = await report(teamEntry('utrecht-schuldhulp', 'AlertForwarded', { alertId, at: at(5), toTeam }));

    // Assess
    expect(result).toMatchObject({ outcome: 'rejected', rejection: 'forward-target' });
    expect(answer(result).reason).toMatch(reason);
    expect(alertStatus(record()!)).toBe('raised');
    expect(await deliver()).toEqual([]);
  });

  it("lets the catch-all team forward to a team of the municipality the household's address lies in, and no other", async () => {
    // Prepare: a Utrecht policy without a route for the signal level sends the arrears to unrouted.
    const data = defaultPolicyData();
    const policy = compilePolicy({
      ...data,
      municipalities: data.municipalities.map((m) => (m.code === 'GM0344' ? { ...m, routes: m.routes.filter((r) => !r.levels.includes('signal')) } : m)),
    });
    const { report, deliver, alertId, team } = await alerted(policy);

    // Act
    const elsewhere = await report(teamEntry('unrouted', 'AlertForwarded', { alertId, at: at(5), toTeam: 'amersfoort-via' }));
    const home = await report(teamEntry('unrouted', 'AlertForwarded', { alertId, at: at(6), toTeam: 'utrecht-schuldhulp' }));
    const sent = await deliver();

    // Assess
    expect(team).toBe('unrouted');
    expect(elsewhere.rejection).toBe('forward-target');
    expect(home.outcome).toBe('accepted');
    expect(sent).toMatchObject([{ kind: 'alert', team: 'utrecht-schuldhulp', level: 'signal' }]);
  });
});
