/**
 * E-mail notices' stores in memory, with the semantics of the DynamoDB adapters
 * (DynamoMemberDirectory, DynamoNoticeLog, PowertoolsOnceGate in packages/adapters/src/notices.ts),
 * held to them by the shared port tests.
 */
import type { MailStatus, MemberDirectory, MemberRecord, NoticeLog, OnceGate, SentNotice, TeamNoticeDefaults } from '@vroegsignaal/domain';
import { freeze, isExpired, readBackMs, ttlSecond } from './expiry.ts';

export class MemoryMemberDirectory implements MemberDirectory {
  private readonly members = new Map<string, MemberRecord>();
  private readonly defaults = new Map<string, TeamNoticeDefaults>();

  async all(): Promise<{ members: MemberRecord[]; defaults: TeamNoticeDefaults[] }> {
    // In the table's order: by sort key, a member's id and a team's.
    return { members: inKeyOrder(this.members), defaults: inKeyOrder(this.defaults) };
  }

  async get(memberId: string): Promise<MemberRecord | undefined> {
    return this.members.get(memberId);
  }

  async put(member: MemberRecord): Promise<void> {
    this.members.set(member.memberId, kept(member));
  }

  async defaultsOf(team: string): Promise<TeamNoticeDefaults | undefined> {
    return this.defaults.get(team);
  }

  async putDefaults(defaults: TeamNoticeDefaults): Promise<void> {
    this.defaults.set(defaults.team, kept(defaults));
  }

  async switchOff(memberId: string, status: Exclude<MailStatus, 'active'>, atMs: number): Promise<boolean> {
    const member = this.members.get(memberId);
    if (member?.mail !== 'active') return false;
    this.members.set(memberId, freeze({ ...member, mail: status, mailOffAtMs: atMs }));
    return true;
  }
}

/** As the table keeps an item: a copy of its own, without the fields that are undefined. */
function kept<T>(value: T): T {
  return freeze(JSON.parse(JSON.stringify(value)) as T);
}

function inKeyOrder<T>(records: Map<string, T>): T[] {
  return [...records.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((key) => records.get(key)!);
}

interface KeptNotice {
  notice: Omit<SentNotice, 'expiresAtMs'>;
  ttl: number | undefined;
}

export class MemoryNoticeLog implements NoticeLog {
  /** Per member, per key: the first notice recorded under it. */
  private readonly notices = new Map<string, Map<string, KeptNotice>>();

  async record(notice: SentNotice): Promise<void> {
    const { expiresAtMs, ...fields } = notice;
    const ofMember = this.notices.get(notice.memberId) ?? new Map<string, KeptNotice>();
    if (ofMember.has(notice.key)) return;
    ofMember.set(notice.key, { notice: kept(fields), ttl: ttlSecond(expiresAtMs) });
    this.notices.set(notice.memberId, ofMember);
  }

  async recent(memberId: string, limit: number): Promise<SentNotice[]> {
    return [...(this.notices.get(memberId)?.values() ?? [])]
      .map(({ notice, ttl }) => ({ ...notice, expiresAtMs: readBackMs(ttl) }))
      .sort((a, b) => b.atMs - a.atMs || b.key.localeCompare(a.key))
      .slice(0, Math.max(0, limit));
  }

  expire(nowMs: number): void {
    for (const [memberId, ofMember] of this.notices) {
      for (const [key, kept] of ofMember) if (isExpired(kept.ttl, nowMs)) ofMember.delete(key);
      if (ofMember.size === 0) this.notices.delete(memberId);
    }
  }
}

/** A key another run holds right now: as Powertools' IdempotencyAlreadyInProgressError, tried again later. */
export class OnceInProgressError extends Error {
  constructor() {
    super('Another run of this key is in progress.');
    this.name = 'IdempotencyAlreadyInProgressError';
  }
}

export class MemoryOnceGate implements OnceGate {
  private readonly completed = new Set<string>();
  private readonly running = new Set<string>();

  async once(key: string, run: () => Promise<void>): Promise<boolean> {
    if (this.completed.has(key)) return false;
    if (this.running.has(key)) throw new OnceInProgressError();
    this.running.add(key);
    try {
      await run();
      this.completed.add(key);
      return true;
    } finally {
      this.running.delete(key);
    }
  }
}
