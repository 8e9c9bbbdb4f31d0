/**
 * The domain's stores on DynamoDB, with single-item conditional writes only (no
 * transactions: they are not needed, and the local stand-in does not have them).
 */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  accessMonthOf,
  MAX_RESENDS_KEPT,
  monitorMonthOf,
  OPEN_STATUSES,
  type AccessLog,
  type AccessRecord,
  type StoredAccessRecord,
  type AlertIndex,
  type AlertLife,
  type AlertIndexRecord,
  type AuditRecord,
  type AuditTrail,
  type CapacityLedger,
  type HouseholdState,
  type HouseholdStore,
  type JudgedEntry,
  type JudgedEntryLog,
  type JudgedEntryRecord,
  type MonitorSource,
  type OpenAlert,
  type OpenStatus,
  type RejectionRecord,
  type Resend,
  type SignalClaim,
  type SignalLedger,
  type StoredWithdrawal,
  type TeamInbox,
} from '@vroegsignaal/domain';
import { accessMonthKey, INDEXES, itemKeys, monthKeys, openRank, TABLE_LAYOUT, ttlSeconds } from './table-layout.ts';
import { DynamoMemberDirectory, DynamoNoticeLog } from './notices.ts';
import { conditionalUpdate, conditionalWrite, queryAll } from './dynamodb-requests.ts';

export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Creates the household table with the keys of TABLE_LAYOUT, on demand, as the stack does: for the stand-ins and tests. */
export async function createHouseholdTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: TABLE_LAYOUT.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE_LAYOUT.sortKey, AttributeType: 'S' },
        ...Object.values(INDEXES).flatMap((index) => [
          { AttributeName: index.partitionKey, AttributeType: 'S' as const },
          { AttributeName: index.sortKey, AttributeType: index.sortKeyType },
        ]),
      ],
      KeySchema: [
        { AttributeName: TABLE_LAYOUT.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_LAYOUT.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: Object.values(INDEXES).map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.projected] },
      })),
    }),
  );
}

export class DynamoHouseholdStore implements HouseholdStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async get(ref: string): Promise<HouseholdState | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.household(ref), ConsistentRead: true }));
    return Item ? ({ ...(Item.state as HouseholdState), version: Item.version as number }) : undefined;
  }

  async put(state: HouseholdState, expectedVersion: number, expiresAtMs: number): Promise<boolean> {
    const { version: _version, ...body } = state;
    return conditionalWrite(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKeys.household(state.ref), state: body, version: expectedVersion + 1, expiresAt: ttlSeconds(expiresAtMs) },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
          ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ':expected': expectedVersion },
        }),
      ),
    );
  }
}

export class DynamoSignalLedger implements SignalLedger {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async claim(claim: SignalClaim): Promise<{ claimed: true } | { claimed: false; existing: SignalClaim }> {
    if (await conditionalWrite(this.db.send(new PutCommand({ TableName: this.tableName, Item: this.item(claim), ConditionExpression: 'attribute_not_exists(pk)' })))) {
      return { claimed: true };
    }
    const existing = await this.get(claim.partnerId, claim.signalId);
    if (!existing) return this.claim(claim); // expired between the two calls
    return { claimed: false, existing };
  }

