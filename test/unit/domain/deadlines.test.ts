/**
 * Deadlines watched (contract v1.1 section 3) through the use cases on in-memory ports: ingest
 * raises an alert and schedules its checks; deliver, when a check comes due, sends the overdue
 * reminder and the escalation once each, records them on the alert, and owes nothing once the
 * alert left raised. The escalation carries no household data.
 */
import { describe, expect, it } from 'vitest';
import { teamMessageSchema, type ReminderMessage } from '@vroegsignaal/events';
import { coordinatorView, deliverOwed, handleTeamReport, householdRef, ingestEntry, normaliseAddress, type BusEntry, type HouseholdState } from '@vroegsignaal/domain';
import { MemoryHouseholdStore, MemoryTeamInbox } from '@vroegsignaal/engine-memory';
import { CODES, DAY, defaultPolicy, detail, DETAIL_TYPE, NOW, NOW_ISO, SECRET } from './fixtures.ts';
import { inMemoryPorts } from './in-memory-ports.ts';

const policy = defaultPolicy();
const HOME = { postcode: '6211 ab', houseNumber: 3 };
const REF = householdRef(normaliseAddress(HOME), SECRET);
const CONTACT = { name: 'Mila Smeets', phone: '043-3215678', email: 'm.smeets@example.org' };
const SCHULDHULP = 'maastricht-schuldhulp';
const COORDINATOR = 'maastricht-procesmanagement';
// A signal has 4 weeks: respondBy 13 July; 3 times that, 12 weeks, escalates on 7 September.
const RESPOND_BY = Date.parse('2026-07-13T10:00:00+02:00');
const ESCALATE_AT = Date.parse('2026-09-07T10:00:00+02:00');

/** A store that loses the next `racesToLose` writes to another writer, as a contended household does. */
class RacedHouseholdStore extends MemoryHouseholdStore {
  racesToLose = 0;
  override async put(state: HouseholdState, expectedVersion: number, expiresAtMs: number): Promise<boolean> {
    if (this.racesToLose > 0) {
      this.racesToLose--;
      return false;
    }
    return super.put(state, expectedVersion, expiresAtMs);
  }
}

function pipeline() {
  const ports = { ...inMemoryPorts(), households: new RacedHouseholdStore() };
  return {
    ports,
    ingest: (entry: BusEntry & { id: string }) => ingestEntry(entry, { policy, ...ports, householdSecret: SECRET, nowMs: NOW }),
    deliver: (nowMs: number) => deliverOwed(REF, { policy, ...ports, nowMs }),
    report: (detailType: 'AlertPickedUp', body: Record<string, unknown>, nowMs: number) =>
      handleTeamReport({ id: `evt-report-${nowMs}`, source: `team.${SCHULDHULP}`, 'detail-type': detailType, detail: { schemaVersion: 1, ...body } }, { policy, households: ports.households, alerts: ports.alerts, nowMs }),
  };
}

/** Two months of arrears in Maastricht: a `signal` alert to the municipal debt help. */
async function alerted() {
  const p = pipeline();
  const ingested = await p.ingest({
    id: 'evt-arrears',
    source: 'partner.woonpunt',
    'detail-type': DETAIL_TYPE.arrears,
    detail: detail('arrears', { signalId: 'wp-1', municipalityCode: CODES.maastricht, address: HOME, arrears: { amountCents: 180_000, monthsInArrears: 2 }, contact: CONTACT }),
  });
  expect(ingested.sent).toMatchObject([{ kind: 'alert', team: SCHULDHULP }]);
  return { ...p, alertId: ingested.sent[0]!.alertId };
}

const reminders = (ports: ReturnType<typeof pipeline>['ports']) =>
  ports.messenger.delivered.filter((d) => d.message.kind === 'reminder') as { team: string; message: ReminderMessage; deduplicationId: string }[];

