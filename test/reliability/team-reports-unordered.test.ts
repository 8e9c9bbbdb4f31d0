/**
 * Team reports arrive at least once and in any order (contract v1.1 section 2): a set of
 * alerts and the teams' reports about them (pick-ups, a re-assignment, attempts, not-taken,
 * a forward, closes, two endings of one alert, reports dated after an alert's end), delivered
 * in seeded shuffles with every report one to three times, through the in-memory pipeline (and
 * once through the stand-ins: queues, handlers, DynamoDB),
 * end in the same alert states and timelines, and the teams receive the same messages.
 */
import '../scenarios/quiet-logs.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { alertStatus, type AlertRecord } from '@vroegsignaal/domain';
import { Rng } from '@vroegsignaal/harness';
import { type EngineName, type ReplayResult, replayLines } from '@vroegsignaal/tools';
import { defaultCompiledPolicy } from '../support/local-pipeline.ts';
import { alertIdOf, arrears, T0, teamReport, type Line } from '../support/weeks-feed.ts';

const policy = defaultCompiledPolicy();
const SEED = 20_261_203;
const SHUFFLES = 6;
const SH = 'utrecht-schuldhulp';
/** Every report is sent at this moment, after all their `at`s and before any deadline. */
const SENT = '2026-06-22T10:00:00+02:00';

const hoursAfterT0 = (hours: number) => new Date(Date.parse(T0) + hours * 3_600_000).toISOString();
const alertOf = (houseNumber: number) => alertIdOf({ postcode: '3511 AB', houseNumber }, T0, SH, 'signal');
const report = (detailType: string, houseNumber: number, hours: number, fields: Line = {}): Line =>
  teamReport(SH, detailType, { alertId: alertOf(houseNumber), at: hoursAfterT0(hours), ...fields }, SENT);

/** Seven households in arrears, each a signal for utrecht-schuldhulp raised at T0. */
const alerts: Line[] = [1, 2, 3, 4, 5, 6, 7].map((n, i) => arrears(n, '2026-06-10T09:00:00+02:00', i === 0 ? { Now: T0 } : {}));

const reports: Line[] = [
  // 1: picked up, missed, reached, closed; an attempt dated after the close.
  report('AlertPickedUp', 1, 1, { by: 'sh-1' }),
  report('ContactAttemptLogged', 1, 2, { channel: 'phone', reached: false, by: 'sh-1' }),
  report('ContactAttemptLogged', 1, 24, { channel: 'home-visit', reached: true, by: 'sh-1' }),
  report('CaseClosed', 1, 48, { result: 'resolved', detail: 'quick-fix', by: 'sh-1' }),
  report('ContactAttemptLogged', 1, 72, { channel: 'sms', reached: false }),
  // 2: not taken; a pick-up dated after.
  report('AlertNotTaken', 2, 1, { reason: 'repeat' }),
  report('AlertPickedUp', 2, 2, { by: 'sh-2' }),
  // 3: forwarded to Voorkom Huisuitzetting; a close dated after.
  report('AlertForwarded', 3, 1, { toTeam: 'utrecht-voorkom-huisuitzetting', by: 'sh-3' }),
  report('CaseClosed', 3, 24, { result: 'resolved' }),
  // 4: picked up, re-assigned, closed without contact.
  report('AlertPickedUp', 4, 1, { by: 'sh-4' }),
  report('AlertPickedUp', 4, 3, { by: 'sh-5' }),
  report('ContactAttemptLogged', 4, 4, { channel: 'letter', reached: false, by: 'sh-5' }),
  report('CaseClosed', 4, 120, { result: 'no-contact', detail: 'never-reached', by: 'sh-5' }),
  // 5: an attempt, then closed as referred; a not-taken dated after.
  report('ContactAttemptLogged', 5, 1, { channel: 'email', reached: true, partOfDay: 'morning' }),
  report('CaseClosed', 5, 48, { result: 'referred', detail: 'referred-financial' }),
  report('AlertNotTaken', 5, 72, { reason: 'other' }),
  // 6: nothing: it stays raised.
  // 7: two endings; the earlier (closed as declined) ends it, whichever arrives first.
  report('AlertNotTaken', 7, 30, { reason: 'unjustified' }),
  report('CaseClosed', 7, 25, { result: 'declined', detail: 'declined' }),
];

/**
 * An alert as its record ends: its state and timeline, without the bus event ids (which differ
 * per delivery) and without the reports set aside as dated after the end: the contract keeps
 * those only when they arrived before the end did (rejected otherwise), so they follow arrival.
 */