  async get(partnerId: string, signalId: string): Promise<SignalClaim | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.signalClaim(partnerId, signalId), ConsistentRead: true }));
    return Item ? claimFromItem(Item) : undefined;
  }

  async recordFirstOutcome(claim: SignalClaim): Promise<boolean> {
    return conditionalWrite(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.signalClaim(claim.partnerId, claim.signalId),
          // partnerId and signalId too: a claim that expired meanwhile is written anew, and must say whose it is.
          UpdateExpression: 'SET partnerId = :partnerId, signalId = :signalId, householdRef = :ref, eventId = :eventId, outcome = :outcome, reason = :reason, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(householdRef) OR eventId = :eventId',
          ExpressionAttributeValues: {
            ':partnerId': claim.partnerId,
            ':signalId': claim.signalId,
            ':ref': claim.householdRef,
            ':eventId': claim.eventId,
            ':outcome': claim.outcome,
            ':reason': claim.reason,
            ':expiresAt': ttlSeconds(claim.expiresAtMs),
          },
        }),
      ),
    );
  }

  async placeWithdrawal(partnerId: string, signalId: string, withdrawal: StoredWithdrawal, expiresAtMs: number): Promise<boolean> {
    return conditionalWrite(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.signalClaim(partnerId, signalId),
          UpdateExpression: 'SET partnerId = :partnerId, signalId = :signalId, pendingWithdrawal = :withdrawal, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(householdRef)',
          ExpressionAttributeValues: { ':partnerId': partnerId, ':signalId': signalId, ':withdrawal': withdrawal, ':expiresAt': ttlSeconds(expiresAtMs) },
        }),
      ),
    );
  }

  async recordLaterOutcome(partnerId: string, signalId: string, outcome: string, atMs: number, onceKey?: string): Promise<void> {
    // At least once: the same SignalOutcome can arrive twice; its key makes the second a no-op.
    const key = onceKey === '' ? undefined : onceKey;
    // Not written when the condition fails: a claim that expired has nobody left to tell; a
    // withdrawal's own claim needs no copy; an outcome recorded before was delivered twice.
    await conditionalWrite(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.signalClaim(partnerId, signalId),
          UpdateExpression: `SET laterOutcomes = list_append(if_not_exists(laterOutcomes, :empty), :entry)${key ? ' ADD laterOutcomeKeys :keys' : ''}`,
          // A withdrawal's own first outcome is `withdrawn` too; it is not a later one for itself.
          ConditionExpression: `attribute_exists(pk) AND (attribute_not_exists(outcome) OR outcome <> :outcome)${key ? ' AND NOT contains(laterOutcomeKeys, :key)' : ''}`,
          ExpressionAttributeValues: { ':empty': [], ':entry': [{ outcome, atMs }], ':outcome': outcome, ...(key ? { ':keys': new Set([key]), ':key': key } : {}) },
        }),
      ),
    );
  }

  async recordResend(partnerId: string, signalId: string, resend: Resend): Promise<void> {
    const Key = itemKeys.signalClaim(partnerId, signalId);
    // No read first (the outcomes stage has none): the ids kept beside the resends make the
    // condition that keeps one event's resend once, and a claiming event is never its own resend.
    const appended = await conditionalUpdate(
      this.db,
      new UpdateCommand({
        TableName: this.tableName,
        Key,
        UpdateExpression: 'SET resends = list_append(if_not_exists(resends, :empty), :entry), resendIds = list_append(if_not_exists(resendIds, :empty), :id) ADD resendCount :one',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(eventId) OR eventId <> :eventId) AND NOT contains(resendIds, :eventId)',
        ExpressionAttributeValues: { ':empty': [], ':entry': [resend], ':id': [resend.eventId], ':one': 1, ':eventId': resend.eventId },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    // Past the bound, the oldest goes: one at a time, each only while the list is still too
    // long, so that resends kept at the same time never trim more than they added.
    const length = Array.isArray(appended?.resends) ? appended.resends.length : 0;
    for (let over = length - MAX_RESENDS_KEPT; over > 0; over--) {
      const trimmed = await conditionalWrite(
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'REMOVE resends[0], resendIds[0]',
            ConditionExpression: 'size(resends) > :max',
            ExpressionAttributeValues: { ':max': MAX_RESENDS_KEPT },
          }),
        ),
      );
      if (!trimmed) return;
    }
  }

  async recordRejection(rejection: RejectionRecord): Promise<void> {
    const { partnerId, signalId, eventId, rule, reason, atMs, expiresAtMs } = rejection;
    // An update that creates the item, so the outcomes stage needs no other action than on
    // claims. Not written when the condition fails: the same event's rejection told again, or
    // an older one delivered late; the newest rejection of the signalId stands.
    await conditionalWrite(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.signalRejection(partnerId, signalId),
          UpdateExpression: 'SET partnerId = :partnerId, signalId = :signalId, eventId = :eventId, #rule = :rule, reason = :reason, atMs = :atMs, expiresAt = :expiresAt',
          ConditionExpression: `attribute_not_exists(pk) OR (atMs <= :atMs${eventId === null ? '' : ' AND eventId <> :eventId'})`,
          ExpressionAttributeNames: { '#rule': 'rule' },
          ExpressionAttributeValues: { ':partnerId': partnerId, ':signalId': signalId, ':eventId': eventId, ':rule': rule, ':reason': reason, ':atMs': atMs, ':expiresAt': ttlSeconds(expiresAtMs) },
        }),
      ),
    );
  }

  private item(claim: SignalClaim) {
    const { expiresAtMs, ...fields } = claim;
    return { ...itemKeys.signalClaim(claim.partnerId, claim.signalId), ...fields, expiresAt: ttlSeconds(expiresAtMs) };
  }
}

