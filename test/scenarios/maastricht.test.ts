/**
 * Maastricht (GM0935): Casusaanpak multiproblematiek (municipalities.md).
 * | signal                                           | maastricht-schuldhulp       |
 * | case and above with a live `care.stagnation` signal | maastricht-procesmanagement |
 * | case and above                                   | maastricht-vangnet-oggz     |
 */
import { describe, expect, it } from 'vitest';
import { reminderMessageSchema, type TeamMessage } from '@vroegsignaal/events';
import {
  alertRecord,
  arrears,
  care,
  dateFromNow,
  daysAgo,
  home,
  NOW,
  onlyMessage,
  outcomesOf,
  pickedUp,
  play,
  playAt,
  proceeding,
  reasonCodes,
  RESPOND_BY,
  timelineCodes,
  type Home,
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

  it("escalates the vangnet OGGZ's urgent alert left raised to procesmanagement at 3 × the term, without household data; not one picked up in time or late before then, nor procesmanagement's own", async () => {
    const scheduled = (where: Home) =>
      proceeding('woonpunt', { ...where, stage: 'scheduled', stageDate: dateFromNow(-2), scheduledFor: dateFromNow(12), observedAt: daysAgo(2), minors: 2, contact: { name: 'R. Janssen', phone: '06-1234 5678' } });
    const left = onlyMessage(await play(pipeline, scheduled(home(MAASTRICHT, '6221 BT', 14))), { team: 'maastricht-vangnet-oggz', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
    const taken = onlyMessage(await play(pipeline, scheduled(home(MAASTRICHT, '6217 KN', 3))), { team: 'maastricht-vangnet-oggz', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
    const late = onlyMessage(await play(pipeline, scheduled(home(MAASTRICHT, '6224 GB', 101))), { team: 'maastricht-vangnet-oggz', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
    const own = onlyMessage(
      await play(pipeline, care('leger-des-heils', { ...home(MAASTRICHT, '6226 CE', 40), domains: ['debt'], stagnation: true, crisis: true, observedAt: daysAgo(1) })),
      { team: 'maastricht-procesmanagement', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays },
    );
    const ours = new Set([left.alertId, taken.alertId, late.alertId, own.alertId]);
    const reminders = (messages: TeamMessage[]) =>
      messages.filter((m) => m.kind === 'reminder' && ours.has(m.alertId)).map((m) => reminderMessageSchema.parse(m));

    const picked = await playAt(pipeline, '2026-06-17T09:05:00+02:00', pickedUp('maastricht-vangnet-oggz', taken.alertId, '2026-06-17T09:00:00+02:00', 'oggz-8'));
    expect(outcomesOf(picked)).toEqual(['accepted']);

    // Thursday 18 June, 10:00: the two alerts still raised are overdue, each reminded to its own team.
    const overdue = reminders(await pipeline.advanceTo(RESPOND_BY.threeWorkingDays));
    const brief = overdue.map((m) => ({ reason: m.reason, team: m.team, alertId: m.alertId, dueAt: m.dueAt, alertCreatedAt: m.alertCreatedAt }));
    const byAlert = (a: { alertId: string }, b: { alertId: string }) => a.alertId.localeCompare(b.alertId);
    expect(brief.sort(byAlert)).toEqual(
      [
        { reason: 'overdue', team: 'maastricht-procesmanagement', alertId: own.alertId, dueAt: RESPOND_BY.threeWorkingDays, alertCreatedAt: NOW },
        { reason: 'overdue', team: 'maastricht-vangnet-oggz', alertId: left.alertId, dueAt: RESPOND_BY.threeWorkingDays, alertCreatedAt: NOW },
        { reason: 'overdue', team: 'maastricht-vangnet-oggz', alertId: late.alertId, dueAt: RESPOND_BY.threeWorkingDays, alertCreatedAt: NOW },
      ].sort(byAlert),
    );
    // One of them is picked up late, but before the escalation is due: it is not escalated.
    expect(outcomesOf(await playAt(pipeline, '2026-06-22T09:05:00+02:00', pickedUp('maastricht-vangnet-oggz', late.alertId, '2026-06-22T09:00:00+02:00', 'oggz-8')))).toEqual(['accepted']);

    // 3 × 3 working days from Monday 15 June: Friday 26 June, 10:00.
    expect(reminders(await pipeline.advanceTo('2026-06-26T09:59:00+02:00'))).toEqual([]);
    const escalated = reminders(await pipeline.advanceTo('2026-06-26T10:00:00+02:00'));
    expect(escalated).toEqual([
      expect.objectContaining({
        kind: 'reminder',
        reason: 'overdue-escalated',
        team: 'maastricht-procesmanagement',
        alertTeam: 'maastricht-vangnet-oggz',
        alertId: left.alertId,
        level: 'urgent',
        alertCreatedAt: NOW,
      }),
    ]);
    const escalation = escalated[0]!;
    expect(escalation).not.toHaveProperty('householdRef');
    expect(escalation).not.toHaveProperty('address');
    expect(escalation).not.toHaveProperty('contact');
    expect(escalation).not.toHaveProperty('household');
    expect(JSON.stringify(escalation)).not.toMatch(/6221|Janssen|1234 5678/);

    // Nothing more for any of the three, however long they wait.
    expect(reminders(await pipeline.advanceTo('2026-09-01T10:00:00+02:00'))).toEqual([]);
    expect(timelineCodes(await alertRecord(pipeline, left.alertId))).toEqual(['raised', 'reminder overdue', 'reminder overdue-escalated']);
    expect(timelineCodes(await alertRecord(pipeline, own.alertId))).toEqual(['raised', 'reminder overdue']);
    expect(timelineCodes(await alertRecord(pipeline, taken.alertId))).toEqual(['raised', 'picked-up']);
    expect(timelineCodes(await alertRecord(pipeline, late.alertId))).toEqual(['raised', 'reminder overdue', 'picked-up']);
    pipeline.setNow(NOW);
  });
});
