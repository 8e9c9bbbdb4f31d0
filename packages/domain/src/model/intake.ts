/**
 * Turning one bus entry from a partner into a signal the household can take, or a rejection
 * with a reason an operator can read. Checks run in the order a partner would fix them:
 * who sent it, what it says, when it happened, where the partner may report, and whether the
 * address lies where the partner says it does.
 * Reasons name fields and rules, never the values sent (they may be an address or a name).
 */
import {
  MAX_DETAIL_BYTES,
  MAX_FUTURE_SKEW_MS,
  MAX_ID_LENGTH,
  MAX_SIGNAL_AGE_DAYS,
  PARTNER_SOURCE_PREFIX,
  SIGNAL_ID_PATTERN,
  parsePartnerDetail,
  partnerIdFromSource,
  type PartnerSignal,
} from '@vroegsignaal/events';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { normaliseAddress, postcodeArea, type NormalisedAddress } from './address.ts';
import { municipalityOfAddress } from './routing.ts';
import { startOfAmsterdamDayMs } from '@vroegsignaal/calendar';
import type { ContactDetails, StoredSignal, StoredWithdrawal } from './household.ts';
import { PARTNER_QUOTA_REASON } from './apply.ts';

/** The parts of an EventBridge event that intake reads. */
export interface BusEntry {
  id?: string;
  source: unknown;
  'detail-type': unknown;
  account?: unknown;
  detail: unknown;
}

export type Intake =
  | {
      kind: 'rejected';
      partnerId: string | null;
      signalId: string | null;
      reason: string;
      rule: RejectionRule;
      /** The municipality of the address, when the detail could be read: whose monitor counts the rejection. */
      municipalityCode?: string;
    }
  | { kind: 'signal'; partnerId: string; signalId: string; municipalityCode: string; address: NormalisedAddress; signal: StoredSignal; contact?: ContactDetails }
  | { kind: 'withdrawal'; partnerId: string; signalId: string; municipalityCode: string; address: NormalisedAddress; withdrawal: StoredWithdrawal };

/** Machine-readable rejection causes, for metrics: low cardinality, no personal data. */
export type RejectionRule = 'source' | 'unregistered-partner' | 'account' | 'size' | 'contract' | 'observed-at' | 'municipality' | 'postcode-area' | 'partner-quota';

/**
 * How each rule's reason reads; the contract's schema reasons ("path: problem") are the rest.
 * Typed by rule, so a new rule cannot be left out; a test holds every reason to its rule.
 */
const REASON_OF_RULE: Record<Exclude<RejectionRule, 'contract'>, RegExp> = {
  source: /^source must be /,
  'unregistered-partner': /^partner "[^"]*" is not registered in the policy$/,
  account: /^sent from an AWS account that is not registered for partner /,
  size: /^detail is (larger than|nested too deeply)/,
  'observed-at': /^observedAt is more than /,
  municipality: /^partner "[^"]*" is not registered for municipality /,
  'postcode-area': /^postcode area \S+ lies in /,
  'partner-quota': new RegExp(`^${PARTNER_QUOTA_REASON}$`),
};

/**
 * The rule behind a rejection's reason. The outcome a partner is told carries the reason only
 * (the contract has no field for the rule), and the outcomes stage keeps the rule with it.
 */
export function rejectionRuleOf(reason: string): RejectionRule {
  for (const [rule, pattern] of Object.entries(REASON_OF_RULE)) if (pattern.test(reason)) return rule as RejectionRule;
  return 'contract';
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * An id field of a detail (its signalId, an alertId), when usable, however broken the rest is.
 * A signalId is logged and told back, so only one in the contract's restricted alphabet is
 * taken: anything else may be a partner's free text (a name, an address) and stays null.
 */
export function idOf(detail: unknown, field: 'signalId' | 'alertId'): string | null {
  const id = typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>)[field] : undefined;
  if (typeof id !== 'string') return null;
  if (field === 'signalId') return SIGNAL_ID_PATTERN.test(id) ? id : null;
  return id.length >= 1 && id.length <= MAX_ID_LENGTH ? id : null;
}

