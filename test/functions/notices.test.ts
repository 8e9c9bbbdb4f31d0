/**
 * The notice functions through middy, on dynalite and the SMTP stand-in through the real
 * adapters: notify (TeamMessageSent and AlertAssigned records from its buffer), the quarter-hour
 * digest, and the SES feedback (bounces and complaints through SNS). What they log and count
 * names kinds and ids, never an address.
 */
import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHouseholdTable, documentClient, DynamoAlertIndex, DynamoTeamInbox, memberTagValue, noticePorts, SmtpMailer } from '@vroegsignaal/adapters';
import type { AlertIndexRecord, MemberRecord } from '@vroegsignaal/domain';
import { PIPELINE_DETAIL_TYPES, PIPELINE_SOURCE } from '@vroegsignaal/events';
import { createMailFeedbackHandler, createNoticeDigestHandler, createNotifyHandler, type NoticeHandlerDeps } from '@vroegsignaal/functions';
import { startLocalMailServer, startStandIns, type LocalMailServer, type StandIns } from '@vroegsignaal/stand-ins';
import { defaultPolicy } from '../unit/domain/fixtures.ts';
import { captureOutput, envelope, jsonLines, lambdaContext, sqsEvent, sqsRecord } from './support.ts';
import { optedInMember } from '../support/members.ts';

const TABLE = 'notice-functions';
const TEAM = 'utrecht-voorkom-huisuitzetting';
/** Monday 15 June 2026, 08:30 in Amsterdam: the shipped digest time. */
const NOW = Date.parse('2026-06-15T08:30:00+02:00');
const ORIGIN = 'https://werkplek.example.nl';
const policy = defaultPolicy();

let standIns: StandIns;
let mail: LocalMailServer;
let deps: NoticeHandlerDeps;
let alertSequence = 0;

const member = (memberId: string, fields: Partial<MemberRecord> = {}): MemberRecord => optedInMember(memberId, { teams: [TEAM], updatedAtMs: NOW, ...fields });

beforeAll(async () => {
  standIns = await startStandIns();
  mail = await startLocalMailServer();
  await createHouseholdTable(standIns.clients.dynamodb, TABLE);
  const db = documentClient(standIns.clients.dynamodb);
  deps = {
    policy: () => policy,
    ...noticePorts(db, TABLE),
    alerts: new DynamoAlertIndex(db, TABLE),
    inbox: new DynamoTeamInbox(db, TABLE),
    mailer: new SmtpMailer({ host: mail.host, port: mail.port, from: 'Vroegsignaal <meldingen@gemeente.example.nl>' }),
    workspaceOrigin: () => ORIGIN,
    clock: () => NOW,
  };
}, 30_000);

afterAll(async () => {
  await mail?.stop();
  await standIns?.stop();
});

/** An urgent alert of TEAM raised an hour ago, still raised, on the alert index. */
async function urgentAlert(): Promise<string> {
  const alertId = `al_notices_${String(++alertSequence).padStart(8, '0')}`;
  const record: AlertIndexRecord = {
    alertId,
    householdRef: `${'c'.repeat(56)}${String(alertSequence).padStart(8, '0')}`,
    team: TEAM,
    level: 'urgent',
    sequence: 0,
    atMs: NOW - 3_600_000,
    deliveryId: alertId,
    reasonCodes: ['proceeding-summons', 'minors'],
    score: 400,
    respondByMs: NOW + 3 * 86_400_000,
    district: 'oost',
    municipalityCode: 'GM0344',
    signals: [{ partnerId: 'ssh', signalId: `ssh-${alertSequence}` }],
    expiresAtMs: NOW + 730 * 86_400_000,
  };
  await deps.alerts.put(record);
  return alertId;
}

const teamMessageSent = (alertId: string) =>
  envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.teamMessageSent, { schemaVersion: 1, kind: 'alert', team: TEAM, level: 'urgent', alertId, deliveryId: alertId, at: '2026-06-15T07:30:00+02:00' });
const notifyRecord = (body: Parameters<typeof sqsRecord>[0]) => sqsRecord(body, 'vroegsignaal-notify');

/** Every address of the members, which no log line or metric may hold. */
const addressesIn = (output: string, members: MemberRecord[]) => members.map((m) => m.email).filter((email) => output.includes(email));

