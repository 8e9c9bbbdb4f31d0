/**
 * Records that fail because of what a partner sent, told apart from our own bugs and from AWS
 * being unavailable. The difference decides the log level: ours are logged at ERROR (and an
 * ERROR line rolls a policy rollout back, see infra/constructs/monitoring.ts), a partner's at
 * WARN with a rule code, and without failing the invocation (function errors roll back too).
 * Otherwise any partner could roll a config deployment back by sending entries that fail.
 *
 * Entries a partner got wrong in a way intake can judge are not failures at all: ingest rejects
 * them with a rule and tells the partner. What is left is what only shows when the entry is
 * stored, and fails the same way on every attempt:
 * - DynamoDB refusing an item past its 400 KB limit (ValidationException "Item size has
 *   exceeded the maximum allowed size", or "Item size to update has exceeded…"): a household
 *   grows with every signal partners send about it;
 * - an error that says so itself: one that carries `fault: 'partner'` and a `rule` code (the
 *   shape for a use case to throw when it meets such a case; no personal data in its message).
 */

export interface PartnerFaultInfo {
  /** The rule code the WARN line and the metrics carry. */
  rule: string;
  /** Why, for an operator: names and codes, no personal data. */
  reason: string;
}

const ITEM_TOO_LARGE = /^Item size (to update )?has exceeded the maximum allowed size/;

/** The partner's fault in `error`, or undefined when it is ours or AWS's. */
export function partnerFaultOf(error: unknown): PartnerFaultInfo | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, message, fault, rule } = error as { name?: unknown; message?: unknown; fault?: unknown; rule?: unknown };
  if (fault === 'partner' && typeof rule === 'string' && rule.length > 0) {
    return { rule, reason: `${String(name ?? 'Error')} (${rule}): ${typeof message === 'string' ? message : ''}`.slice(0, 500) };
  }
  if (name === 'ValidationException' && typeof message === 'string' && ITEM_TOO_LARGE.test(message)) {
    // DynamoDB's message names no value, only the limit.
    return { rule: 'item-too-large', reason: `ValidationException (item-too-large): ${message}`.slice(0, 500) };
  }
  return undefined;
}
