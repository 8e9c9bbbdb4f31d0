/**
 * What a household looks like at a moment: its live signals and what follows from them.
 * Rules: docs/policy.md, "The household's state".
 */
import type { Domain, Settings } from '@vroegsignaal/policy';
import { addCalendarMonthsMs } from '@vroegsignaal/calendar';
import {
  compareNewestFirst,
  isWithdrawn,
  type HouseholdState,
  type NuisanceCategory,
  type CareDomain,
  type ProceedingStage,
  type StoredSignal,
} from './household.ts';

export interface Proceeding {
  partnerId: string;
  /** Its stage updates, oldest first; the last is the current stage. */
  updates: StoredSignal[];
  current: StoredSignal & { proceeding: NonNullable<StoredSignal['proceeding']> };
  live: boolean;
  liveUntilMs: number;
}

export interface HouseholdView {
  nowMs: number;
  /** Live signals, newest first: within the lookback, or part of a live proceeding; none withdrawn. */
  live: StoredSignal[];
  /** Each partner's current rent arrears, when live. */
  currentArrears: StoredSignal[];
  /** Each partner's latest proceeding, live or ended. */
  proceedings: Proceeding[];
  domains: Set<Domain>;
  partners: string[];
  minors?: number;
  adults?: number;
  /** Where the household is routed: the municipality of its latest live signal. */
  municipalityCode?: string;
}

const STAGE_ORDER: Record<ProceedingStage, number> = {
  summons: 0,
  filed: 1,
  verdict: 2,
  scheduled: 3,
  executed: 4,
  withdrawn: 4,
};
const ENDING_STAGES: ReadonlySet<ProceedingStage> = new Set(['executed', 'withdrawn']);
export const THREATENING_STAGES: ReadonlySet<ProceedingStage> = new Set(['summons', 'filed', 'verdict', 'scheduled']);

const NUISANCE_DOMAIN: Record<NuisanceCategory, Domain> = {
  noise: 'housing',
  neglect: 'housing',
  pollution: 'housing',
  hoarding: 'housing',
  other: 'housing',
  threat: 'safety',
  drugs: 'safety',
};
const CARE_DOMAIN: Record<CareDomain, Domain> = {
  debt: 'finance',
  income: 'finance',
  mentalHealth: 'health',
  addiction: 'health',
  health: 'health',
  domesticViolence: 'safety',
  safety: 'safety',
  youth: 'youth',
};

export function domainsOf(signal: StoredSignal): Domain[] {
  switch (signal.type) {
    case 'RentArrearsReported':
      return ['finance'];
    case 'NuisanceReported':
      return signal.nuisance ? [NUISANCE_DOMAIN[signal.nuisance.category]] : [];
    case 'EvictionProceedingUpdated':
      return ['housing'];
    case 'CareSignalReported':
      return [...new Set((signal.care?.domains ?? []).map((d) => CARE_DOMAIN[d]))];
  }
}

function compareStages(a: StoredSignal, b: StoredSignal): number {
  const pa = a.proceeding!;
  const pb = b.proceeding!;
  if (pa.stageDateMs !== pb.stageDateMs) return pa.stageDateMs - pb.stageDateMs;
  if (STAGE_ORDER[pa.stage] !== STAGE_ORDER[pb.stage]) return STAGE_ORDER[pa.stage] - STAGE_ORDER[pb.stage];
  return a.signalId < b.signalId ? -1 : a.signalId > b.signalId ? 1 : 0;
}

/**
 * Splits one partner's stage updates into proceedings: one ends at `executed` or `withdrawn`
 * or lapses 12 months (policy) after its latest stage date. Any threatening stage dated after
 * an ended one starts a new, live proceeding (partners do not report every stage: a verdict
 * after a withdrawn summons is a real threat), and after a lapse any stage does.
 */
function latestProceeding(updates: StoredSignal[], settings: Settings, nowMs: number): Proceeding | undefined {
  const sorted = [...updates].sort(compareStages);
  let current: StoredSignal[] = [];
  let ended = false;
  for (const update of sorted) {
    const last = current[current.length - 1];
    const lapsed = last !== undefined && update.proceeding!.stageDateMs >= proceedingLiveUntilMs(last, settings);
    if (!last || lapsed || (ended && THREATENING_STAGES.has(update.proceeding!.stage))) {
      current = [update];
      ended = ENDING_STAGES.has(update.proceeding!.stage);
    } else if (!ended) {
      current.push(update);
      ended = ENDING_STAGES.has(update.proceeding!.stage);
    }
  }
  const latest = current[current.length - 1];
  if (!latest) return undefined;
  const liveUntilMs = proceedingLiveUntilMs(latest, settings);
  return {
    partnerId: latest.partnerId,
    updates: current,
    current: latest as Proceeding['current'],
    live: !ended && nowMs < liveUntilMs,
    liveUntilMs,
  };
}

/** A proceeding stays live this long after its latest stage date (a verdict stays executable). */
export function proceedingLiveUntilMs(update: StoredSignal, settings: Settings): number {
  return addCalendarMonthsMs(update.proceeding!.stageDateMs, settings.proceedingLiveMonths);
}

export function signalLiveUntilMs(signal: StoredSignal, settings: Settings): number {
  return addCalendarMonthsMs(signal.observedAtMs, settings.lookbackMonths);
}

export function viewHousehold(state: HouseholdState, settings: Settings, nowMs: number): HouseholdView {
  const live: StoredSignal[] = [];
  const proceedingUpdates = new Map<string, StoredSignal[]>();
  for (const signal of state.signals) {
    if (isWithdrawn(state, signal)) continue;
    if (signal.type === 'EvictionProceedingUpdated') {
      const updates = proceedingUpdates.get(signal.partnerId);
      if (updates) updates.push(signal);
      else proceedingUpdates.set(signal.partnerId, [signal]);
    } else if (nowMs < signalLiveUntilMs(signal, settings)) {
      live.push(signal);
    }
  }
  const proceedings: Proceeding[] = [];
  for (const updates of proceedingUpdates.values()) {
    const proceeding = latestProceeding(updates, settings, nowMs);
    if (!proceeding) continue;
    proceedings.push(proceeding);
    if (proceeding.live) live.push(...proceeding.updates);
  }
  live.sort(compareNewestFirst);

  // One pass, newest first: the first of a kind is the latest.
  const currentArrears = new Map<string, StoredSignal>();
  const domains = new Set<Domain>();
  const partners = new Set<string>();
  let minors: number | undefined;
  let adults: number | undefined;
  for (const signal of live) {
    if (signal.type === 'RentArrearsReported' && !currentArrears.has(signal.partnerId)) currentArrears.set(signal.partnerId, signal);
    for (const domain of domainsOf(signal)) domains.add(domain);
    partners.add(signal.partnerId);
    if (minors === undefined) minors = signal.minors;
    if (adults === undefined) adults = signal.adults;
  }
  return {
    nowMs,
    live,
    currentArrears: [...currentArrears.values()],
    proceedings,
    domains,
    partners: [...partners].sort(),
    minors,
    adults,
    municipalityCode: live[0]?.municipalityCode,
  };
}
