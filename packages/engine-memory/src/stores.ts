/**
 * The household table's stores in memory, with the conditions the DynamoDB adapters put on
 * their writes (packages/adapters/src/dynamodb.ts). Each method does its whole read-check-write
 * without an `await` in between, so it is as atomic as the single conditional write it mirrors.
 */
import {
  MAX_RESENDS_KEPT,
  type AlertIndex,
  type AlertIndexRecord,
  type AlertLife,
  type AuditRecord,
  type AuditTrail,
  type CapacityLedger,
  type HouseholdState,
  type HouseholdStore,
  type RejectionRecord,
  type Resend,
  type SignalClaim,
  type SignalLedger,
  type StoredWithdrawal,
} from '@vroegsignaal/domain';
import { freeze, isExpired, readBackMs, ttlSecond } from './expiry.ts';

export interface StoredHousehold {
  /** A copy of its own for every read, carrying the stored version. */
  readonly state: HouseholdState;
  readonly version: number;
  readonly ttl: number | undefined;
}

/**
 * A household kept as its JSON, as the table keeps an item (a read parses a copy of its own).
 * A year's what-if keeps some hundred thousand households and writes each one again with every
 * signal: one string apiece, instead of a graph of objects, is what the garbage collector
 * copies and walks, which halved its time on a 250k-entry feed and outweighs the parse per read.
 */
class SerialisedHousehold implements StoredHousehold {
  constructor(
    private readonly json: string,
    readonly version: number,
    readonly ttl: number | undefined,
  ) {}

  get state(): HouseholdState {
    return JSON.parse(this.json) as HouseholdState;
  }
}

export class MemoryHouseholdStore implements HouseholdStore {
  /** What is stored, for tests and tools that inspect it; writing here bypasses the version check. */
  readonly records = new Map<string, StoredHousehold>();
  /** Writes that lost on the version check: how often writers raced. */
  conflicts = 0;

  async get(ref: string): Promise<HouseholdState | undefined> {
    return this.peek(ref);
  }

  async put(state: HouseholdState, expectedVersion: number, expiresAtMs: number): Promise<boolean> {
    const current = this.records.get(state.ref);
    // 0 asks for "none stored yet"; a stored household never has version 0.
    const holds = expectedVersion === 0 ? current === undefined : current?.version === expectedVersion;
    if (!holds) {
      this.conflicts += 1;
      return false;
    }
    // Object.assign, not a spread: spreads are slow on Node 20, and this is every signal's write.
    this.keep(Object.assign({}, state, { version: expectedVersion + 1 }), expiresAtMs);
    return true;
  }

  /** Stores `state` as it is, version included, without the check: for tests that set a scene. */
  overwrite(state: HouseholdState, expiresAtMs: number): void {
    this.keep(state, expiresAtMs);
  }

  private keep(state: HouseholdState, expiresAtMs: number): void {
    this.records.set(state.ref, new SerialisedHousehold(JSON.stringify(state), state.version, ttlSecond(expiresAtMs)));
  }

  /** The stored state without going through a promise, for tests and tools. */
  peek(ref: string): HouseholdState | undefined {
    const record = this.records.get(ref);
    return record?.state;
  }

  expire(nowMs: number): void {
    for (const [ref, record] of this.records) if (isExpired(record.ttl, nowMs)) this.records.delete(ref);
  }
}

/**
 * A claim as the table holds it. `householdRef` undefined means the attribute is absent (a
 * withdrawal's placeholder), which the conditions tell apart from a stored null (a
 * withdrawal's own claim): DynamoDB's attribute_not_exists is false for a NULL value.
 */
export interface StoredClaim {
  partnerId: string;
  signalId: string;
  householdRef?: string | null;
  eventId?: string | null;
  outcome?: SignalClaim['outcome'];
  reason?: string | null;
  pendingWithdrawal?: StoredWithdrawal;
  ttl: number | undefined;
  /** Absent until the first one: most claims never get a later outcome, and a year holds a million claims. */
  laterOutcomes?: { outcome: string; atMs: number }[];
  laterOutcomeKeys?: Set<string>;
  /** The newest MAX_RESENDS_KEPT, and how many were kept in all; absent until the first resend. */
  resends?: readonly Resend[];
  resendCount?: number;
}

/** A rejection as the table keeps it, beside the claim. */
export interface StoredRejection {
  record: Omit<RejectionRecord, 'expiresAtMs'>;
  ttl: number | undefined;
}

const claimKey = (partnerId: string, signalId: string) => `${partnerId}\u0000${signalId}`;

export class MemorySignalLedger implements SignalLedger {
  /** What is stored, by partner and signalId, for tests and tools that inspect it. */
  readonly claims = new Map<string, StoredClaim>();
  readonly rejections = new Map<string, StoredRejection>();

