/**
 * The monitor's figures as kept (the month indexes, MonitorSource) equal the figures recounted
 * from the raw material after replaying the sample feed on the in-memory engine: every alert
 * record on the households, with its life derived from its timeline, and every line's outcome
 * as the replay told it, at the clock the line was judged at. What the month indexes keep as it
 * happens is therefore what a scan of everything would count.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  lifeOf,
  monitorFigures,
  monitorMonthOf,
  monitorMonths,
  municipalityOfAddress,
  readMonitorFigures,
  rejectionRuleOf,
  type HouseholdState,
  type JudgedEntry,
  type MonitorAlert,
  type RejectionRule,
} from '@vroegsignaal/domain';
import { createMemoryPipeline } from '@vroegsignaal/engine-memory';
import { SAMPLE_FEED_FILE, SAMPLE_FEED_NOW } from '@vroegsignaal/events';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';
import { LOCAL_HOUSEHOLD_SECRET } from '@vroegsignaal/stand-ins';
import { onMemory, parseLine, replayOn, wholeSecond, type ReplayOutcome } from '@vroegsignaal/tools';

const policy = compilePolicy(loadPolicyDir());
/** Rejections made before the entry's address was read: they belong to no municipality. */
const BEFORE_THE_ADDRESS: ReadonlySet<RejectionRule> = new Set(['source', 'unregistered-partner', 'account', 'size', 'contract']);

/** The municipality an alert is worked for: its team's, or for the catch-all team the address's. */
function municipalityOfAlert(state: HouseholdState, team: string): string {
  return policy.team(team)?.municipalityCode ?? municipalityOfAddress(state.address, state.signals.at(-1)?.municipalityCode, policy);
}

describe('the monitor on the sample feed', () => {
  it('counts from the month indexes what a recount of the households and the replay counts, for every municipality', async () => {
    const lines = readFileSync(SAMPLE_FEED_FILE, 'utf8').split('\n').filter((line) => line.trim() !== '');
    const startMs = Date.parse(SAMPLE_FEED_NOW);
    const pipeline = createMemoryPipeline({ policy, clock: () => startMs, householdSecret: LOCAL_HOUSEHOLD_SECRET });
    const outcomes: ReplayOutcome[] = [];
    const householdOfLine = new Map<number, string | null>();
    const replay = await replayOn(onMemory(pipeline), lines, { nowMs: startMs, onOutcome: (o) => outcomes.push(o), onHousehold: (line, ref) => householdOfLine.set(line, ref) });

    // The raw material: the households' alert records, and each partner line's first outcome at its clock.
    const households = pipeline.households();
    const stateOf = new Map(households.map((state) => [state.ref, state]));
    const alerts = households.flatMap((state) =>
      state.alerts.map((record) => ({
        municipalityCode: municipalityOfAlert(state, record.team),
        alert: { alertId: record.alertId, householdRef: state.ref, team: record.team, level: record.level, atMs: record.raisedAtMs, respondByMs: record.respondByMs!, life: lifeOf(record) } satisfies MonitorAlert,
      })),
    );
    let clockMs = startMs;
    const clockAtLine = lines.map((text) => {
      const now = parseLine(text).nowMs;
      if (now !== undefined) clockMs = Math.max(clockMs, wholeSecond(now));
      return clockMs;
    });
    const entries = outcomes.flatMap((outcome) => {
      if (outcome.eventId === null || outcome.partnerId === null || outcome.teamId !== undefined) return [];
      const line = parseLine(lines[outcome.line - 1]!);
      if ('reason' in line) return [];
      const rule = outcome.outcome === 'rejected' ? rejectionRuleOf(outcome.reason ?? '') : undefined;
      const ref = householdOfLine.get(outcome.line) ?? undefined;
      const detail = JSON.parse(line.detail) as { municipalityCode?: string; address?: { postcode?: string } };
      const state = ref === undefined ? undefined : stateOf.get(ref);
      let municipalityCode: string | undefined;
      if (state) municipalityCode = municipalityOfAddress(state.address, detail.municipalityCode, policy);
      else if (rule !== undefined && !BEFORE_THE_ADDRESS.has(rule)) municipalityCode = policy.municipalityOfPostcodeArea(Number(detail.address?.postcode?.slice(0, 4))) ?? detail.municipalityCode;
      if (municipalityCode === undefined) return [];
      const entry: JudgedEntry = {
        partnerId: outcome.partnerId,
        detailType: line.detailType,
        outcome: outcome.outcome as JudgedEntry['outcome'],
        atMs: clockAtLine[outcome.line - 1]!,
        ...(rule !== undefined ? { rule } : {}),
        ...(ref !== undefined ? { householdRef: ref } : {}),
      };
      return [{ municipalityCode, entry }];
    });

    const months = [...new Set(entries.map(({ entry }) => monitorMonthOf(entry.atMs)))];
    expect(months).toEqual(['2026-11']);
    let checked = 0;
    for (const municipality of policy.policy.municipalities) {
      const kept = await readMonitorFigures(pipeline.engine.monitor, policy, municipality.code, '2026-11', replay.clockMs);
      const window = monitorMonths('2026-11', policy);
      const inWindow = (ms: number, of: string[]) => of.includes(monitorMonthOf(ms));
      const recounted = monitorFigures(
        {
          municipalityCode: municipality.code,
          entries: entries.filter((e) => e.municipalityCode === municipality.code && inWindow(e.entry.atMs, window.entries)).map((e) => e.entry),
          alerts: alerts.filter((a) => a.municipalityCode === municipality.code && inWindow(a.alert.atMs, window.alerts)).map((a) => a.alert),
          nowMs: replay.clockMs,
        },
        policy,
        '2026-11',
      );
      expect(kept, municipality.name).toEqual(recounted);
      if (recounted.blocks[0]!.tables[0]!.rows.length > 0) checked += 1;
    }
    // Not a comparison of empty figures: most municipalities have entries in the sample feed.
    expect(checked).toBeGreaterThanOrEqual(6);
  }, 30_000);
});
