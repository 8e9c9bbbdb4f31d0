/**
 * The team-report Lambda handler on in-memory ports: team reports in, TeamReportOutcome, the
 * partners' picked-up / not-taken / closed outcomes, and a forward's DeliveryDue out.
 */
import { describe, expect, it } from 'vitest';
import { householdRef, ingestEntry, normaliseAddress, type AlertIndex, type PipelineEvent } from '@vroegsignaal/domain';
import { createTeamReportHandler } from '@vroegsignaal/functions';
import { DAY, defaultPolicy, detail, DETAIL_TYPE, HOUR, NOW, SECRET } from '../unit/domain/fixtures.ts';
import { inMemoryPorts } from '../unit/domain/in-memory-ports.ts';
import { captureOutput, envelope, jsonLines, lambdaContext, personalValues, RecordingPublisher, sqsEvent, sqsRecord } from './support.ts';

const policy = defaultPolicy();
const CONTACT = { name: 'Cor van Leeuwen', phone: '06-98765432', email: 'cor@example.com' };
const HOME = { postcode: '3511 AB', houseNumber: 12 };
const REF = householdRef(normaliseAddress(HOME), SECRET);
const LATER = NOW + DAY;
const AT = '2026-06-16T09:00:00+02:00';

async function setup(overrides: { alerts?: AlertIndex } = {}) {
  const ports = inMemoryPorts();
  const { sent: [alert] } = await ingestEntry(
    { id: 'evt-t1', source: 'partner.mitros', 'detail-type': DETAIL_TYPE.arrears, detail: detail('arrears', { signalId: 'mit-t1', address: HOME, arrears: { amountCents: 180_000, monthsInArrears: 2 }, contact: CONTACT }) },
    { policy, ...ports, householdSecret: SECRET, nowMs: NOW },
  );
  if (!alert) throw new Error('no alert raised');
  const publisher = new RecordingPublisher();
  const handler = createTeamReportHandler({ policy: () => policy, households: ports.households, alerts: overrides.alerts ?? ports.alerts, publisher, clock: () => LATER });
  return {
    ports,
    publisher,
    alertId: alert.alertId,
    invoke: (...records: ReturnType<typeof sqsRecord>[]) => handler(sqsEvent(...records), lambdaContext('vroegsignaal-team-report')),
  };
}

const report = (team: string, detailType: string, body: Record<string, unknown>) => envelope(`team.${team}`, detailType, { schemaVersion: 1, ...body });
const record = (body: Parameters<typeof sqsRecord>[0]) => sqsRecord(body, 'vroegsignaal-team-report');
const summary = (e: PipelineEvent) => ('outcome' in e.detail ? [e.type, e.detail.outcome, e.detail.eventId] : [e.type, null, null]);

