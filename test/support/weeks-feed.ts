/**
 * Replay lines for a feed over weeks (contract v1.1 section 7), written as objects: partner
 * entries and team reports, each line with an optional `Now`, in Utrecht, where Voorkom
 * Huisuitzetting is reminded 2 months before a verdict lapses.
 */
import { alertIdFor, householdRef, normaliseAddress } from '@vroegsignaal/domain';
import { LOCAL_HOUSEHOLD_SECRET } from '@vroegsignaal/stand-ins';

/** The clock the feeds start at. */
export const T0 = '2026-06-15T10:00:00+02:00';
export const VERDICT_HOME = { postcode: '3533 TK', houseNumber: 40 };
export const VH = 'utrecht-voorkom-huisuitzetting';

export type Line = Record<string, unknown>;

/** SSH's verdict of 1 June 2026: eviction-threat for Voorkom Huisuitzetting, whose reminder is due 1 April 2027. */
export const verdict = (extra: Line = {}): Line => ({
  ...extra,
  Source: 'partner.ssh',
  DetailType: 'EvictionProceedingUpdated',
  Detail: { schemaVersion: 1, signalId: 'v-1', observedAt: '2026-06-05T09:00:00+02:00', municipalityCode: 'GM0344', address: VERDICT_HOME, proceeding: { stage: 'verdict', stageDate: '2026-06-01', ground: 'arrears' } },
});

/** Mitros's arrears at 3511 AB `houseNumber`: a signal for utrecht-schuldhulp. */
export const arrears = (houseNumber: number, observedAt: string, extra: Line = {}): Line => ({
  ...extra,
  Source: 'partner.mitros',
  DetailType: 'RentArrearsReported',
  Detail: { schemaVersion: 1, signalId: `a-${houseNumber}`, observedAt, municipalityCode: 'GM0344', address: { postcode: '3511 AB', houseNumber }, arrears: { amountCents: 160_000, monthsInArrears: 2 } },
});

/** The id of the first alert a household first seen at `createdAt` gets from `team` at `level`, as the pipeline makes it. */
export function alertIdOf(address: { postcode: string; houseNumber: number }, createdAt: string, team: string, level: 'signal' | 'eviction-threat'): string {
  const ref = householdRef(normaliseAddress(address), LOCAL_HOUSEHOLD_SECRET);
  return alertIdFor({ ref, createdAtMs: Date.parse(createdAt) }, team, level, 0);
}

/** A team's report, sent at `now`. */
export const teamReport = (team: string, detailType: string, detail: Line, now: string): Line => ({ Now: now, Source: `team.${team}`, DetailType: detailType, Detail: { schemaVersion: 1, ...detail } });

/** Voorkom Huisuitzetting takes the verdict's case the next morning (a case left untaken would be alerted again by April). */
export const verdictTaken = teamReport(VH, 'AlertPickedUp', { alertId: alertIdOf(VERDICT_HOME, T0, VH, 'eviction-threat'), at: '2026-06-16T09:00:00+02:00' }, '2026-06-16T09:05:00+02:00');
