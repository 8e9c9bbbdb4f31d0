/**
 * E-mail notices through the use cases on in-memory ports (engine-memory's member directory,
 * notice log and once gate) and a recording mailer: a household's entries go in at the front
 * (ingest, deliver, team reports), each team message's trigger goes to notifyMembers as the
 * noticing messenger would publish it, the digest runs at its quarter hour, and a refused
 * address comes back as the feedback path. Checked: exactly the mails the settings call for,
 * once per event and member however often it arrives, none about an ended alert, a refused
 * address switched off and its coordinator told once, and (a property over generated
 * households) no name, address, phone, e-mail, signal id, reason or household reference in any
 * mail of any kind.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amsterdamWallTimeMs, formatAmsterdamIso } from '@vroegsignaal/calendar';
import { alertAssignedSchema, teamMessageSentSchema, type AlertAssigned, type TeamMessageSent } from '@vroegsignaal/events';
import {
  handleMailFeedback,
  handleTeamReport,
  deliverOwed,
  ingestEntry,
  noticeTriggerOf,
  normaliseAddress,
  notifyMembers,
  sendDigests,
  type BusEntry,
  type Mailer,
  type MailResult,
  type MemberRecord,
  type NotifyDeps,
  type NotifyResult,
  type OutgoingMail,
} from '@vroegsignaal/domain';
import { MemoryMemberDirectory, MemoryNoticeLog, MemoryOnceGate, MemoryTeamInbox } from '@vroegsignaal/engine-memory';
import { CODES, DAY, defaultPolicy, detail, DETAIL_TYPE, NOW, SECRET } from './fixtures.ts';
import { inMemoryPorts } from './in-memory-ports.ts';
import { optedInMember } from '../../support/members.ts';

const policy = defaultPolicy();
const ORIGIN = 'http://localhost:8080';
const VANGNET = 'maastricht-vangnet-oggz';
const PROCES = 'maastricht-procesmanagement';
// The summons raises an eviction-threat alert to the vangnet on Monday 15 June 2026 10:00: its
// 2 weeks run out on 29 June, and 3 times that, on 27 July, the process managers are told.
const RESPOND_BY = amsterdamWallTimeMs('2026-06-29', '10:00');
const ESCALATE_AT = amsterdamWallTimeMs('2026-07-27', '10:00');
const NEXT_MORNING = amsterdamWallTimeMs('2026-06-16', '08:30');

/** A mailer that keeps what it sends, refuses the addresses it is told to for good, and fails for a while when told to. */
class RecordingMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  readonly refusedMails: OutgoingMail[] = [];
  readonly refused = new Set<string>();
  failNext = 0;

  async send(mail: OutgoingMail): Promise<MailResult> {
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error('421 try again later'), { name: 'TemporaryFailure' });
    }
    if (this.refused.has(mail.to)) {
      this.refusedMails.push(mail);
      return { status: 'rejected', reason: '550 mailbox unavailable' };
    }
    this.sent.push(mail);
    return { status: 'sent', messageId: `msg-${this.sent.length}` };
  }
}

const member = (memberId: string, team: string, overrides: Partial<MemberRecord> = {}): MemberRecord =>
  optedInMember(memberId, { email: `${memberId}@maastricht.example`, teams: [team], updatedAtMs: NOW - DAY, ...overrides });

const MEMBERS = [
  member('m-vangnet-1', VANGNET),
  member('m-vangnet-2', VANGNET, { locale: 'en' }),
  member('m-vangnet-3', VANGNET, { optedIn: false }),
  member('m-proces-1', PROCES, { coordinatorOf: [CODES.maastricht] }),
];

interface Household {
  postcode: string;
  houseNumber: number;
  contact: { name: string; phone: string; email: string };
  signalId: string;
}

const HOUSEHOLD: Household = { postcode: '6211 ab', houseNumber: 3, contact: { name: 'Mila Smeets', phone: '043-3215678', email: 'm.smeets@example.org' }, signalId: 'wp-2026-0042' };

