/**
 * The leading key prefix of each kind of item in the household table, for IAM's
 * `dynamodb:LeadingKeys` condition. Derived from the adapters' own key builders
 * (packages/adapters/src/table-layout.ts) rather than written out again: a builder is called
 * with a marker where its first variable part goes, and the prefix is what comes before the
 * marker. A renamed prefix there renames it here, so a grant can never name a prefix the
 * adapters no longer write.
 */
import { itemKeys } from '@vroegsignaal/adapters';

const MARK = '\u0000';

function leading(kind: string, ...pks: string[]): string {
  const prefixes = new Set(
    pks.map((pk) => {
      const at = pk.indexOf(MARK);
      if (at < 1) throw new Error(`the ${kind} key "${pk}" has no fixed prefix before its first variable part`);
      return pk.slice(0, at);
    }),
  );
  if (prefixes.size !== 1) throw new Error(`the ${kind} keys do not share one prefix: ${[...prefixes].join(', ')}`);
  return [...prefixes][0]!;
}

/**
 * A partition without a variable part (one fixed key for every item of its kind): the whole key
 * is its prefix. Its pattern `KEY*` also matches longer keys; no other kind's key starts with it.
 */
function whole(kind: string, ...pks: string[]): string {
  const keys = new Set(pks);
  if (keys.size !== 1) throw new Error(`the ${kind} keys are not one fixed partition: ${[...keys].join(', ')}`);
  const [pk] = [...keys];
  if (pk!.includes(MARK)) throw new Error(`the ${kind} key "${pk}" has a variable part`);
  return pk!;
}

export const KEY_PREFIXES = {
  /** `HH#<householdRef>`: the household's state. */
  household: leading('household', itemKeys.household(MARK).pk),
  /** `SIG#<partnerId>#<hash>`: signal claims, of every partner. */
  signalClaim: leading('signal claim', itemKeys.signalClaim(MARK, 'signal').pk),
  /** `JUDGED#<hash>`: one judged entry per bus event, for the municipality's monitor. */
  judged: leading('judged entry', itemKeys.judgedEntry(MARK).pk),
  /** `ALERT#<alertId>`: the alert index. */
  alert: leading('alert', itemKeys.alert(MARK).pk),
  /** `AUDIT#<householdRef>`: delivery audit records. */
  audit: leading('audit', itemKeys.audit(MARK, 'delivery').pk),
  /** `CAP#<team>#<year>`: capacity counters and markers. */
  capacity: leading('capacity', itemKeys.capacityCounter(MARK, 2000).pk, itemKeys.capacityMarker(MARK, 2000, 'household').pk),
  /** `ACCESS#<municipalityCode>#<month>`: who saw an alert's address or contacts (NEN 7513). */
  access: leading('access record', itemKeys.accessRecord(MARK, '2000-01', 0, 'view').pk),
  /** `MEMBERS`: the workspace's members and the teams' notice defaults, one partition. */
  members: whole('member', itemKeys.member(MARK).pk, itemKeys.teamNoticeDefaults(MARK).pk),
  /** `NOTICES#<memberId>`: the notices sent to a member (codes and times). */
  sentNotice: leading('sent notice', itemKeys.sentNotice(MARK, 'key').pk),
  /** `IDEMPOTENCY#notify`: notify's once-gate (Powertools idempotency records). */
  noticeOnce: whole('notice once-gate', itemKeys.noticeOnce(MARK).pk),
} as const;

export type ItemKind = keyof typeof KEY_PREFIXES;

/** The `dynamodb:LeadingKeys` patterns for some kinds of item, e.g. `['HH#*', 'ALERT#*']`. */
export function leadingKeyPatterns(kinds: readonly ItemKind[]): string[] {
  return [...new Set(kinds)].map((kind) => `${KEY_PREFIXES[kind]}*`);
}
