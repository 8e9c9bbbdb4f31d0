/**
 * E-mail notices, a replayed story on the stand-ins (dynalite, fauxqs, the local bus) with the
 * real SMTP stand-in: members with different settings, a new urgent alert, its assignment by a
 * team system's pick-up, a digest on a working day and none on a Sunday, an overdue alert and
 * its escalation. The mail server receives exactly the mails the settings call for; none holds
 * anything of a household; a refused address is switched off and the coordinator told once; a
 * TeamMessageSent delivered twice is one mail.
 */
import '../scenarios/quiet-logs.ts';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, DynamoMemberDirectory } from '@vroegsignaal/adapters';
import type { MemberRecord } from '@vroegsignaal/domain';
import { PIPELINE_DETAIL_TYPES, type EventEnvelope } from '@vroegsignaal/events';
import { LOCAL_TABLE_NAME, type ReceivedMail } from '@vroegsignaal/stand-ins';
import { arrears, dateFromNow, daysAgo, home, NOW, pickedUp, proceeding } from '../scenarios/entries.ts';
import { personalValues } from '../functions/support.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';
import { optedInMember } from '../support/members.ts';

const UTRECHT_TEAM = 'utrecht-voorkom-huisuitzetting';
const DEBT_TEAM = 'maastricht-schuldhulp';
const COORDINATING_TEAM = 'maastricht-procesmanagement';
const UTRECHT_HOME = home('GM0344', '3584 CS', 15);
const MAASTRICHT_HOME = home('GM0935', '6222 NT', 31);
const RESIDENT = { name: 'Fenna de Wit-Jansen', phone: '06-41237789', email: 'fenna.dewit@example.net' };
const OTHER_RESIDENT = { name: 'Jorien Maasland', phone: '043-3219876', email: 'j.maasland@example.org' };
const SIGNAL_IDS = ['ssh-summons-story-7431', 'woonpunt-arrears-story-5512'];

const member = (memberId: string, fields: Partial<MemberRecord>): MemberRecord =>
  optedInMember(memberId, { email: `${memberId}@vroegsignaal.local`, updatedAtMs: Date.parse(NOW), ...fields });

/** Every setting that changes what a member gets, once. */
const MEMBERS = [
  // Everything as shipped, her own digest time.
  member('vh-anna', { teams: [UTRECHT_TEAM], digestTime: '07:45' }),
  // No urgent alerts and no digest, in English.
  member('vh-bram', { teams: [UTRECHT_TEAM], locale: 'en', kinds: { 'urgent-alert': false, digest: false } }),
  // Never opted in.
  member('vh-cor', { teams: [UTRECHT_TEAM], optedIn: false }),
  // Mail switched off by an earlier bounce.
  member('vh-daan', { teams: [UTRECHT_TEAM], mail: 'bounced', mailOffAtMs: Date.parse(NOW) - 86_400_000 }),
  // An address the receiving server refuses.
  member('vh-els', { teams: [UTRECHT_TEAM], kinds: { digest: false } }),
  // Utrecht's coordinator: service mail only (not opted in).
  member('coordinator.GM0344', { coordinatorOf: ['GM0344'], optedIn: false }),
  member('msh-eva', { teams: [DEBT_TEAM], kinds: { digest: false } }),
  member('msh-frits', { teams: [DEBT_TEAM], kinds: { overdue: false, digest: false } }),
  member('mpm-gea', { teams: [COORDINATING_TEAM], kinds: { digest: false } }),
  member('mpm-hans', { teams: [COORDINATING_TEAM], kinds: { escalation: false, digest: false } }),
];
const REFUSED = 'vh-els@vroegsignaal.local';

/** What a mail is, by its subject (Dutch or English). */
function kindOf(mail: ReceivedMail): string {
  const rules: [RegExp, string][] = [
    [/nieuwe (urgente )?melding|new (urgent|eviction threat) alert/, 'urgent-alert'],
    [/toegewezen|assigned to you/, 'assigned'],
    [/termijn \(regie\)|deadline \(coordination\)/, 'escalation'],
    [/termijn|deadline/, 'overdue'],
    [/overzicht|overview/, 'digest'],
    [/komt niet aan|does not arrive/, 'mail-off'],
  ];
  return rules.find(([pattern]) => pattern.test(mail.subject))?.[1] ?? `unknown: ${mail.subject}`;
}

/** The member a mail reached: the one whose address it went to (the server keeps mailboxes in lower case). */
function recipientOf(mail: ReceivedMail): string {
  const to = MEMBERS.filter((m) => m.email.toLowerCase() === mail.to);
  expect(to, mail.to).toHaveLength(1);
  expect(mail.headers['x-vroegsignaal-member']).toBe(to[0]!.memberId);
  return to[0]!.memberId;
}

let test: TestPipeline;
let directory: DynamoMemberDirectory;
const published: EventEnvelope[] = [];
let seen = 0;

/** The mails received since the last call, as (recipient, kind), sorted. */
function newMails(): string[] {
  const all = test.pipeline.mail.all();
  const fresh = all.slice(seen);
  seen = all.length;
  return fresh.map((mail) => `${recipientOf(mail)} ${kindOf(mail)}`).sort();
}

