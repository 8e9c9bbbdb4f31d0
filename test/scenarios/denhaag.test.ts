/**
 * Den Haag (GM0518): Den Haag OpMaat and Sociaal Casemanagement (municipalities.md).
 * | signal         | denhaag-schuldhulp             |
 * | case and above | denhaag-sociaal-casemanagement |
 * Sociaal Casemanagement's terms: 8 weeks for `case` and `eviction-threat`; `urgent` keeps
 * the default 3 working days.
 */
import { describe, expect, it } from 'vitest';
import {
  alertRecord,
  arrears,
  attempt,
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

const DEN_HAAG = 'GM0518';
const pipeline = useScenarioPipeline();

describe('Den Haag: OpMaat, then the Meldcode to Sociaal Casemanagement', () => {
  it('a Haag Wonen tenant: OpMaat, then Sociaal Casemanagement with 8 weeks for the case and the summons, 3 working days when urgent', async () => {
    const where = home(DEN_HAAG, '2525 CD', 86);

    const first = await play(pipeline, arrears('haag-wonen', { ...where, months: 1, amountCents: 61_500, observedAt: daysAgo(28) }));
    onlyMessage(first, { team: 'denhaag-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });

    // The police report noise: a professional sees problems beyond their own field (Meldcode).
    const second = await play(pipeline, nuisance('politie', { ...where, category: 'noise', severity: 'medium', reportCount: 3, observedAt: daysAgo(12) }));
    onlyMessage(second, { team: 'denhaag-sociaal-casemanagement', level: 'case', respondBy: RESPOND_BY.eightWeeks });

    const third = await play(pipeline, proceeding('haag-wonen', { ...where, stage: 'summons', stageDate: dateFromNow(-5), observedAt: daysAgo(5) }));
    onlyMessage(third, { team: 'denhaag-sociaal-casemanagement', level: 'eviction-threat', respondBy: RESPOND_BY.eightWeeks });

    const fourth = await play(
      pipeline,
      proceeding('haag-wonen', { ...where, stage: 'scheduled', stageDate: dateFromNow(-1), scheduledFor: dateFromNow(30), observedAt: daysAgo(1) }),
    );
    onlyMessage(fourth, { team: 'denhaag-sociaal-casemanagement', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
  });

  it('an eviction scheduled more than 8 weeks ahead is an eviction-threat, not urgent', async () => {
    const where = home(DEN_HAAG, '2533 KM', 19);
    const played = await play(
      pipeline,
      proceeding('vestia', { ...where, stage: 'scheduled', stageDate: dateFromNow(-2), scheduledFor: dateFromNow(70), observedAt: daysAgo(2) }),
    );
    const threat = onlyMessage(played, { team: 'denhaag-sociaal-casemanagement', level: 'eviction-threat', respondBy: RESPOND_BY.eightWeeks });
    expect(reasonCodes(threat)).not.toContain('eviction-scheduled-soon');
  });

  it('urgent on the Friday before Koningsdag: 3 working days skip the weekend and Monday 27 April', async () => {
    // Friday 24 April 2026, 10:00. Working days: Tuesday 28, Wednesday 29, Thursday 30 April.
    const friday = '2026-04-24T10:00:00+02:00';
    pipeline.setNow(friday);
    try {
      const where = home(DEN_HAAG, '2571 AB', 250);
      const played = await play(pipeline, arrears('staedion', { ...where, months: 3, amountCents: 195_000, crisis: true, observedAt: daysAgo(1, friday) }));
      const urgent = onlyMessage(played, {
        team: 'denhaag-sociaal-casemanagement',
        level: 'urgent',
        createdAt: friday,
        respondBy: '2026-04-30T10:00:00+02:00',
      });
      expect(reasonCodes(urgent)).toContain('crisis');
    } finally {
      pipeline.setNow(NOW);
    }
  });

  it('OpMaat never reaches a Haag Wonen tenant: a letter and two calls unanswered, closed as no contact', async () => {
    const where = home(DEN_HAAG, '2526 KT', 48);
    const raised = await play(pipeline, arrears('haag-wonen', { ...where, months: 1, amountCents: 58_000, observedAt: daysAgo(6) }));
    const { alertId } = onlyMessage(raised, { team: 'denhaag-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });
    const signalId = raised.outcomes[0]!.signalId;

    const work = await playAt(
      pipeline,
      '2026-06-26T16:05:00+02:00',
      pickedUp('denhaag-schuldhulp', alertId, '2026-06-16T09:00:00+02:00', 'opmaat-5'),
      attempt('denhaag-schuldhulp', alertId, { channel: 'letter', reached: false, at: '2026-06-16T09:30:00+02:00', by: 'opmaat-5' }),
      attempt('denhaag-schuldhulp', alertId, { channel: 'phone', reached: false, at: '2026-06-19T14:00:00+02:00', partOfDay: 'afternoon', by: 'opmaat-5' }),
      attempt('denhaag-schuldhulp', alertId, { channel: 'phone', reached: false, at: '2026-06-24T19:30:00+02:00', by: 'opmaat-5' }),
      closed('denhaag-schuldhulp', alertId, 'no-contact', '2026-06-26T16:00:00+02:00', { detail: 'never-reached', by: 'opmaat-5' }),
    );
    expect(outcomesOf(work)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted']);
    expect(work.told).toEqual([
      { partnerId: 'haag-wonen', signalId, outcome: 'picked-up' },
      { partnerId: 'haag-wonen', signalId, outcome: 'closed' },
    ]);

    const record = await alertRecord(pipeline, alertId);
    expect(timelineCodes(record)).toEqual([
      'raised',
      'picked-up',
      'attempt letter not-reached',
      'attempt phone not-reached',
      'attempt phone not-reached',
      'closed no-contact never-reached',
    ]);
    expect(record.reachedAtMs).toBeUndefined();
    expect(record.ending).toBe('closed');
    pipeline.setNow(NOW);
  });
});
