/**
 * The monitor's records in memory, as DynamoMonitor keeps them: one judged entry per bus event,
 * found by municipality and month with the alert records of the in-memory alert index.
 */
import { monitorMonthOf, type AlertIndexRecord, type HouseholdState, type JudgedEntry, type JudgedEntryLog, type JudgedEntryRecord, type MonitorSource } from '@vroegsignaal/domain';
import { freeze, isExpired, readBackMs, ttlSecond } from './expiry.ts';
import type { MemoryAlertIndex, MemoryHouseholdStore } from './stores.ts';

export class MemoryMonitor implements JudgedEntryLog, MonitorSource {
  /** By bus event: the first record of an event stands. */
  private readonly entries = new Map<string, { entry: Omit<JudgedEntryRecord, 'expiresAtMs' | 'eventId'>; ttl: number | undefined }>();

  constructor(private readonly alerts: MemoryAlertIndex, private readonly householdStore: MemoryHouseholdStore) {}

  async record(entry: JudgedEntryRecord): Promise<void> {
    if (this.entries.has(entry.eventId)) return;
    const { expiresAtMs, eventId: _eventId, ...fields } = entry;
    this.entries.set(entry.eventId, { entry: freeze(fields), ttl: ttlSecond(expiresAtMs) });
  }

  async entriesJudged(municipalityCode: string, month: string): Promise<JudgedEntry[]> {
    const judged: JudgedEntry[] = [];
    for (const { entry } of this.entries.values()) {
      if (entry.municipalityCode !== municipalityCode || monitorMonthOf(entry.atMs) !== month) continue;
      const { municipalityCode: _code, ...fields } = entry;
      judged.push(fields);
    }
    return judged.sort((a, b) => a.atMs - b.atMs);
  }

  async alertsRaised(municipalityCode: string, month: string): Promise<AlertIndexRecord[]> {
    const raised: AlertIndexRecord[] = [];
    for (const { record, ttl } of this.alerts.records.values()) {
      if (record.municipalityCode !== municipalityCode || monitorMonthOf(record.atMs) !== month) continue;
      raised.push({ ...record, expiresAtMs: readBackMs(ttl) });
    }
    return raised.sort((a, b) => a.atMs - b.atMs);
  }

  async households(refs: readonly string[]): Promise<HouseholdState[]> {
    const found = await Promise.all([...new Set(refs)].map((ref) => this.householdStore.get(ref)));
    return found.filter((state): state is HouseholdState => state !== undefined);
  }

  /** Drops the judged entries whose TTL has passed (the alert records expire with their index). */
  expire(nowMs: number): void {
    for (const [eventId, { ttl }] of this.entries) if (isExpired(ttl, nowMs)) this.entries.delete(eventId);
  }
}
