/**
 * Authority and privacy on the real local pipeline:
 * - a partner cannot report for another partner (source and account must match the registry)
 *   or outside its municipalities, and a team cannot report on (pick up, attempt, not take,
 *   forward, close) another team's alert, nor forward one to another municipality's team; each
 *   attempt is rejected and counted in a metric, and changes nothing;
 * - replaying the sample feed with logging at its most verbose, no postcode, postcode and house
 *   number, name, phone or e-mail of the input appears in a log line, a metric, a DynamoDB key,
 *   an error, a partner outcome, an alert's timeline or an escalation reminder (which carries no
 *   household reference either); only the household item itself and the team's alert hold
 *   them; and every stored item carries a TTL.
 */
import { readFileSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '@vroegsignaal/adapters';
import { compilePolicy, loadPolicyDir, type Policy } from '@vroegsignaal/policy';
import { startLocalPipeline, LOCAL_TABLE_NAME, type LocalPipeline } from '@vroegsignaal/stand-ins';
import { onStandIns, replayOn, type ReplayResult } from '@vroegsignaal/tools';
import { SAMPLE_FEED_NOW } from '@vroegsignaal/events';
import { captureOutput, jsonLines } from '../functions/support.ts';

const NOW = '2026-11-15T09:00:00+01:00';
const MITROS_ACCOUNT = '111111111111';
const PORTAAL_ACCOUNT = '222222222222';

function entry(source: string, detailType: string, detail: object, account?: string): string {
  return JSON.stringify({ Source: source, DetailType: detailType, Detail: detail, ...(account ? { Account: account } : {}) });
}

function arrears(signalId: string, municipalityCode: string, postcode: string) {
  return {
    schemaVersion: 1,
    signalId,
    observedAt: '2026-11-10T09:00:00+01:00',
    municipalityCode,
    address: { postcode, houseNumber: 7 },
    arrears: { amountCents: 120_000, monthsInArrears: 2 },
  };
}

/** The EMF metric values under `name` with the given dimension value, summed. */
function metricCount(output: string, name: string, dimension: string, value: string): number {
  return jsonLines(output)
    .filter((line) => '_aws' in line && line[dimension] === value && typeof line[name] === 'number')
    .reduce((sum, line) => sum + (line[name] as number), 0);
}

describe('authority', () => {
  let pipeline: LocalPipeline;
  beforeAll(async () => {
    const defaults = loadPolicyDir();
    const policy: Policy = {
      ...defaults,
      partners: defaults.partners.map((p) => (p.id === 'mitros' ? { ...p, accountId: MITROS_ACCOUNT } : p.id === 'portaal' ? { ...p, accountId: PORTAAL_ACCOUNT } : p)),
    };
    pipeline = await startLocalPipeline({ policy: compilePolicy(policy), clock: () => Date.parse(NOW) });
  });
  afterAll(() => pipeline.stop());

  it('rejects and counts a partner reporting as another, from another account, or outside its municipalities', async () => {
    const { result, output } = await captureOutput(() =>
      replayOn(onStandIns(pipeline),
        [
          entry('partner.mitros', 'RentArrearsReported', arrears('a1', 'GM0344', '3511 AB'), PORTAAL_ACCOUNT),
          entry('partner.portaal', 'RentArrearsReported', arrears('a2', 'GM0344', '3511 AB'), MITROS_ACCOUNT),
          entry('partner.mitros', 'RentArrearsReported', arrears('a3', 'GM0363', '1011 AB'), MITROS_ACCOUNT),
          entry('partner.mitros', 'RentArrearsReported', arrears('a4', 'GM0344', '3511 AB'), MITROS_ACCOUNT),
        ],
        { nowMs: Date.parse(NOW) },
      ),
    );
    expect(result.outcomes.map((o) => [o.outcome, o.reason])).toEqual([
      ['rejected', 'sent from an AWS account that is not registered for partner "mitros"'],
      ['rejected', 'sent from an AWS account that is not registered for partner "portaal"'],
      ['rejected', 'partner "mitros" is not registered for municipality GM0363'],
      ['accepted', 'stored'],
    ]);
    expect(metricCount(output, 'EntriesRejected', 'rule', 'account')).toBe(2);
    expect(metricCount(output, 'EntriesRejected', 'rule', 'municipality')).toBe(1);
    expect(result.messages.map((m) => m.team)).toEqual(['utrecht-schuldhulp']);
  });

  it("rejects and counts a team reporting on another team's alert, and tells it nothing about that alert", async () => {
    const alerted = await replayOn(onStandIns(pipeline), [entry('partner.mitros', 'RentArrearsReported', arrears('b1', 'GM0344', '3512 AB'), MITROS_ACCOUNT)], { nowMs: Date.parse(NOW) });
    const alertId = alerted.messages[0]!.message.alertId;
    const report = (team: string) => entry(`team.${team}`, 'AlertPickedUp', { schemaVersion: 1, alertId, at: NOW });
    const { result, output } = await captureOutput(() => replayOn(onStandIns(pipeline), [report('utrecht-voorkom-huisuitzetting'), report('utrecht-schuldhulp')], { nowMs: Date.parse(NOW) }));
    expect(result.outcomes.map((o) => [o.teamId, o.outcome, o.reason])).toEqual([
      ['utrecht-voorkom-huisuitzetting', 'rejected', `alert ${alertId} is not known`],
      ['utrecht-schuldhulp', 'accepted', 'case opened'],
    ]);
    expect(metricCount(output, 'TeamReportsRejected', 'rule', 'other-team')).toBe(1);
  });

  it("rejects another team's attempt, not-taken, forward and close as not known, and a forward to another municipality's team: the alert and the partners are untouched", async () => {
    const alerted = await replayOn(onStandIns(pipeline), [entry('partner.mitros', 'RentArrearsReported', arrears('b2', 'GM0344', '3513 AB'), MITROS_ACCOUNT)], { nowMs: Date.parse(NOW) });
    const alertId = alerted.messages[0]!.message.alertId;
    const recordNow = async () => (await pipeline.households()).flatMap((state) => state.alerts).find((a) => a.alertId === alertId);
    const before = await recordNow();
    expect(before?.team).toBe('utrecht-schuldhulp');
    const report = (team: string, detailType: string, fields: object) => entry(`team.${team}`, detailType, { schemaVersion: 1, alertId, at: NOW, ...fields });
    const told: unknown[] = [];
    const stopListening = pipeline.onPipelineEvent((event) => {
      if (event['detail-type'] === 'SignalOutcome') told.push(event.detail);
    });

    const other = 'utrecht-voorkom-huisuitzetting';
    const { result, output } = await captureOutput(() =>
      replayOn(
        onStandIns(pipeline),
        [
          report(other, 'ContactAttemptLogged', { channel: 'phone', reached: true }),
          report(other, 'AlertNotTaken', { reason: 'other-trajectory' }),
          report(other, 'AlertForwarded', { toTeam: 'utrecht-buurtteam-west' }),
          report(other, 'CaseClosed', { result: 'resolved', detail: 'quick-fix' }),
          // The holder itself may not hand the household to another municipality's team.
          report('utrecht-schuldhulp', 'AlertForwarded', { toTeam: 'amersfoort-schuldhulp', by: 'sh-1' }),
        ],
        { nowMs: Date.parse(NOW) },
      ),
    );
    stopListening();

    expect(result.outcomes.map((o) => [o.teamId, o.outcome, o.reason])).toEqual([
      [other, 'rejected', `alert ${alertId} is not known`],
      [other, 'rejected', `alert ${alertId} is not known`],
      [other, 'rejected', `alert ${alertId} is not known`],
      [other, 'rejected', `alert ${alertId} is not known`],
      ['utrecht-schuldhulp', 'rejected', expect.stringContaining('team "amersfoort-schuldhulp" works for another municipality')],
    ]);
    expect(metricCount(output, 'TeamReportsRejected', 'rule', 'other-team')).toBe(4);
    expect(metricCount(output, 'TeamReportsRejected', 'rule', 'forward-target')).toBe(1);
    expect(result.messages).toEqual([]);
    expect(told).toEqual([]);
    expect(await recordNow()).toEqual(before);
  });
});

/** Every postcode (both spellings), postcode + house number, name, phone and e-mail of the feed. */
function personalData(lines: string[]): string[] {
  const values = new Set<string>();
  for (const line of lines) {
    let detail: { address?: { postcode?: unknown; houseNumber?: unknown }; contact?: Record<string, unknown> } | undefined;
    try {
      const parsed = JSON.parse(line) as { Detail?: unknown };
      detail = (typeof parsed.Detail === 'string' ? JSON.parse(parsed.Detail) : parsed.Detail) as typeof detail;
    } catch {
      continue;
    }
    const { postcode, houseNumber } = detail?.address ?? {};
    if (typeof postcode === 'string' && /^[1-9][0-9]{3} ?[A-Za-z]{2}$/.test(postcode)) {
      const compact = postcode.replace(' ', '').toUpperCase();
      const spaced = `${compact.slice(0, 4)} ${compact.slice(4)}`;
      values.add(compact).add(spaced);
      if (typeof houseNumber === 'number') for (const p of [compact, spaced]) values.add(`${p} ${houseNumber}`).add(`${p}${houseNumber}`).add(`${p}-${houseNumber}`);
    }
    for (const value of Object.values(detail?.contact ?? {})) if (typeof value === 'string' && value.length > 3) values.add(value);
  }
  return [...values];
}

describe('privacy, on the sample feed', () => {
  const lines = readFileSync('events/samples/feed.ndjson', 'utf8').split('\n');
  const personal = personalData(lines);
  let pipeline: LocalPipeline;
  let replay: ReplayResult;
  let output: string;
  let items: Record<string, unknown>[];

  beforeAll(async () => {
    pipeline = await startLocalPipeline({ policy: compilePolicy(loadPolicyDir()), clock: () => Date.parse(SAMPLE_FEED_NOW) });
    ({ result: replay, output } = await captureOutput(() => replayOn(onStandIns(pipeline), lines, { nowMs: Date.parse(SAMPLE_FEED_NOW) })));
    const db = documentClient(pipeline.standIns.clients.dynamodb);
    items = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }, 120_000);
  afterAll(() => pipeline.stop());

  const leaksIn = (text: string) => personal.filter((value) => text.includes(value));

  it('knows what it looks for: the feed holds postcodes, addresses, names, phones and e-mails', () => {
    expect(personal.length).toBeGreaterThan(300);
    expect(output.split('\n').length).toBeGreaterThan(1000);
    expect(output).toContain('"message":"entry ingested"');
    expect(output).toContain('"_aws"');
  });

  it('keeps them out of every log line and metric', () => {
    expect(leaksIn(output)).toEqual([]);
  });

  it('keeps them out of every partner outcome, rejection reasons included', () => {
    expect(replay.outcomes.length).toBeGreaterThan(300);
    expect(leaksIn(JSON.stringify(replay.outcomes))).toEqual([]);
  });

  it('keeps them out of every DynamoDB key, and out of every item but the household itself', () => {
    expect(leaksIn(JSON.stringify(items.map((item) => [item.pk, item.sk])))).toEqual([]);
    const others = items.filter((item) => item.sk !== 'STATE');
    expect(others.length).toBeGreaterThan(100);
    expect(leaksIn(JSON.stringify(others))).toEqual([]);
    const households = items.filter((item) => item.sk === 'STATE').map((item) => {
      const { address: _address, contacts: _contacts, ...rest } = item.state as Record<string, unknown>;
      return rest;
    });
    expect(leaksIn(JSON.stringify(households))).toEqual([]);
  });

  it("keeps them out of every alert's timeline: codes, times and a pseudonymous by only", () => {
    const alerts = items.filter((item) => item.sk === 'STATE').flatMap((item) => (item.state as { alerts: { timeline?: { type: string }[] }[] }).alerts);
    const timelines = alerts.map((alert) => alert.timeline ?? []);
    const entries = timelines.flat();
    // The feed's team reports and the deadlines that passed are on them, not only the raisings.
    for (const type of ['raised', 'picked-up', 'attempt', 'not-taken', 'forwarded', 'closed', 'reminder']) expect(entries.map((e) => e.type), type).toContain(type);
    expect(leaksIn(JSON.stringify(timelines))).toEqual([]);
  });

  it('keeps them, and the household reference, out of every escalation reminder', () => {
    const escalations = replay.messages.map(({ message }) => message).filter((m) => m.kind === 'reminder' && m.reason === 'overdue-escalated');
    expect(escalations.length).toBeGreaterThan(0);
    expect(leaksIn(JSON.stringify(escalations))).toEqual([]);
    for (const escalation of escalations) {
      expect(escalation).not.toHaveProperty('householdRef');
      expect(escalation).not.toHaveProperty('address');
      expect(escalation).not.toHaveProperty('contact');
    }
    // The same household's references do appear in the other messages: what is scanned for is there to find.
    const refs = new Set(replay.messages.flatMap(({ message }) => (message.householdRef ? [message.householdRef] : [])));
    expect(refs.size).toBeGreaterThan(50);
    expect([...refs].filter((ref) => JSON.stringify(escalations).includes(ref))).toEqual([]);
  });

  it('holds them in the team alerts, which is where they are needed', () => {
    expect(leaksIn(JSON.stringify(replay.messages)).length).toBeGreaterThan(50);
  });

  it('gives every stored item a TTL', () => {
    const kinds = new Set(items.map((item) => String(item.pk).split('#')[0]));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['ALERT', 'CAP', 'HH', 'SIG']));
    const withoutTtl = items.filter((item) => typeof item.expiresAt !== 'number').map((item) => `${item.pk}/${item.sk}`);
    expect(withoutTtl).toEqual([]);
    const nowSeconds = Date.parse(SAMPLE_FEED_NOW) / 1000;
    expect(items.every((item) => (item.expiresAt as number) > nowSeconds)).toBe(true);
  });

  it('writes one audit record per message delivered to a team: the alert record for an alert, its own for an update or reminder', () => {
    const alerts = items.filter((item) => String(item.pk).startsWith('ALERT#'));
    const others = items.filter((item) => String(item.pk).startsWith('AUDIT#'));
    expect(alerts.length + others.length).toBe(replay.messages.length);
    expect(alerts).toHaveLength(replay.messages.filter((m) => m.message.kind === 'alert').length);
    for (const audit of [...alerts, ...others]) {
      expect(audit).toEqual(expect.objectContaining({ deliveryId: expect.any(String), householdRef: expect.any(String), team: expect.any(String), atMs: expect.any(Number) }));
      expect((audit.reasonCodes as string[]).length).toBeGreaterThan(0);
    }
  });

  it("keeps on the alert index, audit and judged-entry records only their own fields, never an address or contact; the index's copy of each alert's life is its timeline without the bus events' ids", () => {
    const INDEX_FIELDS = ['pk', 'sk', 'alertId', 'householdRef', 'team', 'level', 'sequence', 'atMs', 'deliveryId', 'reasonCodes', 'score', 'respondByMs', 'district', 'municipalityCode', 'signals', 'life', 'expiresAt'];
    // What the monitor's index (INDEXES.byMonth) reads: the municipality's month, on alerts and judged entries alike.
    const MONTH_FIELDS = ['monthKey'];
    const JUDGED_FIELDS = ['pk', 'sk', 'municipalityCode', 'partnerId', 'detailType', 'outcome', 'rule', 'householdRef', 'atMs', 'expiresAt'];
    // What the team inbox's index (INDEXES.openByTeam) reads: its keys while the alert is open, and the row's status fields.
    const INBOX_FIELDS = ['openTeam', 'openRank', 'partners', 'status', 'holder', 'escalatedAtMs'];
    const AUDIT_FIELDS = ['pk', 'sk', 'deliveryId', 'householdRef', 'alertId', 'team', 'kind', 'level', 'reasonCodes', 'atMs', 'expiresAt'];
    const LIFE_FIELDS = ['timeline', 'status', 'ending', 'pickedUpAtMs', 'reachedAtMs', 'closedAtMs', 'result', 'detail', 'holder', 'escalatedAtMs'];
    const ENTRY_FIELDS = ['type', 'atMs', 'by', 'channel', 'partOfDay', 'reached', 'reason', 'toTeam', 'result', 'detail', 'afterEnd'];
    const alerts = items.filter((item) => String(item.pk).startsWith('ALERT#'));
    for (const item of items.filter((i) => String(i.pk).startsWith('AUDIT#'))) expect(AUDIT_FIELDS).toEqual(expect.arrayContaining(Object.keys(item)));
    for (const item of alerts) expect([...INDEX_FIELDS, ...INBOX_FIELDS, ...MONTH_FIELDS]).toEqual(expect.arrayContaining(Object.keys(item)));
    const judged = items.filter((i) => String(i.pk).startsWith('JUDGED#'));
    expect(judged.length).toBeGreaterThan(0);
    for (const item of judged) expect([...JUDGED_FIELDS, ...MONTH_FIELDS]).toEqual(expect.arrayContaining(Object.keys(item)));
    const lives = alerts.map((item) => item.life as { timeline: Record<string, unknown>[] } & Record<string, unknown>);
    for (const life of lives) {
      expect(LIFE_FIELDS).toEqual(expect.arrayContaining(Object.keys(life)));
      for (const entry of life.timeline) expect(ENTRY_FIELDS).toEqual(expect.arrayContaining(Object.keys(entry)));
    }
    // Every alert's life is copied, as its household's write left it: the team reports and reminders too.
    const timelines = new Map(
      items
        .filter((item) => item.sk === 'STATE')
        .flatMap((item) => (item.state as { alerts: { alertId: string; timeline: { eventId?: string }[] }[] }).alerts)
        .map((alert) => [alert.alertId, alert.timeline.map(({ eventId: _eventId, ...entry }) => entry)]),
    );
    expect(alerts.map((item) => [item.alertId, (item.life as { timeline: unknown[] } | undefined)?.timeline])).toEqual(alerts.map((item) => [item.alertId, timelines.get(item.alertId as string)]));
    for (const type of ['picked-up', 'attempt', 'not-taken', 'forwarded', 'closed', 'reminder']) expect(lives.flatMap((l) => l.timeline.map((e) => e.type)), type).toContain(type);
  });
});