describe('deadlines watched', () => {
  it('keeps the respondBy the alert gave and schedules the checks for it and for the escalation, once', async () => {
    const { ports, alertId, deliver } = await alerted();

    const [alert] = ports.messenger.delivered;
    const record = ports.households.peek(REF)!.alerts[0]!;
    expect(Date.parse(alert!.message.respondBy)).toBe(RESPOND_BY);
    expect(record).toMatchObject({ alertId, respondByMs: RESPOND_BY, overdueCheckAtMs: RESPOND_BY, escalationCheckAtMs: ESCALATE_AT });
    expect(ports.scheduler.checks).toEqual([
      { householdRef: REF, atMs: RESPOND_BY },
      { householdRef: REF, atMs: ESCALATE_AT },
    ]);
    // A look before either comes due sends and schedules nothing more.
    expect(await deliver(NOW + DAY)).toEqual([]);
    expect(ports.scheduler.checks).toHaveLength(2);
  });

  it('reminds the team at respondBy, once, with reason overdue, recorded on the alert and its timeline', async () => {
    const { ports, alertId, deliver } = await alerted();

    const sent = await deliver(RESPOND_BY);
    const again = await deliver(RESPOND_BY + DAY);

    expect(sent).toEqual([{ kind: 'reminder', reason: 'overdue', team: SCHULDHULP, level: 'signal', alertId, capacityExceeded: false }]);
    expect(again).toEqual([]);
    const [reminder] = reminders(ports);
    expect(teamMessageSchema.parse(reminder!.message)).toMatchObject({
      kind: 'reminder',
      reason: 'overdue',
      householdRef: REF,
      team: SCHULDHULP,
      dueAt: '2026-07-13T10:00:00+02:00',
      respondBy: '2026-07-13T10:00:00+02:00',
      alertCreatedAt: NOW_ISO,
      reasons: [expect.objectContaining({ code: 'overdue' }), expect.objectContaining({ code: 'arrears-2m' })],
    });
    expect(reminder!.deduplicationId).toBe(`${alertId}-overdue`);
    const record = ports.households.peek(REF)!.alerts[0]!;
    expect(record).toMatchObject({ overdueRemindedAtMs: RESPOND_BY });
    expect(record.timeline).toContainEqual({ type: 'reminder', atMs: RESPOND_BY, reason: 'overdue' });
    expect(ports.audit.get(REF, `${alertId}-overdue`)).toMatchObject({ team: SCHULDHULP, kind: 'reminder', reasonCodes: expect.arrayContaining(['overdue']) });
  });

  it("shows the escalation in the team's inbox and the coordinator's view, and the pick-up that follows it", async () => {
    const { ports, alertId, deliver, report } = await alerted();
    const inbox = new MemoryTeamInbox(ports.alerts);

    await deliver(ESCALATE_AT);

    // Maastricht has no district map: the district is the postcode area.
    const [row] = await inbox.openAlerts(SCHULDHULP);
    expect(row).toEqual({ alertId, team: SCHULDHULP, level: 'signal', score: expect.any(Number), reasonCodes: expect.any(Array), partners: ['woonpunt'], district: '6211', raisedAtMs: NOW, respondByMs: RESPOND_BY, status: 'raised', escalatedAtMs: ESCALATE_AT });
    expect(coordinatorView([row!], ESCALATE_AT)).toEqual([
      { alertId, team: SCHULDHULP, level: 'signal', status: 'raised', raisedAtMs: NOW, respondByMs: RESPOND_BY, waitedMs: ESCALATE_AT - NOW, overdue: true, escalatedAtMs: ESCALATE_AT },
    ]);

    await report('AlertPickedUp', { alertId, at: '2026-09-07T11:00:00+02:00', by: 'm-3' }, ESCALATE_AT + DAY);

    expect(await inbox.openAlerts(SCHULDHULP)).toEqual([{ ...row, status: 'picked-up', holder: 'm-3' }]);
  });

  it('escalates to the coordinating team naming the alert, its team, level and wait, and nothing of the household', async () => {
    const { ports, alertId, deliver } = await alerted();

    const sent = await deliver(ESCALATE_AT);

    expect(sent.map((s) => [s.team, s.reason])).toEqual([
      [SCHULDHULP, 'overdue'],
      [COORDINATOR, 'overdue-escalated'],
    ]);
    expect(sent[1]).toMatchObject({ alertTeam: SCHULDHULP });
    const escalation = reminders(ports).find((r) => r.team === COORDINATOR)!;
    const message = teamMessageSchema.parse(escalation.message);
    expect(message).toEqual({
      kind: 'reminder',
      reason: 'overdue-escalated',
      alertId,
      municipalityCode: CODES.maastricht,
      team: COORDINATOR,
      alertTeam: SCHULDHULP,
      level: 'signal',
      reasons: [
        {
          code: 'overdue-escalated',
          text: `alert ${alertId} of team ${SCHULDHULP} at level signal has waited 84 days since it was raised on 2026-06-15: 3 times its term of 4 weeks, and is still not picked up, declined or forwarded`,
        },
      ],
      createdAt: '2026-09-07T10:00:00+02:00',
      respondBy: '2026-07-13T10:00:00+02:00',
      dueAt: '2026-09-07T10:00:00+02:00',
      alertCreatedAt: NOW_ISO,
    });
    const body = JSON.stringify(message);
    for (const value of [REF, '6211AB', CONTACT.name, CONTACT.phone, CONTACT.email, 'woonpunt']) expect(body).not.toContain(value);
    // The audit record is internal: it keeps the household, for who was told what.
    expect(ports.audit.get(REF, `${alertId}-escalated`)).toMatchObject({ team: COORDINATOR, householdRef: REF, reasonCodes: ['overdue-escalated'] });
    expect(ports.households.peek(REF)!.alerts[0]).toMatchObject({ overdueRemindedAtMs: ESCALATE_AT, escalatedAtMs: ESCALATE_AT });
    expect(await deliver(ESCALATE_AT + DAY)).toEqual([]);
  });

  it('sends a reminder once across the retries of a contended write, and records it', async () => {
    const { ports, alertId, deliver } = await alerted();
    ports.households.racesToLose = 2;

    const sent = await deliver(RESPOND_BY);

    expect(sent).toMatchObject([{ reason: 'overdue', alertId }]);
    expect(ports.messenger.calls.filter((c) => c.message.kind === 'reminder')).toHaveLength(1);
    expect(ports.households.peek(REF)!.alerts[0]).toMatchObject({ overdueRemindedAtMs: RESPOND_BY });
  });

  it('sends the same reminder with the same deduplication id after a crash before it was recorded, so the queue drops the resend', async () => {
    const { ports, alertId, deliver } = await alerted();
    const put = ports.households.put.bind(ports.households);
    ports.households.put = () => Promise.reject(new Error('crashed before the write'));

    await expect(deliver(RESPOND_BY)).rejects.toThrow('crashed');
    ports.households.put = put;
    await deliver(RESPOND_BY + 60_000);

    const calls = ports.messenger.calls.filter((c) => c.message.kind === 'reminder');
    expect(calls.map((c) => c.deduplicationId)).toEqual([`${alertId}-overdue`, `${alertId}-overdue`]);
    expect(reminders(ports)).toHaveLength(1);
    expect(ports.households.peek(REF)!.alerts[0]).toMatchObject({ overdueRemindedAtMs: RESPOND_BY + 60_000 });
  });

  it('ignores the checks once the team picked the alert up', async () => {
    const { ports, alertId, deliver, report } = await alerted();
    await report('AlertPickedUp', { alertId, at: '2026-06-16T09:00:00+02:00' }, NOW + DAY);

    expect(await deliver(RESPOND_BY)).toEqual([]);
    expect(await deliver(ESCALATE_AT)).toEqual([]);
    expect(reminders(ports)).toEqual([]);
  });
});

