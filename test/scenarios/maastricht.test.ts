/**
 * Maastricht (GM0935): Casusaanpak multiproblematiek (municipalities.md).
 * | signal                                           | maastricht-schuldhulp       |
 * | case and above with a live `care.stagnation` signal | maastricht-procesmanagement |
 * | case and above                                   | maastricht-vangnet-oggz     |
 */
import { describe, expect, it } from 'vitest';
import {
  arrears,
  care,
  dateFromNow,
  daysAgo,
  home,
  onlyMessage,
  play,
  proceeding,
  reasonCodes,
  RESPOND_BY,
  useScenarioPipeline,
} from './entries.ts';

const MAASTRICHT = 'GM0935';
const pipeline = useScenarioPipeline();

describe('Maastricht: the vangnet OGGZ first, the Veiligheidshuis when help stalls', () => {
  it('a Woonpunt tenant: schuldhulp, the vangnet OGGZ, then procesmanagement once help stalls, also for the summons', async () => {
    const where = home(MAASTRICHT, '6222 NT', 31);

    const first = await play(pipeline, arrears('woonpunt', { ...where, months: 1, amountCents: 56_000, observedAt: daysAgo(45) }));
    onlyMessage(first, { team: 'maastricht-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });

    // The GGD: mental health. Several problems: the vangnet OGGZ assesses first.
    const second = await play(pipeline, care('ggd', { ...where, domains: ['mentalHealth'], observedAt: daysAgo(30) }));
    onlyMessage(second, { team: 'maastricht-vangnet-oggz', level: 'case', respondBy: RESPOND_BY.fourWeeks });

    // Mondriaan reports the addiction care is stuck: the process managers take over.
    const third = await play(pipeline, care('mondriaan', { ...where, domains: ['addiction'], stagnation: true, observedAt: daysAgo(9) }));
    const stalled = onlyMessage(third, { team: 'maastricht-procesmanagement', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    expect(reasonCodes(stalled)).toContain('care-stagnation');

    const fourth = await play(pipeline, proceeding('woonpunt', { ...where, stage: 'summons', stageDate: dateFromNow(-3), observedAt: daysAgo(3) }));
    onlyMessage(fourth, { team: 'maastricht-procesmanagement', level: 'eviction-threat', respondBy: RESPOND_BY.twoWeeks });
  });

  it('a Servatius tenant without stalled help: the vangnet OGGZ for the verdict and the scheduled eviction', async () => {
    const where = home(MAASTRICHT, '6214 AB', 8, { houseLetter: 'a' });

    const first = await play(pipeline, arrears('servatius', { ...where, months: 2, amountCents: 118_000, observedAt: daysAgo(60) }));
    onlyMessage(first, { team: 'maastricht-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });

    // The verdict: eviction-threat (the case level in between is skipped).
    const verdict = await play(pipeline, proceeding('servatius', { ...where, stage: 'verdict', stageDate: dateFromNow(-14), observedAt: daysAgo(14) }));
    onlyMessage(verdict, { team: 'maastricht-vangnet-oggz', level: 'eviction-threat', respondBy: RESPOND_BY.twoWeeks });

    const scheduled = await play(
      pipeline,
      proceeding('servatius', { ...where, stage: 'scheduled', stageDate: dateFromNow(-2), scheduledFor: dateFromNow(12), observedAt: daysAgo(2) }),
    );
    onlyMessage(scheduled, { team: 'maastricht-vangnet-oggz', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
  });

  it('the Leger des Heils marks a crisis where debt help has stalled: procesmanagement, urgent', async () => {
    const where = home(MAASTRICHT, '6229 HR', 77);
    const played = await play(pipeline, care('leger-des-heils', { ...where, domains: ['debt'], stagnation: true, crisis: true, observedAt: daysAgo(1) }));
    onlyMessage(played, { team: 'maastricht-procesmanagement', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
  });
});