function claimFromItem(Item: Record<string, unknown>): SignalClaim {
  return {
    partnerId: Item.partnerId as string,
    signalId: Item.signalId as string,
    householdRef: (Item.householdRef as string | undefined) ?? null,
    eventId: (Item.eventId as string | undefined) ?? null,
    outcome: (Item.outcome as SignalClaim['outcome'] | undefined) ?? null,
    reason: (Item.reason as string | undefined) ?? null,
    ...(Item.pendingWithdrawal ? { pendingWithdrawal: Item.pendingWithdrawal as StoredWithdrawal } : {}),
    expiresAtMs: ((Item.expiresAt as number | undefined) ?? 0) * 1000,
  };
}

function resendsOf(Item: Record<string, unknown>): Resend[] {
  return Array.isArray(Item.resends) ? (Item.resends as Resend[]) : [];
}

/** Everything a partner can learn of one of its signalIds: the claim with what came after, and the newest rejection. */
export interface PartnerSignalRecords {
  claim?: SignalClaim & { resends: Resend[]; resendCount: number; laterOutcomes: { outcome: string; atMs: number }[] };
  rejection?: Omit<RejectionRecord, 'expiresAtMs'>;
}

/** BatchGetItem takes at most 100 keys. */
const KEYS_PER_BATCH = 100;
const UNPROCESSED_ATTEMPTS = 8;

/** Reads items by key, strongly consistent, 100 keys a request; keys the table leaves unprocessed are asked again. In no particular order; a missing item is left out. */
async function batchGetItems(db: Pick<DynamoDBDocumentClient, 'send'>, tableName: string, allKeys: readonly Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < allKeys.length; start += KEYS_PER_BATCH) {
    let keys = allKeys.slice(start, start + KEYS_PER_BATCH);
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt === UNPROCESSED_ATTEMPTS) throw new Error(`the table left ${keys.length} keys unread after ${attempt} attempts`);
      // Keys the table left unprocessed (throttling) are asked again, after a growing wait.
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const { Responses, UnprocessedKeys } = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [...keys], ConsistentRead: true } } }));
      items.push(...(Responses?.[tableName] ?? []));
      keys = UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
}

/**
 * Reads a partner's records of many signalIds, strongly consistent, 50 signalIds a request:
 * what `vroegsignaal-partner` shows. Only keys under the partner's own prefix are read.
 */
export async function readPartnerRecords(db: Pick<DynamoDBDocumentClient, 'send'>, tableName: string, partnerId: string, signalIds: readonly string[]): Promise<Map<string, PartnerSignalRecords>> {
  const records = new Map<string, PartnerSignalRecords>(signalIds.map((id) => [id, {}]));
  const keys = signalIds.flatMap((id) => [itemKeys.signalClaim(partnerId, id), itemKeys.signalRejection(partnerId, id)]);
  for (const Item of await batchGetItems(db, tableName, keys)) {
    const entry = records.get(Item.signalId as string);
    if (!entry || Item.partnerId !== partnerId) continue;
    if (Item.sk === 'REJECTED') {
      const { signalId, eventId, rule, reason, atMs } = Item as Omit<RejectionRecord, 'expiresAtMs'>;
      entry.rejection = { partnerId, signalId, eventId: eventId ?? null, rule, reason, atMs };
    } else {
      const later = Array.isArray(Item.laterOutcomes) ? (Item.laterOutcomes as { outcome: string; atMs: number }[]) : [];
      entry.claim = { ...claimFromItem(Item), resends: resendsOf(Item), resendCount: typeof Item.resendCount === 'number' ? Item.resendCount : 0, laterOutcomes: later };
    }
  }
  return records;
}