describe('notify handler', () => {
  let members: MemberRecord[];
  beforeEach(async () => {
    const suffix = ++alertSequence;
    members = [member(`nt-wants-${suffix}`), member(`nt-off-${suffix}`, { kinds: { 'urgent-alert': false } }), member(`nt-out-${suffix}`, { optedIn: false })];
    for (const m of members) await deps.members.put(m);
  });

  it('mails a new urgent alert to the members who want it, once however often the record comes, and logs and counts kinds only', async () => {
    // Prepare
    const handler = createNotifyHandler(deps);
    const alertId = await urgentAlert();
    const record = notifyRecord(teamMessageSent(alertId));

    // Act
    const first = await captureOutput(() => handler(sqsEvent(record), lambdaContext('vroegsignaal-notify')));
    const again = await captureOutput(() => handler(sqsEvent(record), lambdaContext('vroegsignaal-notify')));

    // Assess
    expect(first.result).toEqual({ batchItemFailures: [] });
    expect(again.result).toEqual({ batchItemFailures: [] });
    expect(members.map((m) => mail.mailsTo(m.email).length)).toEqual([1, 0, 0]);
    expect(mail.mailsTo(members[0]!.email)[0]!.text).toContain(`${ORIGIN}/meldingen/${alertId}`);
    const handled = jsonLines(first.output).find((l) => l.message === 'notices handled');
    expect(handled).toMatchObject({ trigger: 'TeamMessageSent', team: TEAM, alertId, sent: { 'urgent-alert': 1 }, alreadySent: 0, switchedOff: 0 });
    expect(jsonLines(first.output).find((l) => 'NoticesSent' in l)).toMatchObject({ kind: 'urgent-alert', NoticesSent: 1 });
    expect(jsonLines(again.output).find((l) => 'NoticesAlreadySent' in l)).toMatchObject({ trigger: 'TeamMessageSent', NoticesAlreadySent: 1 });
    expect(addressesIn(first.output + again.output, members)).toEqual([]);
  });

  it('mails the member an alert was assigned to', async () => {
    // Prepare
    const handler = createNotifyHandler(deps);
    const alertId = await urgentAlert();
    const assigned = envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.alertAssigned, { schemaVersion: 1, team: TEAM, alertId, memberId: members[1]!.memberId, eventId: `evt-${alertId}`, at: '2026-06-15T08:00:00+02:00' });

    // Act
    const { result, output } = await captureOutput(() => handler(sqsEvent(notifyRecord(assigned)), lambdaContext('vroegsignaal-notify')));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(members.map((m) => mail.mailsTo(m.email).length)).toEqual([0, 1, 0]);
    expect(jsonLines(output).find((l) => l.message === 'notices handled')).toMatchObject({ trigger: 'AlertAssigned', sent: { assigned: 1 } });
  });

  it('fails a record of another detail type or with a broken detail, and handles the rest of the batch', async () => {
    // Prepare
    const handler = createNotifyHandler(deps);
    const alertId = await urgentAlert();
    const otherType = notifyRecord(envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.signalOutcome, { schemaVersion: 1 }));
    const broken = notifyRecord(envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.teamMessageSent, { schemaVersion: 1, kind: 'alert', team: TEAM }));
    const good = notifyRecord(teamMessageSent(alertId));

    // Act
    const { result } = await captureOutput(() => handler(sqsEvent(otherType, broken, good), lambdaContext('vroegsignaal-notify')));

    // Assess
    expect(result.batchItemFailures).toEqual([otherType, broken].map((r) => ({ itemIdentifier: r.messageId })));
    expect(mail.mailsTo(members[0]!.email)).toHaveLength(1);
  });
});

describe('notice digest handler', () => {
  it("mails the digest to the members whose time it is, once a day, and returns what it sent", async () => {
    // Prepare: the only members of a team of their own with an open urgent alert.
    const early = member('dg-early', { digestTime: '07:00' });
    const onTime = member('dg-on-time');
    for (const m of [early, onTime]) await deps.members.put(m);
    await urgentAlert();
    const handler = createNoticeDigestHandler(deps);

    // Act
    const first = await captureOutput(() => handler({}, lambdaContext('vroegsignaal-notice-digest')));
    const again = await captureOutput(() => handler({}, lambdaContext('vroegsignaal-notice-digest')));

    // Assess
    expect(first.result.sent.digest).toBeGreaterThanOrEqual(1);
    expect(again.result.sent.digest ?? 0).toBe(0);
    expect([early, onTime].map((m) => mail.mailsTo(m.email).length)).toEqual([0, 1]);
    expect(jsonLines(first.output).find((l) => 'NoticesSent' in l)).toMatchObject({ kind: 'digest' });
    expect(addressesIn(first.output, [early, onTime])).toEqual([]);
  });
});

