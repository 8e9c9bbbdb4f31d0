/**
 * The sample feed's ending (events/samples/README.md, "After the alert"): the teams' reports on
 * their Now lines up to 27 November, replayed as npm start does, end as the stories tell: the
 * Amersfoort VIA case reached and closed with a payment plan, Amsterdam's alert not taken, the
 * Utrecht buurtteam's case forwarded to buurtteam West, the unattended Maastricht urgent alert
 * overdue and then escalated to the process managers; and npm start's summary shows per team
 * what became of its alerts.
 */
import '../scenarios/quiet-logs.ts';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { alertStatus, type AlertRecord } from '@vroegsignaal/domain';
import { SAMPLE_FEED_NOW, type TeamMessage } from '@vroegsignaal/events';
import { alertsAtEnd, type ReplayResult, replayLines } from '@vroegsignaal/tools';
import { timelineCodes } from '../scenarios/entries.ts';
import { defaultCompiledPolicy } from '../support/local-pipeline.ts';

const run = promisify(execFile);
const lines = readFileSync('events/samples/feed.ndjson', 'utf8').split('\n');
/** The alerts the feed's team reports are about (README: the stories name them). */
const VIA = 'al_hJmu_8kRw-2of0JtmS4wV3';
const VROEG_EROPAF = 'al_LItrzLD-qHaSiP98HB_r_W';
const ZUIDWEST = 'al_0qBzKsnfu0VhDQx5j_f2TW';
const LAST_NOW = '2026-11-27T10:03:00+01:00';

let result: ReplayResult;
let records: Map<string, AlertRecord>;
const messages = (): TeamMessage[] => result.messages.map(({ message }) => message);

beforeAll(async () => {
  // npm start's engine: the stand-ins, at the sample feed's clock.
  result = await replayLines(lines, { policy: defaultCompiledPolicy(), nowMs: Date.parse(SAMPLE_FEED_NOW) });
  records = new Map((result.alertRecords ?? []).map((r) => [r.alertId, r]));
}, 120_000);

