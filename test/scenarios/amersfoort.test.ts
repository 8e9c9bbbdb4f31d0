/**
 * Amersfoort (GM0307): VIA, casusoverleg OGGZ and casusoverleg Woonoverlast (municipalities.md).
 * | signal                          | amersfoort-schuldhulp    |
 * | case with any live nuisance     | amersfoort-woonoverlast  |
 * | case without nuisance           | amersfoort-oggz          |
 * | eviction-threat, urgent         | amersfoort-via           |
 */
import { describe, expect, it } from 'vitest';
import {
  alertRecord,
  arrears,
  attempt,
  care,
  closed,
  dateFromNow,
  daysAgo,
  home,
  NOW,
  nuisance,
  onlyMessage,
  outcomesOf,
  pickedUp,
  play,
  playAt,
  playTold,
  proceeding,
  reasonCodes,
  RESPOND_BY,
  timelineCodes,
  useScenarioPipeline,
} from './entries.ts';

const AMERSFOORT = 'GM0307';
const pipeline = useScenarioPipeline();

describe('Amersfoort: schuldhulp, the two case meetings and VIA', () => {
  it('an Omnia tenant causing nuisance: schuldhulp, casusoverleg Woonoverlast, then VIA (eviction-threat, urgent)', async () => {
    const where = home(AMERSFOORT, '3822 VL', 14);

    // Omnia: one month of rent unpaid.
    const first = await play(pipeline, arrears('omnia', { ...where, months: 1, amountCents: 71_000, observedAt: daysAgo(30) }));
    expect(outcomesOf(first)).toEqual(['accepted']);
    onlyMessage(first, { team: 'amersfoort-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });

    // The police report noise complaints from the neighbours: a case, and it has nuisance.
    const second = await play(pipeline, nuisance('politie', { ...where, category: 'noise', severity: 'medium', reportCount: 4, observedAt: daysAgo(14) }));
    const woonoverlast = onlyMessage(second, { team: 'amersfoort-woonoverlast', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    expect(woonoverlast.partners).toEqual(['omnia', 'politie']);

    // Omnia has the tenant summoned: VIA takes the threatened eviction.
    const third = await play(pipeline, proceeding('omnia', { ...where, stage: 'summons', stageDate: dateFromNow(-7), observedAt: daysAgo(7) }));
    onlyMessage(third, { team: 'amersfoort-via', level: 'eviction-threat', respondBy: RESPOND_BY.twoWeeks });

    // The eviction is scheduled in three weeks: urgent, still VIA.
    const fourth = await play(
      pipeline,
      proceeding('omnia', { ...where, stage: 'scheduled', stageDate: dateFromNow(-2), scheduledFor: dateFromNow(21), observedAt: daysAgo(2) }),
    );
    const urgent = onlyMessage(fourth, { team: 'amersfoort-via', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
    expect(reasonCodes(urgent)).toContain('eviction-scheduled-soon');
  });

  it('a Portaal tenant with money and mental-health problems, no nuisance: schuldhulp, then casusoverleg OGGZ', async () => {
    const where = home(AMERSFOORT, '3813 AB', 52, { houseLetter: 'b' });

    const first = await play(pipeline, arrears('portaal', { ...where, months: 1, amountCents: 58_000, observedAt: daysAgo(25) }));
    const signal = onlyMessage(first, { team: 'amersfoort-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });
    expect(signal.address).toEqual({ postcode: '3813AB', houseNumber: 52, houseLetter: 'B' });

    // The GGD reports a mental-health problem: a case without nuisance goes to the OGGZ meeting.
    const second = await play(pipeline, care('ggd', { ...where, domains: ['mentalHealth'], observedAt: daysAgo(9) }));
    const oggz = onlyMessage(second, { team: 'amersfoort-oggz', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    expect(reasonCodes(oggz)).toEqual(expect.arrayContaining(['domains-2', 'partners-2']));

    // Later the police add a nuisance report: the first matching rule is now Woonoverlast,
    // so that team is told (a change of team at the same level).
    const third = await play(pipeline, nuisance('politie', { ...where, category: 'neglect', severity: 'low', observedAt: daysAgo(1) }));
    onlyMessage(third, { team: 'amersfoort-woonoverlast', level: 'case', respondBy: RESPOND_BY.fourWeeks });
  });

  it('a De Alliantie family summoned to court: straight to VIA as urgent (children involved)', async () => {
    const where = home(AMERSFOORT, '3824 GH', 3);
    const played = await play(pipeline, proceeding('de-alliantie', { ...where, stage: 'summons', stageDate: dateFromNow(-4), observedAt: daysAgo(4), minors: 2, adults: 1 }));
    const urgent = onlyMessage(played, { team: 'amersfoort-via', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
    expect(reasonCodes(urgent)).toEqual(expect.arrayContaining(['proceeding-summons', 'minors']));
    expect(urgent.household).toEqual({ minors: 2, adults: 1 });
  });

  it('after the signal for a De Alliantie tenant: schuldhulp picks up, misses by phone, reaches on a home visit and closes with a payment plan', async () => {
    const where = home(AMERSFOORT, '3817 GD', 12);
    const raised = await play(pipeline, arrears('de-alliantie', { ...where, months: 1, amountCents: 69_000, observedAt: daysAgo(8) }));
    const { alertId } = onlyMessage(raised, { team: 'amersfoort-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });
    const signalId = raised.outcomes[0]!.signalId;

    const picked = await playTold(pipeline, pickedUp('amersfoort-schuldhulp', alertId, NOW, 'sh-14'));
    expect(outcomesOf(picked)).toEqual(['accepted']);
    expect(picked.told).toEqual([{ partnerId: 'de-alliantie', signalId, outcome: 'picked-up' }]);

    const tries = await playAt(
      pipeline,
      '2026-06-16T19:05:00+02:00',
      attempt('amersfoort-schuldhulp', alertId, { channel: 'phone', reached: false, at: '2026-06-15T11:30:00+02:00', by: 'sh-14' }),
      attempt('amersfoort-schuldhulp', alertId, { channel: 'home-visit', reached: true, at: '2026-06-16T19:00:00+02:00', by: 'sh-14' }),
    );
    expect(outcomesOf(tries)).toEqual(['accepted', 'accepted']);
    expect(tries.told, 'an attempt is not told to partners').toEqual([]);
    expect(tries.messages, 'the team is sent nothing for its own reports').toEqual([]);

    const closing = await playAt(pipeline, '2026-06-30T15:05:00+02:00', closed('amersfoort-schuldhulp', alertId, 'resolved', '2026-06-30T15:00:00+02:00', { detail: 'paid-or-arrangement', by: 'sh-14' }));
    expect(outcomesOf(closing)).toEqual(['accepted']);
    expect(closing.told).toEqual([{ partnerId: 'de-alliantie', signalId, outcome: 'closed' }]);

    const record = await alertRecord(pipeline, alertId);
    expect(timelineCodes(record)).toEqual(['raised', 'picked-up', 'attempt phone not-reached', 'attempt home-visit reached', 'closed resolved paid-or-arrangement']);
    expect(record.timeline!.filter((e) => e.type === 'attempt').map((e) => e.partOfDay)).toEqual(['morning', 'evening']);
    expect(record).toMatchObject({ ending: 'closed', reachedAtMs: Date.parse('2026-06-16T19:00:00+02:00') });
    expect(record.timeline!.filter((e) => e.type !== 'raised').every((e) => e.by === 'sh-14')).toBe(true);
    pipeline.setNow(NOW);
  });
});
