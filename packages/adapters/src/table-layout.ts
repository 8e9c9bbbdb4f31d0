/**
 * The household table: one DynamoDB table, one module that says what lives where. The
 * adapters and the CDK table construct both read it, so keys and TTL cannot drift apart.
 * No key contains an address or a partner's own signalId: households are keyed by their
 * HMAC reference, signal claims by the partner id and a hash of (partner, signalId). The
 * partner id leads the claim key so that a partner's role can be limited to its own claims
 * (IAM condition dynamodb:LeadingKeys `SIG#<partnerId>#*`).
 */
import { createHash } from 'node:crypto';
import { LEVELS, type Level } from '@vroegsignaal/events';

export const TABLE_LAYOUT = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after it passes. */
  timeToLiveAttribute: 'expiresAt',
} as const;

/**
 * The table's global secondary indexes. `openByTeam` is sparse: an alert record carries its
 * keys only while the alert is open (raised, picked up, reached), so a team's inbox is one
 * query on its own open alerts, most pressing first (openRank), never a scan. It projects
 * only what an inbox row shows (codes, times, pseudonymous ids): no life, no household
 * reference, no partner's signalIds; so a thousand open alerts fit in one 1 MB query page.
 */
export const INDEXES = {
  openByTeam: {
    name: 'openByTeam',
    partitionKey: 'openTeam',
    sortKey: 'openRank',
    sortKeyType: 'S',
    projected: ['alertId', 'team', 'level', 'score', 'reasonCodes', 'partners', 'district', 'atMs', 'respondByMs', 'status', 'holder', 'escalatedAtMs'],
  },
  /**
   * What the municipality's monitor and the DDAS export read (monthKeys): a municipality's entries
   * judged in a month, and its alerts raised in a month, each one query in time order (atMs,
   * a number). Sparse: only judged-entry records and alert records carry monthKey. It projects
   * what the monitor counts and the export maps (codes, times, pseudonymous refs, an alert's
   * life), never the partners' nor the table's other attributes.
   */
  byMonth: {
    name: 'byMonth',
    partitionKey: 'monthKey',
    sortKey: 'atMs',
    sortKeyType: 'N',
    projected: [
      'partnerId',
      'detailType',
      'outcome',
      'rule',
      'householdRef',
      'alertId',
      'team',
      'level',
      'sequence',
      'deliveryId',
      'reasonCodes',
      'score',
      'respondByMs',
      'district',
      'municipalityCode',
      'signals',
      'life',
      'expiresAt',
    ],
  },
} as const;

/** The partitions of INDEXES.byMonth: one municipality's month (`2026-11`, Amsterdam time), per kind of record. */
export const monthKeys = {
  entriesJudged: (municipalityCode: string, month: string) => `ENTRIES#${municipalityCode}#${month}`,
  alertsRaised: (municipalityCode: string, month: string) => `ALERTS#${municipalityCode}#${month}`,
};

