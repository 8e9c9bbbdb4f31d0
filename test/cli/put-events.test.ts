/**
 * PutEvents batching within EventBridge's limits (10 entries, 256 KB of entries per request),
 * and retries of only the entries that failed for a reason worth retrying.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PutEventsCommand, PutEventsCommandOutput, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import {
  backoffDelay,
  planBatches,
  sendEntries,
  type BusEntry,
  type PutEventsClient,
} from '@vroegsignaal/cli';
import { UnreachableError } from '@vroegsignaal/cli';
import { entrySize, MAX_ENTRIES_PER_REQUEST, MAX_TOTAL_ENTRY_BYTES } from '@vroegsignaal/events';
import { progressBar, renderBar } from '@vroegsignaal/cli';

const entry = (id: string, detailBytes = 40): BusEntry => ({
  Source: 'partner.mitros',
  DetailType: 'RentArrearsReported',
  Detail: JSON.stringify({ signalId: id, pad: 'x'.repeat(Math.max(0, detailBytes - 30)) }),
});

/** A fake EventBridge client: `answer` decides each entry's result slot per request. */
function fakeClient(answer: (signalId: string, call: number) => PutEventsResultEntry | Error): PutEventsClient & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async send(command: PutEventsCommand): Promise<PutEventsCommandOutput> {
      const ids = command.input.Entries!.map((e) => (JSON.parse(e.Detail!) as { signalId: string }).signalId);
      calls.push(ids);
      const slots = ids.map((id) => answer(id, calls.length));
      const thrown = slots.find((s): s is Error => s instanceof Error);
      if (thrown) throw thrown;
      const entries = slots as PutEventsResultEntry[];
      return { $metadata: {}, FailedEntryCount: entries.filter((e) => e.ErrorCode).length, Entries: entries };
    },
  };
}

const noSleep = async () => {};
const ok = (id: string): PutEventsResultEntry => ({ EventId: `ev-${id}` });

describe('entry size', () => {
  it('counts Source, DetailType, Detail and Resources in UTF-8 bytes, and 14 for Time', () => {
    const e: BusEntry = { Source: 'partner.mitros', DetailType: 'X', Detail: '{"naam":"Öztürk"}' };
    expect(entrySize(e)).toBe(14 + 1 + 19);
    expect(entrySize({ ...e, Time: new Date(), Resources: ['arn:a'] })).toBe(14 + 1 + 19 + 14 + 5);
  });
});

describe('planBatches', () => {
  it('never exceeds 10 entries or 256 KB per request, and keeps every entry in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 70_000 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: MAX_ENTRIES_PER_REQUEST }),
        (sizes, maxEntries) => {
          const entries = sizes.map((size, i) => entry(`s${i}`, size));
          const batches = planBatches(entries, { maxEntries, maxBytes: MAX_TOTAL_ENTRY_BYTES });
          for (const batch of batches) {
            expect(batch.length).toBeGreaterThan(0);
            expect(batch.length).toBeLessThanOrEqual(maxEntries);
            expect(batch.reduce((total, e) => total + entrySize(e), 0)).toBeLessThanOrEqual(MAX_TOTAL_ENTRY_BYTES);
          }
          expect(batches.flat()).toEqual(entries);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fills requests: 25 small entries take 3 requests, 5 entries of 64 KB take 2', () => {
    expect(planBatches(Array.from({ length: 25 }, (_, i) => entry(`s${i}`))).map((b) => b.length)).toEqual([10, 10, 5]);
    expect(planBatches(Array.from({ length: 5 }, (_, i) => entry(`s${i}`, 64 * 1024))).map((b) => b.length)).toEqual([3, 2]);
  });

  it('refuses an entry that cannot fit a request even alone', () => {
    expect(() => planBatches([entry('big', MAX_TOTAL_ENTRY_BYTES + 1)])).toThrow(/a PutEvents request takes at most/);
  });
});

