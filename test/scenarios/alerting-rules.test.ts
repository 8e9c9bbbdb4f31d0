/**
 * The contract's alerting rules end to end (signals-v1.md, section 2, "Alerting rules" and
 * "Teams report back"; municipalities.md, "Capacity"), on the real local pipeline.
 */
import { describe, expect, it } from 'vitest';
import {
  arrears,
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
  proceeding,
  RESPOND_BY,
  useScenarioPipeline,
  withdrawal,
} from './entries.ts';

const AMERSFOORT = 'GM0307';
const DEN_HAAG = 'GM0518';
const UTRECHT = 'GM0344';
const pipeline = useScenarioPipeline();

describe('one alert per team and level', () => {
  it('merges later signals from other partners into the case without alerting again', async () => {
    const where = home(DEN_HAAG, '2512 AA', 10);
    const start = await play(
      pipeline,
      arrears('staedion', { ...where, months: 1, amountCents: 63_000, observedAt: daysAgo(30) }),
      nuisance('politie', { ...where, category: 'noise', severity: 'medium', observedAt: daysAgo(20) }),
    );
    expect(start.messages.map((m) => [m.team, m.level])).toEqual([
      ['denhaag-schuldhulp', 'signal'],
      ['denhaag-sociaal-casemanagement', 'case'],
    ]);

    // The GGD and Mondriaan add their signals; Staedion reports the arrears growing, then an
    // older, lower figure. Still a case for the same team: merged, nobody told again.
    const later = await play(
      pipeline,
      care('ggd', { ...where, domains: ['mentalHealth'], observedAt: daysAgo(10) }),
      care('mondriaan', { ...where, domains: ['addiction'], observedAt: daysAgo(8) }),
      arrears('staedion', { ...where, months: 2, amountCents: 126_000, observedAt: daysAgo(5) }),
      arrears('staedion', { ...where, months: 1, amountCents: 63_000, observedAt: daysAgo(29) }),
    );
    expect(outcomesOf(later)).toEqual(['accepted', 'accepted', 'accepted', 'repeat']);
    expect(later.messages).toEqual([]);
  });

  it('alerts again when a later signal changes the team at the same level, and when it raises the level', async () => {
    const where = home(AMERSFOORT, '3817 BK', 3);
    const start = await play(
      pipeline,
      arrears('omnia', { ...where, months: 1, amountCents: 66_000, observedAt: daysAgo(21) }),
      care('ggd', { ...where, domains: ['mentalHealth'], observedAt: daysAgo(14) }),
    );
    expect(start.messages.map((m) => [m.team, m.level])).toEqual([
      ['amersfoort-schuldhulp', 'signal'],
      ['amersfoort-oggz', 'case'],
    ]);

    // Nuisance from another partner: still a case, but now Woonoverlast's.
    const teamChange = await play(pipeline, nuisance('politie', { ...where, category: 'noise', severity: 'low', observedAt: daysAgo(7) }));
    onlyMessage(teamChange, { team: 'amersfoort-woonoverlast', level: 'case', respondBy: RESPOND_BY.fourWeeks });

    // A summons: a higher level, a new alert.
    const levelUp = await play(pipeline, proceeding('omnia', { ...where, stage: 'summons', stageDate: dateFromNow(-2), observedAt: daysAgo(2) }));
    onlyMessage(levelUp, { team: 'amersfoort-via', level: 'eviction-threat', respondBy: RESPOND_BY.twoWeeks });
  });
});

