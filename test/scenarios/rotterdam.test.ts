/**
 * Rotterdam (GM0599): from Bureau Frontlijn to MPG plus (municipalities.md).
 * | case and above with live signals in at least 3 life domains | rotterdam-mpg-plus  |
 * | signal, and any other case and above                      | rotterdam-frontlijn |
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
  play,
  proceeding,
  reasonCodes,
  RESPOND_BY,
  useScenarioPipeline,
} from './entries.ts';

const ROTTERDAM = 'GM0599';
const pipeline = useScenarioPipeline();

describe('Rotterdam: Bureau Frontlijn, and MPG plus from three life domains', () => {
  it('a Havensteder tenant: Frontlijn for the signal and a two-domain case, MPG plus once a third domain appears, and for the summons', async () => {
    const where = home(ROTTERDAM, '3073 KL', 145, { houseLetter: 'c' });

    const first = await play(pipeline, arrears('havensteder', { ...where, months: 1, amountCents: 59_000, observedAt: daysAgo(50) }));
    onlyMessage(first, { team: 'rotterdam-frontlijn', level: 'signal', respondBy: RESPOND_BY.fourWeeks });

    // Noise from the dwelling: finance and housing, two domains: Frontlijn.
    const second = await play(pipeline, nuisance('politie', { ...where, category: 'noise', severity: 'medium', reportCount: 2, observedAt: daysAgo(30) }));
    const frontlijn = onlyMessage(second, { team: 'rotterdam-frontlijn', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    expect(reasonCodes(frontlijn)).toContain('domains-2');

    // The GGD adds a mental-health problem: three domains, MPG plus.
    const third = await play(pipeline, care('ggd', { ...where, domains: ['mentalHealth'], observedAt: daysAgo(11) }));
    const mpg = onlyMessage(third, { team: 'rotterdam-mpg-plus', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    expect(reasonCodes(mpg)).toContain('domains-3');

    const fourth = await play(pipeline, proceeding('havensteder', { ...where, stage: 'summons', stageDate: dateFromNow(-4), observedAt: daysAgo(4) }));
    onlyMessage(fourth, { team: 'rotterdam-mpg-plus', level: 'eviction-threat', respondBy: RESPOND_BY.twoWeeks });

    const fifth = await play(pipeline, care('leger-des-heils', { ...where, domains: ['income'], crisis: true, observedAt: daysAgo(0.5) }));
    onlyMessage(fifth, { team: 'rotterdam-mpg-plus', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
  });

  it('a Woonstad Rotterdam tenant with only money and housing problems: Frontlijn for the summons and the scheduled eviction', async () => {
    const where = home(ROTTERDAM, '3083 AB', 9);

    const first = await play(pipeline, arrears('woonstad-rotterdam', { ...where, months: 3, amountCents: 186_000, observedAt: daysAgo(70) }));
    onlyMessage(first, { team: 'rotterdam-frontlijn', level: 'signal', respondBy: RESPOND_BY.fourWeeks });

    const summons = await play(pipeline, proceeding('woonstad-rotterdam', { ...where, stage: 'summons', stageDate: dateFromNow(-20), observedAt: daysAgo(20) }));
    onlyMessage(summons, { team: 'rotterdam-frontlijn', level: 'eviction-threat', respondBy: RESPOND_BY.twoWeeks });

    const scheduled = await play(
      pipeline,
      proceeding('woonstad-rotterdam', { ...where, stage: 'scheduled', stageDate: dateFromNow(-1), scheduledFor: dateFromNow(18), observedAt: daysAgo(1) }),
    );
    onlyMessage(scheduled, { team: 'rotterdam-frontlijn', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
  });
});
