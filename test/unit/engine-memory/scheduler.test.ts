/**
 * The in-memory reminder scheduler keeps its checks in a heap (a replay over a year asks for
 * the next one at every Now line): it must still run them earliest first, those asked for at
 * the same time in the order they were asked for, each once.
 */
import { describe, expect, it } from 'vitest';
import { MemoryReminderScheduler } from '@vroegsignaal/engine-memory';

const START = Date.parse('2026-06-20T08:00:00Z');

describe('MemoryReminderScheduler', () => {
  it('runs many checks asked for out of order earliest first, ties in the order asked, each once', async () => {
    const scheduler = new MemoryReminderScheduler();
    // A fixed shuffle of times (some shared, some within one second) over 500 households.
    const asked = Array.from({ length: 500 }, (_, i) => ({ householdRef: `hh-${i}`, atMs: START + ((i * 7919) % 97) * 1000 + (i % 3) * 400 }));
    for (const check of asked) await scheduler.scheduleCheck(check.householdRef, check.atMs);
    await scheduler.scheduleCheck('hh-0', asked[0]!.atMs);

    const second = (ms: number) => Math.floor(ms / 1000) * 1000;
    const expected = [...asked].sort((a, b) => a.atMs - b.atMs);
    expect(scheduler.nextDueMs()).toBe(second(expected[0]!.atMs));
    const halfway = START + 48_000;
    const first = scheduler.fireDue(halfway);
    const rest = scheduler.fireDue(START + 100_000);

    expect([...first, ...rest].map((d) => d.householdRef)).toEqual(expected.map((c) => c.householdRef));
    expect(first.map((d) => d.householdRef)).toEqual(expected.filter((c) => second(c.atMs) <= halfway).map((c) => c.householdRef));
    expect(scheduler.nextDueMs()).toBeUndefined();
    expect(scheduler.checks).toEqual([]);
  });

  it('lists the checks not yet run in the order they were asked for, and knows the next one', async () => {
    const scheduler = new MemoryReminderScheduler();
    await scheduler.scheduleCheck('hh-1', START + 5000);
    await scheduler.scheduleCheck('hh-2', START + 1500);
    await scheduler.scheduleCheck('hh-3', START + 9000);

    expect(scheduler.checks.map((c) => c.householdRef)).toEqual(['hh-1', 'hh-2', 'hh-3']);
    expect(scheduler.nextDueMs()).toBe(START + 1000);
    expect(scheduler.fireDue(START + 5000).map((d) => d.householdRef)).toEqual(['hh-2', 'hh-1']);
    expect(scheduler.checks.map((c) => c.householdRef)).toEqual(['hh-3']);
    expect(scheduler.nextDueMs()).toBe(START + 9000);
  });
});
