/**
 * Trust no partner (contract v1.1, intake): the address decides the municipality, so no
 * partner, by mistake or on purpose, can send another partner's household to another
 * municipality's team, take its contact data, or hide an eviction threat. And the
 * proceedings rule that any threatening stage after an ended proceeding is a new threat.
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
  outcomesOf,
  play,
  proceeding,
  RESPOND_BY,
  useScenarioPipeline,
} from './entries.ts';

const AMSTERDAM = 'GM0363';
const UTRECHT = 'GM0344';
const pipeline = useScenarioPipeline();

describe('the address decides the municipality', () => {
  it('a Utrecht corporation labelling an Amsterdam address GM0344 is refused; Ymere\'s summons still reaches Amsterdam, with Ymere\'s contact', async () => {
    const where = home(AMSTERDAM, '1012 AB', 5);
    const ymereContact = { name: 'Huurder Ymere', phone: '0201234567' };

    // Ymere's arrears and a GGD signal: a case for Amsterdam.
    const before = await play(
      pipeline,
      arrears('ymere', { ...where, months: 2, amountCents: 170_000, observedAt: daysAgo(20), contact: ymereContact }),
      care('ggd', { ...where, domains: ['mentalHealth'], observedAt: daysAgo(15) }),
    );
    expect(outcomesOf(before)).toEqual(['accepted', 'accepted']);
    expect(before.messages.map((m) => m.team)).toEqual(['amsterdam-vroeg-eropaf', 'amsterdam-meldpunt-zorg-en-overlast']);

    // Mitros (registered for Utrecht only) sends a low nuisance for the same dwelling, labelled Utrecht.
    const attack = await play(
      pipeline,
      nuisance('mitros', { ...home(UTRECHT, '1012 AB', 5), category: 'noise', severity: 'low', observedAt: daysAgo(5), contact: { name: 'Not the tenant' } }),
    );
    expect(outcomesOf(attack)).toEqual(['rejected']);
    expect(attack.outcomes[0]!.reason).toBe('postcode area 1012 lies in GM0363, not in GM0344');
    expect(attack.messages).toEqual([]);

    // The police (registered everywhere) try the same: refused by the same rule.
    const police = await play(pipeline, nuisance('politie', { ...home(UTRECHT, '1012ab', 5), category: 'threat', severity: 'high', observedAt: daysAgo(4) }));
    expect(outcomesOf(police)).toEqual(['rejected']);
    expect(police.outcomes[0]!.reason).toMatch(/^postcode area 1012 lies in GM0363/);

    // Ymere's summons: an eviction threat for the Amsterdam team, with Ymere's contact only.
    const summons = await play(pipeline, proceeding('ymere', { ...where, stage: 'summons', stageDate: dateFromNow(-2), observedAt: daysAgo(2) }));
    const threat = onlyMessage(summons, { team: 'amsterdam-meldpunt-zorg-en-overlast', level: 'eviction-threat', respondBy: RESPOND_BY.twoWeeks });
    expect(threat.municipalityCode).toBe(AMSTERDAM);
    expect(threat.partners).toEqual(['ggd', 'ymere']);
    expect(threat.contact).toEqual(ymereContact);
    expect(threat.contacts).toEqual([{ partnerId: 'ymere', observedAt: expect.any(String), ...ymereContact }]);
    expect(JSON.stringify(summons.messages)).not.toContain('Not the tenant');
  });

  it('an address outside every policy municipality keeps the code the partner sent', async () => {
    // An address outside every policy municipality keeps the partner's code: Zeist (GM0355) goes to the catch-all.
    const zeist = await play(pipeline, arrears('mitros', { ...home('GM0355', '3701 AA', 1), months: 3, amountCents: 200_000, observedAt: daysAgo(3) }));
    expect(zeist.outcomes.map((o) => o.outcome)).toEqual(['rejected']); // mitros is registered for Utrecht only
    const zeistByGgd = await play(pipeline, care('ggd', { ...home('GM0355', '3701 AA', 1), domains: ['debt'], observedAt: daysAgo(3) }));
    expect(zeistByGgd.messages.map((m) => m.team)).toEqual(['unrouted']);
  });
});

describe('contact data per partner', () => {
  it('one partner never replaces another\'s contact; the alert lists each, newest first', async () => {
    const where = home(UTRECHT, '3521 AB', 8);
    const first = await play(pipeline, arrears('mitros', { ...where, months: 1, amountCents: 80_000, observedAt: daysAgo(10), contact: { name: 'M. Bewoner', phone: '0301111111' } }));
    expect(first.messages[0]!.kind === 'alert' && first.messages[0]!.contacts).toEqual([{ partnerId: 'mitros', observedAt: expect.any(String), name: 'M. Bewoner', phone: '0301111111' }]);

    const second = await play(pipeline, care('ggd', { ...where, domains: ['mentalHealth'], observedAt: daysAgo(3), contact: { name: 'GGD contact', email: 'ggd@example.nl' } }));
    const alert = second.messages[0]!;
    expect(alert.kind).toBe('alert');
    if (alert.kind !== 'alert') return;
    expect(alert.contact).toEqual({ name: 'GGD contact', email: 'ggd@example.nl' });
    expect(alert.contacts!.map((c) => c.partnerId)).toEqual(['ggd', 'mitros']);
    expect(alert.contacts![1]).toMatchObject({ name: 'M. Bewoner', phone: '0301111111' });
  });
});

describe('proceedings: a threatening stage after an ended one is a new threat', () => {
  it('a verdict dated after a withdrawn summons is live again: with minors, urgent', async () => {
    const where = home(UTRECHT, '3531 AB', 14);
    const summons = await play(pipeline, proceeding('mitros', { ...where, stage: 'summons', stageDate: dateFromNow(-60), observedAt: daysAgo(60) }));
    expect(summons.messages.map((m) => [m.team, m.level])).toEqual([['utrecht-voorkom-huisuitzetting', 'eviction-threat']]);
    const withdrawn = await play(pipeline, proceeding('mitros', { ...where, stage: 'withdrawn', stageDate: dateFromNow(-40), observedAt: daysAgo(40) }));
    expect(withdrawn.messages).toEqual([]);

    const verdict = await play(pipeline, proceeding('mitros', { ...where, stage: 'verdict', stageDate: dateFromNow(-3), observedAt: daysAgo(3), minors: 2 }));
    expect(outcomesOf(verdict)).toEqual(['accepted']);
    onlyMessage(verdict, { team: 'utrecht-voorkom-huisuitzetting', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
  });

  it('a verdict after a withdrawn summons raises an eviction threat that nothing else would (no earlier alert)', async () => {
    const where = home(UTRECHT, '3532 AB', 3);
    // The withdrawal is told first, then the summons it ended (any order), then a later verdict.
    const ended = await play(
      pipeline,
      proceeding('portaal', { ...where, stage: 'withdrawn', stageDate: dateFromNow(-30), observedAt: daysAgo(30) }),
      proceeding('portaal', { ...where, stage: 'summons', stageDate: dateFromNow(-50), observedAt: daysAgo(50) }),
    );
    expect(ended.messages).toEqual([]);
    const verdict = await play(pipeline, proceeding('portaal', { ...where, stage: 'verdict', stageDate: dateFromNow(-2), observedAt: daysAgo(2), minors: 1 }));
    onlyMessage(verdict, { team: 'utrecht-voorkom-huisuitzetting', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays });
  });

  it('a summons dated after an executed eviction is a new eviction threat, whatever order the stages arrive in', async () => {
    const where = home(UTRECHT, '3533 AB', 9);
    const played = await play(
      pipeline,
      proceeding('mitros', { ...where, stage: 'summons', stageDate: dateFromNow(-5), observedAt: daysAgo(5) }),
      proceeding('mitros', { ...where, stage: 'executed', stageDate: dateFromNow(-100), observedAt: daysAgo(100) }),
      proceeding('mitros', { ...where, stage: 'verdict', stageDate: dateFromNow(-150), observedAt: daysAgo(150) }),
    );
    expect(outcomesOf(played)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(played.messages.map((m) => [m.kind, m.team, m.level])).toEqual([['alert', 'utrecht-voorkom-huisuitzetting', 'eviction-threat']]);
  });
});
