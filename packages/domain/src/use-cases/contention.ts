/**
 * Optimistic writes on one household item: everyone reads, changes in memory, and writes on
 * the condition that nobody else wrote in between. The losers try again after a short random
 * wait ("full jitter"), so that a burst of writers for one household spreads out instead of
 * colliding again in lockstep.
 */
export const MAX_WRITE_ATTEMPTS = 12;
const BASE_DELAY_MS = 5;
const MAX_DELAY_MS = 250;

export class ConcurrencyError extends Error {
  readonly code = 'HOUSEHOLD_WRITE_CONTENDED';
  constructor(attempts: number) {
    super(`household write lost ${attempts} races in a row; the entry is retried by its queue`);
    this.name = 'ConcurrencyError';
  }
}

/** Yields attempt numbers 0, 1, 2, ... with a jittered wait before each retry; the caller throws a ConcurrencyError when they run out. */
export async function* writeAttempts(): AsyncGenerator<number> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt)));
    yield attempt;
  }
}
