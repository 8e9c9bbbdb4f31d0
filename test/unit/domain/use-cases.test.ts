/**
 * The use cases end to end on in-memory ports: ingestEntry (which tells the teams) ->
 * deliverOwed (what is still owed) -> handleTeamReport, with the contract's exactly-once,
 * open-case and capacity rules.
 */
import { describe, expect, it } from 'vitest';
import { teamMessageSchema, type SignalOutcome } from '@vroegsignaal/events';
import { handleTeamReport, householdRef, ingestEntry, normaliseAddress, deliverOwed, type BusEntry, type IngestResult, type PipelineEvent } from '@vroegsignaal/domain';
import { formatAmsterdamIso } from '@vroegsignaal/calendar';
import { CODES, DAY, defaultPolicy, detail, DETAIL_TYPE, HOUR, NOW, SECRET } from './fixtures.ts';
import { inMemoryPorts } from './in-memory-ports.ts';

const policy = defaultPolicy();
type Entry = BusEntry & { id: string };

function pipeline() {
  const ports = inMemoryPorts();
  return {
    ports,
    ingest: (entry: Entry, nowMs = NOW) => ingestEntry(entry, { policy, ...ports, householdSecret: SECRET, nowMs }),
    deliver: (ref: string, nowMs = NOW) => deliverOwed(ref, { policy, ...ports, nowMs }),
    report: (entry: Entry, nowMs = NOW) => handleTeamReport(entry, { policy, households: ports.households, alerts: ports.alerts, nowMs }),
  };
}

let eventCounter = 0;
function partnerEntry(kind: keyof typeof DETAIL_TYPE, overrides: Record<string, unknown> = {}, partner = 'mitros', id = `evt-${++eventCounter}`): Entry {
  return { id, source: `partner.${partner}`, 'detail-type': DETAIL_TYPE[kind], detail: detail(kind, overrides) };
}
function teamEntry(team: string, detailType: 'AlertPickedUp' | 'CaseClosed', body: Record<string, unknown>): Entry {
  return { id: `evt-${++eventCounter}`, source: `team.${team}`, 'detail-type': detailType, detail: { schemaVersion: 1, ...body } };
}

const UTRECHT = { postcode: '3511 ab', houseNumber: 12 };
const UTRECHT_REF = householdRef(normaliseAddress(UTRECHT), SECRET);
const TWO_MONTHS = { arrears: { amountCents: 180_000, monthsInArrears: 2 } };

const outcomes = (result: IngestResult): SignalOutcome[] =>
  result.events.flatMap((e: PipelineEvent) => (e.type === 'SignalOutcome' ? [e.detail] : []));
const escalated = (result: IngestResult) => result.events.filter((e) => e.type === 'DeliveryDue');

