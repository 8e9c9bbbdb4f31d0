/**
 * The in-memory pipeline around the use cases: what PutEvents refuses, where each event goes,
 * and what becomes of a record that fails. (That the use cases give the same results as on the
 * stand-ins is the differential test's: test/integration/engines.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT, MAX_TOTAL_ENTRY_BYTES } from '@vroegsignaal/events';
import { createMemoryPipeline } from '@vroegsignaal/engine-memory';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';
import { onMemory, replayOn } from '@vroegsignaal/tools';

const policy = compilePolicy(loadPolicyDir());
const NOW = Date.parse('2026-11-15T09:00:00+01:00');
const SECRET = 'a-household-secret-for-tests-only';

const arrears = (signalId: string) => ({
  Source: 'partner.mitros',
  DetailType: 'RentArrearsReported',
  Detail: JSON.stringify({
    schemaVersion: 1,
    signalId,
    observedAt: '2026-11-10T09:00:00+01:00',
    municipalityCode: 'GM0344',
    address: { postcode: '3511 AB', houseNumber: 1 },
    arrears: { amountCents: 160_000, monthsInArrears: 2 },
  }),
});

const pipeline = () => createMemoryPipeline({ policy, clock: () => NOW, householdSecret: SECRET });

describe('createMemoryPipeline', () => {
  it('answers as PutEvents does: an event id, or the entry refused with its code', async () => {
    const p = pipeline();

    expect(await p.putEntry(arrears('a'), DEFAULT_ACCOUNT)).toMatchObject({ EventId: expect.any(String), householdRef: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await p.putEntry({ Source: 'partner.mitros', DetailType: 'RentArrearsReported' }, DEFAULT_ACCOUNT)).toMatchObject({ ErrorCode: 'InvalidArgument' });
    expect(await p.putEntry({ ...arrears('b'), Detail: '[1, 2]' }, DEFAULT_ACCOUNT)).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    expect(await p.putEntry({ ...arrears('c'), Detail: 'x'.repeat(MAX_TOTAL_ENTRY_BYTES) }, DEFAULT_ACCOUNT)).toMatchObject({ ErrorCode: 'ValidationException' });
    expect(await p.putEntry({ ...arrears('d'), Time: 'yesterday' }, DEFAULT_ACCOUNT)).toMatchObject({ ErrorCode: 'InvalidArgument' });
  });

  it('sends a partner entry to ingest and its outcome to the pipeline bus, a team report to the team-report stage', async () => {
    const p = pipeline();
    const seen: string[] = [];
    p.onPipelineEvent((event) => seen.push(`${event['detail-type']} ${String(event.detail.outcome ?? '')}`));

    await p.putEntry(arrears('a'), DEFAULT_ACCOUNT);
    const [alert] = p.collectTeamMessages();
    await p.putEntry({ Source: 'team.utrecht-schuldhulp', DetailType: 'AlertPickedUp', Detail: JSON.stringify({ schemaVersion: 1, alertId: 'al_unknown', at: '2026-11-15T08:00:00+01:00' }) }, DEFAULT_ACCOUNT);

    expect(alert).toMatchObject({ team: 'utrecht-schuldhulp', message: { kind: 'alert' } });
    expect(seen).toEqual(['SignalOutcome accepted', 'TeamReportOutcome rejected']);
    expect(p.collectTeamMessages()).toEqual([]);
  });

  it('judges at the moment a replay moves its clock to, and says when the next reminder check is due, to the second', async () => {
    const p = pipeline();
    await p.engine.scheduler.scheduleCheck('hh-1', NOW + 90_500);
    await p.engine.scheduler.scheduleCheck('hh-2', NOW + 30_000);

    expect(p.nextScheduleAt()).toBe(NOW + 30_000);
    expect(await p.fireSchedules(NOW + 30_000)).toBe(1);
    expect(p.nextScheduleAt()).toBe(NOW + 90_000);

    p.moveClockTo(NOW + 60_000);
    await p.putEntry(arrears('a'), DEFAULT_ACCOUNT);
    const [alert] = p.collectTeamMessages();
    expect(p.now()).toBe(NOW + 60_000);
    expect(alert?.message.createdAt).toBe('2026-11-15T09:01:00+01:00');
  });

  it('dead-letters a record that fails, with the reason, and the replay tells the line why', async () => {
    const p = pipeline();
    p.engine.households.put = async () => {
      throw Object.assign(new Error('the table is gone'), { name: 'TableError', code: 'GONE' });
    };

    const result = await replayOn(onMemory(p), [JSON.stringify(arrears('a'))], { nowMs: NOW });

    expect(p.deadLetters).toEqual([{ stage: 'ingest', eventId: expect.any(String), reason: 'TableError (GONE): the table is gone' }]);
    expect(result.outcomes).toEqual([
      expect.objectContaining({ line: 1, outcome: 'rejected', reason: 'processing failed: TableError (GONE): the table is gone (the ingest stage)' }),
    ]);
  });
});
