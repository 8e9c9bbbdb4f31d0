/**
 * Faults (issue 5, item 3): DynamoDB throttling and internal errors (some after the write
 * took effect), EventBridge internal errors, team sends that fail until the SDK gives up,
 * and crashes in the middle of a batch, injected by a middleware on the handlers' own SDK
 * clients (packages/harness/src/faults.ts), never by editing a handler. After retries and
 * redelivery the end must equal the fault-free run; what cannot succeed lands in the
 * stage's DLQ with the reason, and a redrive puts it back once the cause is fixed.
 */
import '../scenarios/quiet-logs.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, DynamoAlertIndex } from '@vroegsignaal/adapters';
import { householdRef, lifeOf, normaliseAddress } from '@vroegsignaal/domain';
import { baselineRun, deadLetterRun, faultsRun, type Baseline } from '@vroegsignaal/harness';
import { generateFeed } from '@vroegsignaal/harness';
import { householdOf, injectFaults, isHouseholdWrite, type FaultInjector, type FaultPlan } from '@vroegsignaal/harness';
import { LOCAL_HOUSEHOLD_SECRET, LOCAL_TABLE_NAME, startLocalPipeline, type LocalPipeline } from '@vroegsignaal/stand-ins';
import { onStandIns, replayOn } from '@vroegsignaal/tools';
import { defaultCompiledPolicy } from '../support/local-pipeline.ts';

const run = promisify(execFile);
const policy = defaultCompiledPolicy();
const SIZE = 80;
const SEED = 5_150;

let baseline: Baseline;
beforeAll(async () => {
  const feed = generateFeed({ size: SIZE, seed: SEED, policy });
  const run = await baselineRun(feed, policy);
  expect(run.row.failures).toEqual([]);
  baseline = run.baseline;
}, 60_000);

describe('a generated feed under injected faults', () => {
  it('ends exactly as without faults: same households, claims, outcomes and alerts, nothing in a DLQ', { timeout: 120_000 }, async () => {
    const row = await faultsRun(baseline, policy, SEED, 40, 2);

    expect(row.failures).toEqual([]);
    expect({ lost: row.lost, doubled: row.doubled }).toEqual({ lost: 0, doubled: 0 });
    expect(row.alertsRaised).toBe(baseline.alerts.length);
    // Faults of every kind happened, the SDK retried, and records came back from their queue.
    expect(row.faults).toBeGreaterThan(20);
    expect(row.retries).toBeGreaterThan(10);
    expect(row.redeliveries).toBeGreaterThan(0);
    for (const kind of ['dynamo-throttle', 'dynamo-internal', 'dynamo-lost-response', 'team-send-failure', 'crash']) expect(row.notes.join(' '), kind).toContain(kind);
    expect(row.dlq).toBe(0);
  });

  it('dead-letters what fails on every attempt, with the reason, and a redrive after the fix ends as without faults', { timeout: 120_000 }, async () => {
    const row = await deadLetterRun(baseline, policy, SEED, 40);

    expect(row.failures).toEqual([]);
    expect({ lost: row.lost, doubled: row.doubled }).toEqual({ lost: 0, doubled: 0 });
    expect(row.dlq).toBeGreaterThanOrEqual(2);
    expect(row.notes.join(' ')).toMatch(/ingest DLQ: \d+ redriven \(reason AccessDeniedException\)/);
    expect(row.notes.join(' ')).toMatch(/deliver DLQ: \d+ redriven \(reason KmsAccessDenied\)/);
  });
});

