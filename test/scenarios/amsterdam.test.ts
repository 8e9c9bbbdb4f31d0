/**
 * Amsterdam (GM0363): Vroeg Eropaf, MPG Wonen and the Meldpunt Zorg en Overlast (municipalities.md).
 * | signal (threshold 2 months)                                | amsterdam-vroeg-eropaf               |
 * | case and above, household with minors                      | amsterdam-mpg-wonen                  |
 * | case and above, no minors, a `health` signal or any nuisance | amsterdam-meldpunt-zorg-en-overlast |
 * | any other case and above                                   | amsterdam-vroeg-eropaf               |
 */
import { describe, expect, it } from 'vitest';
import {
  alertRecord,
  arrears,
  care,
  dateFromNow,
  daysAgo,
  expectAlert,
  home,
  notTaken,
  NOW,
  nuisance,
  onlyMessage,
  outcomesOf,
  pickedUp,
  play,
  playAt,
  proceeding,
  reasonCodes,
  RESPOND_BY,
  timelineCodes,
  useScenarioPipeline,
} from './entries.ts';

const AMSTERDAM = 'GM0363';
const pipeline = useScenarioPipeline();

describe('Amsterdam: Vroeg Eropaf at two months, MPG Wonen for families, the Meldpunt for the rest', () => {
  it('a Ymere tenant: one month is below the threshold, two months reach Vroeg Eropaf, which also keeps the case and the summons', async () => {
    const where = home(AMSTERDAM, '1102 BT', 233);

    // One month of rent unpaid: under Amsterdam's 2-month threshold, stored, nobody told.
    const oneMonth = await play(pipeline, arrears('ymere', { ...where, months: 1, amountCents: 84_000, monthlyRentCents: 84_000, observedAt: daysAgo(40) }));
    expect(outcomesOf(oneMonth)).toEqual(['below-threshold']);
    expect(oneMonth.outcomes[0]!.reason).toMatch(/threshold of 2 month/);
    expect(oneMonth.messages).toEqual([]);

    // A month later two months are unpaid: Vroeg Eropaf.
    const twoMonths = await play(pipeline, arrears('ymere', { ...where, months: 2, amountCents: 168_000, monthlyRentCents: 84_000, observedAt: daysAgo(10) }));
    expect(outcomesOf(twoMonths)).toEqual(['accepted']);
    const signal = onlyMessage(twoMonths, { team: 'amsterdam-vroeg-eropaf', level: 'signal', respondBy: RESPOND_BY.fourWeeks });
    expect(reasonCodes(signal)).toContain('arrears-2m');

    // The Leger des Heils reports an income problem: two partners, a case. No minors, no
    // health signal, no nuisance: it stays with Vroeg Eropaf.
    const income = await play(pipeline, care('leger-des-heils', { ...where, domains: ['income'], observedAt: daysAgo(6), minors: 0, adults: 1 }));
    onlyMessage(income, { team: 'amsterdam-vroeg-eropaf', level: 'case', respondBy: RESPOND_BY.fourWeeks });

    // Ymere has the tenant summoned: eviction-threat, still Vroeg Eropaf.
    const summons = await play(pipeline, proceeding('ymere', { ...where, stage: 'summons', stageDate: dateFromNow(-2), observedAt: daysAgo(2) }));
    onlyMessage(summons, { team: 'amsterdam-vroeg-eropaf', level: 'eviction-threat', respondBy: RESPOND_BY.twoWeeks });
  });

  it('an Eigen Haard family: Vroeg Eropaf for the arrears, then MPG Wonen for the case and the (urgent) summons', async () => {
    const where = home(AMSTERDAM, '1024 MP', 18, { houseNumberAddition: 'h' });

    const first = await play(pipeline, arrears('eigen-haard', { ...where, months: 2.5, amountCents: 190_000, observedAt: daysAgo(21), minors: 3, adults: 2 }));
    onlyMessage(first, { team: 'amsterdam-vroeg-eropaf', level: 'signal', respondBy: RESPOND_BY.fourWeeks });

    // Youth care reports the children: a case in a household with minors.
    const youth = await play(pipeline, care('jeugdzorg', { ...where, domains: ['youth'], observedAt: daysAgo(12), minors: 3 }));
    const mpg = onlyMessage(youth, { team: 'amsterdam-mpg-wonen', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    expect(mpg.capacityExceeded).toBe(false);
    expect(mpg.household).toEqual({ minors: 3, adults: 2 });

    // A summons with children in the home is urgent at once (eviction-threat is skipped).
    const summons = await play(pipeline, proceeding('eigen-haard', { ...where, stage: 'summons', stageDate: dateFromNow(-3), observedAt: daysAgo(3) }));
    const urgent = onlyMessage(summons, { team: 'amsterdam-mpg-wonen', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
    expect(reasonCodes(urgent)).toEqual(expect.arrayContaining(['proceeding-summons', 'minors']));
  });

  it('a De Key tenant living alone with a mental-health problem: the Meldpunt Zorg en Overlast, for the case and the verdict', async () => {
    const where = home(AMSTERDAM, '1055 KL', 41, { houseNumberAddition: '2' });

    const first = await play(pipeline, arrears('de-key', { ...where, months: 2, amountCents: 142_000, observedAt: daysAgo(35), adults: 1 }));
    onlyMessage(first, { team: 'amsterdam-vroeg-eropaf', level: 'signal', respondBy: RESPOND_BY.fourWeeks });

    const ggd = await play(pipeline, care('ggd', { ...where, domains: ['mentalHealth'], observedAt: daysAgo(15) }));
    onlyMessage(ggd, { team: 'amsterdam-meldpunt-zorg-en-overlast', level: 'case', respondBy: RESPOND_BY.fourWeeks });

    const verdict = await play(pipeline, proceeding('de-key', { ...where, stage: 'verdict', stageDate: dateFromNow(-1), observedAt: daysAgo(1) }));
    onlyMessage(verdict, { team: 'amsterdam-meldpunt-zorg-en-overlast', level: 'eviction-threat', respondBy: RESPOND_BY.twoWeeks });
  });

  it('a Rochdale tenant causing nuisance: arrears under the threshold plus a police report make a case for the Meldpunt', async () => {
    const where = home(AMSTERDAM, '1064 NH', 7);

    // One month: below the threshold, but it counts towards a case.
    const first = await play(pipeline, arrears('rochdale', { ...where, months: 1, amountCents: 69_000, observedAt: daysAgo(20) }));
    expect(outcomesOf(first)).toEqual(['below-threshold']);
    expect(first.messages).toEqual([]);

    // The police report threats to the neighbours: two partners, two domains, and nuisance.
    const threat = await play(pipeline, nuisance('politie', { ...where, category: 'threat', severity: 'medium', verified: true, observedAt: daysAgo(5) }));
    const meldpunt = onlyMessage(threat, { team: 'amsterdam-meldpunt-zorg-en-overlast', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    expect(meldpunt.partners).toEqual(['politie', 'rochdale']);
    expect(reasonCodes(meldpunt)).toContain('arrears-below-threshold');
  });

  it('a Stadgenoot tenant hoarding, reported as high-severity nuisance alone: a case for the Meldpunt', async () => {
    const where = home(AMSTERDAM, '1073 XE', 112, { houseNumberAddition: '3' });
    const played = await play(pipeline, nuisance('stadgenoot', { ...where, category: 'hoarding', severity: 'high', verified: true, observedAt: daysAgo(8) }));
    const meldpunt = onlyMessage(played, { team: 'amsterdam-meldpunt-zorg-en-overlast', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    expect(reasonCodes(meldpunt)).toContain('nuisance-high');
  });

  describe('capacity', () => {
    // A pipeline of its own: the count of households alerted to MPG Wonen starts at zero.
    const capacityPipeline = useScenarioPipeline();

    it('MPG Wonen: the 26th distinct household in the calendar year is flagged capacityExceeded, and still delivered', async () => {
      const corporations = ['eigen-haard', 'de-key', 'rochdale', 'stadgenoot', 'ymere', 'de-alliantie'];

      // Household 1 reaches MPG Wonen twice (case, then urgent): it counts once.
      const first = home(AMSTERDAM, '1091 AA', 1);
      const family = await play(
        capacityPipeline,
        arrears('eigen-haard', { ...first, months: 2, amountCents: 150_000, observedAt: daysAgo(30), minors: 2 }),
        care('jeugdzorg', { ...first, domains: ['youth'], observedAt: daysAgo(20) }),
        proceeding('eigen-haard', { ...first, stage: 'summons', stageDate: dateFromNow(-10), observedAt: daysAgo(10) }),
      );
      expect(family.messages.map((m) => [m.team, m.level, m.kind !== 'reminder' && m.capacityExceeded])).toEqual([
        ['amsterdam-vroeg-eropaf', 'signal', false],
        ['amsterdam-mpg-wonen', 'case', false],
        ['amsterdam-mpg-wonen', 'urgent', false],
      ]);

      // Households 2 to 26: a corporation summons a family with children, urgent for MPG Wonen.
      const summonses = Array.from({ length: 25 }, (_, i) =>
        proceeding(corporations[i % corporations.length]!, {
          ...home(AMSTERDAM, '1092 BC', 100 + i),
          stage: 'summons',
          stageDate: dateFromNow(-5),
          observedAt: daysAgo(5),
          minors: 1 + (i % 3),
        }),
      );
      const played = await play(capacityPipeline, ...summonses);
      expect(outcomesOf(played).every((o) => o === 'accepted')).toBe(true);
      // One message per household: the capacity warning is never an extra message on the queue.
      expect(played.messages).toHaveLength(25);
      for (const m of played.messages) expectAlert(m, { team: 'amsterdam-mpg-wonen', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
      const flags = played.messages.map((m) => m.kind !== 'reminder' && m.capacityExceeded);
      expect(flags.slice(0, 24)).toEqual(Array(24).fill(false));
      expect(flags[24]).toBe(true);
    });
  });

  it('Vroeg Eropaf does not take a Ymere tenant already in debt help: the partner hears not-taken, never why, and a later pick-up is refused', async () => {
    const where = home(AMSTERDAM, '1055 KE', 61);
    const raised = await play(pipeline, arrears('ymere', { ...where, months: 2, amountCents: 176_000, monthlyRentCents: 88_000, observedAt: daysAgo(5) }));
    const { alertId } = onlyMessage(raised, { team: 'amsterdam-vroeg-eropaf', level: 'signal', respondBy: RESPOND_BY.fourWeeks });
    const signalId = raised.outcomes[0]!.signalId;

    const declined = await playAt(pipeline, '2026-06-16T11:05:00+02:00', notTaken('amsterdam-vroeg-eropaf', alertId, 'already-in-debt-help', '2026-06-16T11:00:00+02:00', 'vep-31'));
    expect(outcomesOf(declined)).toEqual(['accepted']);
    expect(declined.told).toEqual([{ partnerId: 'ymere', signalId, outcome: 'not-taken' }]);

    // A colleague picks it up the next day: the alert ended before, so the report is refused with the reason.
    const late = await playAt(pipeline, '2026-06-17T09:05:00+02:00', pickedUp('amsterdam-vroeg-eropaf', alertId, '2026-06-17T09:00:00+02:00', 'vep-07'));
    expect(late.outcomes.map((o) => [o.outcome, o.reason])).toEqual([['rejected', expect.stringContaining('was not taken')]]);
    expect(late.told).toEqual([]);

    const record = await alertRecord(pipeline, alertId);
    expect(timelineCodes(record)).toEqual(['raised', 'not-taken already-in-debt-help']);
    expect(record.ending).toBe('not-taken');
    // Left not taken, it is not overdue: no reminder at its deadline.
    const due = await pipeline.advanceTo(RESPOND_BY.fourWeeks);
    expect(due.filter((m) => m.alertId === alertId)).toEqual([]);
    pipeline.setNow(NOW);
  });
});
