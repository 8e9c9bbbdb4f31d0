/**
 * The domain's ports as the use cases rely on them, written once and run on every engine that
 * implements them (memory.test.ts, adapters.test.ts), so that the in-memory engine cannot
 * drift from the AWS adapters. What a port has no read for (later outcomes, audit records,
 * queue contents, fired checks, published events) each engine shows through `observe`.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryDue, TeamMessage } from '@vroegsignaal/events';
import {
  emptyHousehold,
  type AccessLog,
  type AlertAccessRecord,
  type ExportAccessRecord,
  type AlertIndex,
  type AlertIndexRecord,
  type AlertLife,
  type AuditRecord,
  type AuditTrail,
  type CapacityLedger,
  type EventPublisher,
  type HouseholdState,
  type HouseholdStore,
  type JudgedEntryLog,
  type JudgedEntryRecord,
  MAX_RESENDS_KEPT,
  type MemberDirectory,
  type MemberRecord,
  type MonitorSource,
  type NoticeLog,
  type OnceGate,
  type OpenAlert,
  type PipelineEvent,
  type RejectionRecord,
  type ReminderScheduler,
  type Resend,
  type SentNotice,
  type SignalClaim,
  type SignalLedger,
  type StoredWithdrawal,
  type TeamInbox,
  type TeamMessenger,
  type TeamNoticeDefaults,
} from '@vroegsignaal/domain';

export interface ReceivedMessage {
  message: TeamMessage;
  deduplicationId: string;
  groupId: string;
}

export interface PortsUnderTest {
  households: HouseholdStore;
  ledger: SignalLedger;
  alerts: AlertIndex;
  capacity: CapacityLedger;
  audit: AuditTrail;
  scheduler: ReminderScheduler;
  messenger: TeamMessenger;
  publisher: EventPublisher;
  inbox: TeamInbox;
  accessLog: AccessLog;
  /** What ingest files for the monitor, read back as the monitor and the export read it. */
  monitor: JudgedEntryLog & MonitorSource;
  members: MemberDirectory;
  noticeLog: NoticeLog;
  once: OnceGate;
  /** Two teams that have a queue; any other team has none. */
  teams: readonly [string, string];
  observe: {
    laterOutcomes(partnerId: string, signalId: string): Promise<{ outcome: string; atMs: number }[]>;
    /** The resends kept on a claim, how many were kept in all, and the rejection kept beside it. */
    partnerRecords(partnerId: string, signalId: string): Promise<{ resends: Resend[]; resendCount: number; rejection?: Omit<RejectionRecord, 'expiresAtMs'> }>;
    auditRecord(householdRef: string, deliveryId: string): Promise<AuditRecord | undefined>;
    /** Takes what is on the team's queue, in order. */
    teamMessages(team: string): Promise<ReceivedMessage[]>;
    /** Everything published so far, in order. */
    published(): Promise<PipelineEvent[]>;
    /** Runs the reminder checks due at `nowMs`: the DeliveryDue details they put on the pipeline bus. */
    fireDueChecks(nowMs: number): Promise<DeliveryDue[]>;
  };
}

/** Whole seconds: the table keeps expiries in seconds, and these read back unchanged. */
const EXPIRES = Date.parse('2027-01-01T00:00:00Z');
const NOW = Date.parse('2026-06-15T10:00:00Z');

function household(ref: string, note = 0): HouseholdState {
  const state = emptyHousehold(ref, { postcode: '3511AB', houseNumber: 1 }, NOW);
  return { ...state, signalVersion: note };
}

const claimOf = (overrides: Partial<SignalClaim> = {}): SignalClaim => ({
  partnerId: 'mitros',
  signalId: 'mit-1',
  householdRef: 'hh-1',
  eventId: 'evt-1',
  outcome: 'accepted',
  reason: null,
  expiresAtMs: EXPIRES,
  ...overrides,
});

const withdrawalOf = (signalId: string, reason: StoredWithdrawal['reason'] = 'resolved'): StoredWithdrawal => ({ partnerId: 'mitros', signalId, reason, observedAtMs: NOW });

const rejectionOf = (overrides: Partial<RejectionRecord> = {}): RejectionRecord => ({
  partnerId: 'mitros',
  signalId: 'mit-1',
  eventId: 'evt-r1',
  rule: 'postcode-area',
  reason: 'postcode area 1012 lies in GM0363, not in GM0344',
  atMs: NOW,
  expiresAtMs: EXPIRES,
  ...overrides,
});

const kept = ({ expiresAtMs: _expiresAtMs, ...record }: RejectionRecord) => record;

const message = (alertId: string, kind: TeamMessage['kind'] = 'alert') => ({ kind, level: 'signal', alertId, team: 'x' }) as unknown as TeamMessage;

const alert = (overrides: Partial<AlertIndexRecord> = {}): AlertIndexRecord => ({
  alertId: 'al-1',
  householdRef: 'hh-1',
  team: 'utrecht-schuldhulp',
  level: 'signal',
  sequence: 0,
  atMs: NOW,
  deliveryId: 'al-1',
  reasonCodes: ['arrears-2m'],
  score: 130,
  respondByMs: NOW + 5 * 86_400_000,
  district: 'binnenstad',
  signals: [{ partnerId: 'mitros', signalId: 'mit-1' }],
  expiresAtMs: EXPIRES,
  ...overrides,
});

const raised: AlertLife = { timeline: [{ type: 'raised', atMs: NOW }], status: 'raised' };
const pickedUp: AlertLife = { timeline: [...raised.timeline, { type: 'picked-up', atMs: NOW + 60_000, by: 'sh-207' }], status: 'picked-up', pickedUpAtMs: NOW + 60_000 };
const closed: AlertLife = {
  timeline: [...pickedUp.timeline, { type: 'closed', atMs: NOW + 120_000, by: 'sh-207', result: 'resolved', detail: 'quick-fix' }],
  status: 'closed',
  ending: 'closed',
  pickedUpAtMs: NOW + 60_000,
  closedAtMs: NOW + 120_000,
  result: 'resolved',
  detail: 'quick-fix',
};