describe('ingestEntry and deliverOwed', () => {
  it('turns one partner signal into exactly one alert to the team the policy names, sent by ingest itself', async () => {
    // Prepare
    const { ingest, deliver, ports } = pipeline();
    const entry = partnerEntry('arrears', { signalId: 'mit-1', ...TWO_MONTHS, contact: { name: 'A. Jansen' } });

    // Act
    const ingested = await ingest(entry);
    const { sent } = ingested;
    const again = await deliver(UTRECHT_REF);

    // Assess
    expect(outcomes(ingested)).toEqual([{ partnerId: 'mitros', signalId: 'mit-1', outcome: 'accepted', reason: 'stored', eventId: entry.id }]);
    expect(ingested.householdRef).toBe(UTRECHT_REF);
    expect(escalated(ingested)).toEqual([]);
    expect(sent).toMatchObject([{ kind: 'alert', team: 'utrecht-schuldhulp', level: 'signal', capacityExceeded: false }]);
    expect(again).toEqual([]);
    expect(ports.messenger.delivered).toHaveLength(1);
    const [delivered] = ports.messenger.delivered;
    const message = teamMessageSchema.parse(delivered!.message);
    expect(message).toMatchObject({
      kind: 'alert',
      alertId: sent[0]!.alertId,
      householdRef: UTRECHT_REF,
      municipalityCode: CODES.utrecht,
      team: 'utrecht-schuldhulp',
      level: 'signal',
      partners: ['mitros'],
      address: { postcode: '3511AB', houseNumber: 12 },
      contact: { name: 'A. Jansen' },
      createdAt: '2026-06-15T10:00:00+02:00',
      respondBy: '2026-07-13T10:00:00+02:00',
    });
    expect(delivered!.deduplicationId).toBe(sent[0]!.alertId);
    expect(await ports.alerts.get(sent[0]!.alertId)).toMatchObject({ team: 'utrecht-schuldhulp', level: 'signal', signals: [{ partnerId: 'mitros', signalId: 'mit-1' }] });
    expect(ports.households.peek(UTRECHT_REF)?.alerts.map((a) => a.alertId)).toEqual([sent[0]!.alertId]);
    // Audited: who was told, about which household, when and why; no address or contact data.
    // An alert's index record is its audit record.
    const audit = await ports.alerts.get(sent[0]!.alertId);
    expect(audit).toMatchObject({ deliveryId: sent[0]!.alertId, householdRef: UTRECHT_REF, team: 'utrecht-schuldhulp', level: 'signal', reasonCodes: ['arrears-2m'], atMs: NOW });
    expect(ports.audit.records.size).toBe(0);
    expect(JSON.stringify(audit)).not.toMatch(/3511|Jansen/);
  });

  it('leaves an alert it cannot send to deliver: the partner is told at once, and deliver delivers it once', async () => {
    // Prepare: the team's queue refuses the first send.
    const { ingest, deliver, ports } = pipeline();
    ports.messenger.refuseNext = 1;
    const entry = partnerEntry('arrears', { signalId: 'mit-1b', ...TWO_MONTHS });

    // Act
    const ingested = await ingest(entry);
    const sent = await deliver(UTRECHT_REF);
    const again = await deliver(UTRECHT_REF);

    // Assess
    expect(outcomes(ingested).map((o) => o.outcome)).toEqual(['accepted']);
    expect(ingested.sent).toEqual([]);
    expect(ingested.deferred).toBe('QueueUnavailable');
    expect(escalated(ingested)).toEqual([
      { type: 'DeliveryDue', detail: { schemaVersion: 1, householdRef: UTRECHT_REF, version: 1, at: formatAmsterdamIso(new Date(NOW)) } },
    ]);
    expect(ports.households.peek(UTRECHT_REF)?.signals).toHaveLength(1);
    expect(sent).toMatchObject([{ kind: 'alert', team: 'utrecht-schuldhulp', level: 'signal' }]);
    expect(again).toEqual([]);
    expect(ports.messenger.delivered).toHaveLength(1);
    expect(ports.households.peek(UTRECHT_REF)?.alerts.map((a) => a.alertId)).toEqual([sent[0]!.alertId]);
  });

  it('leaves a reminder check it cannot schedule to deliver, with the alert it did send recorded', async () => {
    // Prepare: a verdict for Voorkom Huisuitzetting, whose reminder check must be scheduled; the scheduler refuses once.
    const { ingest, deliver, ports } = pipeline();
    ports.scheduler.refuseNext = 1;
    const verdict = partnerEntry('proceeding', { signalId: 'mit-v1', proceeding: { stage: 'verdict', stageDate: '2026-06-01', ground: 'arrears' } });

    // Act
    const ingested = await ingest(verdict);
    await deliver(UTRECHT_REF);

    // Assess
    expect(ingested.sent).toMatchObject([{ kind: 'alert', team: 'utrecht-voorkom-huisuitzetting' }]);
    expect(ingested.deferred).toBe('ServiceUnavailable');
    expect(escalated(ingested)).toHaveLength(1);
    // The verdict's reminder on 1 April 2027, and the alert's overdue check at its respondBy (2 weeks).
    const respondByMs = Date.parse('2026-06-29T10:00:00+02:00');
    expect(ports.scheduler.checks.map((c) => c.atMs).sort()).toEqual([respondByMs, Date.parse('2027-04-01T00:00:00+02:00')]);
    const [record] = ports.households.peek(UTRECHT_REF)!.alerts;
    expect(record).toMatchObject({ alertId: ingested.sent[0]!.alertId, reminderScheduledFor: 'mitros|2026-06-01', respondByMs, overdueCheckAtMs: respondByMs });
    expect(ports.messenger.delivered).toHaveLength(1);
  });

  it('calls a resend of the same signal a duplicate and raises no second alert', async () => {
    // Prepare
    const { ingest, deliver, ports } = pipeline();
    const body = { signalId: 'mit-2', ...TWO_MONTHS };
    await ingest(partnerEntry('arrears', body));

    // Act: the partner sends it again, as a new bus event.
    const resend = await ingest(partnerEntry('arrears', body));
    const sent = await deliver(UTRECHT_REF);

    // Assess
    expect(resend.outcome).toBe('duplicate');
    expect(outcomes(resend).map((o) => o.outcome)).toEqual(['duplicate']);
    expect(escalated(resend)).toEqual([]);
    expect(resend.sent).toEqual([]);
    expect(sent).toEqual([]);
    expect(ports.messenger.calls).toHaveLength(1);
    expect(ports.households.peek(UTRECHT_REF)?.signals).toHaveLength(1);
  });

  it('tells a redelivery of the same bus event, after the household write, the same first outcome, not duplicate', async () => {
    // Prepare
    const { ingest, ports } = pipeline();
    const entry = partnerEntry('arrears', { signalId: 'mit-3', ...TWO_MONTHS });
    const first = await ingest(entry);

    // Act: EventBridge delivers the very same event again.
    const redelivered = await ingest(entry);

    // Assess
    expect(first.outcome).toBe('accepted');
    expect(redelivered.outcome).toBe('accepted');
    expect(outcomes(redelivered).map((o) => o.outcome)).toEqual(['accepted']);
    expect(ports.households.peek(UTRECHT_REF)?.signals).toHaveLength(1);
    expect(ports.households.peek(UTRECHT_REF)?.signalVersion).toBe(1);
  });

  it('tells a redelivery of a signal that arrived after its withdrawal its first outcome again', async () => {
    // Prepare
    const { ingest, ports } = pipeline();
    await ingest(partnerEntry('withdrawal', { signalId: 'mit-w9', withdrawal: { signalId: 'mit-9', reason: 'resolved' } }));
    const entry = partnerEntry('arrears', { signalId: 'mit-9', ...TWO_MONTHS });
    const first = await ingest(entry);

    // Act
    const redelivered = await ingest(entry);

    // Assess
    expect(first.outcome).toBe('accepted');
    expect(redelivered.outcome).toBe('accepted');
    expect(ports.households.peek(UTRECHT_REF)?.signals).toHaveLength(1);
  });

  it('does not remember a rejected entry, so a corrected resend with the same signalId is accepted', async () => {
    // Prepare
    const { ingest } = pipeline();

    // Act
    const broken = await ingest(partnerEntry('arrears', { signalId: 'mit-4', arrears: { monthsInArrears: 2 } }));
    const corrected = await ingest(partnerEntry('arrears', { signalId: 'mit-4', ...TWO_MONTHS }));

    // Assess
    expect(broken.outcome).toBe('rejected');
    expect(broken.rejectionRule).toBe('contract');
    expect(corrected.outcome).toBe('accepted');
  });

  it('withdraws a signal whose withdrawal arrived first: withdrawn, then accepted with a later withdrawn, and no alert', async () => {
    // Prepare
    const { ingest, deliver, ports } = pipeline();

    // Act
    const withdrawal = await ingest(partnerEntry('withdrawal', { signalId: 'mit-w1', withdrawal: { signalId: 'mit-5', reason: 'error' } }));
    const signal = await ingest(partnerEntry('arrears', { signalId: 'mit-5', ...TWO_MONTHS }));
    const sent = await deliver(UTRECHT_REF);

    // Assess
    expect(outcomes(withdrawal)).toMatchObject([{ signalId: 'mit-w1', outcome: 'withdrawn' }]);
    expect(outcomes(signal)).toMatchObject([
      { signalId: 'mit-5', outcome: 'accepted' },
      { signalId: 'mit-5', outcome: 'withdrawn' },
    ]);
    expect(escalated(signal)).toEqual([]);
    expect(signal.sent).toEqual([]);
    expect(sent).toEqual([]);
    expect(ports.messenger.calls).toEqual([]);
  });

  it('sends nothing for an escalation of a household whose plan is empty, or that is not stored', async () => {
    // Prepare: one low nuisance report raises no level.
    const { ingest, deliver, ports } = pipeline();
    const ingested = await ingest(partnerEntry('nuisance', { nuisance: { category: 'noise', severity: 'low' } }, 'politie'));

    // Act
    const sent = await deliver(UTRECHT_REF);
    const unknown = await deliver('f'.repeat(64));

    // Assess
    expect(ingested.outcome).toBe('accepted');
    expect(escalated(ingested)).toEqual([]);
    expect(sent).toEqual([]);
    expect(unknown).toEqual([]);
    expect(ports.messenger.calls).toEqual([]);
    expect(ports.alerts.records.size).toBe(0);
  });
});