describe('mail feedback handler', () => {
  /** An SES event publishing record as SNS delivers it, with the addresses SES puts in. */
  function sesNotification(eventType: string, memberId: string, email: string, bounceType?: string): string {
    return JSON.stringify({
      eventType,
      ...(eventType === 'Bounce' ? { bounce: { bounceType, bounceSubType: 'General', bouncedRecipients: [{ emailAddress: email, diagnosticCode: `smtp; 550 5.1.1 <${email}>: unknown` }], timestamp: '2026-06-15T06:30:00.000Z', feedbackId: 'f-1' } } : {}),
      ...(eventType === 'Complaint' ? { complaint: { complainedRecipients: [{ emailAddress: email }], timestamp: '2026-06-15T06:30:00.000Z', feedbackId: 'f-2' } } : {}),
      mail: {
        timestamp: '2026-06-15T06:29:00.000Z',
        source: 'meldingen@gemeente.example.nl',
        messageId: 'ses-message-1',
        destination: [email],
        tags: { 'ses:configuration-set': ['vroegsignaal-notices'], member: [memberTagValue(memberId)], kind: ['urgent-alert'] },
      },
    });
  }
  const snsEvent = (...messages: string[]): SNSEvent => ({
    Records: messages.map((Message, i) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:mail-feedback:sub',
      Sns: { Type: 'Notification', MessageId: `sns-${i}`, TopicArn: 'arn:aws:sns:eu-west-1:123456789012:mail-feedback', Subject: '', Message, Timestamp: '2026-06-15T06:30:01.000Z', SignatureVersion: '1', Signature: '', SigningCertUrl: '', UnsubscribeUrl: '', MessageAttributes: {} },
    })),
  });

  it('switches a permanently bounced and a complaining member off, tells the coordinator once, and lets a transient bounce be', async () => {
    // Prepare: member ids with the characters an SES tag value cannot hold.
    const bounced = member('fb.bounced_1');
    const complained = member('fb-complained');
    const transient = member('fb-transient');
    const coordinator = member('fb-coordinator', { teams: [], coordinatorOf: ['GM0344'], optedIn: false });
    for (const m of [bounced, complained, transient, coordinator]) await deps.members.put(m);
    const handler = createMailFeedbackHandler(deps);
    const event = snsEvent(
      sesNotification('Bounce', transient.memberId, transient.email, 'Transient'),
      sesNotification('Bounce', bounced.memberId, bounced.email, 'Permanent'),
      sesNotification('Complaint', complained.memberId, complained.email),
      sesNotification('Bounce', bounced.memberId, bounced.email, 'Permanent'),
      `not json ${bounced.email}`,
    );

    // Act
    const { result, output } = await captureOutput(() => handler(event, lambdaContext('vroegsignaal-mail-feedback')));

    // Assess
    expect(result.map((r) => r.switchedOff)).toEqual([1, 1, 0]);
    expect(await deps.members.get(bounced.memberId)).toMatchObject({ mail: 'bounced' });
    expect(await deps.members.get(complained.memberId)).toMatchObject({ mail: 'complained' });
    expect(await deps.members.get(transient.memberId)).toMatchObject({ mail: 'active' });
    expect(mail.mailsTo(coordinator.email)).toHaveLength(2);
    const toldOf = mail.mailsTo(coordinator.email).map((m) => m.text).join('\n');
    expect(toldOf).toContain(`${ORIGIN}/instellingen/team/${TEAM}`);
    expect(addressesIn(toldOf, [bounced, complained])).toEqual([]);
    const lines = jsonLines(output);
    expect(lines.find((l) => 'MailFeedbackIgnored' in l)).toMatchObject({ event: 'Bounce/Transient' });
    expect(lines.filter((l) => l.message === 'SES feedback not understood; skipped')).toMatchObject([{ level: 'ERROR', reason: 'json' }]);
    expect(addressesIn(output, [bounced, complained, transient, coordinator])).toEqual([]);
  });
});
