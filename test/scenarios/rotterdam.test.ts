/**
 * Rotterdam (GM0599): from Bureau Frontlijn to MPG plus (municipalities.md).
 * | case and above with live signals in at least 3 life domains | rotterdam-mpg-plus  |
 * | signal, and any other case and above                      | rotterdam-frontlijn |
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

  it('Frontlijn leaves a Havensteder signal past its four weeks: an overdue reminder at respondBy, no escalation (none in Rotterdam), then it is picked up and referred', async () => {
    const where = home(ROTTERDAM, '3073 HP', 19);
    const raised = await play(pipeline, arrears('havensteder', { ...where, months: 1, amountCents: 61_000, observedAt: daysAgo(4) }));
    const alert = onlyMessage(raised, { team: 'rotterdam-frontlijn', level: 'signal', respondBy: RESPOND_BY.fourWeeks });
    const signalId = raised.outcomes[0]!.signalId;
    const aboutIt = (messages: TeamMessage[]) => messages.filter((m) => m.alertId === alert.alertId);

    expect(aboutIt(await pipeline.advanceTo('2026-07-13T09:59:00+02:00'))).toEqual([]);
    const overdue = aboutIt(await pipeline.advanceTo(RESPOND_BY.fourWeeks));
    expect(overdue.map((m) => teamMessageSchema.parse(m))).toEqual([
      expect.objectContaining({
        kind: 'reminder',
        reason: 'overdue',
        team: 'rotterdam-frontlijn',
        level: 'signal',
        householdRef: alert.householdRef,
        dueAt: RESPOND_BY.fourWeeks,
        alertCreatedAt: NOW,
      }),
    ]);
    expect((await alertRecord(pipeline, alert.alertId)).overdueRemindedAtMs).toBe(Date.parse(RESPOND_BY.fourWeeks));

    // Three times the term (7 September) passes: Rotterdam names no coordinating team.
    const later = await pipeline.advanceTo('2026-09-08T10:00:00+02:00');
    expect(later.filter((m) => m.kind === 'reminder' && m.reason === 'overdue-escalated')).toEqual([]);

    const work = await playAt(
      pipeline,
      '2026-09-10T15:05:00+02:00',
      pickedUp('rotterdam-frontlijn', alert.alertId, '2026-09-08T11:00:00+02:00', 'fl-22'),
      attempt('rotterdam-frontlijn', alert.alertId, { channel: 'appointment', reached: true, at: '2026-09-10T14:00:00+02:00', by: 'fl-22' }),
      closed('rotterdam-frontlijn', alert.alertId, 'referred', '2026-09-10T15:00:00+02:00', { detail: 'referred-financial', by: 'fl-22' }),
    );
    expect(outcomesOf(work)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(work.told.map((t) => t.outcome)).toEqual(['picked-up', 'closed']);
    expect(work.told.every((t) => t.partnerId === 'havensteder' && t.signalId === signalId)).toBe(true);
    expect(timelineCodes(await alertRecord(pipeline, alert.alertId))).toEqual([
      'raised',
      'reminder overdue',
      'picked-up',
      'attempt appointment reached',
      'closed referred referred-financial',
    ]);
    pipeline.setNow(NOW);
  });
});
