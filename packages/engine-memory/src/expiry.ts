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

/**
 * What a store keeps cannot change afterwards: it is frozen, all the way down, on the way in.
 * The domain never changes a value it holds (it builds new ones, sharing what did not change),
 * so a frozen value can be handed out as it is, where a copy per read would cost most of a
 * year's what-if; a use case that did change one would throw, in every test on this engine.
 * Parts already frozen (shared with an earlier state) are not walked again.
 */
export function freeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) freeze(child);
  return Object.freeze(value);
}
