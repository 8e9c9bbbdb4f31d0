/**
 * Expiry as the household table keeps it. The adapters store a TTL in whole epoch seconds
 * (rounded up) and no TTL at all for an expiry that is not a safe integer (an open case);
 * reads give back that stored second, or 0 when there is none. The in-memory engine keeps
 * the same second so that both engines answer a read with the same record.
 */

/** The stored TTL second, or undefined for "keep". The same rule as the adapters' `ttlSeconds`. */
export function ttlSecond(expiresAtMs: number): number | undefined {
  return Number.isSafeInteger(expiresAtMs) && expiresAtMs < Number.MAX_SAFE_INTEGER ? Math.ceil(expiresAtMs / 1000) : undefined;
}

/** What a read gives back as `expiresAtMs`. */
export function readBackMs(ttl: number | undefined): number {
  return (ttl ?? 0) * 1000;
}

/** DynamoDB may delete an item once its TTL second lies in the past; one without a TTL stays. */
export function isExpired(ttl: number | undefined, nowMs: number): boolean {
  return ttl !== undefined && ttl < Math.floor(nowMs / 1000);
}

/** Values go in and come out as copies: what a caller holds is never what is stored. */
export const clone = <T>(value: T): T => structuredClone(value);
