/**
 * Hand-built household state for pure-domain tests: signals of each type with sensible
 * defaults, a fixed clock and the shipped default policy. Never the wall clock.
 */
import { compilePolicy, loadPolicyDir, type CompiledPolicy, type Policy } from '@vroegsignaal/policy';
import { emptyHousehold, householdRef, normaliseAddress, type AlertRecord, type CareDomain, type HouseholdState, type NormalisedAddress, type NuisanceCategory, type ProceedingStage, type StoredSignal, type StoredWithdrawal } from '@vroegsignaal/domain';
import { startOfAmsterdamDay } from '@vroegsignaal/calendar';

export const NOW_ISO = '2026-06-15T10:00:00+02:00';
export const NOW = Date.parse(NOW_ISO);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const SECRET = 'test-secret-of-at-least-16-chars';

export const CODES = {
  amersfoort: 'GM0307',
  amsterdam: 'GM0363',
  denhaag: 'GM0518',
  maastricht: 'GM0935',
  nijmegen: 'GM0268',
  rotterdam: 'GM0599',
  tilburg: 'GM0855',
  utrecht: 'GM0344',
  /** A municipality without a policy (Zeist). */
  unknown: 'GM0355',
} as const;

let cachedPolicy: Policy | undefined;
/** The shipped defaults, parsed once per test file. */
export function defaultPolicyData(): Policy {
  cachedPolicy ??= loadPolicyDir();
  return cachedPolicy;
}
export function defaultPolicy(): CompiledPolicy {
  return compilePolicy(defaultPolicyData());
}

/** ISO instant `days` before NOW (exact 24-hour days), as the ms value. */
export function daysAgo(days: number): number {
  return NOW - days * DAY;
}

let counter = 0;
function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}-${String(counter).padStart(4, '0')}`;
}

type Base = Partial<Omit<StoredSignal, 'type' | 'arrears' | 'nuisance' | 'proceeding' | 'care'>> & { at?: string | number };

function base(type: StoredSignal['type'], overrides: Base, defaultPartner: string): StoredSignal {
  const { at, ...rest } = overrides;
  const observedAtMs = at === undefined ? daysAgo(5) : typeof at === 'number' ? at : Date.parse(at);
  if (Number.isNaN(observedAtMs)) throw new Error(`bad test date ${String(at)}`);
  return {
    partnerId: defaultPartner,
    signalId: nextId(type),
    type,
    observedAt: new Date(observedAtMs).toISOString(),
    observedAtMs,
    municipalityCode: CODES.utrecht,
    ...rest,
  };
}

export function arrears(
  figures: Partial<NonNullable<StoredSignal['arrears']>> = {},
  overrides: Base = {},
): StoredSignal {
  return {
    ...base('RentArrearsReported', overrides, 'mitros'),
    arrears: { amountCents: 95_000, monthsInArrears: 1, ...figures },
  };
}

export function nuisance(
  category: NuisanceCategory = 'noise',
  severity: 'low' | 'medium' | 'high' = 'medium',
  overrides: Base = {},
): StoredSignal {
  return { ...base('NuisanceReported', overrides, 'politie'), nuisance: { category, severity } };
}

export function care(domains: CareDomain[], overrides: Base & { stagnation?: boolean } = {}): StoredSignal {
  const { stagnation, ...rest } = overrides;
  return {
    ...base('CareSignalReported', rest, 'ggd'),
    care: { domains, ...(stagnation !== undefined ? { stagnation } : {}) },
  };
}

export function proceeding(
  stage: ProceedingStage,
  stageDate: string,
  overrides: Base & { scheduledFor?: string } = {},
): StoredSignal {
  const { scheduledFor, ...rest } = overrides;
  const observedDefault = startOfAmsterdamDay(stageDate).getTime() + 10 * HOUR;
  return {
    ...base('EvictionProceedingUpdated', { at: observedDefault, ...rest }, 'mitros'),
    proceeding: {
      stage,
      stageDate,
      stageDateMs: startOfAmsterdamDay(stageDate).getTime(),
      ground: 'arrears',
      ...(scheduledFor ? { scheduledFor, scheduledForMs: startOfAmsterdamDay(scheduledFor).getTime() } : {}),
    },
  };
}

export function withdrawal(signal: Pick<StoredSignal, 'partnerId' | 'signalId'>, atMs = daysAgo(1)): StoredWithdrawal {
  return { partnerId: signal.partnerId, signalId: signal.signalId, reason: 'resolved', observedAtMs: atMs };
}

export const UTRECHT_ADDRESS: NormalisedAddress = normaliseAddress({ postcode: '3511 AB', houseNumber: 12 });

export function household(
  signals: StoredSignal[],
  extra: Partial<Omit<HouseholdState, 'signals'>> = {},
): HouseholdState {
  const address = extra.address ?? UTRECHT_ADDRESS;
  const ref = householdRef(address, SECRET);
  return {
    ...emptyHousehold(ref, address, daysAgo(300)),
    signals,
    signalVersion: signals.length,
    ...extra,
  };
}

export function alertRecord(overrides: Partial<AlertRecord> & Pick<AlertRecord, 'team' | 'level'>): AlertRecord {
  return {
    alertId: nextId('al'),
    sequence: 0,
    raisedAt: new Date(overrides.raisedAtMs ?? daysAgo(10)).toISOString(),
    raisedAtMs: daysAgo(10),
    notifiedSignalVersion: 0,
    ...overrides,
  };
}

/** Contract-shaped detail of a partner entry, with defaults that pass every intake check. */
export function detail(kind: 'arrears' | 'nuisance' | 'care' | 'proceeding' | 'withdrawal', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const common = {
    schemaVersion: 1,
    signalId: nextId('sig'),
    observedAt: '2026-06-10T09:00:00+02:00',
    municipalityCode: CODES.utrecht,
    address: { postcode: '3511 ab', houseNumber: 12 },
  };
  const body: Record<string, unknown> =
    kind === 'arrears'
      ? { arrears: { amountCents: 95_000, monthsInArrears: 1 } }
      : kind === 'nuisance'
        ? { nuisance: { category: 'noise', severity: 'medium' } }
        : kind === 'care'
          ? { care: { domains: ['mentalHealth'] } }
          : kind === 'proceeding'
            ? { proceeding: { stage: 'summons', stageDate: '2026-06-01', ground: 'arrears' } }
            : { withdrawal: { signalId: 'unknown', reason: 'resolved' } };
  return { ...common, ...body, ...overrides };
}

export const DETAIL_TYPE = {
  arrears: 'RentArrearsReported',
  nuisance: 'NuisanceReported',
  care: 'CareSignalReported',
  proceeding: 'EvictionProceedingUpdated',
  withdrawal: 'SignalWithdrawn',
} as const;