describe('handleTeamReport and open cases', () => {
  async function alerted() {
    const p = pipeline();
    const { sent: [sent] } = await p.ingest(partnerEntry('arrears', { signalId: 'mit-10', ...TWO_MONTHS }));
    if (!sent) throw new Error('no alert');
    return { ...p, alertId: sent.alertId };
  }

  it('accepts AlertPickedUp from the team the alert went to and tells the partner picked-up', async () => {
    // Prepare
    const { report, alertId, ports } = await alerted();

    // Act
    const result = await report(teamEntry('utrecht-schuldhulp', 'AlertPickedUp', { alertId, at: '2026-06-16T09:00:00+02:00' }), NOW + DAY);

    // Assess
    expect(result.outcome).toBe('accepted');
    expect(result.events).toMatchObject([
      { type: 'TeamReportOutcome', detail: { teamId: 'utrecht-schuldhulp', alertId, outcome: 'accepted' } },
      { type: 'SignalOutcome', detail: { partnerId: 'mitros', signalId: 'mit-10', outcome: 'picked-up' } },
    ]);
    expect(ports.households.peek(UTRECHT_REF)?.alerts[0]?.pickedUpAtMs).toBe(Date.parse('2026-06-16T09:00:00+02:00'));
  });

  it('takes back from the alert index an alert the team holds but the household lost, and opens the case', async () => {
    // Prepare: the alert reached the team, but its record on the household is gone (a write
    // that gave up after sending it).
    const { report, alertId, ports } = await alerted();
    const stored = ports.households.peek(UTRECHT_REF)!;
    ports.households.overwrite({ ...stored, alerts: [] }, NOW + 400 * DAY);

    // Act
    const result = await report(teamEntry('utrecht-schuldhulp', 'AlertPickedUp', { alertId, at: '2026-06-16T09:00:00+02:00' }), NOW + DAY);

    // Assess
    expect(result.outcome).toBe('accepted');
    expect(ports.households.peek(UTRECHT_REF)?.alerts).toMatchObject([{ alertId, team: 'utrecht-schuldhulp', level: 'signal', sequence: 0, pickedUpAtMs: Date.parse('2026-06-16T09:00:00+02:00') }]);
  });

  it("rejects a report on another team's alert with rule other-team, telling it no more than for an unknown alert", async () => {
    // Prepare
    const { report, alertId, ports } = await alerted();

    // Act
    const other = await report(teamEntry('utrecht-voorkom-huisuitzetting', 'AlertPickedUp', { alertId, at: '2026-06-16T09:00:00+02:00' }), NOW + DAY);
    const unknown = await report(teamEntry('utrecht-voorkom-huisuitzetting', 'AlertPickedUp', { alertId: 'al_doesnotexist', at: '2026-06-16T09:00:00+02:00' }), NOW + DAY);

    // Assess
    expect(other.outcome).toBe('rejected');
    expect(other.rejection).toBe('other-team');
    expect(other.events).toHaveLength(1);
    expect(unknown.rejection).toBe('unknown-alert');
    const reasonOf = (r: typeof other) => {
      const [event] = r.events;
      return event?.type === 'TeamReportOutcome' ? (event.detail.reason ?? '').replace(/al_\w+/, 'ID') : '';
    };
    expect(reasonOf(other)).toMatch(/not known/);
    expect(reasonOf(other)).toBe(reasonOf(unknown));
    expect(ports.households.peek(UTRECHT_REF)?.alerts[0]?.pickedUpAtMs).toBeUndefined();
  });

  it('sends the team an update for a new signal while its case is open, and nothing once the case is closed', async () => {
    // Prepare: the case is picked up a day after the alert.
    const { ingest, report, alertId, ports } = await alerted();
    await report(teamEntry('utrecht-schuldhulp', 'AlertPickedUp', { alertId, at: '2026-06-16T09:00:00+02:00' }), NOW + DAY);

    // Act 1: a higher arrears report while the case is open.
    const t2 = NOW + 2 * DAY;
    const { sent: update } = await ingest(partnerEntry('arrears', { signalId: 'mit-11', observedAt: '2026-06-17T09:00:00+02:00', arrears: { amountCents: 270_000, monthsInArrears: 3 } }), t2);

    // Act 2: the team closes the case; yet another report follows.
    const t3 = NOW + 3 * DAY;
    const closed = await report(teamEntry('utrecht-schuldhulp', 'CaseClosed', { alertId, at: '2026-06-18T09:00:00+02:00', result: 'resolved' }), t3);
    const t4 = NOW + 10 * DAY;
    const { sent: afterClose } = await ingest(partnerEntry('arrears', { signalId: 'mit-12', observedAt: '2026-06-25T09:00:00+02:00', arrears: { amountCents: 360_000, monthsInArrears: 4 } }), t4);

    // Assess
    expect(update).toMatchObject([{ kind: 'update', team: 'utrecht-schuldhulp', alertId }]);
    const last = ports.messenger.delivered.at(-1)!;
    expect(last.message).toMatchObject({ kind: 'update', alertId, team: 'utrecht-schuldhulp' });
    expect(last.deduplicationId).not.toBe(alertId);
    expect(closed.outcome).toBe('accepted');
    expect(closed.events.map((e) => (e.type === 'SignalOutcome' ? e.detail.outcome : e.type))).toEqual(['TeamReportOutcome', 'closed']);
    expect(afterClose).toEqual([]);
    expect(ports.messenger.delivered.map((d) => d.message.kind)).toEqual(['alert', 'update']);
  });

  it('answers the same AlertPickedUp sent again with its first outcome (v1.1; v1 called it a duplicate), telling the partners nothing more', async () => {
    // Prepare
    const { report, alertId } = await alerted();
    const body = { alertId, at: '2026-06-16T09:00:00+02:00' };
    const first = await report(teamEntry('utrecht-schuldhulp', 'AlertPickedUp', body), NOW + DAY);
    const again = teamEntry('utrecht-schuldhulp', 'AlertPickedUp', body);

    // Act
    const second = await report(again, NOW + DAY);

    // Assess
    expect(first.events[0]).toMatchObject({ detail: { outcome: 'accepted', reason: 'case opened' } });
    expect(second.events).toEqual([{ type: 'TeamReportOutcome', detail: { teamId: 'utrecht-schuldhulp', alertId, outcome: 'accepted', reason: 'case opened', eventId: again.id } }]);
  });
});