describe('sendEntries', () => {
  it('retries only the entries that failed with a retryable code', async () => {
    const failedOnce = new Set<string>();
    const client = fakeClient((id) => {
      if ((id === 's3' || id === 's12') && !failedOnce.has(id)) {
        failedOnce.add(id);
        return { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' };
      }
      return ok(id);
    });
    const entries = Array.from({ length: 15 }, (_, i) => entry(`s${i}`));
    const result = await sendEntries(client, entries, { busName: 'signals', sleep: noSleep, concurrency: 1 });
    expect(client.calls).toHaveLength(3);
    expect(client.calls[2]).toEqual(['s3', 's12']);
    expect(result).toMatchObject({ sent: 15, retried: 2, failed: 0, notAttempted: 0, requests: 3 });
    expect(result.results[3]).toEqual({ index: 3, eventId: 'ev-s3', attempts: 2 });
  });

  it('does not retry an entry the bus refuses for good, and gives up after maxAttempts', async () => {
    const client = fakeClient((id) => (id === 's1' ? { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' } : id === 's2' ? { ErrorCode: 'InternalFailure' } : ok(id)));
    const sleeps: number[] = [];
    const result = await sendEntries(client, [entry('s0'), entry('s1'), entry('s2')], {
      busName: 'signals',
      maxAttempts: 4,
      baseDelayMs: 100,
      maxDelayMs: 250,
      random: () => 0.999,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(client.calls).toEqual([['s0', 's1', 's2'], ['s2'], ['s2'], ['s2']]);
    expect(result).toMatchObject({ sent: 1, failed: 2, retried: 1 });
    expect(result.results[1]).toMatchObject({ errorCode: 'MalformedDetail', attempts: 1 });
    expect(result.results[2]).toMatchObject({ errorCode: 'InternalFailure', attempts: 4 });
    // Exponential, capped: 100, 200, then 250 instead of 400 (times the jitter).
    expect(sleeps).toEqual([99, 199, 249]);
  });

  it('retries a whole request that failed with a throttling error', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    const client = fakeClient((id, call) => (call === 1 ? throttled : ok(id)));
    const result = await sendEntries(client, [entry('s0'), entry('s1')], { busName: 'signals', sleep: noSleep });
    expect(result).toMatchObject({ sent: 2, retried: 2, failed: 0 });
  });

  it('stops with an UnreachableError when the endpoint cannot be reached', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const client = fakeClient(() => refused);
    const result = await sendEntries(client, Array.from({ length: 12 }, (_, i) => entry(`s${i}`)), { busName: 'signals', sleep: noSleep, concurrency: 1, target: 'EventBridge at http://127.0.0.1:1' });
    expect(result.stopped).toBeInstanceOf(UnreachableError);
    expect(result.stopped!.exitCode).toBe(2);
    expect(result.stopped!.message).toMatch(/^cannot reach EventBridge at http:\/\/127.0.0.1:1 \(connection refused\)/);
    expect(client.calls).toHaveLength(1);
    expect(result).toMatchObject({ sent: 0, failed: 0, notAttempted: 12 });
  });

  it('stops when the bus does not exist, instead of failing every entry alike', async () => {
    const client = fakeClient(() => ({ ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus nope does not exist.' }));
    const result = await sendEntries(client, Array.from({ length: 30 }, (_, i) => entry(`s${i}`)), { busName: 'nope', sleep: noSleep, concurrency: 1 });
    expect(client.calls).toHaveLength(1);
    expect(result.stopped?.message).toMatch(/event bus "nope" .*not found \(ResourceNotFoundException\)/);
    expect(result).toMatchObject({ sent: 0, failed: 10, notAttempted: 20 });
  });

  it('rethrows what it cannot classify (a bug, not a network problem)', async () => {
    const client = fakeClient(() => Object.assign(new Error('bad request'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }));
    await expect(sendEntries(client, [entry('s0')], { busName: 'signals', sleep: noSleep })).rejects.toThrow('bad request');
  });

  it('reports progress up to the total', async () => {
    const seen: number[] = [];
    await sendEntries(fakeClient(ok), Array.from({ length: 23 }, (_, i) => entry(`s${i}`)), { busName: 'signals', onProgress: (done) => seen.push(done) });
    expect(seen.at(-1)).toBe(23);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('waits with full jitter: between 0 and the capped exponential', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 0.9999, noNaN: true }), (retry, r) => {
        const delay = backoffDelay(retry, 100, 5_000, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(5_000, 100 * 2 ** (retry - 1)));
      }),
    );
  });
});

describe('the progress bar', () => {
  it('draws on a terminal only, and only past the threshold', () => {
    const written: string[] = [];
    const bar = progressBar((t) => written.push(t), true, 'entries', 200);
    bar.update(10, 150);
    expect(written).toEqual([]);
    bar.update(120, 360);
    bar.update(120, 360);
    bar.finish();
    expect(written[0]).toBe('\r[##########--------------------] 120/360 entries (33%)');
    expect(written).toHaveLength(2);
    expect(written[1]).toMatch(/^\r +\r$/);
    const off: string[] = [];
    progressBar((t) => off.push(t), false, 'entries', 200).update(300, 400);
    expect(off).toEqual([]);
    expect(renderBar(400, 400)).toBe('[##############################] 400/400 entries (100%)');
  });
});