describe('the verdict reminder (v1.1)', () => {
  it('says its reason, verdict-lapses, and validates as a team message', async () => {
    // Utrecht's Voorkom Huisuitzetting takes SSH's verdict of 1 June 2026; it lapses 1 June 2027, reminded 1 April 2027.
    const ports = inMemoryPorts();
    const home = { postcode: '3533 TK', houseNumber: 40 };
    const ref = householdRef(normaliseAddress(home), SECRET);
    const proceeding = detail('proceeding', { signalId: 'ssh-v1', address: home, proceeding: { stage: 'verdict', stageDate: '2026-06-01', ground: 'arrears' } });
    const { sent } = await ingestEntry({ id: 'evt-verdict', source: 'partner.ssh', 'detail-type': DETAIL_TYPE.proceeding, detail: proceeding }, { policy, ...ports, householdSecret: SECRET, nowMs: NOW });
    const alertId = sent[0]!.alertId;
    await handleTeamReport(
      { id: 'evt-picked', source: 'team.utrecht-voorkom-huisuitzetting', 'detail-type': 'AlertPickedUp', detail: { schemaVersion: 1, alertId, at: NOW_ISO } },
      { policy, households: ports.households, alerts: ports.alerts, nowMs: NOW + 60_000 },
    );

    const reminded = await deliverOwed(ref, { policy, ...ports, nowMs: Date.parse('2027-04-01T00:00:00+02:00') });

    expect(reminded).toMatchObject([{ kind: 'reminder', reason: 'verdict-lapses', alertId }]);
    const message = teamMessageSchema.parse(ports.messenger.delivered.at(-1)!.message);
    expect(message).toMatchObject({ kind: 'reminder', reason: 'verdict-lapses', householdRef: ref, dueAt: '2027-06-01T00:00:00+02:00' });
    expect(ports.households.peek(ref)!.alerts[0]!.timeline).toContainEqual({ type: 'reminder', atMs: Date.parse('2027-04-01T00:00:00+02:00'), reason: 'verdict-lapses' });
  });
});