beforeAll(async () => {
  test = await startTestPipeline({ now: NOW });
  directory = new DynamoMemberDirectory(documentClient(test.pipeline.standIns.clients.dynamodb), LOCAL_TABLE_NAME);
  for (const record of MEMBERS) await directory.put(record);
  test.pipeline.mail.refuse(REFUSED);
  test.pipeline.onPipelineEvent((event) => published.push(event));
}, 30_000);

afterAll(async () => {
  await test?.stop();
});

describe('e-mail notices to team members, a story', () => {
  let urgentAlertId: string;

  it('mails a new urgent alert to the team members who want it, switches a refused address off and tells the coordinator', async () => {
    const { messages } = await test.send(
      proceeding('ssh', { ...UTRECHT_HOME, signalId: SIGNAL_IDS[0], stage: 'summons', stageDate: dateFromNow(-1), observedAt: daysAgo(1), minors: 2, contact: RESIDENT }),
      // A signal for Maastricht's debt help: no mail now (not urgent), overdue and escalated later.
      arrears('woonpunt', { ...MAASTRICHT_HOME, signalId: SIGNAL_IDS[1], months: 2, amountCents: 118_000, observedAt: daysAgo(3), contact: OTHER_RESIDENT }),
    );
    expect(messages.map((m) => [m.team, m.level])).toEqual([
      [UTRECHT_TEAM, 'urgent'],
      [DEBT_TEAM, 'signal'],
    ]);
    urgentAlertId = messages[0]!.alertId;

    expect(newMails()).toEqual(['coordinator.GM0344 mail-off', 'vh-anna urgent-alert']);
    expect(await directory.get('vh-els')).toMatchObject({ mail: 'bounced' });
    const [toAnna] = test.pipeline.mail.mailsTo('vh-anna@vroegsignaal.local');
    expect(toAnna!.text).toContain(`/meldingen/${urgentAlertId}`);
    expect(toAnna!.headers['list-unsubscribe']).toContain('/instellingen');
  });

  it('sends one mail for a TeamMessageSent delivered twice', async () => {
    const sent = published.filter((e) => e['detail-type'] === PIPELINE_DETAIL_TYPES.teamMessageSent);
    expect(sent.map((e) => (e.detail as { alertId: string }).alertId)).toEqual([urgentAlertId]);
    const sqs = test.pipeline.standIns.clients.sqs;

    await sqs.send(new SendMessageCommand({ QueueUrl: test.pipeline.buffers.notify.url, MessageBody: JSON.stringify(sent[0]) }));
    await test.pipeline.settle();

    expect(newMails()).toEqual([]);
  });

  it('mails the member a team system assigned the alert to', async () => {
    test.setNow('2026-06-15T11:00:00+02:00');
    const { outcomes } = await test.send(pickedUp(UTRECHT_TEAM, urgentAlertId, '2026-06-15T11:00:00+02:00', 'vh-anna'));
    expect(outcomes.map((o) => o.outcome)).toEqual(['accepted']);

    expect(newMails()).toEqual(['vh-anna assigned']);
  });

  it("sends the digest at a member's time on a working day, and none on a Sunday without urgent work still raised", async () => {
    await test.advanceTo('2026-06-16T07:45:00+02:00');
    await test.pipeline.runDigest();
    expect(newMails()).toEqual(['vh-anna digest']);
    // The same quarter hour again (a retried schedule): the same day's digest is not sent twice.
    await test.pipeline.runDigest();
    expect(newMails()).toEqual([]);

    await test.advanceTo('2026-06-21T07:45:00+02:00');
    await test.pipeline.runDigest();
    expect(newMails()).toEqual([]);
  });

  it('mails an overdue alert nobody holds to its team, and its escalation to the coordinating team', async () => {
    const overdue = await test.advanceTo('2026-07-14T10:00:00+02:00');
    expect(overdue.map((m) => [m.team, m.kind])).toEqual([[DEBT_TEAM, 'reminder']]);
    expect(newMails()).toEqual(['msh-eva overdue']);

    const escalated = await test.advanceTo('2026-09-08T10:00:00+02:00');
    expect(escalated.map((m) => [m.team, m.kind])).toEqual([[COORDINATING_TEAM, 'reminder']]);
    expect(newMails()).toEqual(['mpm-gea escalation']);
  });

  it('never puts anything of a household, nor another member\'s address, in a mail', async () => {
    const mails = test.pipeline.mail.all();
    expect(mails.map((m) => kindOf(m)).sort()).toEqual(['assigned', 'digest', 'escalation', 'mail-off', 'overdue', 'urgent-alert']);
    const refs = (await test.pipeline.households()).map((state) => state.ref);
    expect(refs).toHaveLength(2);
    const personal = [
      ...personalValues({ postcode: UTRECHT_HOME.postcode, ...RESIDENT }),
      ...personalValues({ postcode: MAASTRICHT_HOME.postcode, ...OTHER_RESIDENT }),
      ...SIGNAL_IDS,
      ...refs,
      ...refs.map((ref) => ref.slice(0, 12)),
    ];
    for (const mail of mails) {
      const whole = [mail.subject, mail.text, mail.html, ...Object.entries(mail.headers).flat()].join('\n').toLowerCase();
      expect(personal.filter((value) => whole.includes(value.toLowerCase())), mail.subject).toEqual([]);
      const others = MEMBERS.map((m) => m.email.toLowerCase()).filter((email) => email !== mail.to);
      expect(others.filter((email) => whole.includes(email)), mail.subject).toEqual([]);
    }
  });
});
