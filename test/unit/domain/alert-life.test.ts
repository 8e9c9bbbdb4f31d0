/**
 * The alert index keeps a copy of each alert's life (contract v1.1 section 5: as long as the
 * alert record, 24 months), so that it outlives the household item, which holds the address and
 * goes about 13 months after the household's last signal. The household's write decides; the
 * copy follows it, from the team reports and from the messages and reminders sent, and an older
 * copy never replaces a newer one.
 */
import { describe, expect, it } from 'vitest';
import { deliverOwed, handleTeamReport, householdRef, ingestEntry, lifeOf, normaliseAddress, type AlertIndex, type BusEntry } from '@vroegsignaal/domain';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { DAY, defaultPolicy, detail, DETAIL_TYPE, HOUR, NOW, SECRET } from './fixtures.ts';
import { inMemoryPorts } from './in-memory-ports.ts';

type Entry = BusEntry & { id: string };
const HOME = { postcode: '3511 ab', houseNumber: 12 };
const REF = householdRef(normaliseAddress(HOME), SECRET);
const TEAM = 'utrecht-schuldhulp';
const at = (hours: number) => formatAmsterdamIso(new Date(NOW + hours * HOUR));

let counter = 0;
function partnerEntry(kind: keyof typeof DETAIL_TYPE, overrides: Record<string, unknown> = {}): Entry {
  return { id: `evt-p${++counter}`, source: 'partner.mitros', 'detail-type': DETAIL_TYPE[kind], detail: detail(kind, { address: HOME, ...overrides }) };
}
function teamEntry(detailType: string, body: Record<string, unknown>): Entry {
  return { id: `evt-t${++counter}`, source: `team.${TEAM}`, 'detail-type': detailType, detail: { schemaVersion: 1, ...body } };
}

/** An alert to the team; `alerts` stands between the use cases and the index when a test needs to hold or fail its writes. */
async function alerted(wrap: (index: AlertIndex) => AlertIndex = (index) => index) {
  const policy = defaultPolicy();
  const ports = inMemoryPorts();
  const alerts = wrap(ports.alerts);
  const ingest = (entry: Entry, nowMs = NOW) => ingestEntry(entry, { policy, ...ports, alerts, householdSecret: SECRET, nowMs });
  const { sent: [alert] } = await ingest(partnerEntry('arrears', { signalId: 'mit-1', arrears: { amountCents: 180_000, monthsInArrears: 2 } }));
  if (!alert) throw new Error('no alert raised');
  return {
    ports,
    alertId: alert.alertId,
    ingest,
    deliver: (nowMs: number) => deliverOwed(REF, { policy, ...ports, alerts, nowMs }),
    report: (entry: Entry, nowMs = NOW + 3 * DAY) => handleTeamReport(entry, { policy, households: ports.households, alerts, nowMs }),
    life: async () => (await ports.alerts.get(alert.alertId))?.life,
  };
}

