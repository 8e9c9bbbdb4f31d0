/**
 * E-mail notices' stores on the household table: the members and their teams' defaults (one
 * partition, read by notify in one query), the notices sent per member, and notify's once-gate
 * (Powertools idempotency, its records in a partition of their own). No key holds an address:
 * a member is keyed by their pseudonymous id.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MailStatus, MemberDirectory, MemberRecord, NoticeLog, OnceGate, SentNotice, TeamNoticeDefaults } from '@vroegsignaal/domain';
import { conditionalWrite, queryAll } from './dynamodb-requests.ts';
import { itemKeys, NOTICE_ONCE_PARTITION, TABLE_LAYOUT, ttlSeconds } from './table-layout.ts';

const MEMBER_SORT_PREFIX = itemKeys.member('').sk;
const DEFAULTS_SORT_PREFIX = itemKeys.teamNoticeDefaults('').sk;

export class DynamoMemberDirectory implements MemberDirectory {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async all(): Promise<{ members: MemberRecord[]; defaults: TeamNoticeDefaults[] }> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': itemKeys.member('').pk },
      ConsistentRead: true,
    });
    const members: MemberRecord[] = [];
    const defaults: TeamNoticeDefaults[] = [];
    for (const Item of items) {
      const sk = Item.sk as string;
      if (sk.startsWith(MEMBER_SORT_PREFIX)) members.push(fieldsOf<MemberRecord>(Item));
      else if (sk.startsWith(DEFAULTS_SORT_PREFIX)) defaults.push(fieldsOf<TeamNoticeDefaults>(Item));
    }
    return { members, defaults };
  }

  async get(memberId: string): Promise<MemberRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.member(memberId), ConsistentRead: true }));
    return Item ? (fieldsOf<MemberRecord>(Item)) : undefined;
  }

  async put(member: MemberRecord): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...itemKeys.member(member.memberId), ...member } }));
  }

  async defaultsOf(team: string): Promise<TeamNoticeDefaults | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.teamNoticeDefaults(team), ConsistentRead: true }));
    return Item ? (fieldsOf<TeamNoticeDefaults>(Item)) : undefined;
  }

  async putDefaults(defaults: TeamNoticeDefaults): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...itemKeys.teamNoticeDefaults(defaults.team), ...defaults } }));
  }

  async switchOff(memberId: string, status: Exclude<MailStatus, 'active'>, atMs: number): Promise<boolean> {
    // Only a member whose mail is on: a second bounce of the same address tells nobody again.
    return conditionalWrite(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.member(memberId),
          UpdateExpression: 'SET #mail = :status, mailOffAtMs = :at',
          ConditionExpression: 'attribute_exists(pk) AND #mail = :active',
          ExpressionAttributeNames: { '#mail': 'mail' },
          ExpressionAttributeValues: { ':status': status, ':at': atMs, ':active': 'active' satisfies MailStatus },
        }),
      ),
    );
  }
}

/** A member's sent notices, one partition per member, each under its idempotency key; kept until their expiry (90 days, the domain's). */
export class DynamoNoticeLog implements NoticeLog {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async record(notice: SentNotice): Promise<void> {
    const { expiresAtMs, ...fields } = notice;
    // Not written again for the same key: a notice is kept as it was first sent.
    await conditionalWrite(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKeys.sentNotice(notice.memberId, notice.key), ...fields, expiresAt: ttlSeconds(expiresAtMs) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async recent(memberId: string, limit: number): Promise<SentNotice[]> {
    // Sorted by key, not time: the whole partition (a member's 90 days of notices) is read and sorted here.
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': itemKeys.sentNotice(memberId, '').pk },
    });
    const notices = items.map(({ expiresAt, ...Item }): SentNotice => ({ ...fieldsOf<Omit<SentNotice, 'expiresAtMs'>>(Item), expiresAtMs: ((expiresAt as number | undefined) ?? 0) * 1000 }));
    return notices.sort((a, b) => b.atMs - a.atMs || b.key.localeCompare(a.key)).slice(0, Math.max(0, limit));
  }
}

/** An item's own fields, as written (the adapter wrote them from a T): its keys taken off. */
function fieldsOf<T>(Item: Record<string, unknown>): T {
  const { [TABLE_LAYOUT.partitionKey]: _pk, [TABLE_LAYOUT.sortKey]: _sk, ...fields } = Item;
  return fields as T;
}

/** How long a completed notice's key is remembered: a redelivery within a week sends nothing. */
const ONCE_REMEMBERED_SECONDS = 7 * 24 * 3600;

export interface PowertoolsOnceGateOptions {
  /**
   * How long one run (one mail rendered and handed over, a few seconds) may hold its key before
   * another may take it over: a run that died in progress (a timed-out Lambda) frees its notice
   * by the time its record is tried again, instead of blocking it for the week the key is
   * remembered. Counted from each run's start, not the function's. Default 60 s.
   */
  inProgressMs?: number;
}

/**
 * OnceGate on Powertools idempotency (DynamoDBPersistenceLayer) in the household table: every
 * record under the static partition NOTICE_ONCE_PARTITION, its sort key `notify#<hash of the
 * key>`. A completed key is skipped; a run that threw deletes its record and may run again; a
 * key another run holds right now throws (IdempotencyAlreadyInProgressError), so that its
 * record is tried again later by its buffer.
 */
export class PowertoolsOnceGate implements OnceGate {
  private readonly runOnce: (key: string, run: () => Promise<void>) => Promise<true>;

  constructor(client: DynamoDBClient | DynamoDBDocumentClient, tableName: string, options: PowertoolsOnceGateOptions = {}) {
    const inProgressMs = options.inProgressMs ?? 60_000;
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName,
      awsSdkV3Client: client as DynamoDBClient,
      keyAttr: TABLE_LAYOUT.partitionKey,
      sortKeyAttr: TABLE_LAYOUT.sortKey,
      staticPkValue: NOTICE_ONCE_PARTITION,
      expiryAttr: TABLE_LAYOUT.timeToLiveAttribute,
      inProgressExpiryAttr: 'inProgressUntilMs',
    });
    const config = new IdempotencyConfig({ expiresAfterSeconds: ONCE_REMEMBERED_SECONDS });
    // Powertools takes a run's in-progress window from the Lambda context's remaining time, the
    // only part of the context it reads; the gate runs many keys in one invocation (a batch, the
    // digests), so every run gets the same window of its own.
    config.registerLambdaContext({ getRemainingTimeInMillis: () => inProgressMs } as Parameters<IdempotencyConfig['registerLambdaContext']>[0]);
    this.runOnce = makeIdempotent(
      async (_key: string, run: () => Promise<void>): Promise<true> => {
        await run();
        return true;
      },
      // The key alone is hashed (argument 0), under a fixed prefix: the same key in notify, the
      // digest or the feedback function is the same record.
      { persistenceStore, config, keyPrefix: 'notify', dataIndexArgument: 0 },
    );
  }

  async once(key: string, run: () => Promise<void>): Promise<boolean> {
    let ran = false;
    await this.runOnce(key, async () => {
      ran = true;
      await run();
    });
    return ran;
  }
}

/** The notice ports on the household table: one wiring for notify, the digest, mail feedback and the workspace. */
export function noticePorts(db: DynamoDBDocumentClient, tableName: string, options: PowertoolsOnceGateOptions = {}) {
  return {
    members: new DynamoMemberDirectory(db, tableName),
    noticeLog: new DynamoNoticeLog(db, tableName),
    once: new PowertoolsOnceGate(db, tableName, options),
  };
}
