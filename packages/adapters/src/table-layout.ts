/**
 * The household table: one DynamoDB table, one module that says what lives where. The
 * adapters and the CDK table construct both read it, so keys and TTL cannot drift apart.
 * No key contains an address or a partner's own signalId: households are keyed by their
 * HMAC reference, signal claims by the partner id and a hash of (partner, signalId). The
 * partner id leads the claim key so that a partner's role can be limited to its own claims
 * (IAM condition dynamodb:LeadingKeys `SIG#<partnerId>#*`).
 */
import { createHash } from 'node:crypto';

export const TABLE_LAYOUT = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after it passes. */
  timeToLiveAttribute: 'expiresAt',
} as const;

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
  /** Alert id -> household and team, for team reports. */
  alert: (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' }),
  /** One message delivered to a team: who, which household, when, why (reason codes). */
  audit: (householdRef: string, deliveryId: string) => ({ pk: `AUDIT#${householdRef}`, sk: deliveryId }),
  /** One team's distinct alerted households in one calendar year. */
  capacityMarker: (team: string, year: number, householdRef: string) => ({ pk: `CAP#${team}#${year}`, sk: `HH#${householdRef}` }),
  capacityCounter: (team: string, year: number) => ({ pk: `CAP#${team}#${year}`, sk: 'COUNT' }),
};

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