function endState(record: AlertRecord) {
  const { timeline = [], ...rest } = record;
  return {
    status: alertStatus(record),
    ending: rest.ending,
    pickedUpAtMs: rest.pickedUpAtMs,
    closedAtMs: rest.closedAtMs,
    reachedAtMs: rest.reachedAtMs,
    forwardedFrom: rest.forwardedFrom,
    forwardDelivered: rest.forwardDelivered,
    timeline: timeline.filter((entry) => !entry.afterEnd).map(({ eventId: _eventId, ...entry }) => entry),
  };
}

/** The reports dated after their alert's end, as `alertId type atMs`: rejected or set aside, never in effect. */
const AFTER_END = new Set(
  [
    [1, 'attempt', 72],
    [2, 'picked-up', 2],
    [3, 'closed', 24],
    [5, 'not-taken', 72],
    [7, 'not-taken', 30],
  ].map(([n, type, hours]) => `${alertOf(n as number)} ${type} ${Date.parse(hoursAfterT0(hours as number))}`),
);
const setAside = (result: ReplayResult) =>
  (result.alertRecords ?? []).flatMap((r) => (r.timeline ?? []).filter((e) => e.afterEnd).map((e) => `${r.alertId} ${e.type} ${e.atMs}`));

const states = (result: ReplayResult) => Object.fromEntries((result.alertRecords ?? []).map((r) => [r.alertId, endState(r)]));
const messageSet = (result: ReplayResult) => new Set(result.messages.map(({ message }) => JSON.stringify(message)));

/** The reports in a seeded order, each one to three times (a copy anywhere after the first). */
function delivery(seed: number): Line[] {
  const rng = new Rng(seed);
  const copies = reports.flatMap((line) => Array.from({ length: rng.int(1, 3) }, () => line));
  return rng.shuffle(copies);
}

const replay = (lines: Line[], engine: EngineName = 'memory') => replayLines(lines.map((line) => JSON.stringify(line)), { policy, engine, nowMs: Date.parse(T0) });

let inOrder: ReplayResult;
beforeAll(async () => {
  inOrder = await replay([...alerts, ...reports]);
}, 30_000);

describe('team reports delivered in order, once', () => {
  it('are all taken, and tell each story', () => {
    // Four reports dated after an end that was known are rejected; alert 7's not-taken came before its earlier close, and is set aside.
    expect(inOrder.outcomes.filter((o) => o.outcome !== 'accepted').map((o) => o.reason)).toEqual(Array(4).fill(expect.stringContaining("before this report's \"at\"")));
    expect(setAside(inOrder)).toEqual([`${alertOf(7)} not-taken ${Date.parse(hoursAfterT0(30))}`]);
    const end = states(inOrder);
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => end[alertOf(n)]!.status)).toEqual(['closed', 'not-taken', 'forwarded', 'closed', 'closed', 'raised', 'closed']);
    expect(end[alertOf(7)]!.timeline.filter((e) => e.type === 'closed')).toEqual([expect.objectContaining({ result: 'declined' })]);
    expect(inOrder.messages.map(({ message }) => [message.kind, message.team])).toContainEqual(['alert', 'utrecht-voorkom-huisuitzetting']);
  });
});

describe.each(Array.from({ length: SHUFFLES }, (_, i) => SEED + i))('team reports shuffled and duplicated (seed %i)', (seed) => {
  it('end in the same alert states and timelines, and the teams receive the same messages', async () => {
    const lines = delivery(seed);
    expect(lines.length).toBeGreaterThan(reports.length);
    const result = await replay([...alerts, ...lines]);

    expect(result.outcomes.filter((o) => o.outcome !== 'accepted' && o.outcome !== 'rejected')).toEqual([]);
    expect(states(result)).toEqual(states(inOrder));
    for (const entry of setAside(result)) expect(AFTER_END, entry).toContain(entry);
    expect(messageSet(result)).toEqual(messageSet(inOrder));
  }, 15_000);
});

describe('team reports shuffled and duplicated, on the stand-ins', () => {
  it('end in the same alert states and timelines as in order on the in-memory pipeline, with the same messages', async () => {
    const result = await replay([...alerts, ...delivery(SEED + SHUFFLES)], 'stand-ins');

    expect(states(result)).toEqual(states(inOrder));
    expect(messageSet(result)).toEqual(messageSet(inOrder));
  }, 30_000);
});