describe('capacity', () => {
  it('flags the 26th distinct household alerted to MPG Wonen in a calendar year, and still delivers it', async () => {
    // Prepare: 26 Amsterdam families with children, each a case (youth and mental health).
    const { ingest, ports } = pipeline();
    const flags: boolean[] = [];

    // Act
    for (let i = 1; i <= 26; i++) {
      const address = { postcode: '1012 ab', houseNumber: i };
      const { sent } = await ingest(
        partnerEntry(
          'care',
          { municipalityCode: CODES.amsterdam, address, household: { minors: 2 }, care: { domains: ['youth', 'mentalHealth'] } },
          'ggd',
        ),
        NOW + i * HOUR,
      );
      expect(sent).toMatchObject([{ kind: 'alert', team: 'amsterdam-mpg-wonen', level: 'case' }]);
      flags.push(sent[0]!.capacityExceeded);
    }

    // Assess
    expect(flags.slice(0, 25).every((f) => f === false)).toBe(true);
    expect(flags[25]).toBe(true);
    expect(ports.messenger.delivered).toHaveLength(26);
    expect(ports.messenger.delivered.at(-1)?.message).toMatchObject({ capacityExceeded: true, team: 'amsterdam-mpg-wonen' });
    expect(ports.messenger.delivered.filter((d) => d.team !== 'amsterdam-mpg-wonen')).toEqual([]);
  });
});
