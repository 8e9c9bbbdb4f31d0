/**
 * The team workspace's reads in memory, with the semantics of the DynamoDB adapters
 * (DynamoTeamInbox, DynamoAccessLog in packages/adapters/src/dynamodb.ts), held to them by the
 * shared port tests.
 */
import { accessMonthOf, OPEN_STATUSES, type AccessLog, type AccessRecord, type OpenAlert, type OpenStatus, type StoredAccessRecord, type TeamInbox } from '@vroegsignaal/domain';
import { freeze, isExpired, readBackMs, ttlSecond } from './expiry.ts';
import type { MemoryAlertIndex } from './stores.ts';

const OPEN: ReadonlySet<string> = new Set(OPEN_STATUSES);

/**
 * A team's open alerts, read from the alert index's records as the table's sparse index holds
 * them: an alert is open until the life copied onto its record says it ended (a record put
 * again keeps that life, so a resend never reopens it). Looks at every record: a test's or a
 * local run's few thousand, where the table answers from its index.
 */
export class MemoryTeamInbox implements TeamInbox {
  constructor(private readonly alerts: MemoryAlertIndex) {}

  async openAlerts(team: string): Promise<OpenAlert[]> {
    const open: OpenAlert[] = [];
    for (const { record } of this.alerts.records.values()) {
      const status = record.life?.status ?? 'raised';
      if (record.team !== team || !OPEN.has(status)) continue;
      open.push({
        alertId: record.alertId,
        team: record.team,
        level: record.level,
        score: record.score,
        reasonCodes: [...record.reasonCodes],
        partners: [...new Set(record.signals.map((s) => s.partnerId))],
        district: record.district,
        raisedAtMs: record.atMs,
        respondByMs: record.respondByMs,
        status: status as OpenStatus,
        ...(record.life?.holder !== undefined ? { holder: record.life.holder } : {}),
        ...(record.life?.escalatedAtMs !== undefined ? { escalatedAtMs: record.life.escalatedAtMs } : {}),
      });
    }
    return open;
  }
}

/** Every view kept, per municipality and Amsterdam month, in time order. */
export class MemoryAccessLog implements AccessLog {
  private readonly months = new Map<string, { record: StoredAccessRecord; ttl: number | undefined }[]>();

  async record(entry: AccessRecord): Promise<void> {
    const { expiresAtMs, ...fields } = entry;
    const key = monthKey(entry.municipalityCode, accessMonthOf(entry.atMs));
    const month = this.months.get(key) ?? [];
    // After the last one at or before its time: a late view goes where its time puts it.
    let at = month.length;
    while (at > 0 && month[at - 1]!.record.atMs > entry.atMs) at--;
    month.splice(at, 0, { record: freeze(fields), ttl: ttlSecond(expiresAtMs) });
    this.months.set(key, month);
  }

  async month(municipalityCode: string, month: string): Promise<AccessRecord[]> {
    return (this.months.get(monthKey(municipalityCode, month)) ?? []).map(({ record, ttl }) => ({ ...record, expiresAtMs: readBackMs(ttl) }));
  }

  expire(nowMs: number): void {
    for (const [key, month] of this.months) {
      const kept = month.filter((stored) => !isExpired(stored.ttl, nowMs));
      if (kept.length === 0) this.months.delete(key);
      else this.months.set(key, kept);
    }
  }
}

function monthKey(municipalityCode: string, month: string): string {
  return `${municipalityCode}\u0000${month}`;
}
