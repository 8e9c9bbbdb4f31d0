/**
 * EventBridge rule patterns, defined once: the CDK stack and the local bus both use these
 * objects, so what runs locally routes exactly as what is deployed.
 *
 * Two buses keep the pipeline's own events from ever feeding back into ingest:
 * - the signals bus takes what partners and teams send;
 * - the pipeline bus carries what the pipeline publishes (source `vroegsignaal`).
 */
import { PIPELINE_DETAIL_TYPES, PIPELINE_SOURCE, TEAM_SOURCE_PREFIX } from './names.ts';

export type EventPattern = Record<string, unknown>;

export const BUSES = { signals: 'signals', pipeline: 'pipeline' } as const;
export type BusName = (typeof BUSES)[keyof typeof BUSES];

export interface RuleDefinition {
  /** Stable rule name, used for the CDK construct id and the local rule. */
  readonly name: string;
  readonly bus: BusName;
  readonly pattern: EventPattern;
  readonly description: string;
}

export const RULES = {
  /**
   * Everything on the signals bus that is not a team report goes to ingest, including
   * entries with a malformed source or an unknown detail type: ingest rejects those with a
   * reason, so that no entry disappears without an outcome.
   */
  partnerSignals: {
    name: 'partner-signals',
    bus: BUSES.signals,
    pattern: { source: [{ 'anything-but': { prefix: TEAM_SOURCE_PREFIX } }] },
    description: 'Partner entries (and anything else not from a team) to the ingest buffer',
  },
  teamReports: {
    name: 'team-reports',
    bus: BUSES.signals,
    pattern: { source: [{ prefix: TEAM_SOURCE_PREFIX }] },
    description: 'AlertPickedUp and CaseClosed from teams to the team-report buffer',
  },
  dueDeliveries: {
    name: 'due-deliveries',
    bus: BUSES.pipeline,
    pattern: { source: [PIPELINE_SOURCE], 'detail-type': [PIPELINE_DETAIL_TYPES.deliveryDue] },
    description: 'Household changes that may need an alert, to the deliver buffer',
  },
  signalOutcomes: {
    name: 'signal-outcomes',
    bus: BUSES.pipeline,
    pattern: {
      source: [PIPELINE_SOURCE],
      'detail-type': [PIPELINE_DETAIL_TYPES.signalOutcome, PIPELINE_DETAIL_TYPES.teamReportOutcome],
    },
    description: 'Outcomes of partner and team entries, to the outcome log',
  },
  memberNotices: {
    name: 'member-notices',
    bus: BUSES.pipeline,
    pattern: {
      source: [PIPELINE_SOURCE],
      'detail-type': [PIPELINE_DETAIL_TYPES.teamMessageSent, PIPELINE_DETAIL_TYPES.alertAssigned],
    },
    description: 'Team messages and assignments a member may be e-mailed about, to the notify buffer',
  },
} as const satisfies Record<string, RuleDefinition>;

/**
 * The outcomes one partner receives on its own bus: SignalOutcome events about its own
 * entries, never another partner's. One such rule per partner with a registered account.
 */
export function partnerOutcomesPattern(partnerId: string): EventPattern {
  return { source: [PIPELINE_SOURCE], 'detail-type': [PIPELINE_DETAIL_TYPES.signalOutcome], detail: { partnerId: [partnerId] } };
}