describe('levels skipped get none', () => {
  it('a summons in a household with children is one urgent alert, nothing for signal, case or eviction-threat', async () => {
    const played = await play(pipeline, proceeding('ssh', { ...home(UTRECHT, '3584 CS', 15), stage: 'summons', stageDate: dateFromNow(-1), observedAt: daysAgo(1), minors: 1 }));
    onlyMessage(played, { team: 'utrecht-voorkom-huisuitzetting', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
  });

  it('several signals arriving together raise only the level they reach in turn', async () => {
    // Below-threshold arrears and a low nuisance raise nothing alone; together they are a case.
    const where = home(UTRECHT, '3515 XT', 66);
    const played = await play(
      pipeline,
      arrears('groenwest', { ...where, months: 0.5, amountCents: 32_000, observedAt: daysAgo(12) }),
      nuisance('politie', { ...where, category: 'noise', severity: 'low', observedAt: daysAgo(6) }),
    );
    expect(outcomesOf(played)).toEqual(['below-threshold', 'accepted']);
    onlyMessage(played, { team: 'utrecht-buurtteam-noordoost', level: 'case', respondBy: RESPOND_BY.fourWeeks });
  });
});

describe('drop and rise within the window', () => {
  it('is not alerted again for a team and level the household already had', async () => {
    const where = home(UTRECHT, '3532 AC', 201);
    const arrearsSignal = arrears('mitros', { ...where, months: 1, amountCents: 70_000, observedAt: daysAgo(40) });
    const start = await play(
      pipeline,
      arrearsSignal,
      proceeding('mitros', { ...where, stage: 'summons', stageDate: dateFromNow(-30), observedAt: daysAgo(30) }),
    );
    expect(start.messages.map((m) => [m.team, m.level])).toEqual([
      ['utrecht-schuldhulp', 'signal'],
      ['utrecht-voorkom-huisuitzetting', 'eviction-threat'],
    ]);

    // A payment arrangement: Mitros withdraws the proceeding and the arrears. No level left.
    const drop = await play(
      pipeline,
      proceeding('mitros', { ...where, stage: 'withdrawn', stageDate: dateFromNow(-20), observedAt: daysAgo(20) }),
      withdrawal('mitros', { ...where, withdraws: arrearsSignal.Detail.signalId, reason: 'paymentArrangement', observedAt: daysAgo(20) }),
    );
    expect(outcomesOf(drop)).toEqual(['accepted', 'withdrawn']);
    expect(drop.messages).toEqual([]);

    // The arrangement fails: new arrears, a new summons. The same levels, the same teams,
    // within the 6-month window: nobody is alerted again.
    const rise = await play(
      pipeline,
      arrears('mitros', { ...where, months: 1.5, amountCents: 105_000, observedAt: daysAgo(10) }),
      proceeding('mitros', { ...where, stage: 'summons', stageDate: dateFromNow(-3), observedAt: daysAgo(3) }),
    );
    expect(outcomesOf(rise)).toEqual(['accepted', 'accepted']);
    expect(rise.messages).toEqual([]);
  });
});

describe('teams report back', () => {
  it('after AlertPickedUp new signals reach the team as updates; an alert for a team with an open case becomes an update', async () => {
    const where = home(DEN_HAAG, '2516 BD', 77);
    const first = await play(pipeline, arrears('haag-wonen', { ...where, months: 1, amountCents: 64_000, observedAt: daysAgo(25) }));
    const signal = onlyMessage(first, { team: 'denhaag-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });

    // OpMaat takes the case.
    const pick = await play(pipeline, pickedUp('denhaag-schuldhulp', signal.alertId));
    expect(pick.outcomes[0]).toMatchObject({ teamId: 'denhaag-schuldhulp', alertId: signal.alertId, outcome: 'accepted' });
    expect(pick.messages).toEqual([]);

    // The arrears grow: no new alert (same level), but OpMaat hears of it as an update.
    const grown = await play(pipeline, arrears('haag-wonen', { ...where, months: 2, amountCents: 128_000, observedAt: daysAgo(3) }));
    const update = onlyMessage(grown, { kind: 'update', team: 'denhaag-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });
    expect(update.alertId).toBe(signal.alertId);
    expect(update.signals.some((s) => s.figures.monthsInArrears === 2)).toBe(true);

    // The police add nuisance: a case for Sociaal Casemanagement (an alert), and an update to OpMaat.
    const nuisanceReport = await play(pipeline, nuisance('politie', { ...where, category: 'drugs', severity: 'medium', observedAt: daysAgo(2) }));
    expect(nuisanceReport.messages).toHaveLength(2);
    const caseAlert = nuisanceReport.messages.find((m) => m.kind === 'alert');
    expectAlert(caseAlert, { team: 'denhaag-sociaal-casemanagement', level: 'case', respondBy: RESPOND_BY.eightWeeks });
    const opMaat = nuisanceReport.messages.find((m) => m.kind === 'update');
    expect(opMaat).toMatchObject({ kind: 'update', team: 'denhaag-schuldhulp', alertId: signal.alertId });

    // Sociaal Casemanagement takes its case; then a summons: its eviction-threat alert is an
    // update on the open case instead, and OpMaat gets an update too.
    const pickCase = await play(pipeline, pickedUp('denhaag-sociaal-casemanagement', caseAlert!.alertId));
    expect(outcomesOf(pickCase)).toEqual(['accepted']);
    const summons = await play(pipeline, proceeding('haag-wonen', { ...where, stage: 'summons', stageDate: dateFromNow(-1), observedAt: daysAgo(1) }));
    expect(summons.messages.map((m) => ({ kind: m.kind, team: m.team, level: m.level, alertId: m.alertId })).sort((a, b) => a.team.localeCompare(b.team))).toEqual([
      { kind: 'update', team: 'denhaag-schuldhulp', level: 'eviction-threat', alertId: signal.alertId },
      { kind: 'update', team: 'denhaag-sociaal-casemanagement', level: 'eviction-threat', alertId: caseAlert!.alertId },
    ]);

    // Sociaal Casemanagement closes its case. It heard of the summons in an update, so a later
    // unrelated signal does not alert it at eviction-threat within the quiet period.
    const closing = await play(pipeline, closed('denhaag-sociaal-casemanagement', caseAlert!.alertId, 'resolved'));
    expect(outcomesOf(closing)).toEqual(['accepted']);
    const later = await play(pipeline, care('ggd', { ...where, domains: ['mentalHealth'], observedAt: daysAgo(0.5) }));
    expect(later.messages.filter((m) => m.team === 'denhaag-sociaal-casemanagement')).toEqual([]);
  });

  it('after CaseClosed the team stays quiet: no updates, no new alert at that level', async () => {
    const where = home(DEN_HAAG, '2563 GL', 5);
    const first = await play(pipeline, arrears('vestia', { ...where, months: 1, amountCents: 59_000, observedAt: daysAgo(25) }));
    const signal = onlyMessage(first, { team: 'denhaag-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });

    // The team works the case the moment it is raised (a report dated before the alert is refused).
    const reports = await play(pipeline, pickedUp('denhaag-schuldhulp', signal.alertId), closed('denhaag-schuldhulp', signal.alertId, 'referred'));
    expect(outcomesOf(reports)).toEqual(['accepted', 'accepted']);

    // The arrears grow twice: the same team and level, after the case was closed: nothing.
    const quiet = await play(
      pipeline,
      arrears('vestia', { ...where, months: 2, amountCents: 118_000, observedAt: daysAgo(1) }),
      arrears('vestia', { ...where, months: 2.5, amountCents: 147_500, observedAt: daysAgo(0.5) }),
    );
    expect(outcomesOf(quiet)).toEqual(['accepted', 'accepted']);
    expect(quiet.messages).toEqual([]);

    // The same close sent again is a resend: it gets its first outcome again (v1.1; v1 said
    // duplicate) and tells the partners nothing more.
    const again = await play(pipeline, closed('denhaag-schuldhulp', signal.alertId, 'referred'));
    expect(outcomesOf(again)).toEqual(['accepted']);
    expect(again.messages).toEqual([]);
  });

  it('a forward ends the alert and deliver alerts the other team of the municipality at the same level, once; the first team hears no more', async () => {
    const where = home(DEN_HAAG, '2563 GL', 17);
    const first = await play(pipeline, arrears('vestia', { ...where, months: 1, amountCents: 59_000, observedAt: daysAgo(25) }));
    const signal = onlyMessage(first, { team: 'denhaag-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });

    const forward = { Source: 'team.denhaag-schuldhulp', DetailType: 'AlertForwarded', Detail: { schemaVersion: 1, alertId: signal.alertId, at: NOW, toTeam: 'denhaag-sociaal-casemanagement' } };
    const forwarded = await play(pipeline, forward);
    expect(outcomesOf(forwarded)).toEqual(['accepted']);
    expect(forwarded.messages).toMatchObject([{ kind: 'alert', team: 'denhaag-sociaal-casemanagement', level: 'signal', forwardedFrom: signal.alertId }]);
    expect(forwarded.messages[0]?.alertId).not.toBe(signal.alertId);

    // The arrears grow: neither team is alerted again.
    const grown = await play(pipeline, arrears('vestia', { ...where, months: 2, amountCents: 118_000, observedAt: daysAgo(1) }));
    expect(grown.messages).toEqual([]);
  });

  it('the quiet period outlasts the alert window: 90 days after CaseClosed, not 6 months after the alert', async () => {
    // Alert at NOW (15 June 2026); picked up, closed five months later (16 November).
    const where = home(DEN_HAAG, '2541 TC', 120);
    const first = await play(pipeline, arrears('staedion', { ...where, months: 1, amountCents: 61_000, observedAt: daysAgo(4) }));
    const signal = onlyMessage(first, { team: 'denhaag-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });
    const closeAt = '2026-11-16T10:00:00+01:00';
    const inWindowGap = '2027-01-04T10:00:00+01:00'; // window over (15 Dec), 49 days after closing
    const afterQuiet = '2027-03-01T10:00:00+01:00'; // 105 days after closing
    try {
      await play(pipeline, pickedUp('denhaag-schuldhulp', signal.alertId));
      pipeline.setNow(closeAt);
      expect(outcomesOf(await play(pipeline, closed('denhaag-schuldhulp', signal.alertId, 'resolved', closeAt)))).toEqual(['accepted']);

      // New arrears after the alert window, inside the quiet period: nothing.
      pipeline.setNow(inWindowGap);
      const quiet = await play(pipeline, arrears('staedion', { ...where, months: 1, amountCents: 62_000, observedAt: daysAgo(3, inWindowGap) }));
      expect(outcomesOf(quiet)).toEqual(['accepted']);
      expect(quiet.messages).toEqual([]);

      // After the quiet period a new signal is a new alert, with a new id. Its 4 weeks cross
      // the change to summer time (28 March 2027): same wall-clock time, +02:00.
      pipeline.setNow(afterQuiet);
      const again = await play(pipeline, arrears('staedion', { ...where, months: 2, amountCents: 123_000, observedAt: daysAgo(2, afterQuiet) }));
      const fresh = onlyMessage(again, { team: 'denhaag-schuldhulp', level: 'signal', createdAt: afterQuiet, respondBy: '2027-03-29T10:00:00+02:00' });
      expect(fresh.alertId).not.toBe(signal.alertId);
      expect(fresh.householdRef).toBe(signal.householdRef);
    } finally {
      pipeline.setNow(NOW);
    }
  });

  it("rejects a team's report on another team's alert", async () => {
    const where = home(DEN_HAAG, '2595 AA', 42);
    const first = await play(pipeline, arrears('haag-wonen', { ...where, months: 1, amountCents: 65_000, observedAt: daysAgo(10) }));
    const signal = onlyMessage(first, { team: 'denhaag-schuldhulp', level: 'signal', respondBy: RESPOND_BY.fourWeeks });

    const foreign = await play(pipeline, pickedUp('denhaag-sociaal-casemanagement', signal.alertId), closed('amsterdam-vroeg-eropaf', signal.alertId));
    expect(foreign.outcomes.map((o) => ({ teamId: o.teamId, outcome: o.outcome }))).toEqual([
      { teamId: 'denhaag-sociaal-casemanagement', outcome: 'rejected' },
      { teamId: 'amsterdam-vroeg-eropaf', outcome: 'rejected' },
    ]);
    expect(foreign.outcomes.every((o) => typeof o.reason === 'string' && o.reason.length > 0)).toBe(true);
    expect(foreign.messages).toEqual([]);

    // The case is still not open: a new signal is no update to anyone.
    const next = await play(pipeline, arrears('haag-wonen', { ...where, months: 2, amountCents: 130_000, observedAt: daysAgo(1) }));
    expect(next.messages).toEqual([]);

    // Its own team may pick it up.
    const own = await play(pipeline, pickedUp('denhaag-schuldhulp', signal.alertId));
    expect(outcomesOf(own)).toEqual(['accepted']);
  });
});