/** Half past midnight on 1 December in Amsterdam, still 30 November in UTC: December's. */
const DECEMBER_FIRST = Date.parse('2026-11-30T23:30:00Z');
const NOVEMBER = Date.parse('2026-11-12T09:00:00Z');

const judged = (overrides: Partial<JudgedEntryRecord> = {}): JudgedEntryRecord => ({
  eventId: 'evt-1',
  municipalityCode: 'GM0344',
  partnerId: 'mitros',
  detailType: 'RentArrearsSignal',
  outcome: 'accepted',
  householdRef: 'hh-1',
  atMs: NOVEMBER,
  expiresAtMs: EXPIRES,
  ...overrides,
});

/** What the monitor reads of a filed entry: no event, no municipality (the query named it), no expiry. */
const counted = ({ eventId: _eventId, municipalityCode: _municipalityCode, expiresAtMs: _expiresAtMs, ...entry }: JudgedEntryRecord) => entry;

const member = (overrides: Partial<MemberRecord> = {}): MemberRecord => ({
  memberId: 'sub-207',
  email: 'sh207@utrecht.example',
  locale: 'nl',
  teams: ['utrecht-schuldhulp'],
  coordinatorOf: [],
  optedIn: true,
  kinds: { 'urgent-alert': true, digest: false },
  digestTime: '08:30',
  mail: 'active',
  updatedAtMs: NOW,
  ...overrides,
});

const teamDefaults = (overrides: Partial<TeamNoticeDefaults> = {}): TeamNoticeDefaults => ({
  team: 'utrecht-schuldhulp',
  kinds: { 'urgent-alert': true, assigned: true, overdue: true, escalation: false, digest: true },
  digestTime: '09:00',
  setBy: 'sub-1',
  updatedAtMs: NOW,
  ...overrides,
});

const notice = (overrides: Partial<SentNotice> = {}): SentNotice => ({
  memberId: 'sub-207',
  key: 'notice#al-1#sub-207',
  kind: 'urgent-alert',
  team: 'utrecht-schuldhulp',
  alertId: 'al-1',
  level: 'urgent',
  atMs: NOW,
  expiresAtMs: EXPIRES,
  ...overrides,
});

