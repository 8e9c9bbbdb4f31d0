/**
 * Deliver: a household still owes a team a message; send it and record it on the household.
 *
 * Ingest delivers what a new entry decides in its own household write (dispatch.ts), so deliver
 * sees the rest: a reminder check come due, a delivery ingest had to leave for later (a team
 * queue that failed), or an escalation a redelivered duplicate found still owed.
 */
import { Dispatch, recopyLives, recordLives, settleStored, type DispatchDeps, type SentMessage } from './dispatch.ts';
import type { HouseholdStore } from '../ports.ts';

export interface DeliverDeps extends DispatchDeps {
  households: HouseholdStore;
}

/**
 * `retried`: this DeliveryDue was handled before (its queue delivers it again after a failure).
 * That run may have written the household and died before the alert index copied the lives it
 * recorded; the retry finds nothing owed, so it copies all the household's alerts again.
 */
export async function deliverOwed(householdRef: string, deps: DeliverDeps, retried = false): Promise<SentMessage[]> {
  const settled = await settleStored(householdRef, deps.households, new Dispatch(deps), deps.policy, 'throw');
  if (!settled) return [];
  if (retried) await recopyLives(deps.alerts, settled.state);
  else await recordLives(deps.alerts, settled);
  return settled.recorded;
}
