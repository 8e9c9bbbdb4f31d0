/**
 * Deliver: a household still owes a team a message; send it and record it on the household.
 *
 * Ingest delivers what a new entry decides in its own household write (dispatch.ts), so deliver
 * sees the rest: a reminder check come due, a delivery ingest had to leave for later (a team
 * queue that failed), or an escalation a redelivered duplicate found still owed.
 */
import { Dispatch, recordLives, settleStored, type DispatchDeps, type SentMessage } from './dispatch.ts';
import type { HouseholdStore } from '../ports.ts';

export interface DeliverDeps extends DispatchDeps {
  households: HouseholdStore;
}

export async function deliverOwed(householdRef: string, deps: DeliverDeps): Promise<SentMessage[]> {
  const settled = await settleStored(householdRef, deps.households, new Dispatch(deps), deps.policy, 'throw');
  if (!settled) return [];
  await recordLives(deps.alerts, settled);
  return settled.recorded;
}
