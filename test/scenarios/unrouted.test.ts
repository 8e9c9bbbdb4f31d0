/**
 * A municipality without a policy (municipalities.md, last routing row): any level goes to
 * the catch-all team `unrouted`, and the alert's reasons say why. Groningen (GM0014) has no
 * policy file; only partners registered for "all" may report there.
 */
import { describe, expect, it } from 'vitest';
import { arrears, care, daysAgo, home, nuisance, onlyMessage, outcomesOf, play, reasonCodes, RESPOND_BY, useScenarioPipeline } from './entries.ts';

const GRONINGEN = 'GM0014';
const pipeline = useScenarioPipeline();

describe('Groningen (no policy): the unrouted queue', () => {
  it('the police report high-severity nuisance: a case for unrouted, reason no-municipal-policy', async () => {
    const played = await play(pipeline, nuisance('politie', { ...home(GRONINGEN, '9712 CP', 21), category: 'threat', severity: 'high', verified: true, observedAt: daysAgo(3) }));
    expect(outcomesOf(played)).toEqual(['accepted']);
    const alert = onlyMessage(played, { team: 'unrouted', level: 'case', respondBy: RESPOND_BY.fourWeeks });
    expect(alert.municipalityCode).toBe(GRONINGEN);
    expect(reasonCodes(alert)).toContain('no-municipal-policy');
    expect(alert.reasons.find((r) => r.code === 'no-municipal-policy')?.text).toContain(GRONINGEN);
  });

  it('every level lands there: a debt signal, then a crisis (urgent), with the default terms', async () => {
    const where = home(GRONINGEN, '9741 AB', 4);
    const debt = await play(pipeline, care('ggd', { ...where, domains: ['debt'], observedAt: daysAgo(14) }));
    expect(reasonCodes(onlyMessage(debt, { team: 'unrouted', level: 'signal', respondBy: RESPOND_BY.fourWeeks }))).toContain('no-municipal-policy');

    const crisis = await play(pipeline, care('leger-des-heils', { ...where, domains: ['addiction'], crisis: true, observedAt: daysAgo(1) }));
    expect(reasonCodes(onlyMessage(crisis, { team: 'unrouted', level: 'urgent', respondBy: RESPOND_BY.threeWorkingDays }))).toContain('no-municipal-policy');
  });

  it('a corporation not registered for Groningen is rejected with a reason, and nobody is told', async () => {
    const played = await play(pipeline, arrears('mitros', { ...home(GRONINGEN, '9715 AB', 88), months: 2, amountCents: 120_000, observedAt: daysAgo(5) }));
    expect(outcomesOf(played)).toEqual(['rejected']);
    expect(played.outcomes[0]!.reason).toContain('not registered for municipality GM0014');
    expect(played.messages).toEqual([]);
  });
});
