/**
 * Tilburg (GM0855): Tweede Kansbeleid and buurtregieteams (municipalities.md).
 * | signal                  | tilburg-schuldhulp                                                     |
 * | eviction-threat, urgent | tilburg-tweede-kans                                                    |
 * | case                    | tilburg-buurtregieteam-* by neighbourhood (5011-5049); off the map tilburg-onbekende-wijk |
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
  expectAlert,
  home,
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

const TILBURG = 'GM0855';
const pipeline = useScenarioPipeline();

describe('Tilburg: schuldhulp, the buurtregieteam, then the Second Chance policy', () => {
  it('a WonenBreburg tenant in Theresia: schuldhulp, buurtregieteam Theresia, then Tweede Kans (eviction-threat, urgent)', async () => {
    const where = home(TILBURG, '5017 JB', 23);

    const first = await play(pipeline, arrears('wonenbreburg', { ...where, months: 1, amountCents: 66_000, observedAt: daysAgo(38) }));
    onlyMessage(first, { team: 'tilburg-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });

    const second = await play(pipeline, care('ggd', { ...where, domains: ['mentalHealth'], observedAt: daysAgo(17) }));
    onlyMessage(second, { team: 'tilburg-buurtregieteam-theresia', level: 'case', respondBy: RESPOND_BY.fourWeeks });

    // The court grants dissolution and eviction: the Second Chance policy.
    const third = await play(pipeline, proceeding('wonenbreburg', { ...where, stage: 'verdict', stageDate: dateFromNow(-8), observedAt: daysAgo(8) }));
    const kans = onlyMessage(third, { team: 'tilburg-tweede-kans', level: 'eviction-threat', respondBy: RESPOND_BY.twoWeeks });
    expect(kans.capacityExceeded).toBe(false);

    const fourth = await play(
      pipeline,
      proceeding('wonenbreburg', { ...where, stage: 'scheduled', stageDate: dateFromNow(-1), scheduledFor: dateFromNow(35), observedAt: daysAgo(1) }),
    );
    onlyMessage(fourth, { team: 'tilburg-tweede-kans', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
  });

  it('routes a case to the buurtregieteam of each of the twenty neighbourhoods', async () => {
    const neighbourhoods: [area: number, district: string][] = [
      [5011, 'centrum'],
      [5013, 'hasselt'],
      [5015, 'goirke'],
      [5016, 'theresia'],
      [5018, 'armhoef'],
      [5021, 'broekhoven'],
      [5022, 'jeruzalem'],
      [5025, 'groeseind-hoefstraat'],
      [5026, 'fatima'],
      [5029, 'korvel'],
      [5030, 'rooi-pannen'],
      [5032, 'westermarkt'],
      [5035, 'zorgvlied'],
      [5036, 'wandelbos'],
      [5038, 'groenewoud'],
      [5041, 'stokhasselt'],
      [5042, 'heikant-quirijnstok'],
      [5045, 'witbrant'],
      [5046, 'reeshof-noord'],
      [5049, 'reeshof-zuid'],
    ];
    for (const [area, district] of neighbourhoods) {
      const team = `tilburg-buurtregieteam-${district}`;
      const played = await play(pipeline, nuisance('politie', { ...home(TILBURG, `${area} AB`, 40), category: 'neglect', severity: 'high', observedAt: daysAgo(5) }));
      onlyMessage(played, { team, level: 'case', respondBy: RESPOND_BY.fourWeeks });
    }
  });

  it('a Tiwos tenant at an address the map does not know (5001, outside every listed area): tilburg-onbekende-wijk for the case; the summons still goes to Tweede Kans', async () => {
    const where = home(TILBURG, '5001 AT', 6);
    const played = await play(
      pipeline,
      arrears('tiwos', { ...where, months: 2, amountCents: 130_000, observedAt: daysAgo(26) }),
      nuisance('politie', { ...where, category: 'threat', severity: 'medium', observedAt: daysAgo(10) }),
      proceeding('tiwos', { ...where, stage: 'summons', stageDate: dateFromNow(-3), observedAt: daysAgo(3) }),
    );
    expect(played.messages).toHaveLength(3);
    expectAlert(played.messages[0], { team: 'tilburg-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });
    const fallback = expectAlert(played.messages[1], { team: 'tilburg-onbekende-wijk', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    expect(reasonCodes(fallback)).toContain('district-unknown');
    expectAlert(played.messages[2], { team: 'tilburg-tweede-kans', level: 'eviction-threat', respondBy: RESPOND_BY.twoWeeks });
  });

  it('buurtregieteam Theresia reaches a WonenBreburg household at an appointment, which declines help: closed as declined', async () => {
    const where = home(TILBURG, '5017 KD', 71);
    const raised = await play(
      pipeline,
      arrears('wonenbreburg', { ...where, months: 1, amountCents: 64_000, observedAt: daysAgo(20) }),
      care('ggd', { ...where, domains: ['mentalHealth'], observedAt: daysAgo(7) }),
    );
    const alert = expectAlert(raised.messages[1], { team: 'tilburg-buurtregieteam-theresia', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    const signals = raised.outcomes.map((o) => o.signalId);

    const work = await playAt(
      pipeline,
      '2026-06-23T12:05:00+02:00',
      pickedUp('tilburg-buurtregieteam-theresia', alert.alertId, '2026-06-15T14:00:00+02:00', 'brt-th-4'),
      attempt('tilburg-buurtregieteam-theresia', alert.alertId, { channel: 'card', reached: false, at: '2026-06-16T10:00:00+02:00' }),
      attempt('tilburg-buurtregieteam-theresia', alert.alertId, { channel: 'appointment', reached: true, at: '2026-06-22T10:00:00+02:00', by: 'brt-th-4' }),
      closed('tilburg-buurtregieteam-theresia', alert.alertId, 'declined', '2026-06-23T12:00:00+02:00', { detail: 'declined', by: 'brt-th-4' }),
    );
    expect(outcomesOf(work)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    // Both partners behind the case hear it was taken and closed; the schuldhulp signal's partner is one of them.
    expect(new Set(work.told.map((t) => `${t.partnerId}/${t.signalId}/${t.outcome}`))).toEqual(
      new Set([`wonenbreburg/${signals[0]}/picked-up`, `ggd/${signals[1]}/picked-up`, `wonenbreburg/${signals[0]}/closed`, `ggd/${signals[1]}/closed`]),
    );
    const record = await alertRecord(pipeline, alert.alertId);
    expect(timelineCodes(record)).toEqual(['raised', 'picked-up', 'attempt card not-reached', 'attempt appointment reached', 'closed declined declined']);
    expect(record.reachedAtMs).toBe(Date.parse('2026-06-22T10:00:00+02:00'));
    pipeline.setNow(NOW);
  });
});
