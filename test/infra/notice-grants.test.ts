/**
 * The notice functions' household table grants checked against what they really do: notify, the
 * digest and mail feedback run through their handlers, wired as functions/lib/production.ts
 * wires them (the notice ports, the alert index, the team inbox) but on dynalite and the SMTP
 * stand-in, through a morning of one team: an urgent alert mailed to a member, a member's address
 * refused (switched off, the coordinator told), a mail server that says "later" (the run fails
 * and is retried), a redelivered event, the 08:30 digest, and SES reporting a bounce. Every
 * DynamoDB call is recorded with its action, index and partition key and must be allowed by a
 * statement of that function's role in the synthesized workspace stack; and every action, key
 * prefix and index the role is granted must have been used.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHouseholdTable, documentClient, DynamoAlertIndex, DynamoTeamInbox, memberTagValue, noticePorts, SmtpMailer } from '@vroegsignaal/adapters';
import type { AlertIndexRecord, MemberRecord } from '@vroegsignaal/domain';
import { PIPELINE_DETAIL_TYPES, PIPELINE_SOURCE } from '@vroegsignaal/events';
import { createMailFeedbackHandler, createNoticeDigestHandler, createNotifyHandler, type NoticeHandlerDeps } from '@vroegsignaal/functions';
import { startLocalMailServer, startStandIns, type LocalMailServer, type StandIns } from '@vroegsignaal/stand-ins';
import { captureOutput, envelope, lambdaContext, sqsEvent, sqsRecord } from '../functions/support.ts';
import { defaultPolicy } from '../unit/domain/fixtures.ts';
import { build, defaultsWithAccounts, ofType, type PolicyStatement, type Ref, type Resources, resourcesOf } from './support.ts';
import { optedInMember } from '../support/members.ts';

const TABLE = 'notice-grants';
const TEAM = 'utrecht-voorkom-huisuitzetting';
/** Monday 15 June 2026, 08:30 in Amsterdam: the shipped digest time. */
const NOW = Date.parse('2026-06-15T08:30:00+02:00');
const FUNCTIONS = ['notify', 'notice-digest', 'mail-feedback'] as const;
type FunctionName = (typeof FUNCTIONS)[number];

interface Call {
  action: string;
  index?: string;
  pk: string;
}

const member = (memberId: string, fields: Partial<MemberRecord> = {}): MemberRecord => optedInMember(memberId, { teams: [TEAM], updatedAtMs: NOW, ...fields });
// Each reaches one path: mailed, refused by notify, refused by the digest, bounced at SES, told.
const MAILED = member('grants-mailed');
const REFUSED_BY_NOTIFY = member('grants-refused-notify', { kinds: { digest: false } });
const REFUSED_BY_DIGEST = member('grants-refused-digest', { kinds: { 'urgent-alert': false } });
const BOUNCED = member('grants-bounced', { kinds: { 'urgent-alert': false, digest: false } });
const COORDINATOR = member('grants-coordinator', { teams: [], coordinatorOf: ['GM0344'], optedIn: false });

let standIns: StandIns;
let mail: LocalMailServer;
let r: Resources;
const calls: Record<FunctionName, Call[]> = { notify: [], 'notice-digest': [], 'mail-feedback': [] };
const clients: DynamoDBClient[] = [];

/** The partition key values a call names: the key or item's, or the value a Query's key condition sets it to. */
function partitionOf(input: Record<string, unknown>): string {
  const text = (value: unknown) => (typeof value === 'string' ? value : String((value as { S?: string } | undefined)?.S));
  const keyed = (input.Key ?? input.Item) as Record<string, unknown> | undefined;
  const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined;
  const placeholder = /pk\s*=\s*(:\w+)/.exec(String(input.KeyConditionExpression ?? ''))?.[1] ?? /=\s*(:\w+)/.exec(String(input.KeyConditionExpression ?? ''))?.[1];
  return text(keyed?.pk ?? (placeholder ? values?.[placeholder] : undefined));
}