describe('a crash or a lost response at the worst moment', () => {
  const NOW = Date.parse('2026-11-15T09:00:00+01:00');
  let pipeline: LocalPipeline | undefined;
  let injector: FaultInjector;
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  const address = { postcode: '3512 JE', houseNumber: 77 };
  const ref = householdRef(normaliseAddress(address), LOCAL_HOUSEHOLD_SECRET);
  const base = (signalId: string) => ({ schemaVersion: 1, signalId, observedAt: '2026-11-01T09:00:00+01:00', municipalityCode: 'GM0344', address });
  const arrears = (signalId: string) => JSON.stringify({ Source: 'partner.mitros', DetailType: 'RentArrearsReported', Detail: { ...base(signalId), arrears: { amountCents: 180_000, monthsInArrears: 2 } } });
  const withdrawal = (signalId: string, of: string) =>
    JSON.stringify({ Source: 'partner.mitros', DetailType: 'SignalWithdrawn', Detail: { ...base(signalId), observedAt: '2026-11-05T09:00:00+01:00', withdrawal: { signalId: of, reason: 'paymentArrangement' } } });
  const householdWrite = (call: Parameters<typeof isHouseholdWrite>[0]) => isHouseholdWrite(call) && householdOf(call) === ref;

  async function start(plan: FaultPlan) {
    pipeline = await startLocalPipeline({ policy, clock: () => NOW, functionTimeoutSeconds: 2, decorateClients: (clients) => (injector = injectFaults(clients, plan)) });
    return pipeline;
  }

  async function claimOf(p: LocalPipeline, signalId: string) {
    const { Items = [] } = await documentClient(p.standIns.clients.dynamodb).send(new ScanCommand({ TableName: LOCAL_TABLE_NAME, FilterExpression: 'signalId = :s AND sk = :claim', ExpressionAttributeValues: { ':s': signalId, ':claim': 'CLAIM' } }));
    return Items[0];
  }

  it('a signal whose withdrawal came first, crashing after its household write: told its own outcome, claim completed, withdrawn later', { timeout: 30_000 }, async () => {
    const p = await start({ crashes: { count: 1, probability: 1, match: householdWrite, phase: 'after' } });

    const first = await replayOn(onStandIns(p), [withdrawal('mit-w1', 'mit-s1')], { nowMs: NOW });
    const second = await replayOn(onStandIns(p), [arrears('mit-s1')], { nowMs: NOW });

    expect(injector.crashes()).toBe(1);
    expect(first.outcomes.map((o) => o.outcome)).toEqual(['withdrawn']);
    expect(second.outcomes.map((o) => [o.outcome, o.reason])).toEqual([['accepted', 'stored']]);
    expect(await claimOf(p, 'mit-s1')).toMatchObject({ householdRef: ref, outcome: 'accepted', laterOutcomes: [expect.objectContaining({ outcome: 'withdrawn' })] });
    const [state] = (await p.households()).filter((h) => h.ref === ref);
    expect(state?.withdrawals.map((w) => w.signalId)).toEqual(['mit-s1']);
    expect(await p.dlqDepths()).toEqual({ ingest: 0, deliver: 0, 'team-report': 0, outcomes: 0, notify: 0 });
  });

  it('a withdrawal whose household write loses its response: the withdrawn signal is still told "withdrawn"', { timeout: 30_000 }, async () => {
    const p = await start({});
    await replayOn(onStandIns(p), [arrears('mit-s2')], { nowMs: NOW });
    injector.setPlan({ lostResponses: { count: 1, match: householdWrite } });

    const result = await replayOn(onStandIns(p), [withdrawal('mit-w2', 'mit-s2')], { nowMs: NOW });

    expect(injector.stats().injected['dynamo-lost-response']).toBe(1);
    expect(result.outcomes.map((o) => o.outcome)).toEqual(['withdrawn']);
    expect(await claimOf(p, 'mit-s2')).toMatchObject({ outcome: 'accepted', laterOutcomes: [expect.objectContaining({ outcome: 'withdrawn' })] });
  });

  it('a withdrawal crashing after its household write: redelivered, and the withdrawn signal is told once', { timeout: 30_000 }, async () => {
    const p = await start({});
    await replayOn(onStandIns(p), [arrears('mit-s3')], { nowMs: NOW });
    injector.setPlan({ crashes: { count: 1, probability: 1, match: householdWrite, phase: 'after' } });

    const result = await replayOn(onStandIns(p), [withdrawal('mit-w3', 'mit-s3')], { nowMs: NOW });

    expect(injector.crashes()).toBe(1);
    expect(result.outcomes.map((o) => o.outcome)).toEqual(['withdrawn']);
    expect(await claimOf(p, 'mit-s3')).toMatchObject({ outcome: 'accepted', laterOutcomes: [expect.objectContaining({ outcome: 'withdrawn' })] });
  });

  /** The alert index's copy of an alert's life (dynamodb.ts, DynamoAlertIndex.recordLife). */
  const lifeCopy = (call: Parameters<typeof isHouseholdWrite>[0]) => call.service === 'DynamoDB' && call.operation === 'UpdateItem' && (call.input.ExpressionAttributeNames as Record<string, string> | undefined)?.['#life'] === 'life';
  async function copiedAndHeld(p: LocalPipeline) {
    const [state] = (await p.households()).filter((h) => h.ref === ref);
    const [record] = state?.alerts ?? [];
    if (!record) throw new Error('no alert raised');
    const index = await new DynamoAlertIndex(documentClient(p.standIns.clients.dynamodb), LOCAL_TABLE_NAME).get(record.alertId);
    return { copied: index?.life, held: lifeOf(record) };
  }

  it('an alert whose copy to the index crashes after the household write: the redelivered entry copies it', { timeout: 30_000 }, async () => {
    const p = await start({ crashes: { count: 1, probability: 1, match: lifeCopy, phase: 'before' } });

    const result = await replayOn(onStandIns(p), [arrears('mit-s5')], { nowMs: NOW });

    expect(injector.crashes()).toBe(1);
    expect(result.outcomes.map((o) => o.outcome)).toEqual(['accepted']);
    const { copied, held } = await copiedAndHeld(p);
    expect(copied).toEqual(held);
    expect(held.timeline.map((e) => e.type)).toEqual(['raised']);
  });

  it('a reminder whose copy to the index crashes after the household write: the retried delivery copies it', { timeout: 30_000 }, async () => {
    const p = await start({});
    await replayOn(onStandIns(p), [arrears('mit-s6')], { nowMs: NOW });
    const respondByMs = (await p.households()).find((h) => h.ref === ref)!.alerts[0]!.respondByMs!;
    injector.setPlan({ crashes: { count: 1, probability: 1, match: lifeCopy, phase: 'before' } });

    p.moveClockTo(respondByMs);
    await p.fireSchedules(respondByMs);

    expect(injector.crashes()).toBe(1);
    const { copied, held } = await copiedAndHeld(p);
    expect(copied).toEqual(held);
    expect(held.timeline.map((e) => e.type)).toEqual(['raised', 'reminder']);
    expect(await p.dlqDepths()).toEqual({ ingest: 0, deliver: 0, 'team-report': 0, outcomes: 0, notify: 0 });
  });

  it('npm run redrive, as documented, lists the dead letters with their reason and puts them back once the cause is fixed', { timeout: 60_000 }, async () => {
    // Prepare: household writes for one address are denied; the entry fails twice and is dead-lettered.
    pipeline = await startLocalPipeline({
      policy,
      clock: () => NOW,
      maxReceiveCount: 2,
      decorateClients: (clients) => (injector = injectFaults(clients, { permanent: [{ label: 'denied', match: householdWrite, error: 'AccessDeniedException' }] })),
    });
    const p = pipeline;
    const before = await replayOn(onStandIns(p), [arrears('mit-s4')], { nowMs: NOW });
    expect(before.outcomes.map((o) => o.outcome)).toEqual(['rejected']);
    expect(await p.dlqDepths()).toMatchObject({ ingest: 1 });
    const redriveCli = (...args: string[]) =>
      run('npx', ['tsx', 'packages/tools/src/cli/redrive.ts', '--stage', 'ingest', '--endpoint', p.standIns.sqsEndpoint, ...args], { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });

    // Act 1: look first.
    const look = await redriveCli('--dry-run');
    // Act 2: fix the cause, then redrive.
    injector.setPlan({});
    const moved = await redriveCli();
    await p.settle();
    const messages = await p.collectTeamMessages();

    // Assess
    expect(look.stdout).toMatch(/^\S+ {2}AccessDeniedException$/m);
    expect(look.stdout).toContain('1 message(s) in the DLQ; nothing moved (--dry-run)');
    expect(moved.stdout).toContain('1 message(s) put back on the buffer');
    expect(await p.dlqDepths()).toEqual({ ingest: 0, deliver: 0, 'team-report': 0, outcomes: 0, notify: 0 });
    expect(await claimOf(p, 'mit-s4')).toMatchObject({ householdRef: ref, outcome: 'accepted' });
    const household = (await p.households()).find((h) => h.ref === ref);
    expect(household?.signals.map((s) => s.signalId)).toEqual(['mit-s4']);
    // The alert went out before the household write that failed (messages are sent, then
    // recorded): the team got it once, and the redriven entry records that same alert.
    expect(before.messages.map((m) => [m.team, m.message.kind, m.message.level])).toEqual([['utrecht-schuldhulp', 'alert', 'signal']]);
    expect(messages).toEqual([]);
    expect(household?.alerts.map((a) => a.alertId)).toEqual([before.messages[0]!.message.alertId]);
  });
});