async function world(household: Household = HOUSEHOLD) {
  const ports = inMemoryPorts();
  const members = new MemoryMemberDirectory();
  for (const m of MEMBERS) await members.put(m);
  const noticeLog = new MemoryNoticeLog();
  const mailer = new RecordingMailer();
  const shared = { policy, members, alerts: ports.alerts, inbox: new MemoryTeamInbox(ports.alerts), noticeLog, once: new MemoryOnceGate(), mailer, workspaceOrigin: ORIGIN };
  const deps = (nowMs: number): NotifyDeps => ({ ...shared, nowMs });
  const ingested = await ingestEntry(
    {
      id: 'evt-summons',
      source: 'partner.woonpunt',
      'detail-type': DETAIL_TYPE.proceeding,
      detail: detail('proceeding', { signalId: household.signalId, municipalityCode: CODES.maastricht, address: { postcode: household.postcode, houseNumber: household.houseNumber }, contact: household.contact }),
    },
    { policy, ...ports, householdSecret: SECRET, nowMs: NOW },
  );
  const ref = ingested.householdRef!;
  const alertId = ingested.sent[0]!.alertId;

  let told = 0;
  /** What the noticing messenger publishes after each send: the triggers of the team messages not looked at yet. */
  const triggers = (nowMs: number): TeamMessageSent[] => {
    const fresh = ports.messenger.delivered.slice(told);
    told = ports.messenger.delivered.length;
    return fresh.flatMap((d) => noticeTriggerOf(d.team, d.message, d.deduplicationId, nowMs) ?? []);
  };
  const notify = async (nowMs: number): Promise<NotifyResult[]> => {
    const results: NotifyResult[] = [];
    for (const detail of triggers(nowMs)) results.push(await notifyMembers({ type: 'TeamMessageSent', detail }, deps(nowMs)));
    return results;
  };
  const report = (id: string, detailType: string, body: Record<string, unknown>, nowMs: number) =>
    handleTeamReport({ id, source: `team.${VANGNET}`, 'detail-type': detailType, detail: { schemaVersion: 1, alertId, ...body } } as BusEntry & { id: string }, { policy, households: ports.households, alerts: ports.alerts, nowMs });
  const assignedOf = (events: Awaited<ReturnType<typeof report>>['events']): AlertAssigned[] => events.flatMap((e) => (e.type === 'AlertAssigned' ? [e.detail] : []));

  return {
    ports,
    members,
    noticeLog,
    mailer,
    deps,
    ref,
    alertId,
    triggers,
    notify,
    report,
    assignedOf,
    deliver: (nowMs: number) => deliverOwed(ref, { policy, ...ports, nowMs }),
    mails: () => mailer.sent.map((m) => [m.kind, m.memberId]),
  };
}

/** The story: the alert, the next morning's digest, overdue (one address refused), the escalation, then a pick-up that assigns it. */
async function story(household: Household = HOUSEHOLD) {
  const w = await world(household);
  await w.notify(NOW);
  await sendDigests(w.deps(NEXT_MORNING));
  w.mailer.refused.add('m-vangnet-1@maastricht.example');
  await w.deliver(RESPOND_BY);
  await w.notify(RESPOND_BY);
  await w.deliver(ESCALATE_AT);
  await w.notify(ESCALATE_AT);
  const pickedUp = await w.report('evt-pickup', 'AlertPickedUp', { at: formatAmsterdamIso(new Date(ESCALATE_AT + 3_600_000)), by: 'm-vangnet-2' }, ESCALATE_AT + 2 * 3_600_000);
  for (const detail of w.assignedOf(pickedUp.events)) await notifyMembers({ type: 'AlertAssigned', detail }, w.deps(ESCALATE_AT + 2 * 3_600_000));
  return w;
}

