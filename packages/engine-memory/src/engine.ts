import { MemoryAlertIndex, MemoryAuditTrail, MemoryCapacityLedger, MemoryHouseholdStore, MemorySignalLedger } from './stores.ts';
import { MemoryMonitor } from './monitor.ts';
import { MemoryEventPublisher, MemoryReminderScheduler, MemoryTeamMessenger, type MemoryTeamMessengerOptions } from './messaging.ts';

export type MemoryEngineOptions = MemoryTeamMessengerOptions;

export interface MemoryEngine {
  households: MemoryHouseholdStore;
  ledger: MemorySignalLedger;
  alerts: MemoryAlertIndex;
  capacity: MemoryCapacityLedger;
  audit: MemoryAuditTrail;
  /** The judged entries ingest files, and the MonitorSource the monitor and the DDAS export read. */
  monitor: MemoryMonitor;
  scheduler: MemoryReminderScheduler;
  messenger: MemoryTeamMessenger;
  publisher: MemoryEventPublisher;
  /** Drops every record whose TTL has passed at `nowMs`, as DynamoDB's TTL deletion would (eventually) do. */
  expire(nowMs: number): void;
}

/** All of the domain's ports in memory, the stores sharing one notion of time: the caller's. */
export function createMemoryEngine(options: MemoryEngineOptions = {}): MemoryEngine {
  const households = new MemoryHouseholdStore();
  const ledger = new MemorySignalLedger();
  const alerts = new MemoryAlertIndex();
  const capacity = new MemoryCapacityLedger();
  const audit = new MemoryAuditTrail();
  const monitor = new MemoryMonitor(alerts, households);
  return {
    households,
    ledger,
    alerts,
    capacity,
    audit,
    monitor,
    scheduler: new MemoryReminderScheduler(),
    messenger: new MemoryTeamMessenger(options),
    publisher: new MemoryEventPublisher(),
    expire(nowMs) {
      for (const store of [households, ledger, alerts, capacity, audit, monitor]) store.expire(nowMs);
    },
  };
}
