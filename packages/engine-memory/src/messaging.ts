/**
 * The pipeline's outward ports in memory: the team queues (SQS FIFO), the reminder checks
 * (EventBridge Scheduler) and the pipeline bus (EventBridge), kept so that a test or a replay
 * can see what went out.
 */
import type { DeliveryDue, TeamMessage } from '@vroegsignaal/events';
import type { EventPublisher, PipelineEvent, ReminderScheduler, TeamMessenger } from '@vroegsignaal/domain';
import { freeze } from './expiry.ts';

export interface QueuedMessage {
  team: string;
  message: TeamMessage;
  deduplicationId: string;
  groupId: string;
}

export interface MemoryTeamMessengerOptions {
  /**
   * The teams that have a queue. Without it every team has one; with it, a send to another
   * team fails as SQS does for a queue that does not exist.
   */
  teams?: Iterable<string>;
}

export class MemoryTeamMessenger implements TeamMessenger {
  /** What the teams' queues received, in order of arrival: sends with a new deduplication id. */
  readonly delivered: QueuedMessage[] = [];
  private readonly teams: ReadonlySet<string> | undefined;
  /**
   * Deduplication ids seen per team queue. SQS forgets one after five minutes; this keeps it
   * for good, as the pipeline's ids are stable and a resend is the same message however late.
   */
  private readonly seen = new Set<string>();

  constructor(options: MemoryTeamMessengerOptions = {}) {
    this.teams = options.teams ? new Set(options.teams) : undefined;
  }

  async send(team: string, message: TeamMessage, deduplicationId: string, groupId: string): Promise<void> {
    if (this.teams && !this.teams.has(team)) {
      throw Object.assign(new Error(`The team queue of ${team} does not exist.`), { name: 'QueueDoesNotExist' });
    }
    const key = `${team}\u0000${deduplicationId}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.delivered.push(freeze({ team, message, deduplicationId, groupId }));
  }

  /** What one team's queue received, in order of arrival. */
  messagesFor(team: string): QueuedMessage[] {
    return this.delivered.filter((d) => d.team === team);
  }
}

export interface ScheduledCheck {
  householdRef: string;
  atMs: number;
}

export class MemoryReminderScheduler implements ReminderScheduler {
  /** Checks not yet run, by household and time (as the adapter names a schedule), in the order they were asked for. */
  private readonly pending = new Map<string, ScheduledCheck>();
  /**
   * The same checks as a min-heap on (time, order asked for): a replay over a year asks for the
   * next one at every Now line, and a scan of every waiting check each time would grow with
   * the households.
   */
  private readonly queue: QueuedCheck[] = [];
  private asked = 0;

  /** Checks not yet run, in the order they were asked for. */
  get checks(): ScheduledCheck[] {
    return [...this.pending.values()];
  }

  async scheduleCheck(householdRef: string, atMs: number): Promise<void> {
    // The same household and time twice is one schedule.
    const key = `${householdRef}\u0000${atMs}`;
    if (this.pending.has(key)) return;
    const check = { householdRef, atMs };
    this.pending.set(key, check);
    pushCheck(this.queue, { check, key, order: this.asked++ });
  }

  /** When the earliest check not yet run is due (its whole second), or undefined when none is waiting. */
  nextDueMs(): number | undefined {
    const next = this.queue[0];
    return next === undefined ? undefined : wholeSecond(next.check.atMs);
  }

  /**
   * Runs the checks due at `nowMs` and forgets them (the adapter's schedules delete themselves
   * once run): the DeliveryDue details they put on the pipeline bus, earliest first (in the
   * order asked for at the same time). A schedule's time is whole seconds (`at(...)`), so a
   * check is due from its second on.
   */
  fireDue(nowMs: number): DeliveryDue[] {
    const due: DeliveryDue[] = [];
    while (this.queue.length > 0 && wholeSecond(this.queue[0]!.check.atMs) <= nowMs) {
      const { check, key } = popCheck(this.queue);
      this.pending.delete(key);
      due.push({ schemaVersion: 1, householdRef: check.householdRef, version: 0, at: `${new Date(wholeSecond(check.atMs)).toISOString().slice(0, 19)}Z` });
    }
    return due;
  }
}

interface QueuedCheck {
  check: ScheduledCheck;
  key: string;
  order: number;
}

const runsBefore = (a: QueuedCheck, b: QueuedCheck) => a.check.atMs < b.check.atMs || (a.check.atMs === b.check.atMs && a.order < b.order);

function pushCheck(heap: QueuedCheck[], item: QueuedCheck): void {
  let at = heap.push(item) - 1;
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!runsBefore(item, heap[parent]!)) break;
    heap[at] = heap[parent]!;
    at = parent;
  }
  heap[at] = item;
}

function popCheck(heap: QueuedCheck[]): QueuedCheck {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length === 0) return top;
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && runsBefore(heap[right]!, heap[left]!) ? right : left;
    if (!runsBefore(heap[child]!, last)) break;
    heap[at] = heap[child]!;
    at = child;
  }
  heap[at] = last;
  return top;
}

const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

export class MemoryEventPublisher implements EventPublisher {
  /** Every event published, in order. */
  readonly published: PipelineEvent[] = [];

  async publish(events: PipelineEvent[]): Promise<void> {
    this.published.push(...events.map(freeze));
  }
}