describe('notifyMembers, sendDigests and handleMailFeedback', () => {
  it('sends exactly the mails the settings call for through a story: the alert, the digest, overdue, the escalation, the assignment', async () => {
    const w = await story();

    expect(w.mails()).toEqual([
      ['urgent-alert', 'm-vangnet-1'],
      ['urgent-alert', 'm-vangnet-2'],
      ['digest', 'm-vangnet-1'],
      ['digest', 'm-vangnet-2'],
      // Overdue to the team while nobody holds it: m-vangnet-1's address is refused, switched off, and the coordinator told.
      ['mail-off', 'm-proces-1'],
      ['overdue', 'm-vangnet-2'],
      ['escalation', 'm-proces-1'],
      ['assigned', 'm-vangnet-2'],
    ]);
    expect(w.mailer.refusedMails.map((m) => [m.kind, m.memberId])).toEqual([['overdue', 'm-vangnet-1']]);
    expect(await w.members.get('m-vangnet-1')).toMatchObject({ mail: 'bounced', mailOffAtMs: RESPOND_BY });
    expect(w.mailer.sent.every((m) => m.to === `${m.memberId}@maastricht.example` && m.unsubscribeUrl === `${ORIGIN}/instellingen`)).toBe(true);
    const escalation = w.mailer.sent.find((m) => m.kind === 'escalation')!;
    expect(escalation.subject).toBe('Vroegsignaal: melding van Vangnet OGGZ (GGD) over de termijn (regie)');
    expect(escalation.text).toContain(`${ORIGIN}/meldingen/${w.alertId}`);
    expect(w.mailer.sent.find((m) => m.kind === 'assigned')!.subject).toBe('Vroegsignaal: alert assigned to you (Vangnet OGGZ (GGD))');
  });

  it('logs each notice sent for 90 days under its key, and not a refused one nor the service mail', async () => {
    const w = await story();

    expect(await w.noticeLog.recent('m-vangnet-2', 10)).toEqual([
      { memberId: 'm-vangnet-2', key: 'notice#evt-pickup#m-vangnet-2', kind: 'assigned', team: VANGNET, alertId: w.alertId, level: 'eviction-threat', atMs: ESCALATE_AT + 2 * 3_600_000, expiresAtMs: ESCALATE_AT + 2 * 3_600_000 + 90 * DAY },
      { memberId: 'm-vangnet-2', key: `notice#${w.alertId}-overdue#m-vangnet-2`, kind: 'overdue', team: VANGNET, alertId: w.alertId, level: 'eviction-threat', atMs: RESPOND_BY, expiresAtMs: RESPOND_BY + 90 * DAY },
      { memberId: 'm-vangnet-2', key: 'digest#m-vangnet-2#2026-06-16#08:30', kind: 'digest', team: VANGNET, atMs: NEXT_MORNING, expiresAtMs: NEXT_MORNING + 90 * DAY },
      { memberId: 'm-vangnet-2', key: `notice#${w.alertId}#m-vangnet-2`, kind: 'urgent-alert', team: VANGNET, alertId: w.alertId, level: 'eviction-threat', atMs: NOW, expiresAtMs: NOW + 90 * DAY },
    ]);
    expect((await w.noticeLog.recent('m-vangnet-1', 10)).map((n) => n.kind)).toEqual(['digest', 'urgent-alert']);
    expect((await w.noticeLog.recent('m-proces-1', 10)).map((n) => n.kind)).toEqual(['escalation']);
  });

  it('sends one mail per member however often the same event arrives, also the same pick-up delivered again', async () => {
    const w = await world();
    const [trigger] = w.triggers(NOW);

    const first = await notifyMembers({ type: 'TeamMessageSent', detail: trigger! }, w.deps(NOW));
    const again = await notifyMembers({ type: 'TeamMessageSent', detail: trigger! }, w.deps(NOW + 60_000));
    const pickup = { at: formatAmsterdamIso(new Date(NOW + 3_600_000)), by: 'm-vangnet-1' };
    const reported = await w.report('evt-pickup', 'AlertPickedUp', pickup, NOW + 2 * 3_600_000);
    const redelivered = await w.report('evt-pickup', 'AlertPickedUp', pickup, NOW + 3 * 3_600_000);
    for (const detail of [...w.assignedOf(reported.events), ...w.assignedOf(redelivered.events)]) await notifyMembers({ type: 'AlertAssigned', detail }, w.deps(NOW + 3 * 3_600_000));

    expect(first).toEqual({ sent: { 'urgent-alert': 2 }, alreadySent: 0, switchedOff: 0, coordinatorsTold: 0 });
    expect(again).toEqual({ sent: {}, alreadySent: 2, switchedOff: 0, coordinatorsTold: 0 });
    expect(w.assignedOf(redelivered.events)).toEqual(w.assignedOf(reported.events));
    expect(w.mails()).toEqual([
      ['urgent-alert', 'm-vangnet-1'],
      ['urgent-alert', 'm-vangnet-2'],
      ['assigned', 'm-vangnet-1'],
    ]);
  });

  it('leaves a notice that failed for a while to its retry, without mailing twice whoever got it before', async () => {
    const w = await world();
    const [trigger] = w.triggers(NOW);
    w.mailer.failNext = 1;
    const event = { type: 'TeamMessageSent' as const, detail: trigger! };

    await expect(notifyMembers(event, w.deps(NOW))).rejects.toThrow('421');
    const retried = await notifyMembers(event, w.deps(NOW + 60_000));
    w.mailer.failNext = 0;

    expect(retried).toMatchObject({ sent: { 'urgent-alert': 2 }, alreadySent: 0 });
    expect(w.mails()).toEqual([
      ['urgent-alert', 'm-vangnet-1'],
      ['urgent-alert', 'm-vangnet-2'],
    ]);
  });

  it('mails nothing about an alert that ended before its notice went out', async () => {
    const w = await world();
    const [trigger] = w.triggers(NOW);
    await w.report('evt-not-taken', 'AlertNotTaken', { at: formatAmsterdamIso(new Date(NOW + 60_000)), reason: 'unjustified' }, NOW + 120_000);

    expect(await notifyMembers({ type: 'TeamMessageSent', detail: trigger! }, w.deps(NOW + 180_000))).toEqual({ sent: {}, alreadySent: 0, switchedOff: 0, coordinatorsTold: 0 });
    expect(await notifyMembers({ type: 'TeamMessageSent', detail: { ...trigger!, alertId: 'al_unknown' } }, w.deps(NOW + 180_000))).toMatchObject({ sent: {} });
    expect(w.mailer.sent).toEqual([]);
  });

  it('switches a bouncing or complaining address off and tells the coordinators once, without the address', async () => {
    const w = await world();

    const first = await handleMailFeedback('m-vangnet-2', 'complained', w.deps(NOW));
    const again = await handleMailFeedback('m-vangnet-2', 'bounced', w.deps(NOW + DAY));
    const unknown = await handleMailFeedback('m-nobody', 'bounced', w.deps(NOW));

    expect(first).toEqual({ sent: {}, alreadySent: 0, switchedOff: 1, coordinatorsTold: 1 });
    expect(again).toEqual({ sent: {}, alreadySent: 1, switchedOff: 0, coordinatorsTold: 0 });
    expect(unknown).toEqual({ sent: {}, alreadySent: 0, switchedOff: 0, coordinatorsTold: 0 });
    expect(await w.members.get('m-vangnet-2')).toMatchObject({ mail: 'complained', mailOffAtMs: NOW });
    const [told] = w.mailer.sent;
    expect(w.mailer.sent).toHaveLength(1);
    expect(told).toMatchObject({ kind: 'mail-off', memberId: 'm-proces-1', to: 'm-proces-1@maastricht.example' });
    expect(told!.text).toContain('Een lid van Vangnet OGGZ (GGD) heeft e-mail van Vroegsignaal als ongewenst gemeld.');
    expect(told!.text).toContain(`${ORIGIN}/instellingen/team/${VANGNET}`);
    expect(`${told!.subject}${told!.text}${told!.html}`).not.toContain('m-vangnet-2');
  });

  it('finishes telling the coordinators when the feedback is told again after a send that failed', async () => {
    const w = await world();
    w.mailer.failNext = 1;

    await expect(handleMailFeedback('m-vangnet-1', 'bounced', w.deps(NOW))).rejects.toThrow('421');
    const retried = await handleMailFeedback('m-vangnet-1', 'bounced', w.deps(NOW + 60_000));

    expect(retried).toMatchObject({ switchedOff: 0, coordinatorsTold: 1 });
    expect(w.mails()).toEqual([['mail-off', 'm-proces-1']]);
  });

  it('sends the digest once in its quarter hour, not in the next, and on a Saturday only while the eviction threat waits unpicked', async () => {
    const w = await world();
    const saturday = amsterdamWallTimeMs('2026-06-20', '08:30');

    const due = await sendDigests(w.deps(NEXT_MORNING));
    const sameSlot = await sendDigests(w.deps(NEXT_MORNING + 10 * 60_000));
    const nextSlot = await sendDigests(w.deps(NEXT_MORNING + 15 * 60_000));
    await sendDigests(w.deps(saturday));
    await w.report('evt-pickup', 'AlertPickedUp', { at: formatAmsterdamIso(new Date(saturday + 3_600_000)), by: 'm-vangnet-1' }, saturday + 3_600_000);
    const sunday = await sendDigests(w.deps(saturday + DAY));

    expect(due).toMatchObject({ sent: { digest: 2 }, alreadySent: 0 });
    expect(sameSlot).toMatchObject({ sent: {}, alreadySent: 2 });
    expect(nextSlot).toMatchObject({ sent: {}, alreadySent: 0 });
    expect(sunday).toMatchObject({ sent: {}, alreadySent: 0 });
    expect(w.mails()).toEqual([
      ['digest', 'm-vangnet-1'],
      ['digest', 'm-vangnet-2'],
      ['digest', 'm-vangnet-1'],
      ['digest', 'm-vangnet-2'],
    ]);
    const [tuesday, , onSaturday] = w.mailer.sent;
    expect(tuesday!.text).toContain('Nieuw sinds het vorige overzicht: 1\nOpen: 1\nOver de termijn: 0\nLangst wachtend, nog niet opgepakt: 22 uur');
    expect(onSaturday!.text).toContain('Vandaag is geen werkdag.');
  });

  it("sends the digest at a member's own time, and none to a member who chose it off", async () => {
    const w = await world();
    await w.members.put(member('m-vangnet-1', VANGNET, { digestTime: '07:15' }));
    await w.members.put(member('m-vangnet-2', VANGNET, { kinds: { digest: false } }));

    await sendDigests(w.deps(NEXT_MORNING));
    await sendDigests(w.deps(amsterdamWallTimeMs('2026-06-16', '07:15')));

    expect(w.mails()).toEqual([['digest', 'm-vangnet-1']]);
    expect(w.mailer.sent[0]!.subject).toBe('Vroegsignaal: overzicht van uw meldingen, di 16 jun 2026');
  });
});

