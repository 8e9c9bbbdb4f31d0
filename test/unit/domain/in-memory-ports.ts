/**
 * Unit-test-only fakes of the domain ports, with the semantics the adapters promise:
 * conditional household writes, create-if-absent claims, deduplicated queue sends.
 * Values are cloned in and out, so a use case cannot mutate what is "stored".
 */
import type { TeamMessage } from '@vroegsignaal/events';
import type {
  AlertIndex,
  AlertIndexRecord,
  AuditRecord,
  AuditTrail,
  CapacityLedger,
  HouseholdState,
  HouseholdStore,
  ReminderScheduler,
  SignalClaim,
  SignalLedger,
  StoredWithdrawal,
  TeamMessenger,
} from '@vroegsignaal/domain';

const clone = <T>(value: T): T => structuredClone(value);

export class InMemoryHouseholdStore implements HouseholdStore {
  readonly records = new Map<string, { state: HouseholdState; expiresAtMs: number }>();
  puts = 0;
  /** Writes that lost on the version check. */
  conflicts = 0;

  async get(ref: string): Promise<HouseholdState | undefined> {
    const record = this.records.get(ref);
    return record ? clone(record.state) : undefined;
  }

  async put(state: HouseholdState, expectedVersion: number, expiresAtMs: number): Promise<boolean> {
    const current = this.records.get(state.ref);
    if ((current?.state.version ?? 0) !== expectedVersion) {
      this.conflicts += 1;
      return false;
    }
    this.puts += 1;
    this.records.set(state.ref, { state: { ...clone(state), version: expectedVersion + 1 }, expiresAtMs });
    return true;
  }

  /** Test helper: the stored state, bypassing the port. */
  peek(ref: string): HouseholdState | undefined {
    return this.records.get(ref)?.state;
  }
}

const key = (partnerId: string, signalId: string) => `${partnerId}\u0000${signalId}`;

export class InMemorySignalLedger implements SignalLedger {
  readonly claims = new Map<string, SignalClaim>();
  readonly laterOutcomes: { partnerId: string; signalId: string; outcome: string; atMs: number }[] = [];

  async claim(claim: SignalClaim): Promise<{ claimed: true } | { claimed: false; existing: SignalClaim }> {
    const existing = this.claims.get(key(claim.partnerId, claim.signalId));
    if (existing) return { claimed: false, existing: clone(existing) };
    this.claims.set(key(claim.partnerId, claim.signalId), clone(claim));
    return { claimed: true };
  }

  async get(partnerId: string, signalId: string): Promise<SignalClaim | undefined> {
    const existing = this.claims.get(key(partnerId, signalId));
    return existing ? clone(existing) : undefined;
  }

  async recordFirstOutcome(claim: SignalClaim): Promise<boolean> {
    const existing = this.claims.get(key(claim.partnerId, claim.signalId));
    if (existing && existing.householdRef !== null && existing.eventId !== claim.eventId) return false;
    this.claims.set(key(claim.partnerId, claim.signalId), clone({ ...existing, ...claim }));
    return true;
  }

  async placeWithdrawal(partnerId: string, signalId: string, withdrawal: StoredWithdrawal, expiresAtMs: number): Promise<boolean> {
    const existing = this.claims.get(key(partnerId, signalId));
    if (existing && existing.householdRef !== null) return false;
    this.claims.set(key(partnerId, signalId), {
      partnerId,
      signalId,
      householdRef: null,
      eventId: existing?.eventId ?? null,
      outcome: existing?.outcome ?? null,
      reason: existing?.reason ?? null,
      pendingWithdrawal: clone(withdrawal),
      expiresAtMs: Math.max(expiresAtMs, existing?.expiresAtMs ?? 0),
    });
    return true;
  }

  async recordLaterOutcome(partnerId: string, signalId: string, outcome: string, atMs: number): Promise<void> {
    this.laterOutcomes.push({ partnerId, signalId, outcome, atMs });
  }
}

export class InMemoryAlertIndex implements AlertIndex {
  readonly records = new Map<string, AlertIndexRecord>();

  async put(record: AlertIndexRecord): Promise<void> {
    this.records.set(record.alertId, clone(record));
  }

  async get(alertId: string): Promise<AlertIndexRecord | undefined> {
    const record = this.records.get(alertId);
    return record ? clone(record) : undefined;
  }
}

export class InMemoryCapacityLedger implements CapacityLedger {
  readonly households = new Map<string, string[]>();

  async countHousehold(team: string, year: number, householdRef: string): Promise<number> {
    const k = `${team}|${year}`;
    const refs = this.households.get(k) ?? [];
    if (!refs.includes(householdRef)) refs.push(householdRef);
    this.households.set(k, refs);
    return refs.indexOf(householdRef) + 1;
  }
}

export interface SentRecord {
  team: string;
  message: TeamMessage;
  deduplicationId: string;
  groupId: string;
}

export class RecordingTeamMessenger implements TeamMessenger {
  /** Every send call, including ones the queue would drop as duplicates. */
  readonly calls: SentRecord[] = [];
  /** What the teams' queues would hold: sends with a new deduplication id. */
  readonly delivered: SentRecord[] = [];
  /** Sends to refuse before the next one goes through: a team queue that is down. */
  refuseNext = 0;
  private readonly seen = new Set<string>();

  async send(team: string, message: TeamMessage, deduplicationId: string, groupId: string): Promise<void> {
    if (this.refuseNext > 0) {
      this.refuseNext--;
      throw Object.assign(new Error('queue unavailable'), { name: 'QueueUnavailable' });
    }
    const record = { team, message: clone(message), deduplicationId, groupId };
    this.calls.push(record);
    const k = `${team}|${deduplicationId}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.delivered.push(record);
  }
}

/** Keeps audit records by delivery id; the first stands. */
export class InMemoryAuditTrail implements AuditTrail {
  readonly records = new Map<string, AuditRecord>();

  async record(entry: AuditRecord): Promise<void> {
    if (!this.records.has(entry.deliveryId)) this.records.set(entry.deliveryId, clone(entry));
  }
}

/** Records the reminder checks the route asked for. */
export class RecordingScheduler implements ReminderScheduler {
  readonly checks: { householdRef: string; atMs: number }[] = [];
  /** Calls to refuse before the next one goes through: a scheduler that is down. */
  refuseNext = 0;

  async scheduleCheck(householdRef: string, atMs: number): Promise<void> {
    if (this.refuseNext > 0) {
      this.refuseNext--;
      throw Object.assign(new Error('scheduler unavailable'), { name: 'ServiceUnavailable' });
    }
    if (!this.checks.some((c) => c.householdRef === householdRef && c.atMs === atMs)) this.checks.push({ householdRef, atMs });
  }
}

export function inMemoryPorts() {
  return {
    scheduler: new RecordingScheduler(),
    audit: new InMemoryAuditTrail(),
    households: new InMemoryHouseholdStore(),
    ledger: new InMemorySignalLedger(),
    alerts: new InMemoryAlertIndex(),
    capacity: new InMemoryCapacityLedger(),
    messenger: new RecordingTeamMessenger(),
  };
}