describe('the sample feed, replayed to its last Now', () => {
  it('takes every team report, and answers the resent attempt with its first outcome', () => {
    const reports = result.outcomes.filter((o) => o.teamId);
    expect(reports.map((o) => o.line)).toEqual([387, 388, 389, 390, 391, 392, 393, 394, 395, 396, 397, 398, 399]);
    expect(reports.filter((o) => o.outcome !== 'accepted')).toEqual([]);
    const [first, resend] = [reports.find((o) => o.line === 390)!, reports.find((o) => o.line === 391)!];
    expect(resend.reason).toBe(first.reason);
    expect(result.clockMs).toBe(Date.parse(LAST_NOW));
  });

  it("ends Amersfoort VIA's case reached and closed as resolved with a payment plan, the resent attempt on its timeline once", () => {
    const via = records.get(VIA)!;
    expect(via.team).toBe('amersfoort-via');
    expect(alertStatus(via)).toBe('closed');
    expect(via.reachedAtMs).toBe(Date.parse('2026-11-17T19:05:00+01:00'));
    expect(timelineCodes(via).filter((code) => code !== 'raised' && !code.startsWith('update'))).toEqual([
      'picked-up',
      'attempt phone not-reached',
      'attempt home-visit reached',
      'closed resolved paid-or-arrangement',
    ]);
  });

  it("ends Amsterdam's alert not taken, and Utrecht buurtteam Zuidwest's forwarded to buurtteam West, which got an alert with forwardedFrom", () => {
    expect(alertStatus(records.get(VROEG_EROPAF)!)).toBe('not-taken');
    expect(records.get(VROEG_EROPAF)!.team).toBe('amsterdam-vroeg-eropaf');
    expect(alertStatus(records.get(ZUIDWEST)!)).toBe('forwarded');
    const handed = messages().filter((m) => m.kind === 'alert' && m.forwardedFrom === ZUIDWEST);
    expect(handed.map((m) => ({ team: m.team, level: m.level, createdAt: m.createdAt }))).toEqual([
      { team: 'utrecht-buurtteam-west', level: records.get(ZUIDWEST)!.level, createdAt: '2026-11-17T10:03:00+01:00' },
    ]);
    expect(records.get(handed[0]!.alertId)).toMatchObject({ team: 'utrecht-buurtteam-west', forwardedFrom: ZUIDWEST });
  });

  it("reminds the vangnet OGGZ of its unattended urgent alert at respondBy, then escalates it to procesmanagement at 3 × the term", () => {
    const overdue = messages().filter((m) => m.kind === 'reminder' && m.reason === 'overdue' && m.team === 'maastricht-vangnet-oggz');
    expect(overdue).toHaveLength(1);
    const [reminder] = overdue;
    expect(reminder).toMatchObject({ level: 'urgent', createdAt: '2026-11-18T09:00:00+01:00', dueAt: '2026-11-18T09:00:00+01:00' });
    const escalated = messages().filter((m) => m.kind === 'reminder' && m.reason === 'overdue-escalated');
    expect(escalated).toEqual([
      expect.objectContaining({ team: 'maastricht-procesmanagement', alertTeam: 'maastricht-vangnet-oggz', alertId: reminder!.alertId, level: 'urgent', createdAt: '2026-11-26T09:00:00+01:00' }),
    ]);
    expect(escalated[0]).not.toHaveProperty('householdRef');
    expect(alertStatus(records.get(reminder!.alertId)!)).toBe('raised');
  });

  it("counts per team at the end what became of its alerts, as npm start's summary shows", () => {
    const tally = alertsAtEnd(result)!;
    expect(tally.get('amersfoort-via')).toMatchObject({ 'picked-up': 1, reached: 1, resolved: 1 });
    expect(tally.get('amsterdam-vroeg-eropaf')).toMatchObject({ 'not-taken': 1 });
    expect(tally.get('utrecht-buurtteam-zuidwest')).toEqual({ forwarded: 1 });
    expect(tally.get('utrecht-buurtteam-west')).toMatchObject({ open: 1 });
    expect(tally.get('utrecht-schuldhulp')).toMatchObject({ 'picked-up': 1, reached: 1, referred: 1 });
    expect(tally.get('maastricht-vangnet-oggz')).toMatchObject({ overdue: 1 });
    expect(tally.get('maastricht-procesmanagement')).toMatchObject({ 'picked-up': 1 });
  });
});

describe('npm start', () => {
  it("ends its summary with each team's alerts at the last Now: open, overdue, picked up, reached and closed by result", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'start-'));
    const { stderr } = await run('npx', ['tsx', 'packages/tools/src/cli/start.ts', '--engine', 'memory', '--out', join(dir, 'messages.ndjson'), '--outcomes', join(dir, 'outcomes.ndjson')], {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(stderr).toContain(`The teams' alerts at ${LAST_NOW}: open (of which overdue), picked up, reached, and how they ended:`);
    const header = stderr.split('\n').find((line) => line.startsWith('team') && line.includes('not-taken'))!;
    expect(header.trim().split(/\s+/)).toEqual(['team', 'open', 'overdue', 'picked-up', 'reached', 'resolved', 'referred', 'no-contact', 'declined', 'not-taken', 'forwarded']);
    // The alerts table comes after the messages by level, which has a row per team too.
    const lastRow = (team: string) => {
      const rows = stderr.split('\n').filter((line) => line.startsWith(`${team} `));
      return rows.at(-1)?.trim().split(/\s+/).slice(1).map(Number);
    };
    //                                          open overdue picked reached resolved referred no-contact declined not-taken forwarded
    expect(lastRow('amersfoort-via')).toEqual([1, 0, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(lastRow('amsterdam-vroeg-eropaf')).toEqual([25, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(lastRow('utrecht-buurtteam-zuidwest')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(lastRow('utrecht-schuldhulp')).toEqual([22, 0, 1, 1, 0, 1, 0, 0, 0, 0]);
    expect(lastRow('maastricht-vangnet-oggz')).toEqual([3, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  }, 120_000);
});