  async claim(claim: SignalClaim): Promise<{ claimed: true } | { claimed: false; existing: SignalClaim }> {
    const key = claimKey(claim.partnerId, claim.signalId);
    const existing = this.claims.get(key);
    if (existing) return { claimed: false, existing: toClaim(existing) };
    this.claims.set(key, {
      partnerId: claim.partnerId,
      signalId: claim.signalId,
      householdRef: claim.householdRef,
      eventId: claim.eventId,
      outcome: claim.outcome,
      reason: claim.reason,
      ...(claim.pendingWithdrawal ? { pendingWithdrawal: freeze(claim.pendingWithdrawal) } : {}),
      ttl: ttlSecond(claim.expiresAtMs),
    });
    return { claimed: true };
  }

  async get(partnerId: string, signalId: string): Promise<SignalClaim | undefined> {
    const stored = this.claims.get(claimKey(partnerId, signalId));
    return stored ? toClaim(stored) : undefined;
  }

  async recordFirstOutcome(claim: SignalClaim): Promise<boolean> {
    const key = claimKey(claim.partnerId, claim.signalId);
    const existing = this.claims.get(key);
    if (existing && existing.householdRef !== undefined && existing.eventId !== claim.eventId) return false;
    // An update, not a put: a placeholder's pending withdrawal and any later outcomes stay.
    this.claims.set(key, {
      ...(existing ?? { partnerId: claim.partnerId, signalId: claim.signalId }),
      householdRef: claim.householdRef,
      eventId: claim.eventId,
      outcome: claim.outcome,
      reason: claim.reason,
      ttl: ttlSecond(claim.expiresAtMs),
    });
    return true;
  }

  async placeWithdrawal(partnerId: string, signalId: string, withdrawal: StoredWithdrawal, expiresAtMs: number): Promise<boolean> {
    const key = claimKey(partnerId, signalId);
    const existing = this.claims.get(key);
    if (existing && existing.householdRef !== undefined) return false;
    // The later withdrawal and its expiry replace an earlier one's, as the adapter's SET does.
    this.claims.set(key, {
      ...existing,
      partnerId,
      signalId,
      pendingWithdrawal: freeze(withdrawal),
      ttl: ttlSecond(expiresAtMs),
    });
    return true;
  }

  async recordLaterOutcome(partnerId: string, signalId: string, outcome: string, atMs: number, onceKey?: string): Promise<void> {
    const stored = this.claims.get(claimKey(partnerId, signalId));
    // Kept nowhere when there is no claim (it expired: nobody left to tell), when it is the
    // claim's own first outcome (a withdrawal's `withdrawn`), or when its key was kept before.
    if (!stored || stored.outcome === outcome) return;
    const key = onceKey === '' ? undefined : onceKey;
    if (key !== undefined && stored.laterOutcomeKeys?.has(key)) return;
    stored.laterOutcomes = [...(stored.laterOutcomes ?? []), { outcome, atMs }];
    if (key !== undefined) stored.laterOutcomeKeys = new Set(stored.laterOutcomeKeys).add(key);
  }

  async recordResend(partnerId: string, signalId: string, resend: Resend): Promise<void> {
    const stored = this.claims.get(claimKey(partnerId, signalId));
    if (!stored || stored.eventId === resend.eventId || stored.resends?.some((r) => r.eventId === resend.eventId)) return;
    stored.resends = freeze([...(stored.resends ?? []), { ...resend }].slice(-MAX_RESENDS_KEPT));
    stored.resendCount = (stored.resendCount ?? 0) + 1;
  }

  async recordRejection(rejection: RejectionRecord): Promise<void> {
    const key = claimKey(rejection.partnerId, rejection.signalId);
    const existing = this.rejections.get(key)?.record;
    if (existing && !(existing.atMs <= rejection.atMs && (rejection.eventId === null || existing.eventId !== rejection.eventId))) return;
    const { expiresAtMs, ...record } = rejection;
    this.rejections.set(key, { record: freeze(record), ttl: ttlSecond(expiresAtMs) });
  }

  /** The resends kept on a claim and their count; the port itself has no read for them. */
  resendsOf(partnerId: string, signalId: string): { resends: Resend[]; count: number } {
    const stored = this.claims.get(claimKey(partnerId, signalId));
    return { resends: (stored?.resends ?? []).map((r) => ({ ...r })), count: stored?.resendCount ?? 0 };
  }

  /** The rejection kept for a signalId; the port itself has no read for it. */
  rejectionOf(partnerId: string, signalId: string): Omit<RejectionRecord, 'expiresAtMs'> | undefined {
    const stored = this.rejections.get(claimKey(partnerId, signalId));
    return stored ? { ...stored.record } : undefined;
  }

