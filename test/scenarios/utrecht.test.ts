/**
 * Utrecht (GM0344): "Voorkom huisuitzetting!" and buurtteams (municipalities.md).
 * | signal                  | utrecht-schuldhulp              |
 * | eviction-threat, urgent | utrecht-voorkom-huisuitzetting  |
 * | case                    | utrecht-buurtteam-* by district; off the map utrecht-onbekende-wijk |
 */
import { describe, expect, it } from 'vitest';
import { teamMessageSchema, type TeamMessage } from '@vroegsignaal/events';
import {
  alertRecord,
  arrears,
  attempt,
  care,
  closed,
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

const UTRECHT = 'GM0344';
const pipeline = useScenarioPipeline();

describe('Utrecht: from early signal to Voorkom huisuitzetting!', () => {
  it('Mitros, then the GGD, then the court: schuldhulp, the district buurtteam, Voorkom huisuitzetting (eviction-threat, then urgent)', async () => {
    // A Mitros tenant in Overvecht (3561).
    const where = home(UTRECHT, '3561 KL', 27);

    // Mitros reports one month of rent unpaid: an early signal for debt help.
    const first = await play(pipeline, arrears('mitros', { ...where, months: 1, amountCents: 64_500, monthlyRentCents: 64_500, observedAt: daysAgo(20) }));
    expect(outcomesOf(first)).toEqual(['accepted']);
    const signal = onlyMessage(first, { team: 'utrecht-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });
    expect(signal.partners).toEqual(['mitros']);
    expect(signal.municipalityCode).toBe(UTRECHT);
    expect(signal.address).toEqual({ postcode: '3561KL', houseNumber: 27 });

    // The GGD adds a mental-health care signal: two domains, two partners, a case for the buurtteam.
    const second = await play(pipeline, care('ggd', { ...where, domains: ['mentalHealth'], observedAt: daysAgo(10) }));
    expect(outcomesOf(second)).toEqual(['accepted']);
    const caseAlert = onlyMessage(second, { team: 'utrecht-buurtteam-overvecht', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    expect(caseAlert.partners).toEqual(['ggd', 'mitros']);
    expect(caseAlert.householdRef).toBe(signal.householdRef);

    // The court gives a verdict: a threatened eviction for Voorkom huisuitzetting!.
    const third = await play(pipeline, proceeding('mitros', { ...where, stage: 'verdict', stageDate: dateFromNow(-3), observedAt: daysAgo(3) }));
    expect(outcomesOf(third)).toEqual(['accepted']);
    const threat = onlyMessage(third, { team: 'utrecht-voorkom-huisuitzetting', level: 'eviction-threat', respondBy: RESPOND_BY.twoWeeks });
    expect(reasonCodes(threat)).toContain('proceeding-verdict');

    // The bailiff schedules the eviction within 8 weeks: urgent, 3 working days.
    const fourth = await play(
      pipeline,
      proceeding('mitros', { ...where, stage: 'scheduled', stageDate: dateFromNow(-1), scheduledFor: dateFromNow(25), observedAt: daysAgo(1) }),
    );
    const urgent = onlyMessage(fourth, { team: 'utrecht-voorkom-huisuitzetting', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
    expect(reasonCodes(urgent)).toContain('eviction-scheduled-soon');
    expect(urgent.alertId).not.toBe(threat.alertId);
  });

  it('routes a case to the buurtteam of the postcode area', async () => {
    const districts: [postcode: string, team: string][] = [
      ['3512 JE', 'utrecht-buurtteam-binnenstad'],
      ['3581 BC', 'utrecht-buurtteam-oost'],
      ['3524 AA', 'utrecht-buurtteam-zuid'],
      ['3527 HK', 'utrecht-buurtteam-zuidwest'],
      ['3531 EB', 'utrecht-buurtteam-west'],
      ['3553 AB', 'utrecht-buurtteam-noordwest'],
      ['3564 BW', 'utrecht-buurtteam-overvecht'],
      ['3514 AX', 'utrecht-buurtteam-noordoost'],
      ['3544 MA', 'utrecht-buurtteam-leidsche-rijn'],
      ['3452 AK', 'utrecht-buurtteam-vleuten-de-meern'],
    ];
    for (const [postcode, team] of districts) {
      // Police see a high-severity nuisance (hoarding): a case on its own.
      const played = await play(pipeline, nuisance('politie', { ...home(UTRECHT, postcode, 101), category: 'hoarding', severity: 'high', verified: true, observedAt: daysAgo(6) }));
      onlyMessage(played, { team, level: 'case', respondBy: RESPOND_BY.fourWeeks });
    }
  });

  it('sends a case off the district map to utrecht-onbekende-wijk, with the reason', async () => {
    // Boex reports arrears and the GGD an addiction, at an address whose area (3436) is not on the map.
    const where = home(UTRECHT, '3436 BA', 9);
    const played = await play(
      pipeline,
      arrears('boex', { ...where, months: 1.5, amountCents: 98_000, observedAt: daysAgo(12) }),
      care('ggd', { ...where, domains: ['addiction'], observedAt: daysAgo(4) }),
    );
    expect(played.messages).toHaveLength(2);
    expectAlert(played.messages[0], { team: 'utrecht-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });
    const fallback = expectAlert(played.messages[1], { team: 'utrecht-onbekende-wijk', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    expect(reasonCodes(fallback)).toContain('district-unknown');
  });

  // municipalities.md: "a verdict stays executable 12 months: send the team a `reminder` 2
  // months before it lapses".
  it('reminds utrecht-voorkom-huisuitzetting of its case 2 months before the verdict lapses, once', async () => {
    const where = home(UTRECHT, '3533 TK', 40);
    // SSH reports the verdict of 1 June 2026: eviction-threat for Voorkom Huisuitzetting, which takes the case.
    const verdict = await play(pipeline, proceeding('ssh', { ...where, stage: 'verdict', stageDate: '2026-06-01', ground: 'arrears', observedAt: daysAgo(10) }));
    const alert = onlyMessage(verdict, { team: 'utrecht-voorkom-huisuitzetting', level: 'eviction-threat', respondBy: RESPOND_BY.twoWeeks });
    expect(outcomesOf(await play(pipeline, pickedUp('utrecht-voorkom-huisuitzetting', alert.alertId)))).toEqual(['accepted']);

    // The verdict lapses on 1 June 2027; the reminder is due on 1 April 2027, not before. (The
    // alerts of this file's other tests, never picked up, get their overdue reminders on the way.)
    const verdictReminders = (messages: TeamMessage[]) => messages.filter((m) => m.kind === 'reminder' && m.reason === 'verdict-lapses');
    expect(verdictReminders(await pipeline.advanceTo('2027-03-31T10:00:00+02:00'))).toEqual([]);
    const due = verdictReminders(await pipeline.advanceTo('2027-04-01T10:00:00+02:00'));
    expect(due).toHaveLength(1);
    expect(teamMessageSchema.parse(due[0])).toMatchObject({
      kind: 'reminder',
      reason: 'verdict-lapses',
      team: 'utrecht-voorkom-huisuitzetting',
      alertId: alert.alertId,
      level: 'eviction-threat',
      createdAt: '2027-04-01T10:00:00+02:00',
      dueAt: '2027-06-01T00:00:00+02:00',
    });
    expect(due[0]!.reasons[0]).toMatchObject({ code: 'verdict-lapses' });

    // A later signal does not remind the team again.
    const later = await play(pipeline, care('ggd', { ...where, domains: ['mentalHealth'], observedAt: '2027-04-10T09:00:00+02:00' }));
    expect(later.messages.filter((m) => m.kind === 'reminder')).toEqual([]);
    pipeline.setNow(NOW);
  });

  it('buurtteam Zuidwest forwards a case to buurtteam West, which gets it with forwardedFrom; Zuidwest can no longer close it, West closes it', async () => {
    const where = home(UTRECHT, '3527 HK', 58);
    const raised = await play(pipeline, nuisance('politie', { ...where, category: 'hoarding', severity: 'high', verified: true, observedAt: daysAgo(2) }));
    const first = onlyMessage(raised, { team: 'utrecht-buurtteam-zuidwest', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    const signalId = raised.outcomes[0]!.signalId;

    const handed = await playAt(
      pipeline,
      '2026-06-15T11:00:00+02:00',
      attempt('utrecht-buurtteam-zuidwest', first.alertId, { channel: 'phone', reached: true, at: '2026-06-15T10:30:00+02:00', by: 'bt-zw-12' }),
      forwarded('utrecht-buurtteam-zuidwest', first.alertId, 'utrecht-buurtteam-west', { at: '2026-06-15T10:45:00+02:00', reason: 'other-district', by: 'bt-zw-12' }),
    );
    expect(outcomesOf(handed)).toEqual(['accepted', 'accepted']);
    expect(handed.told).toEqual([]);
    const second = onlyMessage(handed, { team: 'utrecht-buurtteam-west', level: 'case', respondBy: '2026-07-13T11:00:00+02:00', createdAt: '2026-06-15T11:00:00+02:00' });
    expect(second.kind === 'alert' && second.forwardedFrom).toBe(first.alertId);
    expect(second.householdRef).toBe(first.householdRef);
    expect(second.address).toEqual(first.address);

    // Zuidwest's alert ended with the forward: its later close is refused, and nobody is told.
    const stale = await playAt(pipeline, '2026-06-16T09:05:00+02:00', closed('utrecht-buurtteam-zuidwest', first.alertId, 'referred', '2026-06-16T09:00:00+02:00', { detail: 'referred' }));
    expect(stale.outcomes.map((o) => [o.outcome, o.reason])).toEqual([['rejected', expect.stringContaining('was forwarded')]]);
    expect(stale.told).toEqual([]);

    const work = await playAt(
      pipeline,
      '2026-06-25T16:05:00+02:00',
      pickedUp('utrecht-buurtteam-west', second.alertId, '2026-06-16T10:00:00+02:00', 'bt-w-3'),
      closed('utrecht-buurtteam-west', second.alertId, 'referred', '2026-06-25T16:00:00+02:00', { detail: 'referred-non-financial', by: 'bt-w-3' }),
    );
    expect(outcomesOf(work)).toEqual(['accepted', 'accepted']);
    expect(work.told).toEqual([
      { partnerId: 'politie', signalId, outcome: 'picked-up' },
      { partnerId: 'politie', signalId, outcome: 'closed' },
    ]);
    expect(timelineCodes(await alertRecord(pipeline, first.alertId))).toEqual(['raised', 'attempt phone reached', 'forwarded other-district utrecht-buurtteam-west']);
    expect(timelineCodes(await alertRecord(pipeline, second.alertId))).toEqual(['raised', 'picked-up', 'closed referred referred-non-financial']);
    pipeline.setNow(NOW);
  });
});
