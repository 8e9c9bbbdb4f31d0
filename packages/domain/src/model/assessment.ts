/**
 * Scoring a household into the four escalation levels.
 * Rules: docs/policy.md, "Escalation levels".
 *
 * The score is the number the level is derived from: 100 per level (signal 100, case 200,
 * eviction-threat 300, urgent 400) plus an intensity of 0-99 that orders households within
 * a level (10 per life domain, 5 per partner, 5 per month of the highest arrears, 10 for
 * minors, 10 for a crisis mark). So `level = floor(score / 100)`, and a histogram of scores
 * shows the level thresholds at the hundreds.
 */
import { LEVELS, type CompiledPolicy, type Level } from '@vroegsignaal/policy';
import { addCalendarDays } from '@vroegsignaal/calendar';
import type { StoredSignal } from './household.ts';
import { THREATENING_STAGES, type HouseholdView } from './view.ts';

export interface Reason {
  code: string;
  text: string;
}

export interface Assessment {
  level: Level | null;
  score: number;
  reasons: Reason[];
}

export const LEVEL_SCORE_STEP = 100;

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level) + 1;
}

export function isAtOrAboveThreshold(signal: StoredSignal, policy: CompiledPolicy): boolean {
  if (!signal.arrears) return false;
  const threshold = policy.arrearsThreshold(signal.municipalityCode);
  return signal.arrears.monthsInArrears >= threshold.minMonths && signal.arrears.amountCents >= threshold.minAmountCents;
}

function euros(cents: number): string {
  return `EUR ${(cents / 100).toFixed(2)}`;
}

function monthsText(months: number): string {
  return `${Number.isInteger(months) ? months : months.toFixed(1)} month${months === 1 ? '' : 's'}`;
}

export function assessHousehold(view: HouseholdView, policy: CompiledPolicy): Assessment {
  const reasons: Reason[] = [];
  const holds: Record<Level, boolean> = { signal: false, case: false, 'eviction-threat': false, urgent: false };

  for (const arrears of view.currentArrears) {
    const a = arrears.arrears!;
    if (isAtOrAboveThreshold(arrears, policy)) {
      holds.signal = true;
      reasons.push({
        code: `arrears-${Math.floor(a.monthsInArrears)}m`,
        text: `${monthsText(a.monthsInArrears)} of rent in arrears, ${euros(a.amountCents)} (${arrears.partnerId})${a.paymentArrangement ? ', payment arrangement agreed' : ''}`,
      });
    } else {
      reasons.push({
        code: 'arrears-below-threshold',
        text: `${monthsText(a.monthsInArrears)} of rent in arrears, below the municipality's threshold (${arrears.partnerId})`,
      });
    }
  }
  for (const signal of view.live) {
    if (!signal.care) continue;
    const financial = signal.care.domains.filter((d) => d === 'debt' || d === 'income');
    if (financial.length > 0) {
      holds.signal = true;
      reasons.push({ code: `care-${financial.join('-')}`, text: `care signal about ${financial.join(' and ')} (${signal.partnerId})` });
    }
    if (signal.care.stagnation) reasons.push({ code: 'care-stagnation', text: `help has stalled (${signal.partnerId})` });
  }

  if (view.domains.size >= 2) {
    holds.case = true;
    reasons.push({ code: `domains-${view.domains.size}`, text: `live signals in ${view.domains.size} life domains: ${[...view.domains].sort().join(', ')}` });
  }
  if (view.partners.length >= 2) {
    holds.case = true;
    reasons.push({ code: `partners-${view.partners.length}`, text: `live signals from ${view.partners.length} partners: ${view.partners.join(', ')}` });
  }
  for (const signal of view.live) {
    if (signal.nuisance?.severity !== 'high') continue;
    holds.case = true;
    reasons.push({ code: 'nuisance-high', text: `high-severity nuisance: ${signal.nuisance.category} (${signal.partnerId})` });
  }

  // Calendar arithmetic is costly and few households have an eviction scheduled: worked out when needed.
  let urgentBefore: number | undefined;
  for (const proceeding of view.proceedings) {
    if (!proceeding.live) continue;
    const { stage, stageDate, scheduledFor, scheduledForMs } = proceeding.current.proceeding;
    if (!THREATENING_STAGES.has(stage)) continue;
    holds['eviction-threat'] = true;
    reasons.push({ code: `proceeding-${stage}`, text: `eviction proceeding at stage ${stage} since ${stageDate} (${proceeding.partnerId})` });
    if (stage === 'scheduled' && scheduledForMs !== undefined) {
      urgentBefore ??= addCalendarDays(new Date(view.nowMs), policy.settings.urgentScheduledWithinWeeks * 7).getTime();
      if (scheduledForMs <= urgentBefore) {
        holds.urgent = true;
        reasons.push({ code: 'eviction-scheduled-soon', text: `eviction scheduled for ${scheduledFor}, within ${policy.settings.urgentScheduledWithinWeeks} weeks` });
      }
    }
  }
  for (const signal of view.live) {
    if (!signal.crisis) continue;
    holds.urgent = true;
    reasons.push({ code: 'crisis', text: `marked as a crisis by ${signal.partnerId}` });
  }
  if (holds['eviction-threat'] && (view.minors ?? 0) > 0) {
    holds.urgent = true;
    reasons.push({ code: 'minors', text: `${view.minors} child${view.minors === 1 ? '' : 'ren'} under 18 in the household` });
  }

  const level = LEVELS.findLast((l) => holds[l]) ?? null;
  return { level, score: level ? levelRank(level) * LEVEL_SCORE_STEP + intensity(view) : intensity(view), reasons };
}

function intensity(view: HouseholdView): number {
  const highestMonths = Math.max(0, ...view.currentArrears.map((s) => s.arrears!.monthsInArrears));
  const points =
    10 * view.domains.size +
    5 * view.partners.length +
    5 * Math.floor(highestMonths) +
    ((view.minors ?? 0) > 0 ? 10 : 0) +
    (view.live.some((s) => s.crisis) ? 10 : 0);
  return Math.min(99, points);
}