/** One function's ports, as noticeFunctionDeps wires them, its DynamoDB calls recorded. */
function depsOf(name: FunctionName): NoticeHandlerDeps {
  const client = new DynamoDBClient(standIns.clientConfig('dynamodb'));
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      calls[name].push({ action: `dynamodb:${String(context.commandName).replace(/Command$/, '')}`, index: input.IndexName as string | undefined, pk: partitionOf(input) });
      return next(args);
    },
    { step: 'build', name: 'recordCalls' },
  );
  clients.push(client);
  const db = documentClient(client);
  const policy = defaultPolicy();
  return {
    policy: () => policy,
    ...noticePorts(db, TABLE),
    alerts: new DynamoAlertIndex(db, TABLE),
    inbox: new DynamoTeamInbox(db, TABLE),
    mailer: new SmtpMailer({ host: mail.host, port: mail.port, from: 'Vroegsignaal <meldingen@gemeente.example.nl>' }),
    workspaceOrigin: () => 'https://werkplek.example.nl',
    clock: () => NOW,
  };
}

/** An urgent alert of TEAM raised an hour ago, still raised, on the alert index. */
function urgentAlert(alertId: string): AlertIndexRecord {
  return {
    alertId,
    householdRef: 'c'.repeat(64),
    team: TEAM,
    level: 'urgent',
    sequence: 0,
    atMs: NOW - 3_600_000,
    deliveryId: alertId,
    reasonCodes: ['proceeding-summons'],
    score: 400,
    respondByMs: NOW + 3 * 86_400_000,
    district: 'oost',
    municipalityCode: 'GM0344',
    signals: [{ partnerId: 'ssh', signalId: `ssh-${alertId}` }],
    expiresAtMs: NOW + 730 * 86_400_000,
  };
}

const teamMessageSent = (alertId: string) =>
  sqsRecord(envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.teamMessageSent, { schemaVersion: 1, kind: 'alert', team: TEAM, level: 'urgent', alertId, deliveryId: alertId, at: '2026-06-15T07:30:00+02:00' }), 'vroegsignaal-notify');

/** SES's permanent bounce of a member's notice, as SNS delivers it. */
const bounceOf = (memberId: string): SNSEvent => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:vroegsignaal-mail-feedback:sub',
      Sns: {
        Type: 'Notification',
        MessageId: `sns-${memberId}`,
        TopicArn: 'arn:aws:sns:eu-west-1:123456789012:vroegsignaal-mail-feedback',
        Subject: '',
        Message: JSON.stringify({ eventType: 'Bounce', bounce: { bounceType: 'Permanent' }, mail: { tags: { member: [memberTagValue(memberId)], kind: ['urgent-alert'] } } }),
        Timestamp: '2026-06-15T06:30:01.000Z',
        SignatureVersion: '1',
        Signature: '',
        SigningCertUrl: '',
        UnsubscribeUrl: '',
        MessageAttributes: {},
      },
    },
  ],
});

