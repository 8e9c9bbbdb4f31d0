/**
 * A household's stored state and the pure transitions on it. Delivery is at least once and
 * unordered, so every rule here decides by the signals' own dates (observedAt, stageDate,
 * then signalId), never by the order they arrived in.
 */
import type { NormalisedAddress } from './address.ts';
import type { Level } from '@vroegsignaal/policy';

export type SignalType = 'RentArrearsReported' | 'NuisanceReported' | 'EvictionProceedingUpdated' | 'CareSignalReported';
export type ProceedingStage = 'summons' | 'filed' | 'verdict' | 'scheduled' | 'executed' | 'withdrawn';
export type NuisanceCategory = 'noise' | 'threat' | 'drugs' | 'neglect' | 'pollution' | 'hoarding' | 'other';
export type CareDomain = 'debt' | 'income' | 'mentalHealth' | 'addiction' | 'youth' | 'domesticViolence' | 'health' | 'safety';

/** What the household keeps of one partner signal: its facts, not the partner's contact data. */
export interface StoredSignal {
  partnerId: string;
  signalId: string;
  type: SignalType;
  observedAt: string;
  observedAtMs: number;
  municipalityCode: string;
  crisis?: boolean;
  minors?: number;
  adults?: number;
  arrears?: { amountCents: number; monthsInArrears: number; monthlyRentCents?: number; paymentArrangement?: boolean };
  nuisance?: { category: NuisanceCategory; severity: 'low' | 'medium' | 'high'; reportCount?: number; verified?: boolean };
  proceeding?: { stage: ProceedingStage; stageDate: string; stageDateMs: number; scheduledFor?: string; scheduledForMs?: number; ground: 'arrears' | 'nuisance' | 'other' };
  care?: { domains: CareDomain[]; stagnation?: boolean };
}

export interface StoredWithdrawal {
  partnerId: string;
  /** The partner's signalId that is withdrawn. */
  signalId: string;
  reason: 'resolved' | 'paymentArrangement' | 'error';
  observedAtMs: number;
}

/** One alert the household got: the memory that keeps a team from being told twice. */
export interface AlertRecord {
  alertId: string;
  team: string;
  level: Level;
  /** How many alerts this team and level had for the household before this one. */
  sequence: number;
  raisedAt: string;
  raisedAtMs: number;
  pickedUpAtMs?: number;
  closedAtMs?: number;
  /** The signalVersion the last message to the team reflected (alert or update). */
  notifiedSignalVersion: number;
  /** Other levels the team heard of through updates while this case was open. */
  levelsUpdated?: Level[];
  /** The verdict (reminders.ts key) the team was last reminded of on this case. */
  remindedFor?: string;
  /** The verdict whose reminder check is scheduled. */
  reminderScheduledFor?: string;
}

export interface ContactDetails {
  name?: string;
  phone?: string;
  email?: string;
}

/** One partner's latest contact details for a household, and the signal that carried them. */
export interface PartnerContact extends ContactDetails {
  partnerId: string;
  signalId: string;
  observedAtMs: number;
}

/** The contact entries of a household, also of one stored before they were kept per partner. */
export function contactsOf(state: HouseholdState): PartnerContact[] {
  if (state.contacts) return state.contacts;
  const legacy = state.contact;
  if (!legacy?.partnerId || legacy.signalId === undefined) return [];
  const { observedAtMs, signalId, partnerId, ...details } = legacy;
  return [Object.assign(details, { partnerId, signalId, observedAtMs })];
}

export interface HouseholdState {
  ref: string;
  address: NormalisedAddress;
  /**
   * Each partner's most recent contact details, for the team's visit only: one entry per
   * partner, so one partner's contact data never replaces another's (contract v1.1). "Most
   * recent" by the signal's observedAt, then its signalId (never arrival order).
   */
  contacts?: PartnerContact[];
  /** Kept by records written before contacts were per partner; read as one partner's entry. */
  contact?: ContactDetails & { observedAtMs: number; signalId?: string; partnerId?: string };
  signals: StoredSignal[];
  withdrawals: StoredWithdrawal[];
  alerts: AlertRecord[];
  /** When this record was created: alert ids include it, so a household that expired and returns gets new ids. */
  createdAtMs: number;
  /** Counts applied signals and withdrawals: a team with an open case hears of every increase. */
  signalVersion: number;
  /** Optimistic-concurrency version: every write is conditional on the version it read. */
  version: number;
}

export function emptyHousehold(ref: string, address: NormalisedAddress, nowMs: number): HouseholdState {
  return { ref, address, signals: [], withdrawals: [], alerts: [], createdAtMs: nowMs, signalVersion: 0, version: 0 };
}

export function containsSignal(state: HouseholdState, partnerId: string, signalId: string): boolean {
  return state.signals.some((s) => s.partnerId === partnerId && s.signalId === signalId);
}

export function isWithdrawn(state: HouseholdState, signal: Pick<StoredSignal, 'partnerId' | 'signalId'>): boolean {
  return state.withdrawals.some((w) => w.partnerId === signal.partnerId && w.signalId === signal.signalId);
}

/** Newer first: by observedAt, then by signalId (string order), as the contract's fine print says. Signals and the contacts they carried alike. */
export function compareNewestFirst(a: Pick<StoredSignal, 'observedAtMs' | 'signalId'>, b: Pick<StoredSignal, 'observedAtMs' | 'signalId'>): number {
  if (a.observedAtMs !== b.observedAtMs) return b.observedAtMs - a.observedAtMs;
  return a.signalId < b.signalId ? 1 : a.signalId > b.signalId ? -1 : 0;
}
