/**
 * The domain's stores on DynamoDB, with single-item conditional writes only (no
 * transactions: they are not needed, and the local stand-in does not have them).
 */
import { ConditionalCheckFailedException, CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertIndex, AlertIndexRecord, AuditRecord, AuditTrail, CapacityLedger, HouseholdState, HouseholdStore, SignalClaim, SignalLedger, StoredWithdrawal } from '@vroegsignaal/domain';
import { itemKeys, TABLE_LAYOUT, ttlSeconds } from './table-layout.ts';

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
      ],
      KeySchema: [
        { AttributeName: TABLE_LAYOUT.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_LAYOUT.sortKey, KeyType: 'RANGE' },
      ],
    }),
  );
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** Awaits a conditional write: true when it was made, false when its condition did not hold. */
async function conditionalWrite(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
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
    if (!Item) return undefined;
    return {
      partnerId: Item.partnerId,
      signalId: Item.signalId,
      householdRef: Item.householdRef ?? null,
      eventId: Item.eventId ?? null,
      outcome: Item.outcome ?? null,
      reason: Item.reason ?? null,
      ...(Item.pendingWithdrawal ? { pendingWithdrawal: Item.pendingWithdrawal as StoredWithdrawal } : {}),
      expiresAtMs: (Item.expiresAt ?? 0) * 1000,
    };
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

  private item(claim: SignalClaim) {
    const { expiresAtMs, ...fields } = claim;
    return { ...itemKeys.signalClaim(claim.partnerId, claim.signalId), ...fields, expiresAt: ttlSeconds(expiresAtMs) };
  }
}

export class DynamoAlertIndex implements AlertIndex {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async put(record: AlertIndexRecord): Promise<void> {
    const { expiresAtMs, ...fields } = record;
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...itemKeys.alert(record.alertId), ...fields, expiresAt: ttlSeconds(expiresAtMs) } }));
  }

  async get(alertId: string): Promise<AlertIndexRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.alert(alertId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, expiresAt, ...fields } = Item;
    return { ...(fields as Omit<AlertIndexRecord, 'expiresAtMs'>), expiresAtMs: (expiresAt ?? 0) * 1000 };
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
