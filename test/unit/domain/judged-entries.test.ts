/**
 * What ingest files for the municipality's monitor (issue 16, "keep what the monitor needs as it
 * happens"): every judged entry once per bus event, under the municipality of its address, with
 * its partner, detail type, first outcome, rule and household; an entry whose address could not
 * be read under none. The use case on in-memory ports (the adapters' semantics, test/ports).
 */
import { describe, expect, it } from 'vitest';
import { addCalendarMonthsMs } from '@vroegsignaal/calendar';
import { ALERT_RETENTION_MONTHS, householdRef, ingestEntry, normaliseAddress, type BusEntry, type JudgedEntryRecord } from '@vroegsignaal/domain';
import { CODES, defaultPolicy, detail, DETAIL_TYPE, NOW, SECRET } from './fixtures.ts';
import { inMemoryPorts } from './in-memory-ports.ts';

const policy = defaultPolicy();
const UTRECHT = { postcode: '3511 AB', houseNumber: 12 };
const AMSTERDAM = { postcode: '1012 AB', houseNumber: 5 };
const MONTH = '2026-06';

function setup() {
  const ports = inMemoryPorts();
  const filed: JudgedEntryRecord[] = [];
  const monitor = {
    record(entry: JudgedEntryRecord) {
      filed.push(entry);
      return ports.monitor.record(entry);
    },
  };
  const ingest = (entry: BusEntry & { id: string }) => ingestEntry(entry, { policy, ...ports, monitor, householdSecret: SECRET, nowMs: NOW });
  return { ingest, filed, source: ports.monitor };
}

const entry = (id: string, kind: keyof typeof DETAIL_TYPE, overrides: Record<string, unknown>, partner = 'mitros'): BusEntry & { id: string } => ({
  id,
  source: `partner.${partner}`,
  'detail-type': DETAIL_TYPE[kind],
  detail: detail(kind, overrides),
});

describe('ingest files every judged entry for the monitor', () => {
  it("files an accepted signal under its address's municipality, with its partner, detail type, household and time, kept as long as the alert records", async () => {
    // Prepare
    const { ingest, filed, source } = setup();

    // Act
    await ingest(entry('evt-1', 'arrears', { signalId: 'mit-1', address: UTRECHT }));

    // Assess
    const ref = householdRef(normaliseAddress(UTRECHT), SECRET);
    expect(await source.entriesJudged(CODES.utrecht, MONTH)).toEqual([{ partnerId: 'mitros', detailType: 'RentArrearsReported', outcome: 'accepted', householdRef: ref, atMs: NOW }]);
    expect(filed[0]).toMatchObject({ eventId: 'evt-1', municipalityCode: CODES.utrecht, expiresAtMs: addCalendarMonthsMs(NOW, ALERT_RETENTION_MONTHS) });
  });

  it("counts a redelivery once and a partner's resend as the duplicate it is told", async () => {
    // Prepare
    const { ingest, source } = setup();
    const first = entry('evt-1', 'arrears', { signalId: 'mit-1', address: UTRECHT });

    // Act
    await ingest(first);
    await ingest(first);
    await ingest({ ...first, id: 'evt-2' });

    // Assess
    expect((await source.entriesJudged(CODES.utrecht, MONTH)).map((e) => e.outcome)).toEqual(['accepted', 'duplicate']);
  });

  it("files a rejection whose address could be read under the address's municipality with its rule and no household, and one whose address could not under none", async () => {
    // Prepare
    const { ingest, filed, source } = setup();

    // Act: an Amsterdam address sent as Utrecht's; an entry without an address.
    await ingest(entry('evt-1', 'nuisance', { municipalityCode: CODES.utrecht, address: AMSTERDAM }, 'politie'));
    await ingest(entry('evt-2', 'arrears', { address: undefined }));

    // Assess
    expect(await source.entriesJudged(CODES.amsterdam, MONTH)).toEqual([{ partnerId: 'politie', detailType: 'NuisanceReported', outcome: 'rejected', rule: 'postcode-area', atMs: NOW }]);
    expect(await source.entriesJudged(CODES.utrecht, MONTH)).toEqual([]);
    expect(filed.map((e) => e.eventId)).toEqual(['evt-1']);
  });

  it("files a withdrawal as withdrawn, in the withdrawn signal's household", async () => {
    // Prepare
    const { ingest, source } = setup();
    await ingest(entry('evt-1', 'arrears', { signalId: 'mit-1', address: UTRECHT }));

    // Act
    await ingest(entry('evt-2', 'withdrawal', { signalId: 'mit-1-w', address: UTRECHT, withdrawal: { signalId: 'mit-1', reason: 'resolved' } }));

    // Assess
    const [, withdrawn] = await source.entriesJudged(CODES.utrecht, MONTH);
    expect(withdrawn).toEqual({ partnerId: 'mitros', detailType: 'SignalWithdrawn', outcome: 'withdrawn', householdRef: householdRef(normaliseAddress(UTRECHT), SECRET), atMs: NOW });
  });
});
