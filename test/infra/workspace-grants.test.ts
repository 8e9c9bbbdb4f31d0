/**
 * The workspace function's household-table grants checked against what its pages really do:
 * the pages run on the stand-ins through the DynamoDB adapters its functions/workspace/index.ts
 * gives them, over alerts the pipeline raised, through a member's day (the inbox, an alert,
 * pick up, a contact attempt, close), the coordinator's view, the privacy officer's access
 * log, the municipality's monitor and DDAS export, and the e-mail notices' settings pages. Every DynamoDB call is recorded with its action, index and partition key and must be
 * allowed by a statement of the function's role in the synthesized workspace stack; and every
 * action, key prefix and index the role is granted must have been used.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, EventBridgePublisher, workspaceTablePorts } from '@vroegsignaal/adapters';
import { BUSES } from '@vroegsignaal/events';
import { type Member, registeredMember, type WorkspaceDeps, type WorkspaceEnv, workspacePages } from '@vroegsignaal/functions';
import { LOCAL_TABLE_NAME } from '@vroegsignaal/stand-ins';
import { arrears, home, NOW } from '../scenarios/entries.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';
import { build, defaultsWithAccounts, ofType, type PolicyStatement, type Ref, type Resources, resourcesOf } from './support.ts';

const UTRECHT = 'GM0344';
const DEBT_TEAM = 'utrecht-schuldhulp';
const CSRF = 'csrf-of-the-test-session';
const ME: Member = { id: 'm-schuld-1', roles: [{ kind: 'team', team: DEBT_TEAM }], locale: 'nl' };
const COORDINATOR: Member = { id: 'coordinator-utrecht', roles: [{ kind: 'coordinator', municipalityCode: UTRECHT }], locale: 'nl' };
const PRIVACY_OFFICER: Member = { id: 'privacy-utrecht', roles: [{ kind: 'privacy-officer', municipalityCode: UTRECHT }], locale: 'nl' };
const MUNICIPALITY: Member = { id: 'municipality-utrecht', roles: [{ kind: 'municipality', municipalityCode: UTRECHT }], locale: 'nl' };

interface Call {
  action: string;
  index?: string;
  pk: string;
}

let test: TestPipeline;
let client: DynamoDBClient;
let r: Resources;
const calls: Call[] = [];

/** The partition key values a call names: the key or item's, the value a Query's key condition sets it to, or each key of a batch read. */
function partitionsOf(input: Record<string, unknown>): string[] {
  const text = (value: unknown) => (typeof value === 'string' ? value : String((value as { S?: string } | undefined)?.S));
  const batch = input.RequestItems as Record<string, { Keys: Record<string, unknown>[] }> | undefined;
  if (batch) return Object.values(batch).flatMap(({ Keys }) => Keys.map((key) => text(key.pk)));
  const keyed = (input.Key ?? input.Item) as Record<string, unknown> | undefined;
  const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined;
  const placeholder = /=\s*(:\w+)/.exec(String(input.KeyConditionExpression ?? ''))?.[1];
  return [text(keyed?.pk ?? (placeholder ? values?.[placeholder] : undefined))];
}