export function portContract(engine: string, setup: () => Promise<PortsUnderTest>): void {
  describe(`ports on ${engine}`, () => {
    describe('HouseholdStore', () => {
      it('writes a new household only when none is stored (expected version 0), and stores it as version 1', async () => {
        const { households } = await setup();
        expect(await households.get('hh-1')).toBeUndefined();

        expect(await households.put(household('hh-1', 1), 0, EXPIRES)).toBe(true);
        expect(await households.put(household('hh-1', 2), 0, EXPIRES)).toBe(false);

        expect(await households.get('hh-1')).toEqual({ ...household('hh-1', 1), version: 1 });
      });

      it('writes over a stored household only at the expected version: a stale or a future version loses', async () => {
        const { households } = await setup();
        await households.put(household('hh-1', 1), 0, EXPIRES);

        expect(await households.put(household('hh-1', 2), 1, EXPIRES)).toBe(true);
        expect(await households.put(household('hh-1', 3), 1, EXPIRES)).toBe(false);
        expect(await households.put(household('hh-1', 4), 5, EXPIRES)).toBe(false);

        expect(await households.get('hh-1')).toEqual({ ...household('hh-1', 2), version: 2 });
      });

      it('does not write at a version above 0 when nothing is stored', async () => {
        const { households } = await setup();
        expect(await households.put(household('hh-2'), 3, EXPIRES)).toBe(false);
        expect(await households.get('hh-2')).toBeUndefined();
      });

      it('ignores the version on the state written: the stored one is the expected version plus one', async () => {
        const { households } = await setup();
        expect(await households.put({ ...household('hh-1'), version: 42 }, 0, EXPIRES)).toBe(true);
        expect((await households.get('hh-1'))?.version).toBe(1);
      });

      it('keeps what was stored when the caller tries to change the objects it wrote or read', async () => {
        // DynamoDB keeps a serialised copy; the in-memory engine freezes what it keeps, so the
        // attempt throws there. Either way the stored household stays as written.
        const { households } = await setup();
        const written = household('hh-1');
        await households.put(written, 0, EXPIRES);
        const attempt = (change: () => void) => {
          try {
            change();
          } catch (error) {
            expect(error).toBeInstanceOf(TypeError);
          }
        };
        attempt(() => written.alerts.push({ alertId: 'al-x' } as HouseholdState['alerts'][number]));
        const read = await households.get('hh-1');
        if (!read) throw new Error('the household written was not read back');
        attempt(() => read.signals.push({ signalId: 'x' } as HouseholdState['signals'][number]));

        expect(await households.get('hh-1')).toEqual({ ...household('hh-1'), version: 1 });
      });
    });

    describe('SignalLedger', () => {
      it('creates a claim only when none exists, and returns the existing one otherwise', async () => {
        const { ledger } = await setup();
        expect(await ledger.get('mitros', 'mit-1')).toBeUndefined();

        expect(await ledger.claim(claimOf())).toEqual({ claimed: true });
        expect(await ledger.claim(claimOf({ eventId: 'evt-2', outcome: 'duplicate', householdRef: 'hh-2' }))).toEqual({ claimed: false, existing: claimOf() });

        expect(await ledger.get('mitros', 'mit-1')).toEqual(claimOf());
        // The same signalId from another partner is another claim.
        expect(await ledger.claim(claimOf({ partnerId: 'ggd' }))).toEqual({ claimed: true });
      });

      it('reads expiries back in whole seconds, rounded up, and an expiry that never comes as 0', async () => {
        const { ledger } = await setup();
        await ledger.claim(claimOf({ signalId: 'mit-ms', expiresAtMs: EXPIRES + 1 }));
        await ledger.claim(claimOf({ signalId: 'mit-open', expiresAtMs: Number.POSITIVE_INFINITY }));

        expect((await ledger.get('mitros', 'mit-ms'))?.expiresAtMs).toBe(EXPIRES + 1000);
        expect((await ledger.get('mitros', 'mit-open'))?.expiresAtMs).toBe(0);
      });

      // Not held to one answer: an expiry that never comes on recordFirstOutcome or placeWithdrawal.
      // The adapter's update then names an :expiresAt the SDK dropped as undefined, and DynamoDB
      // refuses it (ValidationException); the in-memory engine stores the claim without a TTL.
      // The domain always gives a claim a finite expiry (claimExpiresAtMs).

      it('records the first outcome on a claim made by the same bus event, and not on one made by another', async () => {
        const { ledger } = await setup();
        await ledger.claim(claimOf());

        expect(await ledger.recordFirstOutcome(claimOf({ outcome: 'rejected', reason: 'lost a race' }))).toBe(true);
        expect(await ledger.recordFirstOutcome(claimOf({ eventId: 'evt-2', outcome: 'accepted', householdRef: 'hh-2' }))).toBe(false);

        expect(await ledger.get('mitros', 'mit-1')).toEqual(claimOf({ outcome: 'rejected', reason: 'lost a race' }));
      });

      it('records the first outcome on a withdrawal placeholder, keeping its pending withdrawal', async () => {
        const { ledger } = await setup();
        await ledger.placeWithdrawal('mitros', 'mit-1', withdrawalOf('mit-1'), EXPIRES);

        expect(await ledger.recordFirstOutcome(claimOf({ eventId: 'evt-9', outcome: 'withdrawn' }))).toBe(true);

        expect(await ledger.get('mitros', 'mit-1')).toEqual({ ...claimOf({ eventId: 'evt-9', outcome: 'withdrawn' }), pendingWithdrawal: withdrawalOf('mit-1') });
      });

      it('records a first outcome where there is no claim at all (one that expired)', async () => {
        const { ledger } = await setup();
        expect(await ledger.recordFirstOutcome(claimOf())).toBe(true);
        expect(await ledger.get('mitros', 'mit-1')).toEqual(claimOf());
      });

      it("treats a withdrawal's own claim (household null) as taken: another event's first outcome and a withdrawal are refused", async () => {
        const { ledger } = await setup();
        const own = claimOf({ signalId: 'mit-w', householdRef: null, eventId: 'evt-w', outcome: 'withdrawn' });
        await ledger.claim(own);

        expect(await ledger.recordFirstOutcome(claimOf({ signalId: 'mit-w', eventId: 'evt-other' }))).toBe(false);
        expect(await ledger.placeWithdrawal('mitros', 'mit-w', withdrawalOf('mit-w'), EXPIRES)).toBe(false);
        // The event that made it may still record its outcome.
        expect(await ledger.recordFirstOutcome({ ...own, reason: 'told again' })).toBe(true);

        expect(await ledger.get('mitros', 'mit-w')).toEqual({ ...own, reason: 'told again' });
      });

      it('places a withdrawal for a signal not yet seen, and refuses it once the signal arrived', async () => {
        const { ledger } = await setup();
        expect(await ledger.placeWithdrawal('mitros', 'mit-early', withdrawalOf('mit-early'), EXPIRES)).toBe(true);
        await ledger.claim(claimOf());

        expect(await ledger.placeWithdrawal('mitros', 'mit-1', withdrawalOf('mit-1'), EXPIRES)).toBe(false);

        expect(await ledger.get('mitros', 'mit-early')).toEqual({
          partnerId: 'mitros',
          signalId: 'mit-early',
          householdRef: null,
          eventId: null,
          outcome: null,
          reason: null,
          pendingWithdrawal: withdrawalOf('mit-early'),
          expiresAtMs: EXPIRES,
        });
        expect(await ledger.get('mitros', 'mit-1')).toEqual(claimOf());
      });

      it("replaces a placeholder's withdrawal and expiry with a later one's", async () => {
        const { ledger } = await setup();
        await ledger.placeWithdrawal('mitros', 'mit-2', withdrawalOf('mit-2', 'resolved'), EXPIRES + 60_000);

        expect(await ledger.placeWithdrawal('mitros', 'mit-2', withdrawalOf('mit-2', 'error'), EXPIRES)).toBe(true);

        expect(await ledger.get('mitros', 'mit-2')).toMatchObject({ pendingWithdrawal: withdrawalOf('mit-2', 'error'), expiresAtMs: EXPIRES, householdRef: null });
      });

      it('keeps a later outcome once per key, every time without one, and never where there is no claim', async () => {
        const { ledger, observe } = await setup();
        await ledger.claim(claimOf());

        await ledger.recordLaterOutcome('mitros', 'mit-1', 'picked-up', NOW, 'evt-p');
        await ledger.recordLaterOutcome('mitros', 'mit-1', 'picked-up', NOW + 1, 'evt-p');
        await ledger.recordLaterOutcome('mitros', 'mit-1', 'closed', NOW + 2);
        await ledger.recordLaterOutcome('mitros', 'mit-1', 'closed', NOW + 3, '');
        await ledger.recordLaterOutcome('mitros', 'mit-1', 'withdrawn', NOW + 4, 'evt-w');
        await ledger.recordLaterOutcome('mitros', 'mit-none', 'closed', NOW, 'evt-c');

        expect(await observe.laterOutcomes('mitros', 'mit-1')).toEqual([
          { outcome: 'picked-up', atMs: NOW },
          { outcome: 'closed', atMs: NOW + 2 },
          { outcome: 'closed', atMs: NOW + 3 },
          { outcome: 'withdrawn', atMs: NOW + 4 },
        ]);
        expect(await ledger.get('mitros', 'mit-none')).toBeUndefined();
        // Later outcomes do not show on the claim itself.
        expect(await ledger.get('mitros', 'mit-1')).toEqual(claimOf());
      });

      it("does not keep a claim's own first outcome as a later one", async () => {
        const { ledger, observe } = await setup();
        await ledger.claim(claimOf({ signalId: 'mit-w', householdRef: null, outcome: 'withdrawn' }));

        await ledger.recordLaterOutcome('mitros', 'mit-w', 'withdrawn', NOW, 'evt-w');
        await ledger.recordLaterOutcome('mitros', 'mit-w', 'closed', NOW, 'evt-c');

        expect(await observe.laterOutcomes('mitros', 'mit-w')).toEqual([{ outcome: 'closed', atMs: NOW }]);
      });

      it("keeps a resend once per event, never the claiming event's own, and nowhere without a claim; the claim is unchanged", async () => {
        const { ledger, observe } = await setup();
        await ledger.claim(claimOf());

        await ledger.recordResend('mitros', 'mit-1', { eventId: 'evt-2', atMs: NOW });
        await ledger.recordResend('mitros', 'mit-1', { eventId: 'evt-2', atMs: NOW + 5 });
        await ledger.recordResend('mitros', 'mit-1', { eventId: 'evt-1', atMs: NOW + 6 });
        await ledger.recordResend('mitros', 'mit-1', { eventId: 'evt-3', atMs: NOW + 7 });
        await ledger.recordResend('mitros', 'mit-none', { eventId: 'evt-4', atMs: NOW });

        expect(await observe.partnerRecords('mitros', 'mit-1')).toEqual({
          resends: [
            { eventId: 'evt-2', atMs: NOW },
            { eventId: 'evt-3', atMs: NOW + 7 },
          ],
          resendCount: 2,
        });
        expect(await observe.partnerRecords('mitros', 'mit-none')).toEqual({ resends: [], resendCount: 0 });
        expect(await ledger.get('mitros', 'mit-none')).toBeUndefined();
        expect(await ledger.get('mitros', 'mit-1')).toEqual(claimOf());
      });

      it(`keeps the newest ${MAX_RESENDS_KEPT} resends, and counts them all`, async () => {
        const { ledger, observe } = await setup();
        await ledger.claim(claimOf());

        for (let i = 0; i < MAX_RESENDS_KEPT + 3; i++) await ledger.recordResend('mitros', 'mit-1', { eventId: `evt-r${i}`, atMs: NOW + i });

        const { resends, resendCount } = await observe.partnerRecords('mitros', 'mit-1');
        expect(resendCount).toBe(MAX_RESENDS_KEPT + 3);
        expect(resends.map((r) => r.eventId)).toEqual(Array.from({ length: MAX_RESENDS_KEPT }, (_, i) => `evt-r${i + 3}`));
      });

      it('keeps a rejection beside the claim: it neither blocks a later claim nor changes one', async () => {
        const { ledger, observe } = await setup();
        await ledger.recordRejection(rejectionOf());

        expect(await ledger.get('mitros', 'mit-1')).toBeUndefined();
        expect(await ledger.claim(claimOf())).toEqual({ claimed: true });
        await ledger.recordRejection(rejectionOf({ eventId: 'evt-r2', rule: 'observed-at', reason: 'observedAt is more than 400 days ago', atMs: NOW + 1 }));

        expect(await ledger.get('mitros', 'mit-1')).toEqual(claimOf());
        expect(await observe.partnerRecords('mitros', 'mit-1')).toEqual({
          resends: [],
          resendCount: 0,
          rejection: kept(rejectionOf({ eventId: 'evt-r2', rule: 'observed-at', reason: 'observedAt is more than 400 days ago', atMs: NOW + 1 })),
        });
      });

      it("keeps the newest rejection of a signalId: one event's told again, or an older one delivered late, does not replace it", async () => {
        const { ledger, observe } = await setup();
        await ledger.recordRejection(rejectionOf({ atMs: NOW + 10 }));

        await ledger.recordRejection(rejectionOf({ atMs: NOW + 20 }));
        await ledger.recordRejection(rejectionOf({ eventId: 'evt-old', atMs: NOW + 5 }));
        await ledger.recordRejection(rejectionOf({ signalId: 'mit-2', eventId: null }));
        await ledger.recordRejection(rejectionOf({ signalId: 'mit-2', eventId: null, rule: 'contract', reason: 'address.postcode: expected a Dutch postcode', atMs: NOW + 1 }));

        expect((await observe.partnerRecords('mitros', 'mit-1')).rejection).toEqual(kept(rejectionOf({ atMs: NOW + 10 })));
        // Another event's at the same time (a clock that stands still, as a pinned local one) does.
        await ledger.recordRejection(rejectionOf({ eventId: 'evt-same-time', atMs: NOW + 10 }));
        expect((await observe.partnerRecords('mitros', 'mit-1')).rejection).toEqual(kept(rejectionOf({ eventId: 'evt-same-time', atMs: NOW + 10 })));
        expect((await observe.partnerRecords('mitros', 'mit-2')).rejection).toEqual(
          kept(rejectionOf({ signalId: 'mit-2', eventId: null, rule: 'contract', reason: 'address.postcode: expected a Dutch postcode', atMs: NOW + 1 })),
        );
        // Another partner's same signalId is another record.
        expect((await observe.partnerRecords('ggd', 'mit-1')).rejection).toBeUndefined();
      });
    });

    describe('AlertIndex', () => {
      it('gives back the record put, and nothing for an alert it does not know', async () => {
        const { alerts } = await setup();
        await alerts.put(alert());

        expect(await alerts.get('al-1')).toEqual(alert());
        expect(await alerts.get('al-2')).toBeUndefined();
      });

      it('keeps the last record put for the same alert', async () => {
        const { alerts } = await setup();
        await alerts.put(alert());
        await alerts.put(alert({ level: 'eviction-threat', sequence: 1 }));

        expect(await alerts.get('al-1')).toEqual(alert({ level: 'eviction-threat', sequence: 1 }));
      });

      it("keeps the newest copy of an alert's life: a copy with a longer timeline replaces it, an older one or the same again does not", async () => {
        const { alerts } = await setup();
        await alerts.put(alert());

        await alerts.recordLife('al-1', raised);
        await alerts.recordLife('al-1', closed);
        expect(await alerts.get('al-1')).toEqual(alert({ life: closed }));

        // A writer that copied before the close, arriving after it (a race, or a redelivery).
        await alerts.recordLife('al-1', pickedUp);
        await alerts.recordLife('al-1', { ...closed, result: 'declined' });
        expect(await alerts.get('al-1')).toEqual(alert({ life: closed }));
      });

      it("keeps the life when the record is put again, and writes none for an alert it has no record of", async () => {
        const { alerts } = await setup();
        await alerts.put(alert());
        await alerts.recordLife('al-1', pickedUp);

        await alerts.put(alert({ atMs: NOW + 1000 }));
        await alerts.recordLife('al-2', closed);

        expect(await alerts.get('al-1')).toEqual(alert({ atMs: NOW + 1000, life: pickedUp }));
        expect(await alerts.get('al-2')).toBeUndefined();
      });
    });

    describe('MonitorSource', () => {
      it("lists a municipality's entries judged in a month once, in time order, however often one was filed: not another municipality's, not another month's", async () => {
        const { monitor } = await setup();
        const later = judged({ eventId: 'evt-2', partnerId: 'eneco', detailType: 'UtilityArrearsSignal', outcome: 'duplicate', atMs: NOVEMBER + 60_000 });
        const rejected = judged({ eventId: 'evt-3', outcome: 'rejected', rule: 'postcode-area', householdRef: undefined, atMs: NOVEMBER + 120_000 });
        await monitor.record(later);
        await monitor.record(judged());
        await monitor.record(rejected);
        // The first bus event told again (a redelivery judged again), later and otherwise.
        await monitor.record(judged({ outcome: 'duplicate', atMs: NOVEMBER + 180_000 }));
        await monitor.record(judged({ eventId: 'evt-4', municipalityCode: 'GM0363' }));
        await monitor.record(judged({ eventId: 'evt-5', atMs: DECEMBER_FIRST }));

        expect(await monitor.entriesJudged('GM0344', '2026-11')).toEqual([counted(judged()), counted(later), counted(rejected)]);
        expect(await monitor.entriesJudged('GM0344', '2026-12')).toEqual([counted(judged({ atMs: DECEMBER_FIRST }))]);
        expect(await monitor.entriesJudged('GM0363', '2026-11')).toEqual([counted(judged({ municipalityCode: 'GM0363' }))]);
        expect(await monitor.entriesJudged('GM0344', '2026-10')).toEqual([]);
      });

      it("lists a municipality's alerts raised in a month once, with their lives: not another municipality's, not another month's", async () => {
        const { alerts, monitor } = await setup();
        await alerts.put(alert({ municipalityCode: 'GM0344', atMs: NOVEMBER }));
        await alerts.recordLife('al-1', pickedUp);
        await alerts.put(alert({ municipalityCode: 'GM0344', atMs: NOVEMBER }));
        await alerts.put(alert({ alertId: 'al-2', deliveryId: 'al-2', municipalityCode: 'GM0344', atMs: NOVEMBER + 60_000 }));
        await alerts.recordLife('al-2', closed);
        await alerts.put(alert({ alertId: 'al-3', deliveryId: 'al-3', municipalityCode: 'GM0363', atMs: NOVEMBER }));
        await alerts.put(alert({ alertId: 'al-4', deliveryId: 'al-4', municipalityCode: 'GM0344', atMs: DECEMBER_FIRST }));

        expect(await monitor.alertsRaised('GM0344', '2026-11')).toEqual([
          alert({ municipalityCode: 'GM0344', atMs: NOVEMBER, life: pickedUp }),
          alert({ alertId: 'al-2', deliveryId: 'al-2', municipalityCode: 'GM0344', atMs: NOVEMBER + 60_000, life: closed }),
        ]);
        expect((await monitor.alertsRaised('GM0344', '2026-12')).map((a) => a.alertId)).toEqual(['al-4']);
        expect((await monitor.alertsRaised('GM0363', '2026-11')).map((a) => a.alertId)).toEqual(['al-3']);
      });

      it('gives the households of the refs asked, each once, and nothing for a ref it does not hold', async () => {
        const { households, monitor } = await setup();
        await households.put(household('hh-1'), 0, EXPIRES);
        await households.put(household('hh-2', 3), 0, EXPIRES);

        const found = await monitor.households(['hh-2', 'hh-missing', 'hh-1', 'hh-2']);

        expect(found.sort((a, b) => a.ref.localeCompare(b.ref))).toEqual([{ ...household('hh-1'), version: 1 }, { ...household('hh-2', 3), version: 1 }]);
        expect(await monitor.households([])).toEqual([]);
      });
    });

    describe('TeamInbox', () => {
      const escalated: AlertLife = { timeline: [...raised.timeline, { type: 'reminder', atMs: NOW + 7_200_000, reason: 'overdue-escalated' }], status: 'raised', escalatedAtMs: NOW + 7_200_000 };
      const held: AlertLife = { ...pickedUp, holder: 'sh-207' };
      const ids = (alerts: OpenAlert[]) => alerts.map((a) => a.alertId).sort();

      it("lists a team's open alerts as inbox rows: codes, times and partner ids, nothing of the household", async () => {
        const { alerts, inbox } = await setup();
        await alerts.put(alert({ signals: [{ partnerId: 'mitros', signalId: 'mit-1' }, { partnerId: 'ggd', signalId: 'g-1' }, { partnerId: 'mitros', signalId: 'mit-2' }] }));
        await alerts.put(alert({ alertId: 'al-2', deliveryId: 'al-2', level: 'urgent', score: 410 }));
        await alerts.put(alert({ alertId: 'al-other', deliveryId: 'al-other', team: 'utrecht-wijkteam-west' }));

        const open = await inbox.openAlerts('utrecht-schuldhulp');

        expect(ids(open)).toEqual(['al-1', 'al-2']);
        expect(open.find((a) => a.alertId === 'al-1')).toEqual({
          alertId: 'al-1',
          team: 'utrecht-schuldhulp',
          level: 'signal',
          score: 130,
          reasonCodes: ['arrears-2m'],
          partners: ['mitros', 'ggd'],
          district: 'binnenstad',
          raisedAtMs: NOW,
          respondByMs: NOW + 5 * 86_400_000,
          status: 'raised',
        });
        expect(ids(await inbox.openAlerts('utrecht-wijkteam-west'))).toEqual(['al-other']);
        expect(await inbox.openAlerts('nobody')).toEqual([]);
      });

      it('shows who holds an alert once it is picked up, and when it was escalated', async () => {
        const { alerts, inbox } = await setup();
        await alerts.put(alert());
        await alerts.put(alert({ alertId: 'al-2', deliveryId: 'al-2' }));
        await alerts.recordLife('al-1', held);
        await alerts.recordLife('al-2', escalated);

        const open = await inbox.openAlerts('utrecht-schuldhulp');

        expect(open.find((a) => a.alertId === 'al-1')).toMatchObject({ status: 'picked-up', holder: 'sh-207' });
        expect(open.find((a) => a.alertId === 'al-1')?.escalatedAtMs).toBeUndefined();
        expect(open.find((a) => a.alertId === 'al-2')).toMatchObject({ status: 'raised', escalatedAtMs: NOW + 7_200_000 });
        expect(open.find((a) => a.alertId === 'al-2')?.holder).toBeUndefined();
      });

      it('drops an alert once its life ended, and a resend of the alert does not bring it back', async () => {
        const { alerts, inbox } = await setup();
        await alerts.put(alert());
        await alerts.put(alert({ alertId: 'al-2', deliveryId: 'al-2' }));
        await alerts.recordLife('al-1', held);
        await alerts.recordLife('al-1', { ...closed, holder: 'sh-207' });

        expect(ids(await inbox.openAlerts('utrecht-schuldhulp'))).toEqual(['al-2']);

        // A writer that sends the alert again, its first household write lost.
        await alerts.put(alert({ atMs: NOW + 1000 }));

        expect(ids(await inbox.openAlerts('utrecht-schuldhulp'))).toEqual(['al-2']);
        expect(await alerts.get('al-1')).toEqual(alert({ atMs: NOW + 1000, life: { ...closed, holder: 'sh-207' } }));
      });

      it('keeps an open alert open when it is put again, with what the new record says', async () => {
        const { alerts, inbox } = await setup();
        await alerts.put(alert());
        await alerts.recordLife('al-1', held);
        await alerts.put(alert({ level: 'eviction-threat', score: 320 }));

        expect(await inbox.openAlerts('utrecht-schuldhulp')).toEqual([expect.objectContaining({ alertId: 'al-1', level: 'eviction-threat', score: 320, status: 'picked-up', holder: 'sh-207' })]);
      });
    });

    describe('AccessLog', () => {
      const view = (overrides: Partial<AlertAccessRecord> = {}): AlertAccessRecord => ({
        municipalityCode: 'GM0344',
        team: 'utrecht-schuldhulp',
        memberId: 'sub-207',
        alertId: 'al-1',
        view: 'alert',
        atMs: NOW,
        expiresAtMs: EXPIRES,
        ...overrides,
      });

      it("gives a municipality's views of one Amsterdam month, oldest first", async () => {
        const { accessLog } = await setup();
        await accessLog.record(view({ atMs: NOW + 2000, alertId: 'al-2' }));
        await accessLog.record(view());
        await accessLog.record(view({ municipalityCode: 'GM0363' }));
        // 23:30 UTC on 31 May is 01:30 on 1 June in Amsterdam; 22:30 UTC on 30 June is 00:30 on 1 July.
        await accessLog.record(view({ atMs: Date.parse('2026-05-31T23:30:00Z'), alertId: 'al-early' }));
        await accessLog.record(view({ atMs: Date.parse('2026-06-30T22:30:00Z'), alertId: 'al-july' }));

        expect((await accessLog.month('GM0344', '2026-06')).map((r) => (r.view === 'alert' ? r.alertId : r.view))).toEqual(['al-early', 'al-1', 'al-2']);
        expect(await accessLog.month('GM0344', '2026-06')).toContainEqual(view());
        expect((await accessLog.month('GM0344', '2026-07')).map((r) => (r.view === 'alert' ? r.alertId : r.view))).toEqual(['al-july']);
        expect(await accessLog.month('GM0363', '2026-06')).toEqual([view({ municipalityCode: 'GM0363' })]);
        expect(await accessLog.month('GM0344', '2026-05')).toEqual([]);
      });

      it('keeps every view, also the same member seeing the same alert at the same moment twice', async () => {
        const { accessLog } = await setup();
        await accessLog.record(view());
        await accessLog.record(view());

        expect(await accessLog.month('GM0344', '2026-06')).toEqual([view(), view()]);
      });

      it('keeps a DDAS export beside the views: who, by which channel, which period', async () => {
        const { accessLog } = await setup();
        const pulled: ExportAccessRecord = { municipalityCode: 'GM0344', memberId: 'cbs-ddas', view: 'ddas-export', channel: 'pull', from: '2026-04-01', to: '2026-06-30', atMs: NOW + 1000, expiresAtMs: EXPIRES };
        await accessLog.record(view());
        await accessLog.record(pulled);

        expect(await accessLog.month('GM0344', '2026-06')).toEqual([view(), pulled]);
      });
    });

    describe('CapacityLedger', () => {
      it("gives each team's distinct households places 1, 2, ... per calendar year, and the same household its same place", async () => {
        const { capacity } = await setup();
        const places = [];
        for (const ref of ['hh-a', 'hh-b', 'hh-a', 'hh-c', 'hh-b']) places.push(await capacity.countHousehold('team-1', 2026, ref));

        expect(places).toEqual([1, 2, 1, 3, 2]);
        expect(await capacity.countHousehold('team-2', 2026, 'hh-c')).toBe(1);
        expect(await capacity.countHousehold('team-1', 2027, 'hh-c')).toBe(1);
        expect(await capacity.countHousehold('team-1', 2026, 'hh-d')).toBe(4);
      });
    });

    describe('AuditTrail', () => {
      const entry = (overrides: Partial<AuditRecord> = {}): AuditRecord => ({
        deliveryId: 'al-1#update#1',
        householdRef: 'hh-1',
        alertId: 'al-1',
        team: 'utrecht-schuldhulp',
        kind: 'update',
        level: 'signal',
        reasonCodes: ['domains-3'],
        atMs: NOW,
        expiresAtMs: EXPIRES,
        ...overrides,
      });

      it('keeps the first record per household and delivery: a resend of the same message does not change it', async () => {
        const { audit, observe } = await setup();
        await audit.record(entry());
        await audit.record(entry({ atMs: NOW + 1000, kind: 'reminder' }));

        expect(await observe.auditRecord('hh-1', 'al-1#update#1')).toEqual(entry());
        expect(await observe.auditRecord('hh-1', 'al-1#update#2')).toBeUndefined();
      });

      it("keeps the same delivery id of another household as that household's own record", async () => {
        const { audit, observe } = await setup();
        await audit.record(entry());
        await audit.record(entry({ householdRef: 'hh-2' }));

        expect(await observe.auditRecord('hh-2', 'al-1#update#1')).toEqual(entry({ householdRef: 'hh-2' }));
      });
    });

    describe('ReminderScheduler', () => {
      it('runs one check per household and time at its time, once', async () => {
        const { scheduler, observe } = await setup();
        const at = Date.parse('2026-06-20T08:00:00Z');
        await scheduler.scheduleCheck('hh-1', at);
        await scheduler.scheduleCheck('hh-1', at);
        await scheduler.scheduleCheck('hh-1', at + 60_000);
        await scheduler.scheduleCheck('hh-2', at);

        expect(await observe.fireDueChecks(at - 1000)).toEqual([]);
        const fired = await observe.fireDueChecks(at);
        expect(fired.sort((x, y) => x.householdRef.localeCompare(y.householdRef))).toEqual(
          ['hh-1', 'hh-2'].map((householdRef) => ({ schemaVersion: 1, householdRef, version: 0, at: '2026-06-20T08:00:00Z' })),
        );
        expect(await observe.fireDueChecks(at + 60_000)).toEqual([{ schemaVersion: 1, householdRef: 'hh-1', version: 0, at: '2026-06-20T08:01:00Z' }]);
        expect(await observe.fireDueChecks(at + 120_000)).toEqual([]);
      });

      it('schedules at whole seconds: a check within a second is due from its second', async () => {
        const { scheduler, observe } = await setup();
        const at = Date.parse('2026-06-20T08:00:00Z');
        await scheduler.scheduleCheck('hh-1', at + 500);

        expect(await observe.fireDueChecks(at)).toEqual([{ schemaVersion: 1, householdRef: 'hh-1', version: 0, at: '2026-06-20T08:00:00Z' }]);
      });
    });

    describe('TeamMessenger', () => {
      it("delivers a message once per deduplication id on each team's queue, in order", async () => {
        const { messenger, observe, teams } = await setup();
        const [a, b] = teams;
        await messenger.send(a, message('al-1'), 'al-1', 'hh-1');
        await messenger.send(a, message('al-1'), 'al-1', 'hh-1');
        await messenger.send(a, message('al-1', 'update'), 'al-1#update#1', 'hh-1');
        await messenger.send(b, message('al-1'), 'al-1', 'hh-1');

        expect(await observe.teamMessages(a)).toEqual([
          { message: message('al-1'), deduplicationId: 'al-1', groupId: 'hh-1' },
          { message: message('al-1', 'update'), deduplicationId: 'al-1#update#1', groupId: 'hh-1' },
        ]);
        expect(await observe.teamMessages(b)).toEqual([{ message: message('al-1'), deduplicationId: 'al-1', groupId: 'hh-1' }]);
      });

      // Not held to one answer: a resend more than five minutes later. SQS forgets a
      // deduplication id after five minutes; the in-memory engine keeps it for good.

      it('fails a send to a team that has no queue', async () => {
        const { messenger } = await setup();
        await expect(messenger.send('no-such-team', message('al-1'), 'al-1', 'hh-1')).rejects.toThrow();
      });
    });

    describe('EventPublisher', () => {
      it('publishes every event, in order, however many', async () => {
        const { publisher, observe } = await setup();
        const events: PipelineEvent[] = Array.from({ length: 12 }, (_, i) => ({
          type: 'SignalOutcome',
          detail: { partnerId: 'mitros', signalId: `mit-${i}`, outcome: 'accepted', reason: null, eventId: `evt-${i}` } as unknown as PipelineEvent['detail'],
        })) as PipelineEvent[];
        events.push({ type: 'DeliveryDue', detail: { schemaVersion: 1, householdRef: 'hh-1', version: 3, at: '2026-06-15T12:00:00+02:00' } });

        await publisher.publish(events);
        await publisher.publish([]);

        expect(await observe.published()).toEqual(events);
      });
    });
    describe('MemberDirectory', () => {
      it('keeps a member by id as put, and a put again replaces it', async () => {
        const { members } = await setup();
        expect(await members.get('sub-207')).toBeUndefined();

        await members.put(member());
        expect(await members.get('sub-207')).toEqual(member());

        const changed = member({ locale: 'en', teams: [], kinds: {}, digestTime: undefined, optedIn: false, updatedAtMs: NOW + 1000 });
        await members.put(changed);
        expect(await members.get('sub-207')).toEqual(changed);
        expect(await members.get('sub-207')).not.toHaveProperty('digestTime');
      });

      it("lists every member and every team's defaults; a team's defaults are read and replaced by team", async () => {
        const { members } = await setup();
        await members.put(member());
        await members.put(member({ memberId: 'sub-1', coordinatorOf: ['GM0344'] }));
        await members.putDefaults(teamDefaults());
        await members.putDefaults(teamDefaults({ team: 'utrecht-wijkteam-west', digestTime: '07:45' }));
        await members.putDefaults(teamDefaults({ digestTime: '10:15' }));

        const { members: all, defaults } = await members.all();

        expect(all).toEqual([member({ memberId: 'sub-1', coordinatorOf: ['GM0344'] }), member()]);
        expect(defaults).toEqual([teamDefaults({ digestTime: '10:15' }), teamDefaults({ team: 'utrecht-wijkteam-west', digestTime: '07:45' })]);
        expect(await members.defaultsOf('utrecht-schuldhulp')).toEqual(teamDefaults({ digestTime: '10:15' }));
        expect(await members.defaultsOf('nobody')).toBeUndefined();
      });

      it('switches mail off once: false for a member unknown or already off, true again once they put it on', async () => {
        const { members } = await setup();
        await members.put(member());

        expect(await members.switchOff('sub-207', 'bounced', NOW + 1000)).toBe(true);
        expect(await members.get('sub-207')).toEqual(member({ mail: 'bounced', mailOffAtMs: NOW + 1000 }));
        expect(await members.switchOff('sub-207', 'complained', NOW + 2000)).toBe(false);
        expect(await members.get('sub-207')).toEqual(member({ mail: 'bounced', mailOffAtMs: NOW + 1000 }));

        expect(await members.switchOff('nobody', 'bounced', NOW)).toBe(false);
        expect(await members.get('nobody')).toBeUndefined();
        expect((await members.all()).members.map((m) => m.memberId)).toEqual(['sub-207']);

        await members.put(member({ updatedAtMs: NOW + 3000 }));
        expect(await members.switchOff('sub-207', 'complained', NOW + 4000)).toBe(true);
        expect((await members.get('sub-207'))?.mail).toBe('complained');
      });
    });

    describe('NoticeLog', () => {
      it("keeps a notice once per key, and gives a member's newest first, up to the limit", async () => {
        const { noticeLog } = await setup();
        const first = notice();
        const newest = notice({ key: 'notice#al-2#sub-207', alertId: 'al-2', atMs: NOW + 2000 });
        const between = notice({ key: 'digest#sub-207#2026-06-15', kind: 'digest', alertId: undefined, level: undefined, atMs: NOW + 1000 });
        await noticeLog.record(first);
        await noticeLog.record(newest);
        await noticeLog.record(between);
        // The same key again (a redelivered event): the first record stands.
        await noticeLog.record(notice({ atMs: NOW + 5000, kind: 'assigned' }));
        await noticeLog.record(notice({ memberId: 'sub-1', key: 'notice#al-1#sub-1' }));

        const { alertId: _alertId, level: _level, ...digest } = between;
        expect(await noticeLog.recent('sub-207', 10)).toEqual([newest, digest, first]);
        expect(await noticeLog.recent('sub-207', 2)).toEqual([newest, digest]);
        expect(await noticeLog.recent('sub-1', 10)).toEqual([notice({ memberId: 'sub-1', key: 'notice#al-1#sub-1' })]);
        expect(await noticeLog.recent('nobody', 10)).toEqual([]);
      });
    });

    describe('OnceGate', () => {
      it('runs a key once: a completed key is skipped, another key runs', async () => {
        const { once } = await setup();
        const runs: string[] = [];

        expect(await once.once('notice#al-1#sub-207', async () => void runs.push('first'))).toBe(true);
        expect(await once.once('notice#al-1#sub-207', async () => void runs.push('again'))).toBe(false);
        expect(await once.once('notice#al-1#sub-1', async () => void runs.push('other'))).toBe(true);

        expect(runs).toEqual(['first', 'other']);
      });

      it('runs a key again after a run that threw, and passes on what it threw', async () => {
        const { once } = await setup();
        const failure = new Error('smtp away');

        await expect(once.once('digest#sub-207#2026-06-15', async () => Promise.reject(failure))).rejects.toBe(failure);

        const runs: string[] = [];
        expect(await once.once('digest#sub-207#2026-06-15', async () => void runs.push('again'))).toBe(true);
        expect(runs).toEqual(['again']);
      });

      it('runs one of two concurrent runs of a key; the other is refused, to be tried again later, and then skips', async () => {
        const { once } = await setup();
        let runs = 0;
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        const run = async () => {
          runs++;
          await held;
        };

        const both = [once.once('notice#al-1#sub-207', run), once.once('notice#al-1#sub-207', run)];
        // The one that lost settles while the other still holds the key; then the holder may finish.
        await Promise.race(both).then(release, release);
        const outcomes = await Promise.allSettled(both);

        expect(runs).toBe(1);
        expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
        expect(outcomes.find((o) => o.status === 'fulfilled')).toEqual({ status: 'fulfilled', value: true });
        expect(await once.once('notice#al-1#sub-207', run)).toBe(false);
        expect(runs).toBe(1);
      });
    });
  });
}
