/**
 * The household item stays writable whatever partners send (contract v1.1, "No partner can
 * crowd out a household"): DynamoDB refuses items over 400 KB, and dynalite refuses them as
 * DynamoDB does. A record that many partners filled to their share would pass that limit;
 * the byte budget applied before every write keeps it well under, so the next signal of
 * another partner is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHouseholdTable, documentClient, DynamoHouseholdStore } from '@vroegsignaal/adapters';
import { applySignal, HOUSEHOLD_BUDGET_BYTES, householdBytes, MAX_SIGNALS_PER_PARTNER } from '@vroegsignaal/domain';
import { startStandIns, type StandIns } from '@vroegsignaal/stand-ins';
import { arrears, defaultPolicy, household, NOW, nuisance } from '../unit/domain/fixtures.ts';

const TABLE = 'budget-households';
let standIns: StandIns;
let store: DynamoHouseholdStore;

beforeAll(async () => {
  standIns = await startStandIns();
  await createHouseholdTable(standIns.clients.dynamodb, TABLE);
  store = new DynamoHouseholdStore(documentClient(standIns.clients.dynamodb), TABLE);
});

afterAll(async () => {
  await standIns?.stop();
});

describe('the household byte budget', () => {
  it('keeps a record that thirty partners filled to their share writable, with the next partner\'s arrears in it', async () => {
    // Prepare: 30 partners x 50 live signals with 128-character ids: over DynamoDB's item limit as it stands.
    const signals = Array.from({ length: 30 }, (_, p) =>
      Array.from({ length: MAX_SIGNALS_PER_PARTNER }, (_, i) =>
        nuisance('noise', 'low', { partnerId: `partner-${p}`, signalId: `${p}-${i}-`.padEnd(128, 'x'), at: NOW - (p * 100 + i + 1) * 60_000 }),
      ),
    ).flat();
    const crowded = household(signals);
    const genuine = arrears({ amountCents: 190_000, monthsInArrears: 2 }, { partnerId: 'ymere', at: NOW - 1000 });

    // Act
    const unguarded = await store.put({ ...crowded, ref: `${crowded.ref}-unguarded` }, 0, NOW).catch((error: Error) => error);
    const next = applySignal(crowded, { signal: genuine, address: crowded.address }, defaultPolicy(), NOW).state;
    const written = await store.put(next, 0, NOW);

    // Assess
    expect(unguarded).toBeInstanceOf(Error);
    expect((unguarded as Error).message).toMatch(/size/i);
    expect(householdBytes(next)).toBeLessThanOrEqual(HOUSEHOLD_BUDGET_BYTES);
    expect(written).toBe(true);
    const stored = await store.get(next.ref);
    expect(stored?.signals.map((s) => s.signalId)).toContain(genuine.signalId);
  });
});