beforeAll(async () => {
  r = resourcesOf(build({ policy: defaultsWithAccounts() }).workspace);
  test = await startTestPipeline({ now: NOW });
  client = new DynamoDBClient(test.pipeline.standIns.clientConfig('dynamodb'));
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const action = `dynamodb:${String(context.commandName).replace(/Command$/, '')}`;
      for (const pk of partitionsOf(input)) calls.push({ action, index: input.IndexName as string | undefined, pk });
      return next(args);
    },
    { step: 'build', name: 'recordCalls' },
  );
  const db = documentClient(client);
  const deps: WorkspaceDeps = {
    policy: () => test.policy,
    ...workspaceTablePorts(db, LOCAL_TABLE_NAME),
    publisher: new EventBridgePublisher(test.pipeline.busClient(), BUSES.pipeline),
    clock: () => Date.parse(NOW),
    identity: { issuer: 'http://localhost:1', clientId: 'test', publicOrigin: 'http://localhost:2', sessionKey: new Uint8Array(32) },
  };
  const request = (member: Member, path: string, form?: Record<string, string>) => {
    const app = new Hono<WorkspaceEnv>();
    app.use(async (c, next) => {
      c.set('member', member);
      c.set('csrfToken', CSRF);
      await next();
    });
    app.route('/', workspacePages(deps));
    return app.request(path, form ? { method: 'POST', body: new URLSearchParams({ csrf: CSRF, ...form }) } : undefined);
  };
  const actionId = (page: string, alertId: string, action: string) => /name="actie-id" value="([^"]+)"/.exec(page.slice(page.indexOf(`action="/meldingen/${alertId}/${action}"`)))![1]!;

  const { messages } = await test.send(arrears('portaal', { ...home(UTRECHT, '3511 AB', 12), observedAt: new Date(Date.parse(NOW) - 86_400_000).toISOString(), months: 3, amountCents: 240_000 }));
  const alertId = messages.find((m) => m.kind === 'alert' && m.team === DEBT_TEAM)!.alertId;

  // A member's day, the coordinator's view and the privacy officer's month.
  expect((await request(ME, '/meldingen')).status).toBe(200);
  const page = await (await request(ME, `/meldingen/${alertId}`)).text();
  expect((await request(ME, `/meldingen/${alertId}/oppakken`, { 'actie-id': actionId(page, alertId, 'oppakken') })).status).toBe(303);
  const picked = await (await request(ME, `/meldingen/${alertId}`)).text();
  const attempt = { 'actie-id': actionId(picked, alertId, 'contactpoging'), soort: 'home-visit', bereikt: 'ja', datum: NOW.slice(0, 10), dagdeel: 'morning' };
  expect((await request(ME, `/meldingen/${alertId}/contactpoging`, attempt)).status).toBe(303);
  expect((await request(ME, `/meldingen/${alertId}/afsluiten`, { 'actie-id': actionId(picked, alertId, 'afsluiten'), resultaat: 'paid-or-arrangement' })).status).toBe(303);
  expect((await request(COORDINATOR, '/regie')).status).toBe(200);
  expect((await request(PRIVACY_OFFICER, `/toegang?maand=${NOW.slice(0, 7)}`)).status).toBe(200);
  // The municipality's monitor of the month (the month index) and its DDAS export (the households, batch-read).
  expect((await request(MUNICIPALITY, `/monitor?gemeente=${UTRECHT}&maand=${NOW.slice(0, 7)}`)).status).toBe(200);
  expect((await request(MUNICIPALITY, '/monitor/ddas', { gemeente: UTRECHT, van: `${NOW.slice(0, 7)}-01`, tot: NOW.slice(0, 10) })).status).toBe(200);
  // E-mail notices: the member registered as a login does it, their settings read and saved (the
  // directory, their team's defaults, their sent notices); the coordinator's team defaults and members.
  await deps.members.put(registeredMember(undefined, ME, 'm-schuld-1@gemeente.example', Date.parse(NOW))!);
  expect((await request(ME, '/instellingen')).status).toBe(200);
  expect((await request(ME, '/instellingen', { meldingen: 'aan', tijd: '', taal: 'nl' })).status).toBe(303);
  expect((await request(COORDINATOR, `/instellingen/team/${DEBT_TEAM}`, { 'soort-urgent-alert': 'aan', tijd: '08:00' })).status).toBe(303);
  expect((await request(COORDINATOR, `/instellingen/team/${DEBT_TEAM}`)).status).toBe(200);
});

afterAll(async () => {
  client?.destroy();
  await test?.stop();
});

describe('the workspace function\'s household table grants against its own DynamoDB calls', () => {
  const statements = () => {
    const [, fn] = ofType(r, 'AWS::Lambda::Function').find(([, f]) => f.Properties!.FunctionName === 'vroegsignaal-workspace')!;
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

  it('made every call with a grant of its role', () => {
    expect(calls.length).toBeGreaterThan(0);
    const denied = calls.filter((call) => !statements().some((s) => allowedBy(s, call)));
    expect(denied.map((c) => `${c.action} ${c.index ?? c.pk}`)).toEqual([]);
  });

  it('used every action, key prefix and index its role is granted', () => {
    const unused = statements().flatMap((s) =>
      [s.Action].flat().flatMap((action: string) => {
        const index = indexOf(s);
        if (index !== undefined) return calls.some((c) => c.action === action && c.index === index) ? [] : [`${action} index ${index}`];
        return patternsOf(s).flatMap((pattern) => (calls.some((c) => c.action === action && c.index === undefined && matches(pattern, c.pk)) ? [] : [`${action} ${pattern}`]));
      }),
    );
    expect(unused).toEqual([]);
  });
});
