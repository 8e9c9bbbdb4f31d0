/**
 * Nijmegen (GM0268): regieteams overlast- en multiprobleemhuishoudens (municipalities.md).
 * | signal         | nijmegen-schuldhulp                                                     |
 * | case and above | nijmegen-regieteam-* by district (6511-6546); off the map nijmegen-onbekende-wijk |
 */
import { describe, expect, it } from 'vitest';
import {
  alertRecord,
  arrears,
  care,
  dateFromNow,
  daysAgo,
  expectAlert,
  forwarded,
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

const NIJMEGEN = 'GM0268';
const pipeline = useScenarioPipeline();

describe('Nijmegen: schuldhulp, then the regieteam of the city district', () => {
  it('a Talis tenant in the Waterkwartier: schuldhulp, then regieteam Oud-West for the case, the summons and the scheduled eviction', async () => {
    const where = home(NIJMEGEN, '6541 XB', 64);

    const first = await play(pipeline, arrears('talis', { ...where, months: 1, amountCents: 60_000, observedAt: daysAgo(33) }));
    onlyMessage(first, { team: 'nijmegen-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });

    // The police find drug dealing at the address.
    const second = await play(pipeline, nuisance('politie', { ...where, category: 'drugs', severity: 'medium', verified: true, observedAt: daysAgo(16) }));
    const regie = onlyMessage(second, { team: 'nijmegen-regieteam-oud-west', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    expect(regie.partners).toEqual(['politie', 'talis']);

    const third = await play(pipeline, proceeding('talis', { ...where, stage: 'summons', ground: 'nuisance', stageDate: dateFromNow(-6), observedAt: daysAgo(6) }));
    onlyMessage(third, { team: 'nijmegen-regieteam-oud-west', level: 'eviction-threat', respondBy: RESPOND_BY.twoWeeks });

    const fourth = await play(
      pipeline,
      proceeding('talis', { ...where, stage: 'scheduled', ground: 'nuisance', stageDate: dateFromNow(-1), scheduledFor: dateFromNow(40), observedAt: daysAgo(1) }),
    );
    onlyMessage(fourth, { team: 'nijmegen-regieteam-oud-west', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
  });

  it('routes a case to the regieteam of each of the six districts', async () => {
    const districts: [postcode: string, team: string][] = [
      ['6511 KL', 'nijmegen-regieteam-centrum'],
      ['6522 AB', 'nijmegen-regieteam-oost'],
      ['6532 ZT', 'nijmegen-regieteam-zuid'],
      ['6537 CE', 'nijmegen-regieteam-dukenburg-lindenholt'],
      ['6546 BD', 'nijmegen-regieteam-dukenburg-lindenholt'],
      ['6543 PL', 'nijmegen-regieteam-oud-west'],
      ['6544 RS', 'nijmegen-regieteam-nieuw-west'],
    ];
    for (const [postcode, team] of districts) {
      const played = await play(pipeline, nuisance('politie', { ...home(NIJMEGEN, postcode, 5), category: 'pollution', severity: 'high', observedAt: daysAgo(4) }));
      onlyMessage(played, { team, level: 'case', respondBy: RESPOND_BY.fourWeeks });
    }
  });

  it('a Portaal tenant in Lent (6663, not on the map): nijmegen-onbekende-wijk, for the case and for the summons', async () => {
    const where = home(NIJMEGEN, '6663 CK', 12);
    const played = await play(
      pipeline,
      arrears('portaal', { ...where, months: 1, amountCents: 72_000, observedAt: daysAgo(20) }),
      care('ggd', { ...where, domains: ['health'], observedAt: daysAgo(8) }),
      proceeding('portaal', { ...where, stage: 'summons', stageDate: dateFromNow(-2), observedAt: daysAgo(2) }),
    );
    expect(played.messages).toHaveLength(3);
    expectAlert(played.messages[0], { team: 'nijmegen-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });
    const fallback = expectAlert(played.messages[1], { team: 'nijmegen-onbekende-wijk', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    expect(reasonCodes(fallback)).toContain('district-unknown');
    expectAlert(played.messages[2], { team: 'nijmegen-onbekende-wijk', level: 'eviction-threat', respondBy: RESPOND_BY.twoWeeks });
  });

  it('regieteam Centrum forwards a case to regieteam Oost, which gets it as a new alert and picks it up; the police are told only of the pick-up', async () => {
    const where = home(NIJMEGEN, '6511 KL', 88);
    const raised = await play(pipeline, nuisance('politie', { ...where, category: 'hoarding', severity: 'high', verified: true, observedAt: daysAgo(3) }));
    const first = onlyMessage(raised, { team: 'nijmegen-regieteam-centrum', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    const signalId = raised.outcomes[0]!.signalId;

    // The household is already known to the regieteam of the district it is moving to.
    const handed = await playAt(pipeline, '2026-06-16T10:05:00+02:00', forwarded('nijmegen-regieteam-centrum', first.alertId, 'nijmegen-regieteam-oost', { at: '2026-06-16T10:00:00+02:00', reason: 'other-district', by: 'rt-c-3' }));
    expect(outcomesOf(handed)).toEqual(['accepted']);
    expect(handed.told, 'a forward is never told to partners').toEqual([]);
    // Oost's own term runs from when it is told, as for any alert.
    const second = onlyMessage(handed, { team: 'nijmegen-regieteam-oost', level: 'case', respondBy: '2026-07-14T10:05:00+02:00', createdAt: '2026-06-16T10:05:00+02:00' });
    expect(second.kind === 'alert' && second.forwardedFrom).toBe(first.alertId);
    expect(second.alertId).not.toBe(first.alertId);
    expect(second.householdRef).toBe(first.householdRef);

    const picked = await playAt(pipeline, '2026-06-17T09:05:00+02:00', pickedUp('nijmegen-regieteam-oost', second.alertId, '2026-06-17T09:00:00+02:00', 'rt-o-1'));
    expect(outcomesOf(picked)).toEqual(['accepted']);
    expect(picked.told).toEqual([{ partnerId: 'politie', signalId, outcome: 'picked-up' }]);

    expect(timelineCodes(await alertRecord(pipeline, first.alertId))).toEqual(['raised', 'forwarded other-district nijmegen-regieteam-oost']);
    expect(await alertRecord(pipeline, second.alertId)).toMatchObject({ team: 'nijmegen-regieteam-oost', forwardedFrom: first.alertId });
    pipeline.setNow(NOW);
  });
});