export function takeIn(entry: BusEntry, policy: CompiledPolicy, nowMs: number): Intake {
  const signalId = idOf(entry.detail, 'signalId');
  const source = typeof entry.source === 'string' ? entry.source : '';
  const partnerId = partnerIdFromSource(source) ?? null;

  if (!partnerId) {
    return rejected(null, signalId, 'source', `source must be "${PARTNER_SOURCE_PREFIX}<partnerId>" with a partner id of 2-40 lower-case letters, digits or "-"`);
  }
  const partner = policy.partner(partnerId);
  if (!partner) return rejected(partnerId, signalId, 'unregistered-partner', `partner "${partnerId}" is not registered in the policy`);
  if (partner.accountId && entry.account !== partner.accountId) {
    return rejected(partnerId, signalId, 'account', `sent from an AWS account that is not registered for partner "${partnerId}"`);
  }
  const size = detailSize(entry.detail);
  if (size === 'unmeasurable') {
    return rejected(partnerId, signalId, 'size', `detail is nested too deeply to be measured; expected a JSON object of at most ${MAX_DETAIL_BYTES / 1024} KiB`);
  }
  if (size === 'too-large') return rejected(partnerId, signalId, 'size', `detail is larger than ${MAX_DETAIL_BYTES / 1024} KiB`);
  const parsed = parsePartnerDetail(typeof entry['detail-type'] === 'string' ? entry['detail-type'] : '', entry.detail);
  if (!parsed.ok) return rejected(partnerId, signalId, 'contract', parsed.reason);

  const { detail } = parsed.signal;
  const address = normaliseAddress(detail.address);
  // From here on a rejection is counted in the monitor of the address's municipality.
  const ofAddress = (rule: RejectionRule, reason: string): Intake => ({ ...rejected(partnerId, signalId, rule, reason), municipalityCode: municipalityOfAddress(address, detail.municipalityCode, policy) });
  const observedAtMs = Date.parse(detail.observedAt);
  if (observedAtMs > nowMs + MAX_FUTURE_SKEW_MS) return ofAddress('observed-at', 'observedAt is more than 5 minutes in the future');
  if (observedAtMs < nowMs - MAX_SIGNAL_AGE_DAYS * DAY_MS) {
    return ofAddress('observed-at', `observedAt is more than ${MAX_SIGNAL_AGE_DAYS} days ago`);
  }
  if (partner.municipalities !== 'all' && !partner.municipalities.includes(detail.municipalityCode)) {
    return ofAddress('municipality', `partner "${partnerId}" is not registered for municipality ${detail.municipalityCode}`);
  }

  // The address decides the municipality (contract v1.1): a code that contradicts the policy's
  // postcode areas would steer the household to another municipality's team. An area outside
  // every policy municipality keeps the code the partner sent.
  const area = postcodeArea(address);
  const addressMunicipality = policy.municipalityOfPostcodeArea(area);
  if (addressMunicipality !== undefined && addressMunicipality !== detail.municipalityCode) {
    return ofAddress('postcode-area', `postcode area ${area} lies in ${addressMunicipality}, not in ${detail.municipalityCode}`);
  }
  if (parsed.signal.detailType === 'SignalWithdrawn') {
    const { withdrawal } = parsed.signal.detail;
    return {
      kind: 'withdrawal',
      partnerId,
      signalId: detail.signalId,
      municipalityCode: detail.municipalityCode,
      address,
      withdrawal: { partnerId, signalId: withdrawal.signalId, reason: withdrawal.reason, observedAtMs },
    };
  }
  return {
    kind: 'signal',
    partnerId,
    signalId: detail.signalId,
    municipalityCode: detail.municipalityCode,
    address,
    signal: toStoredSignal(partnerId, parsed.signal, observedAtMs),
    contact: detail.contact,
  };
}

function rejected(partnerId: string | null, signalId: string | null, rule: RejectionRule, reason: string): Intake {
  return { kind: 'rejected', partnerId, signalId, reason, rule };
}

/**
 * Whether the detail, as JSON, is within MAX_DETAIL_BYTES. Details are a few hundred bytes,
 * so a cheap upper bound settles almost all of them; only one whose bound passes the limit is
 * serialised to be measured exactly.
 */
function detailSize(detail: unknown): 'within-limit' | 'too-large' | 'unmeasurable' {
  if (jsonBytesUpperBound(detail, BOUND_DEPTH) <= MAX_DETAIL_BYTES) return 'within-limit';
  const bytes = detailBytes(detail);
  if (bytes === undefined) return 'unmeasurable';
  return bytes > MAX_DETAIL_BYTES ? 'too-large' : 'within-limit';
}