describe('team-report handler', () => {
  it('accepts AlertPickedUp from the alerted team and tells the partner picked-up, with the envelope id', async () => {
    // Prepare
    const { ports, publisher, alertId, invoke } = await setup();
    const entry = report('utrecht-schuldhulp', 'AlertPickedUp', { alertId, at: AT });

    // Act
    const { result, output } = await captureOutput(() => invoke(record(entry)));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(publisher.published).toEqual([
      { type: 'TeamReportOutcome', detail: { teamId: 'utrecht-schuldhulp', alertId, outcome: 'accepted', reason: 'case opened', eventId: entry.id } },
      { type: 'SignalOutcome', detail: { partnerId: 'mitros', signalId: 'mit-t1', outcome: 'picked-up', reason: 'a team has taken the case', eventId: entry.id } },
    ]);
    expect(ports.households.peek(REF)?.alerts[0]?.pickedUpAtMs).toBe(Date.parse(AT));
    expect(jsonLines(output).find((l) => l.message === 'team report handled')).toMatchObject({ eventId: entry.id, source: 'team.utrecht-schuldhulp', outcome: 'accepted' });
    expect(personalValues({ ...HOME, ...CONTACT }).filter((value) => output.includes(value))).toEqual([]);
  });

  it("rejects a report on another team's alert as not known, without failing the record", async () => {
    // Prepare
    const { ports, publisher, alertId, invoke } = await setup();
    const other = report('utrecht-voorkom-huisuitzetting', 'AlertPickedUp', { alertId, at: AT });
    const unknownTeam = report('nergens-team', 'CaseClosed', { alertId, at: AT, result: 'resolved' });

    // Act
    const { result, output } = await captureOutput(() => invoke(record(other), record(unknownTeam)));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(publisher.published).toEqual([
      { type: 'TeamReportOutcome', detail: { teamId: 'utrecht-voorkom-huisuitzetting', alertId, outcome: 'rejected', reason: `alert ${alertId} is not known`, eventId: other.id } },
      { type: 'TeamReportOutcome', detail: { teamId: 'nergens-team', alertId, outcome: 'rejected', reason: expect.stringMatching(/not in the policy/), eventId: unknownTeam.id } },
    ]);
    expect(ports.households.peek(REF)?.alerts[0]?.pickedUpAtMs).toBeUndefined();
    expect(jsonLines(output).filter((l) => l.message === 'team report rejected').map((l) => l.rule)).toEqual(['other-team', 'unknown-team']);
  });

  it('answers the same AlertPickedUp sent again with its first outcome (v1.1; v1 called it a duplicate) and closes the case with CaseClosed, telling the partner closed', async () => {
    // Prepare
    const { publisher, alertId, invoke, ports } = await setup();
    const pickedUp = report('utrecht-schuldhulp', 'AlertPickedUp', { alertId, at: AT });
    const again = report('utrecht-schuldhulp', 'AlertPickedUp', { alertId, at: AT });
    const closed = report('utrecht-schuldhulp', 'CaseClosed', { alertId, at: '2026-06-16T09:30:00+02:00', result: 'resolved' });

    // Act
    const { result } = await captureOutput(() => invoke(record(pickedUp), record(again), record(closed)));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(publisher.published.map(summary)).toEqual([
      ['TeamReportOutcome', 'accepted', pickedUp.id],
      ['SignalOutcome', 'picked-up', pickedUp.id],
      ['TeamReportOutcome', 'accepted', again.id],
      ['TeamReportOutcome', 'accepted', closed.id],
      ['SignalOutcome', 'closed', closed.id],
    ]);
    expect(ports.households.peek(REF)?.alerts[0]?.closedAtMs).toBe(Date.parse('2026-06-16T09:30:00+02:00'));
  });

  it('puts a DeliveryDue for the household on the pipeline bus when a team forwards, so deliver alerts the receiving team; the partners hear nothing', async () => {
    // Prepare
    const { publisher, alertId, invoke, ports } = await setup();
    const forwarded = report('utrecht-schuldhulp', 'AlertForwarded', { alertId, at: AT, toTeam: 'utrecht-buurtteam-binnenstad' });

    // Act
    const { result } = await captureOutput(() => invoke(record(forwarded)));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(publisher.published).toEqual([
      { type: 'TeamReportOutcome', detail: expect.objectContaining({ outcome: 'accepted', eventId: forwarded.id }) },
      { type: 'DeliveryDue', detail: { schemaVersion: 1, householdRef: REF, version: ports.households.peek(REF)!.version, at: expect.any(String) } },
    ]);
    expect(ports.households.peek(REF)?.alerts[0]?.ending).toBe('forwarded');
  });

  it('counts OverdueCleared for the team when a report takes an overdue alert out of raised', async () => {
    // Prepare: the alert's overdue reminder went out.
    const { alertId, invoke, ports } = await setup();
    const stored = ports.households.peek(REF)!;
    ports.households.overwrite({ ...stored, alerts: stored.alerts.map((a) => ({ ...a, overdueRemindedAtMs: LATER - HOUR })) }, LATER + 400 * DAY);
    const notTaken = report('utrecht-schuldhulp', 'AlertNotTaken', { alertId, at: AT, reason: 'other-trajectory' });

    // Act
    const { output } = await captureOutput(() => invoke(record(notTaken)));

    // Assess
    const cleared = jsonLines(output).filter((l) => '_aws' in l && typeof l.OverdueCleared === 'number');
    expect(cleared).toMatchObject([{ team: 'utrecht-schuldhulp', OverdueCleared: 1 }]);
  });

  it('fails only the broken record, or the one whose alert lookup throws; the others are answered', async () => {
    // Prepare: the alert index is unreachable for one alert id.
    const holder: { real?: AlertIndex } = {};
    const alerts: AlertIndex = {
      put: (r) => holder.real!.put(r),
      get: (id) => (id === 'al_unreachable' ? Promise.reject(new Error('ServiceUnavailable')) : holder.real!.get(id)),
      recordLife: (id, life) => holder.real!.recordLife(id, life),
    };
    const { ports, publisher, alertId, invoke } = await setup({ alerts });
    holder.real = ports.alerts;
    const notJson = record('{"alertId":');
    const notEnvelope = record(JSON.stringify({ source: 'team.utrecht-schuldhulp', detail: { alertId } }));
    const throwing = record(report('utrecht-schuldhulp', 'AlertPickedUp', { alertId: 'al_unreachable', at: AT }));
    const good = report('utrecht-schuldhulp', 'AlertPickedUp', { alertId, at: AT });

    // Act
    const { result } = await captureOutput(() => invoke(notJson, notEnvelope, throwing, record(good)));

    // Assess
    expect(result.batchItemFailures).toEqual([notJson, notEnvelope, throwing].map((r) => ({ itemIdentifier: r.messageId })));
    expect(publisher.published.map(summary)).toEqual([
      ['TeamReportOutcome', 'accepted', good.id],
      ['SignalOutcome', 'picked-up', good.id],
    ]);
  });
});
