/**
 * Both CLIs against the real local pipeline, as a partner and a team would use them by hand:
 * push the example export, read the team's inbox, take and close an alert, read the partner's
 * outcomes; and a second push of the same file raises nothing new.
 */
import '../scenarios/quiet-logs.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_DETAIL_TYPES } from '@vroegsignaal/events';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';
import { LOCAL_QUEUE_PREFIX, LOCAL_TABLE_NAME as PIPELINE_TABLE_NAME } from '@vroegsignaal/stand-ins';
import { pushCsv, type PushResult } from '@vroegsignaal/cli';
import { LOCAL_TABLE_NAME } from '@vroegsignaal/cli';
import { DEFAULT_QUEUE_PREFIX } from '@vroegsignaal/cli';
import { runPartnerCli } from '@vroegsignaal/cli';
import { runTeamCli } from '@vroegsignaal/cli';
import type { InboxEntry } from '@vroegsignaal/cli';
import type { RowOutcome } from '@vroegsignaal/cli';
import type { CliIo } from '@vroegsignaal/cli';

const NOW = '2026-11-15T09:00:00+01:00';
const EXAMPLE = 'packages/cli/examples/huurachterstand-export.csv';
const TEAM = 'utrecht-schuldhulp';

function captureIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stderrIsTTY: false,
    env: {},
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
  };
  return io;
}