  /** The later outcomes kept on a claim, oldest first; the port itself has no read for them. */
  laterOutcomesOf(partnerId: string, signalId: string): { outcome: string; atMs: number }[] {
    return (this.claims.get(claimKey(partnerId, signalId))?.laterOutcomes ?? []).map((later) => ({ ...later }));
  }

  expire(nowMs: number): void {
    for (const [key, stored] of this.claims) if (isExpired(stored.ttl, nowMs)) this.claims.delete(key);
    for (const [key, stored] of this.rejections) if (isExpired(stored.ttl, nowMs)) this.rejections.delete(key);
  }
}

function toClaim(stored: StoredClaim): SignalClaim {
  return {
    partnerId: stored.partnerId,
    signalId: stored.signalId,
    householdRef: stored.householdRef ?? null,
    eventId: stored.eventId ?? null,
    outcome: stored.outcome ?? null,
    reason: stored.reason ?? null,
    ...(stored.pendingWithdrawal ? { pendingWithdrawal: stored.pendingWithdrawal } : {}),
    expiresAtMs: readBackMs(stored.ttl),
  };
}

export class MemoryAlertIndex implements AlertIndex {
  /** What is stored, by alert id, for tests and tools that inspect it. */
  readonly records = new Map<string, { record: Omit<AlertIndexRecord, 'expiresAtMs'>; ttl: number | undefined }>();

  async put(record: Omit<AlertIndexRecord, 'life'>): Promise<void> {
    const { expiresAtMs, ...fields } = record;
    const life = this.records.get(record.alertId)?.record.life;
    this.records.set(record.alertId, { record: freeze({ ...fields, ...(life ? { life } : {}) }), ttl: ttlSecond(expiresAtMs) });
  }

  async recordLife(alertId: string, life: AlertLife): Promise<void> {
    const stored = this.records.get(alertId);
    if (!stored || (stored.record.life && stored.record.life.timeline.length >= life.timeline.length)) return;
    this.records.set(alertId, { ...stored, record: freeze({ ...stored.record, life }) });
  }

  async get(alertId: string): Promise<AlertIndexRecord | undefined> {
    const stored = this.records.get(alertId);
    return stored ? { ...stored.record, expiresAtMs: readBackMs(stored.ttl) } : undefined;
  }

  expire(nowMs: number): void {
    for (const [alertId, stored] of this.records) if (isExpired(stored.ttl, nowMs)) this.records.delete(alertId);
  }
}

export class MemoryCapacityLedger implements CapacityLedger {
  /** Per team and year: the counter and each household's place. */
  readonly years = new Map<string, { team: string; year: number; households: number; places: Map<string, number> }>();

  async countHousehold(team: string, year: number, householdRef: string): Promise<number> {
    const key = `${team}\u0000${year}`;
    let counted = this.years.get(key);
    if (!counted) {
      counted = { team, year, households: 0, places: new Map() };
      this.years.set(key, counted);
    }
    let place = counted.places.get(householdRef);
    if (place === undefined) {
      counted.households += 1;
      place = counted.households;
      counted.places.set(householdRef, place);
    }
    return place;
  }

  expire(nowMs: number): void {
    for (const [key, counted] of this.years) if (isExpired(capacityTtl(counted.year), nowMs)) this.years.delete(key);
  }
}

/** Counts matter for their calendar year and are kept one more, as the adapter's TTL says. */
function capacityTtl(year: number): number | undefined {
  return ttlSecond(Date.UTC(year + 2, 0, 1));
}

const auditKey = (householdRef: string, deliveryId: string) => `${householdRef}\u0000${deliveryId}`;

export class MemoryAuditTrail implements AuditTrail {
  /** What is stored, by household and delivery id (the table's key), for tests and tools. */
  readonly records = new Map<string, { record: Omit<AuditRecord, 'expiresAtMs'>; ttl: number | undefined }>();

  async record(entry: AuditRecord): Promise<void> {
    const key = auditKey(entry.householdRef, entry.deliveryId);
    if (this.records.has(key)) return;
    const { expiresAtMs, ...fields } = entry;
    this.records.set(key, { record: freeze(fields), ttl: ttlSecond(expiresAtMs) });
  }

  /** The record of one delivery; the port itself has no read for it. */
  get(householdRef: string, deliveryId: string): AuditRecord | undefined {
    const stored = this.records.get(auditKey(householdRef, deliveryId));
    return stored ? { ...stored.record, expiresAtMs: readBackMs(stored.ttl) } : undefined;
  }

  expire(nowMs: number): void {
    for (const [key, stored] of this.records) if (isExpired(stored.ttl, nowMs)) this.records.delete(key);
  }
}