beforeAll(async () => {
  r = resourcesOf(build({ policy: defaultsWithAccounts() }).workspace);
  standIns = await startStandIns();
  mail = await startLocalMailServer();
  await createHouseholdTable(standIns.clients.dynamodb, TABLE);
  const setup = depsOf('notify');
  for (const m of [MAILED, REFUSED_BY_NOTIFY, REFUSED_BY_DIGEST, BOUNCED, COORDINATOR]) await setup.members.put(m);
  for (const alertId of ['al_grants_00000001', 'al_grants_00000002']) await setup.alerts.put(urgentAlert(alertId));
  calls.notify.length = 0;
  mail.refuse(REFUSED_BY_NOTIFY.email);
  mail.refuse(REFUSED_BY_DIGEST.email);

  // notify: an urgent alert, its redelivery, and one while the mail server says "later" for a member.
  const notify = createNotifyHandler(depsOf('notify'));
  const run = async (...records: ReturnType<typeof sqsRecord>[]) => (await captureOutput(() => notify(sqsEvent(...records), lambdaContext('vroegsignaal-notify')))).result;
  expect(await run(teamMessageSent('al_grants_00000001'))).toEqual({ batchItemFailures: [] });
  expect(await run(teamMessageSent('al_grants_00000001'))).toEqual({ batchItemFailures: [] });
  mail.defer(MAILED.email);
  // A batch whose every record failed fails whole (Powertools), and SQS gives it again.
  await expect(run(teamMessageSent('al_grants_00000002'))).rejects.toThrow();
  mail.accept(MAILED.email);
  expect(await run(teamMessageSent('al_grants_00000002'))).toEqual({ batchItemFailures: [] });
  expect(mail.mailsTo(MAILED.email)).toHaveLength(2);

  // The digest at 08:30: first while the mail server says "later", then as Lambda retries it, then once more.
  const digest = createNoticeDigestHandler(depsOf('notice-digest'));
  const runDigest = () => captureOutput(() => digest({}, lambdaContext('vroegsignaal-notice-digest')));
  mail.defer(MAILED.email);
  await expect(runDigest()).rejects.toThrow();
  mail.accept(MAILED.email);
  expect((await runDigest()).result.switchedOff).toBe(1);
  expect((await runDigest()).result.alreadySent).toBeGreaterThan(0);

  // SES reports a bounce: while the coordinator's mail server says "later", then as Lambda retries, then told again.
  const feedback = createMailFeedbackHandler(depsOf('mail-feedback'));
  const runFeedback = () => captureOutput(() => feedback(bounceOf(BOUNCED.memberId), lambdaContext('vroegsignaal-mail-feedback')));
  mail.defer(COORDINATOR.email);
  await expect(runFeedback()).rejects.toThrow();
  mail.accept(COORDINATOR.email);
  await runFeedback();
  await runFeedback();
  expect(mail.mailsTo(COORDINATOR.email).length).toBeGreaterThanOrEqual(3);
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  await mail?.stop();
  await standIns?.stop();
});

describe("the notice functions' household table grants against their own DynamoDB calls", () => {
  const statementsOf = (name: FunctionName) => {
    const [, fn] = ofType(r, 'AWS::Lambda::Function').find(([, f]) => f.Properties!.FunctionName === `vroegsignaal-${name}`)!;
    const roleId = fn.Properties!.Role['Fn::GetAtt'][0];
    return ofType(r, 'AWS::IAM::Policy')
      .filter(([, p]) => p.Properties!.Roles.some((ref: Ref) => ref.Ref === roleId))
      .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as PolicyStatement[])
      .filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
  };
  const indexOf = (statement: PolicyStatement) => /\/index\/([\w-]+)/.exec(JSON.stringify(statement.Resource))?.[1];
  const patternsOf = (statement: PolicyStatement): string[] => [statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']].flat().filter(Boolean);
  const matches = (pattern: string, pk: string) => (pattern.endsWith('*') ? pk.startsWith(pattern.slice(0, -1)) : pk === pattern);
  const allowedBy = (statement: PolicyStatement, call: Call) =>
    [statement.Action].flat().includes(call.action) && indexOf(statement) === call.index && (call.index !== undefined || patternsOf(statement).some((p) => matches(p, call.pk)));

  it.each(FUNCTIONS)('%s: every call it made is allowed to its role', (name) => {
    expect(calls[name].length, name).toBeGreaterThan(0);
    const denied = calls[name].filter((call) => !statementsOf(name).some((s) => allowedBy(s, call)));
    expect(denied.map((c) => `${c.action} ${c.index ?? c.pk}`)).toEqual([]);
  });

  it.each(FUNCTIONS)('%s: every action, key prefix and index its role is granted was used', (name) => {
    const unused = statementsOf(name).flatMap((s) =>
      [s.Action].flat().flatMap((action: string) => {
        const index = indexOf(s);
        if (index !== undefined) return calls[name].some((c) => c.action === action && c.index === index) ? [] : [`${action} index ${index}`];
        return patternsOf(s).flatMap((pattern) => (calls[name].some((c) => c.action === action && c.index === undefined && matches(pattern, c.pk)) ? [] : [`${action} ${pattern}`]));
      }),
    );
    expect(unused).toEqual([]);
  });
});