describe('the events notify reads: AlertAssigned from team reports, TeamMessageSent from team messages', () => {
  const at = (hours: number) => formatAmsterdamIso(new Date(NOW + hours * 3_600_000));

  it('says a pick-up assigned the alert when it names a member who did not hold it: the first, and a re-assignment', async () => {
    const w = await world();

    const first = await w.report('evt-1', 'AlertPickedUp', { at: at(1), by: 'm-vangnet-1' }, NOW + 5 * 3_600_000);
    const same = await w.report('evt-2', 'AlertPickedUp', { at: at(2), by: 'm-vangnet-1' }, NOW + 5 * 3_600_000);
    const other = await w.report('evt-3', 'AlertPickedUp', { at: at(3), by: 'm-vangnet-2' }, NOW + 5 * 3_600_000);
    const nobody = await w.report('evt-4', 'AlertPickedUp', { at: at(4) }, NOW + 5 * 3_600_000);

    expect(w.assignedOf(first.events)).toEqual([{ schemaVersion: 1, team: VANGNET, alertId: w.alertId, memberId: 'm-vangnet-1', eventId: 'evt-1', at: at(1) }]);
    expect(w.assignedOf(same.events)).toEqual([]);
    expect(w.assignedOf(other.events)).toEqual([{ schemaVersion: 1, team: VANGNET, alertId: w.alertId, memberId: 'm-vangnet-2', eventId: 'evt-3', at: at(3) }]);
    expect(w.assignedOf(nobody.events)).toEqual([]);
    // As notify's handler reads it from its buffer.
    expect(alertAssignedSchema.safeParse(w.assignedOf(first.events)[0]).success).toBe(true);
  });

  it('gives notify events its handler can read: the triggers of the alert, the overdue reminder and the escalation', async () => {
    const w = await world();
    await w.deliver(RESPOND_BY);
    await w.deliver(ESCALATE_AT);

    const triggers = w.triggers(ESCALATE_AT);

    expect(triggers.map((t) => [t.kind, t.reason, t.team, t.deliveryId])).toEqual([
      ['alert', undefined, VANGNET, w.alertId],
      ['reminder', 'overdue', VANGNET, `${w.alertId}-overdue`],
      ['reminder', 'overdue-escalated', PROCES, `${w.alertId}-escalated`],
    ]);
    for (const trigger of triggers) expect(teamMessageSentSchema.parse(trigger)).toEqual(trigger);
  });

  it('says nothing of a late pick-up dated before the holder it would not replace', async () => {
    const w = await world();

    await w.report('evt-1', 'AlertPickedUp', { at: at(3), by: 'm-vangnet-2' }, NOW + 5 * 3_600_000);
    const late = await w.report('evt-2', 'AlertPickedUp', { at: at(1), by: 'm-vangnet-1' }, NOW + 5 * 3_600_000);

    expect(late.outcome).toBe('accepted');
    expect(w.assignedOf(late.events)).toEqual([]);
  });
});