/** What an alert record carries beside the AlertIndexRecord, for the team inbox (INDEXES.openByTeam) and the monitor (INDEXES.byMonth); a read of the record leaves it out. */
const INDEX_ATTRIBUTES = [INDEXES.openByTeam.partitionKey, INDEXES.openByTeam.sortKey, 'partners', 'status', 'holder', 'escalatedAtMs', INDEXES.byMonth.partitionKey] as const;

export class DynamoAlertIndex implements AlertIndex {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async put(record: Omit<AlertIndexRecord, 'life'>): Promise<void> {
    // In the inbox while open: a record put again after its alert ended (a writer sending it
    // again, its first household write lost) must not bring it back. The status its life set
    // decides, in the write's condition; the normal case is one request.
    const opened = await this.write(record, { openTeam: record.team, openRank: openRank(record) });
    if (!opened) await this.write(record, {});
  }

  private async write(record: Omit<AlertIndexRecord, 'life'>, inbox: Record<string, string>): Promise<boolean> {
    const { expiresAtMs, ...fields } = record;
    // An update that sets the record's own fields, not a put that replaces the item: a writer
    // that sends the alert again (its first household write lost) must not erase the life copied meanwhile.
    const partners = [...new Set(record.signals.map((s) => s.partnerId))];
    // Filed in the month it was raised, for its municipality's monitor.
    const monthKey = record.municipalityCode === undefined ? undefined : monthKeys.alertsRaised(record.municipalityCode, monitorMonthOf(record.atMs));
    const attributes = Object.entries({ ...fields, partners, ...inbox, [INDEXES.byMonth.partitionKey]: monthKey, expiresAt: ttlSeconds(expiresAtMs) }).filter(([, value]) => value !== undefined);
    const opening = Object.keys(inbox).length > 0;
    return conditionalWrite(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.alert(record.alertId),
          UpdateExpression: `SET ${attributes.map((_, i) => `#a${i} = :a${i}`).join(', ')}, #status = if_not_exists(#status, :raised)`,
          ...(opening ? { ConditionExpression: 'attribute_not_exists(#status) OR #status IN (:raised, :pickedUp, :reached)' } : {}),
          ExpressionAttributeNames: { ...Object.fromEntries(attributes.map(([name], i) => [`#a${i}`, name])), '#status': 'status' },
          ExpressionAttributeValues: {
            ...Object.fromEntries(attributes.map(([, value], i) => [`:a${i}`, value])),
            ':raised': 'raised',
            ...(opening ? { ':pickedUp': 'picked-up', ':reached': 'reached' } : {}),
          },
        }),
      ),
    );
  }

  async recordLife(alertId: string, life: AlertLife): Promise<void> {
    // The inbox's attributes follow the life: an alert that ended leaves its team's inbox.
    const ended = !OPEN_STATUSES.includes(life.status as OpenStatus);
    const set = ['#life = :life', '#status = :status', ...(life.holder !== undefined ? ['holder = :holder'] : []), ...(life.escalatedAtMs !== undefined ? ['escalatedAtMs = :escalatedAtMs'] : [])];
    const remove = [...(life.holder === undefined ? ['holder'] : []), ...(ended ? [INDEXES.openByTeam.partitionKey, INDEXES.openByTeam.sortKey] : [])];
    // Not written when the condition fails: a copy with at least as long a timeline is there
    // (the timeline only grows), or the record is gone and a life alone would never expire.
    await conditionalWrite(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.alert(alertId),
          UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#life) OR size(#life.#timeline) < :length)',
          ExpressionAttributeNames: { '#life': 'life', '#timeline': 'timeline', '#status': 'status' },
          ExpressionAttributeValues: {
            ':life': life,
            ':length': life.timeline.length,
            ':status': life.status,
            ...(life.holder !== undefined ? { ':holder': life.holder } : {}),
            ...(life.escalatedAtMs !== undefined ? { ':escalatedAtMs': life.escalatedAtMs } : {}),
          },
        }),
      ),
    );
  }

  async get(alertId: string): Promise<AlertIndexRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.alert(alertId), ConsistentRead: true }));
    return Item ? alertRecordOf(Item) : undefined;
  }
}