/** The detail's size as JSON; undefined when it cannot be serialised (nesting deeper than the stack). */
function detailBytes(detail: unknown): number | undefined {
  try {
    return Buffer.byteLength(JSON.stringify(detail ?? null));
  } catch {
    return undefined;
  }
}

/** Deeper than any contract detail; a detail nested deeper is measured exactly. */
const BOUND_DEPTH = 16;
/** More than the longest JSON of a number: `-1.7976931348623157e+308` is 24 bytes. */
const MAX_NUMBER_BYTES = 25;
/** The most UTF-8 bytes JSON.stringify writes for one UTF-16 code unit of a string: an escape like `\u001f`. */
const MAX_BYTES_PER_CODE_UNIT = 6;

/**
 * An upper bound on the UTF-8 bytes of `JSON.stringify(value)`, for what JSON.parse can
 * produce: null, booleans, numbers, strings, arrays and plain objects. Anything else (a
 * toJSON method, undefined, a class instance) and nesting deeper than `depth` give Infinity,
 * so that the exact measure decides. Inherited enumerable keys, which JSON.stringify skips,
 * are counted: too much is still a bound.
 */
function jsonBytesUpperBound(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return MAX_BYTES_PER_CODE_UNIT * value.length + 2;
    case 'number':
      return MAX_NUMBER_BYTES;
    case 'boolean':
      return 'false'.length;
    case 'object': {
      if (value === null) return 'null'.length;
      if (depth === 0 || typeof (value as { toJSON?: unknown }).toJSON === 'function') return Infinity;
      // The brackets; per element a comma, per key also its quotes and colon.
      let bytes = 2;
      if (Array.isArray(value)) {
        for (const element of value as unknown[]) bytes += jsonBytesUpperBound(element, depth - 1) + 1;
        return bytes;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return Infinity;
      for (const key in value) {
        bytes += MAX_BYTES_PER_CODE_UNIT * key.length + 4 + jsonBytesUpperBound((value as Record<string, unknown>)[key], depth - 1);
      }
      return bytes;
    }
    default:
      return Infinity;
  }
}

function toStoredSignal(partnerId: string, input: Exclude<PartnerSignal, { detailType: 'SignalWithdrawn' }>, observedAtMs: number): StoredSignal {
  const { detail } = input;
  // Optional fields are set only when present (no `undefined` keys), in this order.
  const signal: StoredSignal = {
    partnerId,
    signalId: detail.signalId,
    type: input.detailType,
    observedAt: detail.observedAt,
    observedAtMs,
    municipalityCode: detail.municipalityCode,
  };
  if (detail.crisis) signal.crisis = true;
  if (detail.household?.minors !== undefined) signal.minors = detail.household.minors;
  if (detail.household?.adults !== undefined) signal.adults = detail.household.adults;
  switch (input.detailType) {
    case 'RentArrearsReported': {
      // All but reminderSentAt, in the contract's order (the order the parsed detail has).
      const { amountCents, monthsInArrears, monthlyRentCents, paymentArrangement } = input.detail.arrears;
      const arrears: NonNullable<StoredSignal['arrears']> = { amountCents, monthsInArrears };
      if (monthlyRentCents !== undefined) arrears.monthlyRentCents = monthlyRentCents;
      if (paymentArrangement !== undefined) arrears.paymentArrangement = paymentArrangement;
      signal.arrears = arrears;
      break;
    }
    case 'NuisanceReported':
      signal.nuisance = input.detail.nuisance;
      break;
    case 'CareSignalReported':
      signal.care = input.detail.care;
      break;
    case 'EvictionProceedingUpdated': {
      const p = input.detail.proceeding;
      const proceeding: NonNullable<StoredSignal['proceeding']> = {
        stage: p.stage,
        stageDate: p.stageDate,
        stageDateMs: startOfAmsterdamDayMs(p.stageDate),
        ground: p.ground,
      };
      if (p.scheduledFor) {
        proceeding.scheduledFor = p.scheduledFor;
        proceeding.scheduledForMs = startOfAmsterdamDayMs(p.scheduledFor);
      }
      signal.proceeding = proceeding;
      break;
    }
  }
  return signal;
}
