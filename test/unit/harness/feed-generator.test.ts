/**
 * The seeded feed generator: its streaming form is reproducible byte for byte, writes valid
 * PutEvents entries whose (partner, signalId) only repeat where a partner resends on purpose,
 * keeps each household's entries in arrival order across blocks, and is the same feed as
 * generateFeed when one block holds every household.
 */
import { describe, expect, it } from 'vitest';
import { MAX_SIGNAL_AGE_DAYS, parsePartnerDetail, partnerIdFromSource, SIGNAL_ID_PATTERN } from '@vroegsignaal/events';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';
import { DEFAULT_FEED_NOW, feedEntries, generateFeed, householdKey, newFeedTally, partnerEntryLine, writePostcode, type FeedEntry, type FeedStreamOptions } from '@vroegsignaal/harness';

const policy = compilePolicy(loadPolicyDir());
const NOW_MS = Date.parse(DEFAULT_FEED_NOW);
const DAY_MS = 24 * 60 * 60 * 1000;

const stream = (options: Omit<FeedStreamOptions, 'policy'>): FeedEntry[] => [...feedEntries({ policy, ...options })];
const bytes = (entries: FeedEntry[]) => entries.map((e) => `${e.line}\n`).join('');

describe('feedEntries', () => {
  it('gives the same bytes twice for the same seed and size, other bytes for another seed', () => {
    const options = { size: 300, seed: 5, householdsPerBlock: 70 };
    expect(bytes(stream(options))).toBe(bytes(stream(options)));
    expect(bytes(stream({ ...options, seed: 6 }))).not.toBe(bytes(stream(options)));
  });

  it('is the feed of generateFeed when one block holds every household', () => {
    const feed = generateFeed({ size: 250, seed: 9, policy });
    const streamed = stream({ size: 250, seed: 9, householdsPerBlock: 250 });
    expect(streamed.map((e) => e.line)).toEqual(feed.lines);
    expect(streamed).toEqual(feed.entries);
  });

  it('writes valid entries of registered partners, unique per (partner, signalId) except the resends', () => {
    const tally = newFeedTally();
    const entries = stream({ size: 400, seed: 3, householdsPerBlock: 90, tally });
    const partners = new Map(policy.policy.partners.map((p) => [p.id, p]));
    const firstOf = new Map<string, number>();
    entries.forEach((entry, position) => {
      const record = JSON.parse(entry.line) as Record<string, unknown>;
      expect(Object.keys(record)).toEqual(['Source', 'DetailType', 'Detail', 'Time']);
      const partnerId = partnerIdFromSource(record.Source as string);
      expect(partnerId).toBe(entry.partnerId);
      const partner = partners.get(entry.partnerId);
      expect(partner, entry.partnerId).toBeDefined();
      const detail = typeof record.Detail === 'string' ? JSON.parse(record.Detail) : record.Detail;
      const parsed = parsePartnerDetail(record.DetailType as string, detail);
      if (!parsed.ok) throw new Error(`line ${position + 1}: ${parsed.reason}`);
      const { signalId, municipalityCode, observedAt, address } = parsed.signal.detail;
      expect(signalId).toMatch(SIGNAL_ID_PATTERN);
      expect(signalId).toBe(entry.signalId);
      expect(municipalityCode).toBe(entry.municipalityCode);
      expect(householdKey(address)).toBe(entry.household);
      if (partner!.municipalities !== 'all') expect(partner!.municipalities).toContain(municipalityCode);
      expect(Date.parse(observedAt)).toBeLessThan(NOW_MS);
      expect(Date.parse(observedAt)).toBeGreaterThan(NOW_MS - MAX_SIGNAL_AGE_DAYS * DAY_MS);
      expect(Date.parse(record.Time as string)).toBe(entry.arrivalMs);

      const key = `${entry.partnerId} ${entry.signalId}`;
      if (entry.resendOf === undefined) {
        expect(firstOf.has(key), `${key} twice`).toBe(false);
        firstOf.set(key, position);
      } else {
        expect(firstOf.get(key)).toBe(entry.resendOf);
        expect(entry.resendOf).toBeLessThan(position);
      }
    });
    const resends = entries.filter((e) => e.resendOf !== undefined).length;
    expect(resends).toBeGreaterThan(0);
    expect(tally).toMatchObject({ entries: entries.length, households: 400, resends });
    expect(Object.values(tally.householdsByMunicipality).reduce((a, b) => a + b, 0)).toBe(400);
  });

  it('keeps every household in one block, in arrival order, and every block in arrival order', () => {
    const entries = stream({ size: 300, seed: 4, householdsPerBlock: 60 });
    const lastArrival = new Map<string, number>();
    let blockStarts = 0;
    entries.forEach((entry, position) => {
      expect(entry.arrivalMs).toBeGreaterThanOrEqual(lastArrival.get(entry.household) ?? 0);
      lastArrival.set(entry.household, entry.arrivalMs);
      if (position > 0 && entry.arrivalMs < entries[position - 1]!.arrivalMs) blockStarts++;
    });
    expect(blockStarts).toBeLessThanOrEqual(300 / 60 - 1);
  });

  it('writes more lines for more households', () => {
    const counts = [50, 200, 800].map((size) => stream({ size, seed: 1 }).length);
    expect(counts[0]).toBeGreaterThan(50);
    expect(counts[1]).toBeGreaterThan(counts[0]!);
    expect(counts[2]).toBeGreaterThan(counts[1]!);
  });
});

describe('the building blocks the sample feed shares', () => {
  it('writes one household however the postcode is written', () => {
    const keys = (['spaced', 'compact', 'spaced-lower', 'compact-lower'] as const).map((style) => householdKey({ postcode: writePostcode(3511, 'AB', style), houseNumber: 37, houseLetter: 'b' }));
    expect(new Set(keys)).toEqual(new Set(['3511AB|37|B|']));
  });

  it('writes a PutEvents entry line with Time and Account only when given', () => {
    const detail = { signalId: 'X-1' };
    expect(partnerEntryLine({ partnerId: 'ggd', detailType: 'CareSignalReported', detail })).toBe('{"Source":"partner.ggd","DetailType":"CareSignalReported","Detail":{"signalId":"X-1"}}');
    expect(partnerEntryLine({ partnerId: 'ggd', detailType: 'CareSignalReported', detail, detailAsString: true, sentMs: Date.UTC(2026, 10, 1, 8, 30, 15, 250), account: '123456789012' })).toBe(
      '{"Source":"partner.ggd","DetailType":"CareSignalReported","Detail":"{\\"signalId\\":\\"X-1\\"}","Time":"2026-11-01T08:30:15Z","Account":"123456789012"}',
    );
  });
});
