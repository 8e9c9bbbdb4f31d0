/**
 * The policy version: a digest of the policy document exactly as AppConfig serves it. The
 * functions compute it from what they fetched and log it on every line of an invocation
 * (TELEMETRY.policyVersionField); the stack computes it from what it deploys and sets it as the
 * hosted configuration version's label. An operator who sees ERROR lines counted under one
 * version (the ErrorLogLines metric's dimension) finds the AppConfig version, and so the
 * deployment, by that label. A digest rather than AppConfig's version number: the number is
 * assigned at deployment, after synthesis, and Powertools does not pass it on.
 */
import { createHash } from 'node:crypto';

/** `p-` and 12 hex digits of the SHA-256 of the document (an AppConfig label needs a non-digit). */
export function policyVersionOf(document: string | Uint8Array): string {
  return `p-${createHash('sha256').update(document).digest('hex').slice(0, 12)}`;
}
