/**
 * PutEvents as EventBridge takes an entry (EventBridge quotas page, "Calculating PutEvents
 * event entry size"; PutEvents API reference): the limits a sender batches by, the checks
 * that fail one entry alone, and the local convention by which a caller names its account.
 * Shared by the partner CLI, the local bus and the in-memory engine, so all three agree.
 */

export const MAX_ENTRIES_PER_REQUEST = 10;
export const MAX_TOTAL_ENTRY_BYTES = 256 * 1024;
/** The entry size counts `Time` as 14 bytes when it is given. */
const TIME_ENTRY_BYTES = 14;

/** The fields of a PutEvents entry this pipeline uses. */
export interface PutEventsEntryFields {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  /** The SDK sends epoch seconds or a Date; the CLI and raw callers may send an ISO 8601 string. */
  readonly Time?: number | string | Date;
  readonly Resources?: readonly string[];
}

/** The PutEvents entry size, as EventBridge counts it against the 256 KB limit. */
export function entrySize(entry: Pick<PutEventsEntryFields, 'Source' | 'DetailType' | 'Detail' | 'Resources'> & { readonly Time?: unknown }): number {
  const bytes = (text: string | undefined): number => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));
  return (
    (entry.Time === undefined ? 0 : TIME_ENTRY_BYTES) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((total, resource) => total + bytes(resource), 0)
  );
}

/** The event as EventBridge hands it to a rule's targets (the "event envelope"). */
export type EventEnvelope = {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
};

/** True when the entries' sizes together are over what one PutEvents request takes: EventBridge refuses it whole. */
export function isOverRequestLimit(entries: readonly Parameters<typeof entrySize>[0][]): boolean {
  return entries.reduce((total, entry) => total + entrySize(entry), 0) > MAX_TOTAL_ENTRY_BYTES;
}

/** An entry's answer when its whole request was refused (`errorCode`: the exception's name), for callers that answer per entry. */
export function refusedWithRequest(errorCode: string): PutEventsEntryError {
  return { ErrorCode: errorCode, ErrorMessage: 'PutEvents refused the request' };
}

/** Why EventBridge fails one entry of a request, in its own codes and words. */
export interface PutEventsEntryError {
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

/** What EventBridge makes of an entry it takes: the detail object and the event time (to the second). */
export interface TakenEntry {
  readonly detail: Record<string, unknown>;
  /** ISO 8601, whole seconds, `Z`: the envelope's `time`. */
  readonly time: string;
}

/**
 * The checks EventBridge makes of one entry: Source, DetailType and Detail present, Detail a
 * JSON object, Time a valid time. `nowMs` is the time of an entry without `Time`;
 * `parsedDetail`, when given, is what `JSON.parse(entry.Detail)` gave (a caller that read it already).
 */
export function takeEntry(entry: PutEventsEntryFields, nowMs: number, parsedDetail?: unknown): TakenEntry | PutEventsEntryError {
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    if (entry[field] === undefined || entry[field] === '') {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
    }
  }
  const detail = parsedDetail === undefined ? parseDetail(entry.Detail ?? '') : asObject(parsedDetail);
  if (detail === undefined) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  const time = entry.Time === undefined ? new Date(nowMs) : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
  if (Number.isNaN(time.getTime())) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Time is not valid.' };
  return { detail, time: toEventTime(time.getTime()) };
}

/** An event time as EventBridge writes it: to the second. The last one is remembered, as a replay's events share one clock. */
export function toEventTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastTime = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastTime;
}
let lastSecond = Number.NaN;
let lastTime = '';

/** `Detail` must be a JSON object; anything else (an array, a string, invalid JSON) is malformed. */
function parseDetail(detail: string): Record<string, unknown> | undefined {
  try {
    return asObject(JSON.parse(detail));
  } catch {
    return undefined;
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Accounts, locally: AWS attributes an event to the caller's account. Without AWS, the local
// bus and the engines read it from the access key id: `LOCAL` followed by the 12-digit account.

export const ACCOUNT_PATTERN = /^\d{12}$/;
/** The account of a caller whose credentials name none. */
export const DEFAULT_ACCOUNT = '000000000000';
/** The region the local stand-ins and the in-memory engine say they are in. */
export const LOCAL_REGION = 'eu-west-1';
const LOCAL_ACCESS_KEY_PREFIX = 'LOCAL';

/** Credentials that make the local bus attribute events to `account`. */
export function localCredentialsForAccount(account: string = DEFAULT_ACCOUNT): { accessKeyId: string; secretAccessKey: string } {
  if (!ACCOUNT_PATTERN.test(account)) throw new RangeError(`Account id must be 12 digits, got "${account}".`);
  return { accessKeyId: `${LOCAL_ACCESS_KEY_PREFIX}${account}`, secretAccessKey: 'local' };
}

/** The account a local access key id names, or undefined. */
export function accountOfLocalAccessKey(accessKeyId: string | undefined): string | undefined {
  if (!accessKeyId?.startsWith(LOCAL_ACCESS_KEY_PREFIX)) return undefined;
  const account = accessKeyId.slice(LOCAL_ACCESS_KEY_PREFIX.length);
  return ACCOUNT_PATTERN.test(account) ? account : undefined;
}
