/**
 * Event sources and detail types: the names every producer, consumer, rule and test uses.
 * Contract: docs/contract.md, sections 1-3.
 */

export const PARTNER_SOURCE_PREFIX = 'partner.';
export const TEAM_SOURCE_PREFIX = 'team.';
/** Source of every event the pipeline itself publishes. */
export const PIPELINE_SOURCE = 'vroegsignaal';

export const PARTNER_DETAIL_TYPES = [
  'RentArrearsReported',
  'NuisanceReported',
  'EvictionProceedingUpdated',
  'CareSignalReported',
  'SignalWithdrawn',
] as const;
export type PartnerDetailType = (typeof PARTNER_DETAIL_TYPES)[number];

/** v1's two, then v1.1's three (contract v1.1, "What a team sends"). */
export const TEAM_DETAIL_TYPES = ['AlertPickedUp', 'CaseClosed', 'ContactAttemptLogged', 'AlertNotTaken', 'AlertForwarded'] as const;
export type TeamDetailType = (typeof TEAM_DETAIL_TYPES)[number];

/** Published by the pipeline on its own bus. */
export const PIPELINE_DETAIL_TYPES = {
  signalOutcome: 'SignalOutcome',
  deliveryDue: 'DeliveryDue',
  teamReportOutcome: 'TeamReportOutcome',
  /** Internal: a team message a person may want an e-mail about was put on its team queue. */
  teamMessageSent: 'TeamMessageSent',
  /** Internal: an accepted AlertPickedUp named a member who did not hold the alert before. */
  alertAssigned: 'AlertAssigned',
} as const;

/** `partnerId` as the contract allows it inside `partner.<partnerId>`. */
export const PARTNER_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,39}$/;
/** Team ids are `<municipality-slug>-<team-slug>`, or the catch-all `unrouted`. */
export const TEAM_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,79}$/;

export function partnerIdFromSource(source: string): string | undefined {
  if (!source.startsWith(PARTNER_SOURCE_PREFIX)) return undefined;
  const id = source.slice(PARTNER_SOURCE_PREFIX.length);
  return PARTNER_ID_PATTERN.test(id) ? id : undefined;
}

export function teamIdFromSource(source: string): string | undefined {
  if (!source.startsWith(TEAM_SOURCE_PREFIX)) return undefined;
  const id = source.slice(TEAM_SOURCE_PREFIX.length);
  return TEAM_ID_PATTERN.test(id) ? id : undefined;
}