function alertRecordOf(Item: Record<string, unknown>): AlertIndexRecord {
  const { pk: _pk, sk: _sk, expiresAt, ...fields } = Item;
  for (const name of INDEX_ATTRIBUTES) delete fields[name];
  return { ...(fields as Omit<AlertIndexRecord, 'expiresAtMs'>), expiresAtMs: ((expiresAt as number | undefined) ?? 0) * 1000 };
}

/**
 * The monitor's records: a judged-entry item per bus event, filed with the alert records in
 * INDEXES.byMonth by municipality and month, so a month is read by a query on the index (its
 * size in requests, never a scan), and the households behind them by key.
 */
export class DynamoMonitor implements JudgedEntryLog, MonitorSource {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async record(entry: JudgedEntryRecord): Promise<void> {
    const { expiresAtMs, eventId: _eventId, ...fields } = entry;
    // Not written for a bus event filed before: a redelivery is judged again, counted once.
    await conditionalWrite(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...itemKeys.judgedEntry(entry.eventId),
            ...fields,
            [INDEXES.byMonth.partitionKey]: monthKeys.entriesJudged(entry.municipalityCode, monitorMonthOf(entry.atMs)),
            expiresAt: ttlSeconds(expiresAtMs),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async entriesJudged(municipalityCode: string, month: string): Promise<JudgedEntry[]> {
    return (await this.month(monthKeys.entriesJudged(municipalityCode, month))).map((Item) => ({
      partnerId: Item.partnerId as string,
      detailType: Item.detailType as string,
      outcome: Item.outcome as JudgedEntry['outcome'],
      ...(typeof Item.rule === 'string' ? { rule: Item.rule as JudgedEntry['rule'] } : {}),
      ...(typeof Item.householdRef === 'string' ? { householdRef: Item.householdRef } : {}),
      atMs: Item.atMs as number,
    }));
  }

  async alertsRaised(municipalityCode: string, month: string): Promise<AlertIndexRecord[]> {
    return (await this.month(monthKeys.alertsRaised(municipalityCode, month))).map(alertRecordOf);
  }

  async households(refs: readonly string[]): Promise<HouseholdState[]> {
    const items = await batchGetItems(this.db, this.tableName, [...new Set(refs)].map((ref) => itemKeys.household(ref)));
    return items.map((Item) => ({ ...(Item.state as HouseholdState), version: Item.version as number }));
  }

  /** One partition of the month index, oldest first, page by page. */
  private month(monthKey: string): Promise<Record<string, unknown>[]> {
    return queryAll(this.db, {
      TableName: this.tableName,
      IndexName: INDEXES.byMonth.name,
      KeyConditionExpression: '#month = :month',
      ExpressionAttributeNames: { '#month': INDEXES.byMonth.partitionKey },
      ExpressionAttributeValues: { ':month': monthKey },
    });
  }
}

/** A team's open alerts from the sparse index openByTeam: one query page holds about a thousand. */
export class DynamoTeamInbox implements TeamInbox {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async openAlerts(team: string): Promise<OpenAlert[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: INDEXES.openByTeam.name,
      KeyConditionExpression: '#team = :team',
      ExpressionAttributeNames: { '#team': INDEXES.openByTeam.partitionKey },
      ExpressionAttributeValues: { ':team': team },
    });
    return items.map(openAlertOf);
  }
}

