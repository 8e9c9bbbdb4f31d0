/**
 * PutEvents in batches that fit its limits, retrying only the entries that failed for a
 * reason worth retrying. Used by both CLIs.
 *
 * Limits (EventBridge quotas, "Amazon EventBridge quotas"; and "Calculating PutEvents event
 * entry size" in the user guide): at most 10 entries per request, at most 256 KB for the
 * entries of one request, where an entry counts the UTF-8 bytes of Source, DetailType, Detail
 * and each Resources string, plus 14 bytes when Time is given. This is the exact rule, not an
 * estimate, kept once in @vroegsignaal/events (put-events.ts), where the local bus reads it too.
 *
 * Retries: a failed entry carries an ErrorCode in its result slot. Throttling and internal
 * errors are retried, with exponential backoff and full jitter (AWS Architecture Blog,
 * "Exponential Backoff And Jitter"); anything else (a malformed entry, a missing bus) will
 * fail again and is reported instead. Resending is safe: a partner's signal ids are stable,
 * so an entry that reached the bus before a timeout comes back as a `duplicate`, not a new signal.
 */
import { PutEventsCommand, type PutEventsCommandOutput, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { entrySize, MAX_ENTRIES_PER_REQUEST, MAX_TOTAL_ENTRY_BYTES } from '@vroegsignaal/events';
import { isTransient, unreachable, type UnreachableError } from './errors.ts';


/** What sendEntries needs of an EventBridgeClient, so tests can pass a fake. */
export interface PutEventsClient {
  send(command: PutEventsCommand): Promise<PutEventsCommandOutput>;
}

export type BusEntry = Pick<PutEventsRequestEntry, 'Source' | 'DetailType' | 'Detail' | 'Time' | 'Resources'>;

export interface BatchLimits {
  maxEntries: number;
  maxBytes: number;
}

const DEFAULT_LIMITS: BatchLimits = { maxEntries: MAX_ENTRIES_PER_REQUEST, maxBytes: MAX_TOTAL_ENTRY_BYTES };

export class EntryTooLargeError extends Error {
  readonly code = 'ENTRY_TOO_LARGE';
  constructor(index: number, size: number, max: number) {
    super(`entry ${index} is ${size} bytes; a PutEvents request takes at most ${max}`);
    this.name = 'EntryTooLargeError';
  }
}

/**
 * Splits entries into requests, in order, each within both limits. Greedy: an entry goes into
 * the current request if it fits, else it starts the next one. Entries are never reordered
 * or dropped; one that cannot fit even alone is an error (validation keeps a detail within
 * 64 KiB, so this cannot happen to a validated row).
 */
export function planBatches<T extends BusEntry>(entries: readonly T[], limits: BatchLimits = DEFAULT_LIMITS): T[][] {
  return planBatchesBy(entries, entrySize, limits);
}

function planBatchesBy<T>(entries: readonly T[], sizeOf: (entry: T) => number, limits: BatchLimits): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  entries.forEach((entry, index) => {
    const size = sizeOf(entry);
    if (size > limits.maxBytes) throw new EntryTooLargeError(index, size, limits.maxBytes);
    if (current.length === limits.maxEntries || currentBytes + size > limits.maxBytes) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(entry);
    currentBytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Entry error codes worth another attempt (PutEventsResultEntry.ErrorCode). */
const RETRYABLE_ENTRY_CODES = new Set(['ThrottlingException', 'InternalFailure', 'InternalException', 'ServiceUnavailable', 'ServiceUnavailableException']);
/** Entry error codes that say the bus itself is wrong for us: every entry would fail alike. */
const BUS_LEVEL_CODES = new Set(['ResourceNotFoundException', 'AccessDeniedException', 'NotAuthorizedForSourceException']);

export const NETWORK_HINT = 'Is the local stack running (npm run serve)? For AWS, leave out --endpoint and its AWS_ENDPOINT_URL_* variables.';

export interface SendOptions {
  /** Event bus name or ARN. */
  busName: string;
  /** Attempts per entry, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** For messages: what the client talks to, e.g. `EventBridge at http://127.0.0.1:4010`. */
  target?: string;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onProgress?: (done: number, total: number) => void;
  limits?: BatchLimits;
}

export interface EntryResult {
  index: number;
  eventId?: string;
  errorCode?: string;
  errorMessage?: string;
  attempts: number;
}

export interface SendResult {
  results: EntryResult[];
  sent: number;
  /** Entries that needed more than one attempt (whether they got through or not). */
  retried: number;
  /** Entries the bus did not take: a permanent error, or retries used up. */
  failed: number;
  /** Entries never attempted because sending stopped (see `stopped`). */
  notAttempted: number;
  requests: number;
  /** Why sending stopped early: the endpoint went away or the bus refuses us. */
  stopped?: UnreachableError;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full jitter: a random wait between 0 and base × 2^(retry − 1), capped. */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** (retry - 1)));
}

export async function sendEntries(client: PutEventsClient, entries: readonly BusEntry[], options: SendOptions): Promise<SendResult> {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const target = options.target ?? `event bus ${options.busName}`;
  const results: EntryResult[] = entries.map((_, index) => ({ index, attempts: 0 }));
  let requests = 0;
  let done = 0;
  let stopped: UnreachableError | undefined;
  const report = () => options.onProgress?.(done, entries.length);

  type Pending = { index: number; entry: BusEntry };
  let pending: Pending[] = entries.map((entry, index) => ({ index, entry }));
  for (let attempt = 1; attempt <= maxAttempts && pending.length > 0 && !stopped; attempt++) {
    if (attempt > 1) await sleep(backoffDelay(attempt - 1, baseDelayMs, maxDelayMs, random));
    const batches = planBatchesBy(pending, (p) => entrySize(p.entry), options.limits ?? DEFAULT_LIMITS);
    const again: Pending[] = [];
    let next = 0;
    const worker = async () => {
      while (!stopped && next < batches.length) {
        const batch = batches[next++]!;
        for (const p of batch) results[p.index]!.attempts = attempt;
        let response: PutEventsCommandOutput;
        try {
          requests++;
          response = await client.send(new PutEventsCommand({ Entries: batch.map((p) => ({ ...p.entry, EventBusName: options.busName })) }));
        } catch (error) {
          const fatal = unreachable(error, target, { network: NETWORK_HINT });
          if (fatal) {
            stopped ??= fatal;
            for (const p of batch) results[p.index]!.attempts = attempt - 1;
            return;
          }
          if (!isTransient(error)) throw error;
          // The whole request failed transiently (after the SDK's own retries): all of it again.
          const code = (error as { name?: string }).name ?? 'RequestFailed';
          for (const p of batch) {
            Object.assign(results[p.index]!, { errorCode: code, errorMessage: 'the request failed' });
            again.push(p);
          }
          continue;
        }
        const slots = response.Entries ?? [];
        batch.forEach((p, i) => {
          const slot = slots[i];
          const result = results[p.index]!;
          if (slot?.EventId) {
            result.eventId = slot.EventId;
            delete result.errorCode;
            delete result.errorMessage;
            done++;
            return;
          }
          result.errorCode = slot?.ErrorCode ?? 'NoResult';
          result.errorMessage = slot?.ErrorMessage ?? 'the response had no result for this entry';
          if (BUS_LEVEL_CODES.has(result.errorCode)) {
            stopped ??= unreachable({ name: result.errorCode }, `event bus "${options.busName}" (${target})`, { missing: 'Check --bus, and --endpoint or --region.' });
          }
          if (RETRYABLE_ENTRY_CODES.has(result.errorCode)) again.push(p);
          else done++;
        });
        report();
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
    pending = again.sort((a, b) => a.index - b.index);
  }
  // Entries still pending used up their attempts; they keep their last error code.
  done += pending.length;
  report();
  const sent = results.filter((r) => r.eventId).length;
  const notAttempted = results.filter((r) => r.attempts === 0).length;
  return {
    results,
    sent,
    retried: results.filter((r) => r.attempts > 1).length,
    failed: entries.length - sent - notAttempted,
    notAttempted,
    requests,
    ...(stopped ? { stopped } : {}),
  };
}
