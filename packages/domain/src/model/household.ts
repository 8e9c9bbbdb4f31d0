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

/** How an alert ends (contract v1.1): the earliest of these reports by `at` ends it. */
export type AlertEnding = 'closed' | 'not-taken' | 'forwarded';
/** An alert's state, derived from its timeline: open while raised, picked-up or reached. */
export type AlertStatus = 'raised' | 'picked-up' | 'reached' | AlertEnding;

/**
 * One event in an alert's life: codes, times and a pseudonymous member id only, never an
 * address, a contact or free text. Kept as long as the alert record (24 months).
 */
export interface TimelineEntry {
  type: 'raised' | 'update' | 'reminder' | 'picked-up' | 'attempt' | 'not-taken' | 'forwarded' | 'closed';
  atMs: number;
  /** The team member's pseudonymous id, when the report gave one. */
  by?: string;
  /** attempt */
  channel?: string;
  partOfDay?: 'morning' | 'afternoon' | 'evening';
  reached?: boolean;
  /** not-taken: its reason code; reminder: verdict-lapses, overdue or overdue-escalated; forwarded: its optional code. */
  reason?: string;
  /** forwarded */
  toTeam?: string;
  /** closed */
  result?: string;
  detail?: string;
  /** The bus event of the team's report: a resend of the same report is answered with its first outcome. */
  eventId?: string;
  /** A report dated after the alert's end that arrived before the end was known: kept, marked, without effect. */
  afterEnd?: true;
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
  /**
   * Contract v1.1: what happened to the alert, ordered by `atMs` (never by arrival). The fields
   * pickedUpAtMs, closedAtMs (the end, whichever report ended it), ending and reachedAtMs are
   * derived from it and kept beside it, so that v1 records without a timeline read the same.
   */
  timeline?: TimelineEntry[];
  /** How the alert ended; absent while it is open (and on a v1 record, whose closedAtMs means closed). */
  ending?: AlertEnding;
  /** The first contact attempt that reached the household. */
  reachedAtMs?: number;
  /** The deadline its message gave the team (respondBy), kept so that a later policy does not move it. */
  respondByMs?: number;
  /** The alert another team forwarded to this one (AlertForwarded). */
  forwardedFrom?: string;
  /** Set when the forward's new alert or update was delivered to the receiving team. */
  forwardDelivered?: true;
  /** The overdue reminder was sent (at respondBy, still raised). */
  overdueRemindedAtMs?: number;
  /** The coordinating team was sent the overdue-escalated reminder. */
  escalatedAtMs?: number;
  /** When the check for the overdue reminder is scheduled (its due time moves only with a record written before respondByMs was kept). */
  overdueCheckAtMs?: number;
  /** When the check for the escalation is scheduled (a policy with another multiple moves it). */
  escalationCheckAtMs?: number;
}

/** The alert's state: its end if it has one, else reached, picked-up or raised. */
export function alertStatus(record: AlertRecord): AlertStatus {
  if (record.closedAtMs !== undefined) return record.ending ?? 'closed';
  if (record.reachedAtMs !== undefined) return 'reached';
  if (record.pickedUpAtMs !== undefined) return 'picked-up';
  return 'raised';
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