function openAlertOf(Item: Record<string, unknown>): OpenAlert {
  return {
    alertId: Item.alertId as string,
    team: Item.team as string,
    level: Item.level as OpenAlert['level'],
    score: Item.score as number,
    reasonCodes: (Item.reasonCodes as string[] | undefined) ?? [],
    partners: (Item.partners as string[] | undefined) ?? [],
    district: Item.district as string,
    raisedAtMs: Item.atMs as number,
    respondByMs: Item.respondByMs as number,
    status: Item.status as OpenAlert['status'],
    ...(typeof Item.holder === 'string' ? { holder: Item.holder } : {}),
    ...(typeof Item.escalatedAtMs === 'number' ? { escalatedAtMs: Item.escalatedAtMs } : {}),
  };
}

/** The access log (NEN 7513): a municipality's month per partition, each view an item of its own, kept until its expiresAtMs. */
export class DynamoAccessLog implements AccessLog {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async record(entry: AccessRecord): Promise<void> {
    const { expiresAtMs, ...fields } = entry;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...itemKeys.accessRecord(entry.municipalityCode, accessMonthOf(entry.atMs), entry.atMs, randomUUID()), ...fields, expiresAt: ttlSeconds(expiresAtMs) },
        // A fresh key every time: no view ever replaces another.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async month(municipalityCode: string, month: string): Promise<AccessRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': accessMonthKey(municipalityCode, month) },
      ConsistentRead: true,
    });
    return items.map(({ pk: _pk, sk: _sk, expiresAt, ...fields }) => ({ ...(fields as StoredAccessRecord), expiresAtMs: ((expiresAt as number | undefined) ?? 0) * 1000 }));
  }
}

export class DynamoCapacityLedger implements CapacityLedger {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async countHousehold(team: string, year: number, householdRef: string): Promise<number> {
    const marker = itemKeys.capacityMarker(team, year, householdRef);
    const known = await this.db.send(new GetCommand({ TableName: this.tableName, Key: marker, ConsistentRead: true }));
    if (known.Item) return known.Item.place as number;
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: itemKeys.capacityCounter(team, year),
        UpdateExpression: 'ADD households :one SET expiresAt = :expiresAt',
        ExpressionAttributeValues: { ':one': 1, ':expiresAt': capacityExpiry(year) },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const place = Attributes!.households as number;
    if (await conditionalWrite(this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...marker, place, expiresAt: capacityExpiry(year) }, ConditionExpression: 'attribute_not_exists(pk)' })))) {
      return place;
    }
    // Two deliveries raced for the same household: the first place stands; the counter may run
    // one ahead, which an advisory capacity can bear.
    const again = await this.db.send(new GetCommand({ TableName: this.tableName, Key: marker, ConsistentRead: true }));
    return again.Item!.place as number;
  }
}

/** Capacity counts matter for their calendar year; they are kept one more year for reporting. */
function capacityExpiry(year: number): number {
  return ttlSeconds(Date.UTC(year + 2, 0, 1))!;
}

export class DynamoAuditTrail implements AuditTrail {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async record(entry: AuditRecord): Promise<void> {
    const { expiresAtMs, ...fields } = entry;
    // Not written for a resend of the same message: its first record stands.
    await conditionalWrite(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKeys.audit(entry.householdRef, entry.deliveryId), ...fields, expiresAt: ttlSeconds(expiresAtMs) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }
}

/** The table's ports the team workspace reads and writes: one wiring for the Lambda entry, the local runtime and the tests. */
export function workspaceTablePorts(db: DynamoDBDocumentClient, tableName: string) {
  return {
    households: new DynamoHouseholdStore(db, tableName),
    alerts: new DynamoAlertIndex(db, tableName),
    inbox: new DynamoTeamInbox(db, tableName),
    access: new DynamoAccessLog(db, tableName),
    monitor: new DynamoMonitor(db, tableName),
    // The member directory and sent notices of e-mail notices: the settings pages and the login's registration.
    members: new DynamoMemberDirectory(db, tableName),
    noticeLog: new DynamoNoticeLog(db, tableName),
  };
}