describe('partner and team CLIs on the local pipeline', () => {
  let test: TestPipeline;
  let endpoints: { events: string; sqs: string; dynamodb: string };
  const outcomes = new Map<string, { outcome: string; signalId: string }>();
  const dir = mkdtempSync(join(tmpdir(), 'cli-e2e-'));
  const inboxFile = join(dir, 'inbox.json');

  const team = async (...args: string[]) => {
    const io = captureIo();
    const code = await runTeamCli([...args, '--team', TEAM, '--inbox', inboxFile, '--now', NOW], { io });
    return { code, ...io };
  };
  const fetchInbox = async () => {
    const result = await team('inbox', '--json', '--endpoint', endpoints.sqs);
    expect(result.code, result.err).toBe(0);
    return JSON.parse(result.out) as { fetched: { received: number; alert: number; update: number }; alerts: InboxEntry[] };
  };
  const push = async (text: string): Promise<PushResult> => {
    const result = await pushCsv(text, { partnerId: 'mitros', policy: test.policy, nowMs: Date.parse(NOW), connection: { endpoint: endpoints.events }, env: {} });
    await test.pipeline.settle();
    return result;
  };
  const outcomeOf = (result: PushResult) => result.pushed.map((row) => outcomes.get(row.eventId!)?.outcome);

  beforeAll(async () => {
    test = await startTestPipeline({ now: NOW });
    const { standIns } = test.pipeline;
    endpoints = { events: standIns.eventBridgeEndpoint, sqs: standIns.sqsEndpoint, dynamodb: standIns.dynamodbEndpoint };
    test.pipeline.onPipelineEvent((event) => {
      if (event['detail-type'] !== PIPELINE_DETAIL_TYPES.signalOutcome) return;
      const detail = event.detail as { eventId: string; outcome: string; signalId: string };
      if (!outcomes.has(detail.eventId)) outcomes.set(detail.eventId, detail);
    });
  });
  afterAll(() => test?.stop());

  let first: PushResult;
  let closed: InboxEntry;

  it('uses the local stack names the pipeline uses', () => {
    expect(LOCAL_TABLE_NAME).toBe(PIPELINE_TABLE_NAME);
    expect(DEFAULT_QUEUE_PREFIX).toBe(LOCAL_QUEUE_PREFIX);
  });

  it('pushes the example export: bad rows stay home, every sent row gets an outcome', async () => {
    first = await push(readFileSync(EXAMPLE, 'utf8'));
    expect(first.file.rejected.map((r) => r.line)).toEqual([8, 15, 23, 31]);
    expect(first.send).toMatchObject({ sent: 36, failed: 0, retried: 0, requests: 4 });
    const counts: Record<string, number> = {};
    for (const outcome of outcomeOf(first)) counts[outcome ?? 'none'] = (counts[outcome ?? 'none'] ?? 0) + 1;
    expect(counts).toEqual({ accepted: 32, 'below-threshold': 4 });
    expect(first.pushed.every((row) => outcomes.get(row.eventId!)?.signalId === row.signalId)).toBe(true);
  });

  it("lists the team's new alerts from its queue, and keeps them after the queue is empty", async () => {
    const inbox = await fetchInbox();
    expect(inbox.fetched).toMatchObject({ received: 32, alert: 32, update: 0 });
    expect(inbox.alerts).toHaveLength(32);
    expect(inbox.alerts.every((entry) => entry.status === 'new' && entry.alert?.partners.includes('mitros'))).toBe(true);
    const again = await fetchInbox();
    expect(again.fetched.received).toBe(0);
    expect(again.alerts).toHaveLength(32);

    const text = await team('inbox', '--offline');
    expect(text.out).toMatch(/^utrecht-schuldhulp: 32 open alerts/m);
    expect(text.out).toMatch(/signal\s+new\s+under a minute\s+2026-12-13 09:00 \(in 28d\)\s+mitros\s+\d/);
  });

  /** One more row for the household of the chosen alert, as the corporation's next export would have it. */
  const laterRow = (date: string, amount: string, months: string) => {
    const { address } = closed.alert!;
    return `Peildatum;Postcode;Huisnummer;Huisletter;Toevoeging;Gemeentecode;Achterstand (EUR);Maanden achterstand\n${date};${address.postcode};${address.houseNumber};${address.houseLetter};${address.houseNumberAddition};0344;${amount};${months}\n`;
  };

  it('picks up an alert; while the case is open, a new signal for the household comes as an update on it', async () => {
    const inbox = await fetchInbox();
    closed = inbox.alerts.find((entry) => entry.alert!.signals[0]!.figures.amountCents === 131880)!;
    const show = await team('show', closed.alertId.slice(0, 10));
    expect(show.out).toContain('address     3521 BE 85A-2');

    const pickup = await team('pick-up', closed.alertId, '--by', 'sh-207', '--endpoint', endpoints.events);
    expect(pickup.code, pickup.err).toBe(0);
    expect(pickup.out).toMatch(/^Picked up: al_\w+ by sh-207\./);
    // The same member again is nothing new; another member takes the case over.
    expect((await team('pick-up', closed.alertId, '--by', 'sh-207', '--endpoint', endpoints.events)).out).toMatch(/is already picked up \(AlertPickedUp sent .* by sh-207\); nothing sent\. Give another --by to re-assign the case\.\n$/);
    const reassign = await team('pick-up', closed.alertId, '--by', 'sh-311', '--endpoint', endpoints.events);
    expect(reassign.out).toMatch(/^Re-assigned: al_\w+ to sh-311\. AlertPickedUp sent .*; the partners are not told again\.\n$/);
    await test.pipeline.settle();

    const later = await push(laterRow('13-11-2026', '1.758,40', '2'));
    expect(outcomeOf(later)).toEqual(['accepted']);
    const after = await fetchInbox();
    expect(after.fetched).toMatchObject({ received: 1, alert: 0, update: 1 });
    const entry = after.alerts.find((a) => a.alertId === closed.alertId)!;
    expect(entry.status).toBe('picked-up');
    expect(entry.updates).toHaveLength(1);
    expect(entry.updates[0]!.message.signals.map((signal) => signal.figures.amountCents)).toContain(175840);
  });

  it('closes the alert; the pipeline records it, and a later signal for the household raises nothing', async () => {
    const close = await team('close', closed.alertId, '--result', 'resolved', '--detail', 'quick-fix', '--endpoint', endpoints.events);
    expect(close.code, close.err).toBe(0);
    expect(close.out).toMatch(/^Closed \(resolved: advice or a quick fix\): al_/);
    await test.pipeline.settle();

    const household = (await test.pipeline.households()).find((h) => h.alerts.some((a) => a.alertId === closed.alertId))!;
    const record = household.alerts.find((a) => a.alertId === closed.alertId)!;
    expect(record.pickedUpAtMs).toBe(Date.parse(NOW));
    expect(record.closedAtMs).toBe(Date.parse(NOW));

    // Had the close not been recorded, the case would still be open and this would be an update.
    const later = await push(laterRow('15-11-2026', '2.637,60', '3'));
    expect(outcomeOf(later)).toEqual(['accepted']);
    const after = await fetchInbox();
    expect(after.fetched.received).toBe(0);
    expect(after.alerts.map((a) => a.alertId)).not.toContain(closed.alertId);

    // A second close is not sent again.
    const twice = await team('close', closed.alertId, '--result', 'resolved', '--endpoint', endpoints.events);
    expect(twice.out).toMatch(/is already closed .*nothing sent/);
  });

  it("tells the partner, row by row, including the team's picking up and closing", async () => {
    const io = captureIo();
    const code = await runPartnerCli(['outcomes', EXAMPLE, '--partner', 'mitros', '--dynamodb-endpoint', endpoints.dynamodb, '--json'], io);
    expect(code, io.err).toBe(0);
    const rows = (JSON.parse(io.out) as { rows: RowOutcome[] }).rows;
    expect(rows).toHaveLength(40);
    expect(rows.filter((r) => r.status === 'refused').map((r) => r.line)).toEqual([8, 15, 23, 31]);
    // Its date is in the future now, so it was when it was pushed: refused as push refused it.
    expect(rows.find((r) => r.line === 31)).toMatchObject({ status: 'refused', rule: 'observed-at' });
    const closedRow = rows.filter((r) => r.laterOutcomes?.some((l) => l.outcome === 'closed'));
    expect(closedRow).toHaveLength(1);
    expect(closedRow[0]).toMatchObject({ line: 3, outcome: 'accepted', laterOutcomes: [{ outcome: 'picked-up' }, { outcome: 'closed' }] });
  });

  it('raises nothing new when the same file is pushed again: every entry is a duplicate', async () => {
    const second = await push(readFileSync(EXAMPLE, 'utf8'));
    expect(second.pushed.map((r) => r.signalId)).toEqual(first.pushed.map((r) => r.signalId));
    expect(new Set(outcomeOf(second))).toEqual(new Set(['duplicate']));
    expect((await fetchInbox()).fetched.received).toBe(0);
    expect(await test.pipeline.collectTeamMessages()).toEqual([]);
  });

  it('exits 2 with a clear message when the bus or the queue cannot be reached', async () => {
    const file = join(dir, 'one-row.csv');
    writeFileSync(file, 'Peildatum;Postcode;Huisnummer;Gemeentecode;Achterstand;Maanden\n02-11-2026;3521 AK;12;0344;802,95;1\n');
    const io = captureIo();
    const code = await runPartnerCli(['push', file, '--partner', 'mitros', '--now', NOW, '--endpoint', 'http://127.0.0.1:1'], io);
    expect(code).toBe(2);
    expect(io.err).toMatch(/^error: cannot reach EventBridge at http:\/\/127.0.0.1:1 \(connection refused\)\. Is the local stack running/);
    expect(io.out).toContain('Summary: sent 0, refused 0, retried 0, failed 0, not attempted 1');

    // Sent, but the table with the outcomes cannot be reached: said so, with what was sent.
    const blind = captureIo();
    const sentCode = await runPartnerCli(['push', file, '--partner', 'mitros', '--now', NOW, '--endpoint', endpoints.events, '--dynamodb-endpoint', 'http://127.0.0.1:1'], blind);
    expect(sentCode).toBe(2);
    expect(blind.out).toContain('Summary: sent 1, refused 0, retried 0, failed 0');
    expect(blind.err).toMatch(/^error: the entries were sent, but their outcomes cannot be read: cannot reach table "vroegsignaal-households" \(DynamoDB at http:\/\/127.0.0.1:1\) \(connection refused\)\..* Pass --no-wait to send without waiting\.\n$/);

    const inbox = await team('inbox', '--endpoint', 'http://127.0.0.1:1');
    expect(inbox.code).toBe(2);
    expect(inbox.err).toMatch(/^error: cannot reach the queue of team utrecht-schuldhulp \(SQS at http:\/\/127.0.0.1:1\) \(connection refused\)/);

    const noQueue = await runTeamCli(['inbox', '--team', 'no-such-team', '--inbox', join(dir, 'x.json'), '--endpoint', endpoints.sqs], { io: captureIo() });
    expect(noQueue).toBe(2);
  });
});
