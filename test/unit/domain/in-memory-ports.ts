/**
 * The ports for unit tests: the in-memory engine (@vroegsignaal/engine-memory), which the
 * shared port tests in test/ports hold to the adapters' semantics, plus what only tests need:
 * a log of the calls made, and a queue or scheduler that refuses the next calls.
 */
import {
  MemoryAlertIndex,
  MemoryAuditTrail,
  MemoryCapacityLedger,
  MemoryHouseholdStore,
  MemoryMonitor,
  MemoryReminderScheduler,
  MemorySignalLedger,
  MemoryTeamMessenger,
  type QueuedMessage,
} from '@vroegsignaal/engine-memory';
import type { TeamMessage } from '@vroegsignaal/events';

export {
  MemoryAlertIndex as InMemoryAlertIndex,
  MemoryAuditTrail as InMemoryAuditTrail,
  MemoryCapacityLedger as InMemoryCapacityLedger,
  MemoryHouseholdStore as InMemoryHouseholdStore,
};

export type SentRecord = QueuedMessage;

export class InMemorySignalLedger extends MemorySignalLedger {
  /**
   * Every later outcome a caller asked to record, kept or not: what a handler did, where the
   * ledger itself keeps one only on a claim that exists (see laterOutcomesOf).
   */
  readonly laterOutcomes: { partnerId: string; signalId: string; outcome: string; atMs: number }[] = [];

  override async recordLaterOutcome(partnerId: string, signalId: string, outcome: string, atMs: number, onceKey?: string): Promise<void> {
    this.laterOutcomes.push({ partnerId, signalId, outcome, atMs });
    await super.recordLaterOutcome(partnerId, signalId, outcome, atMs, onceKey);
  }
}

export class RecordingTeamMessenger extends MemoryTeamMessenger {
  /** Every send call, including ones the queue drops as duplicates. */
  readonly calls: SentRecord[] = [];
  /** Sends to refuse before the next one goes through: a team queue that is down. */
  refuseNext = 0;

  override async send(team: string, message: TeamMessage, deduplicationId: string, groupId: string): Promise<void> {
    if (this.refuseNext > 0) {
      this.refuseNext--;
      throw Object.assign(new Error('queue unavailable'), { name: 'QueueUnavailable' });
    }
    this.calls.push({ team, message: structuredClone(message), deduplicationId, groupId });
    await super.send(team, message, deduplicationId, groupId);
  }
}

export class RecordingScheduler extends MemoryReminderScheduler {
  /** Calls to refuse before the next one goes through: a scheduler that is down. */
  refuseNext = 0;

  override async scheduleCheck(householdRef: string, atMs: number): Promise<void> {
    if (this.refuseNext > 0) {
      this.refuseNext--;
      throw Object.assign(new Error('scheduler unavailable'), { name: 'ServiceUnavailable' });
    }
    await super.scheduleCheck(householdRef, atMs);
  }
}

export function inMemoryPorts() {
  const households = new MemoryHouseholdStore();
  const alerts = new MemoryAlertIndex();
  return {
    scheduler: new RecordingScheduler(),
    audit: new MemoryAuditTrail(),
    households,
    ledger: new InMemorySignalLedger(),
    alerts,
    monitor: new MemoryMonitor(alerts, households),
    capacity: new MemoryCapacityLedger(),
    messenger: new RecordingTeamMessenger(),
  };
}
