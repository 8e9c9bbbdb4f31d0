/**
 * Amersfoort (GM0307): VIA, casusoverleg OGGZ and casusoverleg Woonoverlast (municipalities.md).
 * | signal                          | amersfoort-schuldhulp    |
 * | case with any live nuisance     | amersfoort-woonoverlast  |
 * | case without nuisance           | amersfoort-oggz          |
 * | eviction-threat, urgent         | amersfoort-via           |
 */
import { describe, expect, it } from 'vitest';
import {
  arrears,
  care,
  dateFromNow,
  daysAgo,
  home,
  nuisance,
  onlyMessage,
  outcomesOf,
  play,
  proceeding,
  reasonCodes,
  RESPOND_BY,
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
});