describe("the alert index's copy of an alert's life", () => {
  it('follows the raise, the reminders and updates sent, and every report, with codes, times and by only', async () => {
    // Prepare
    const { alertId, ingest, deliver, report, life, ports } = await alerted();
    const raised = await life();
    const respondByMs = ports.households.peek(REF)!.alerts[0]!.respondByMs!;

    // Act: the overdue reminder, a pick-up, a new signal for the open case (an update), an attempt and the close.
    await deliver(respondByMs);
    await report(teamEntry('AlertPickedUp', { alertId, at: formatAmsterdamIso(new Date(respondByMs + HOUR)), by: 'm-1' }), respondByMs + 2 * HOUR);
    await ingest(partnerEntry('care', { signalId: 'mit-2' }), respondByMs + 3 * HOUR);
    const reached = respondByMs + 4 * HOUR;
    await report(teamEntry('ContactAttemptLogged', { alertId, at: formatAmsterdamIso(new Date(reached)), channel: 'home-visit', reached: true, by: 'm-1' }), reached + HOUR);
    await report(teamEntry('CaseClosed', { alertId, at: formatAmsterdamIso(new Date(reached + HOUR)), result: 'resolved', detail: 'quick-fix', by: 'm-1' }), reached + 2 * HOUR);

    // Assess
    expect(raised).toEqual({ timeline: [{ type: 'raised', atMs: NOW }], status: 'raised' });
    // What the team inbox shows of it: the deadline its message gave, its score, the district of 3511.
    expect(await ports.alerts.get(alertId)).toMatchObject({ respondByMs, score: expect.any(Number), district: 'binnenstad' });
    expect(await life()).toEqual({
      timeline: [
        { type: 'raised', atMs: NOW },
        { type: 'reminder', atMs: respondByMs, reason: 'overdue' },
        { type: 'picked-up', atMs: respondByMs + HOUR, by: 'm-1' },
        { type: 'update', atMs: respondByMs + 3 * HOUR },
        { type: 'attempt', atMs: reached, by: 'm-1', channel: 'home-visit', partOfDay: expect.any(String), reached: true },
        { type: 'closed', atMs: reached + HOUR, by: 'm-1', result: 'resolved', detail: 'quick-fix' },
      ],
      status: 'closed',
      ending: 'closed',
      pickedUpAtMs: respondByMs + HOUR,
      reachedAtMs: reached,
      closedAtMs: reached + HOUR,
      result: 'resolved',
      detail: 'quick-fix',
      holder: 'm-1',
    });
  });

  it('stays readable on the index record after the household, with its address and contacts, has expired', async () => {
    // Prepare: a case not taken, the household's last write long ago.
    const { alertId, report, ports } = await alerted();
    await report(teamEntry('AlertNotTaken', { alertId, at: at(4), reason: 'already-in-debt-help', by: 'm-7' }));
    const householdExpiry = (ports.households.records.get(REF)!.ttl ?? 0) * 1000;

    // Act: the household's TTL passes; the alert's record (24 months) does not.
    ports.households.expire(householdExpiry + 1000);
    ports.alerts.expire(householdExpiry + 1000);

    // Assess
    expect(ports.households.peek(REF)).toBeUndefined();
    const index = await ports.alerts.get(alertId);
    expect(index?.expiresAtMs).toBeGreaterThan(householdExpiry);
    expect(index?.life).toEqual({
      timeline: [
        { type: 'raised', atMs: NOW },
        { type: 'not-taken', atMs: NOW + 4 * HOUR, by: 'm-7', reason: 'already-in-debt-help' },
      ],
      status: 'not-taken',
      ending: 'not-taken',
      closedAtMs: NOW + 4 * HOUR,
    });
    expect(Object.keys(index!).sort()).toEqual(['alertId', 'atMs', 'deliveryId', 'district', 'expiresAtMs', 'householdRef', 'level', 'life', 'municipalityCode', 'reasonCodes', 'respondByMs', 'score', 'sequence', 'signals', 'team']);
  });

  it('is not replaced by an older copy: a report whose copy arrives after a later report\'s keeps the later life', async () => {
    // Prepare: the pick-up's copy to the index is held until the close has been written and copied.
    const held: (() => void)[] = [];
    const { alertId, report, life } = await alerted((index) => ({
      put: (record) => index.put(record),
      get: (id) => index.get(id),
      recordLife: async (id, copy) => {
        if (copy.status === 'picked-up') await new Promise<void>((resolve) => held.push(resolve));
        await index.recordLife(id, copy);
      },
    }));
    const pickUp = report(teamEntry('AlertPickedUp', { alertId, at: at(2), by: 'm-1' }));
    while (held.length === 0) await new Promise((resolve) => setImmediate(resolve));

    // Act
    await report(teamEntry('CaseClosed', { alertId, at: at(5), result: 'declined', detail: 'declined', by: 'm-1' }));
    held[0]!();
    await pickUp;

    // Assess
    expect(await life()).toMatchObject({ status: 'closed', result: 'declined', timeline: [{ type: 'raised' }, { type: 'picked-up' }, { type: 'closed' }] });
  });

  it('is made again when the same report is delivered again after its first run died before the copy', async () => {
    // Prepare: the index refuses the first copy after the household was written.
    let refuse = 1;
    const { alertId, report, life, ports } = await alerted((index) => ({
      put: (record) => index.put(record),
      get: (id) => index.get(id),
      recordLife: (id, copy) => (copy.status === 'picked-up' && refuse-- > 0 ? Promise.reject(new Error('ServiceUnavailable')) : index.recordLife(id, copy)),
    }));
    const pickUp = teamEntry('AlertPickedUp', { alertId, at: at(2), by: 'm-1' });
    await expect(report(pickUp)).rejects.toThrow('ServiceUnavailable');
    expect(ports.households.peek(REF)!.alerts[0]!.pickedUpAtMs).toBe(NOW + 2 * HOUR);

    // Act
    await report(pickUp);

    // Assess
    expect(await life()).toMatchObject({ status: 'picked-up', pickedUpAtMs: NOW + 2 * HOUR });
  });

  it('is made again when the entry that raised the alert is delivered again after its first run died before the copy', async () => {
    // Prepare: the index refuses the raise's copy once, after the household was written.
    const policy = defaultPolicy();
    const ports = inMemoryPorts();
    let refuse = 1;
    const alerts: AlertIndex = {
      put: (record) => ports.alerts.put(record),
      get: (id) => ports.alerts.get(id),
      recordLife: (id, copy) => (refuse-- > 0 ? Promise.reject(new Error('ServiceUnavailable')) : ports.alerts.recordLife(id, copy)),
    };
    const entry = partnerEntry('arrears', { signalId: 'mit-1', arrears: { amountCents: 180_000, monthsInArrears: 2 } });
    const ingest = () => ingestEntry(entry, { policy, ...ports, alerts, householdSecret: SECRET, nowMs: NOW });
    await expect(ingest()).rejects.toThrow('ServiceUnavailable');
    const [record] = ports.households.peek(REF)!.alerts;
    expect((await ports.alerts.get(record!.alertId))?.life).toBeUndefined();

    // Act
    const again = await ingest();

    // Assess: told the same, nothing sent again, and the copy is the household's.
    expect([again.outcome, again.sent]).toEqual(['accepted', []]);
    expect((await ports.alerts.get(record!.alertId))?.life).toEqual(lifeOf(ports.households.peek(REF)!.alerts[0]!));
  });

  it('is made again when a reminder is delivered again after its first run died before the copy', async () => {
    // Prepare: the index refuses the overdue reminder's copy once, after the household was written.
    let refuse = 1;
    const { alertId, deliver, life, ports } = await alerted((index) => ({
      put: (record) => index.put(record),
      get: (id) => index.get(id),
      recordLife: (id, copy) => (copy.timeline.some((e) => e.type === 'reminder') && refuse-- > 0 ? Promise.reject(new Error('ServiceUnavailable')) : index.recordLife(id, copy)),
    }));
    const respondByMs = ports.households.peek(REF)!.alerts[0]!.respondByMs!;
    await expect(deliver(respondByMs)).rejects.toThrow('ServiceUnavailable');
    const stored = ports.households.peek(REF)!.alerts.find((a) => a.alertId === alertId)!;
    expect(lifeOf(stored).timeline.map((e) => e.type)).toEqual(['raised', 'reminder']);
    expect((await life())?.timeline.map((e) => e.type)).toEqual(['raised']);

    // Act: the queue delivers the DeliveryDue again.
    const sent = await deliverOwed(REF, { policy: defaultPolicy(), ...ports, nowMs: respondByMs }, true);

    // Assess
    expect(sent).toEqual([]);
    expect(await life()).toEqual(lifeOf(stored));
  });
});