describe('what no mail ever holds', () => {
  const letters = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: min, maxLength: max });
  const capitalised = letters(4, 12).map((s) => s[0]!.toUpperCase() + s.slice(1));
  const household: fc.Arbitrary<Household> = fc.record({
    postcode: fc.tuple(fc.integer({ min: 6211, max: 6229 }), fc.constantFrom('AB', 'CD', 'EK', 'XR', 'TZ'), fc.constantFrom('', ' ')).map(([area, letters, space]) => `${area}${space}${letters}`),
    houseNumber: fc.integer({ min: 1, max: 9999 }),
    contact: fc.record({
      name: fc.tuple(capitalised, capitalised).map(([first, last]) => `${first} ${last}`),
      phone: fc.stringMatching(/^06-?[1-9]\d{7}$/),
      email: fc.tuple(letters(4, 10), letters(4, 10)).map(([local, domain]) => `${local}@${domain}.nl`),
    }),
    signalId: fc.tuple(letters(3, 6), fc.integer({ min: 1000, max: 999_999 })).map(([prefix, n]) => `${prefix}-${n}`),
  });

  it('for any household: no name, address, phone, e-mail, signal id, partner, reason or household reference, in any kind of mail', async () => {
    await fc.assert(
      fc.asyncProperty(household, async (h) => {
        const w = await story(h);
        const mails = [...w.mailer.sent, ...w.mailer.refusedMails];
        const reasons = w.ports.messenger.delivered.flatMap((d) => d.message.reasons.flatMap((r) => [r.code, r.text]));
        const normalised = normaliseAddress({ postcode: h.postcode, houseNumber: h.houseNumber });
        const personal = [w.ref, h.contact.name, h.contact.phone, h.contact.email, h.signalId, 'woonpunt', h.postcode, normalised.postcode, `${normalised.postcode.slice(0, 4)} ${normalised.postcode.slice(4)}`, ...reasons];

        expect(new Set(mails.map((m) => m.kind))).toEqual(new Set(['urgent-alert', 'digest', 'overdue', 'escalation', 'assigned', 'mail-off']));
        for (const mail of mails) {
          const shown = [mail.subject, mail.text, mail.html, mail.unsubscribeUrl].join('\n');
          for (const value of personal) expect(shown).not.toContain(value);
          // The one address in a mail is its recipient's own, in `to`: never another member's.
          for (const other of MEMBERS) expect(shown).not.toContain(other.email);
        }
      }),
      { numRuns: 15 },
    );
  });
});