export const itemKeys = {
  /** The household's whole state: signals, withdrawals, alert records. */
  household: (householdRef: string) => ({ pk: `HH#${householdRef}`, sk: 'STATE' }),
  /** What is known of one partner's signalId (claim, first outcome, later outcomes). */
  signalClaim: (partnerId: string, signalId: string) => ({ pk: `${signalClaimPrefix(partnerId)}${claimHash(partnerId, signalId)}`, sk: 'CLAIM' }),
  /**
   * The newest rejection of one partner's signalId: beside its claim, under the same partition
   * (so a partner's role reaches it by the same leading key), never in the claim's way.
   */
  signalRejection: (partnerId: string, signalId: string) => ({ pk: `${signalClaimPrefix(partnerId)}${claimHash(partnerId, signalId)}`, sk: 'REJECTED' }),
  /** One judged entry, for the monitor: keyed by its bus event (an id the bus gave it, not the partner), so a redelivery finds it. */
  judgedEntry: (eventId: string) => ({ pk: `JUDGED#${eventId}`, sk: 'JUDGED' }),
  /** Alert id -> household and team, for team reports. */
  alert: (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' }),
  /** One message delivered to a team: who, which household, when, why (reason codes). */
  audit: (householdRef: string, deliveryId: string) => ({ pk: `AUDIT#${householdRef}`, sk: deliveryId }),
  /** One team's distinct alerted households in one calendar year. */
  capacityMarker: (team: string, year: number, householdRef: string) => ({ pk: `CAP#${team}#${year}`, sk: `HH#${householdRef}` }),
  capacityCounter: (team: string, year: number) => ({ pk: `CAP#${team}#${year}`, sk: 'COUNT' }),
  /**
   * One view of an alert's address or contacts: a municipality's month is one partition, read
   * in time order; the suffix keeps two views in the same millisecond apart.
   */
  accessRecord: (municipalityCode: string, month: string, atMs: number, suffix: string) => ({ pk: accessMonthKey(municipalityCode, month), sk: `${String(atMs).padStart(15, '0')}#${suffix}` }),
  /**
   * A workspace member as notices know them. Members and teams' notice defaults share one
   * partition, so that notify reads them all in one query; the member's e-mail address is an
   * attribute, never part of a key.
   */
  member: (memberId: string) => ({ pk: MEMBERS_PARTITION, sk: `MEMBER#${memberId}` }),
  /** The notice settings a team's coordinator set for the team's members. */
  teamNoticeDefaults: (team: string) => ({ pk: MEMBERS_PARTITION, sk: `TEAM#${team}` }),
  /** One notice sent to a member, under the idempotency key it was sent with (codes and times only). */
  sentNotice: (memberId: string, key: string) => ({ pk: `NOTICES#${memberId}`, sk: key }),
  /** A record of notify's once-gate: Powertools idempotency writes it, its sort key a hash of the notice's key. */
  noticeOnce: (hashedKey: string) => ({ pk: NOTICE_ONCE_PARTITION, sk: hashedKey }),
};

const MEMBERS_PARTITION = 'MEMBERS';

/** The one partition of notify's idempotency records (Powertools' static partition key value). */
export const NOTICE_ONCE_PARTITION = 'IDEMPOTENCY#notify';

/**
 * An open alert's sort key in openByTeam, most pressing first: the higher level, then the
 * earlier deadline, then the higher score, then the alert id (so the order is total).
 */
export function openRank(alert: { level: Level; respondByMs: number; score: number; alertId: string }): string {
  const level = LEVELS.length - LEVELS.indexOf(alert.level);
  const respondBy = String(Math.max(0, alert.respondByMs)).padStart(15, '0');
  const score = String(SCORE_CEILING - Math.min(SCORE_CEILING, Math.max(0, Math.round(alert.score)))).padStart(6, '0');
  return `${level}#${respondBy}#${score}#${alert.alertId}`;
}

/** Above any score the assessment gives (four levels of 100 and their intensity). */
const SCORE_CEILING = 999_999;

/** The partition of one municipality's access records of one month (`2026-11`, Amsterdam time). */
export function accessMonthKey(municipalityCode: string, month: string): string {
  return `ACCESS#${municipalityCode}#${month}`;
}

/** The start of every claim key of one partner. */
export function signalClaimPrefix(partnerId: string): string {
  return `SIG#${partnerId}#`;
}

function claimHash(partnerId: string, signalId: string): string {
  return createHash('sha256').update(`${partnerId}\u0000${signalId}`).digest('base64url');
}

/** Epoch seconds for the TTL attribute, or undefined for "keep" (an open case). */
export function ttlSeconds(expiresAtMs: number): number | undefined {
  return Number.isSafeInteger(expiresAtMs) && expiresAtMs < Number.MAX_SAFE_INTEGER ? Math.ceil(expiresAtMs / 1000) : undefined;
}
