/**
 * The policy version on the functions' log lines: computed from the document AppConfig serves
 * (as the stack computes the version label from the document it deploys), put on every line of
 * an invocation through middy, ERROR lines included, and named on the ERROR line of a policy the
 * functions refuse, so that the ErrorLogLines metric can be read per config deployment.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HouseholdStore } from '@vroegsignaal/domain';
import { PIPELINE_DETAIL_TYPES, PIPELINE_SOURCE } from '@vroegsignaal/events';
import { createDeliverHandler } from '@vroegsignaal/functions';
import { ENV } from '@vroegsignaal/adapters';
import { policyVersionOf } from '@vroegsignaal/policy';
import { AppConfigPolicy, PolicyUnavailableError } from '@vroegsignaal/functions';
import type { DeadLetterPolicy } from '@vroegsignaal/functions';
import { defaultPolicy, defaultPolicyData, NOW } from '../unit/domain/fixtures.ts';
import { inMemoryPorts } from '../unit/domain/in-memory-ports.ts';
import { captureOutput, envelope, jsonLines, lambdaContext, sqsEvent, sqsRecord } from './support.ts';


const served = vi.hoisted(() => ({ document: undefined as unknown }));
vi.mock('@aws-lambda-powertools/parameters/appconfig', () => ({ getAppConfig: async () => served.document }));

const bytes = (text: string) => new TextEncoder().encode(text);

describe('AppConfigPolicy', () => {
  beforeEach(() => {
    vi.stubEnv(ENV.policyApplication, 'app1234');
    vi.stubEnv(ENV.policyEnvironment, 'env1234');
    vi.stubEnv(ENV.policyProfile, 'pro1234');
  });
  afterEach(() => vi.unstubAllEnvs());

  it('knows the version of the policy in use: the digest of the document exactly as deployed (the stack\'s version label)', async () => {
    // Prepare: the content the stack deploys (infra/constructs/policy-config.ts).
    const content = JSON.stringify(defaultPolicyData());
    served.document = bytes(content);
    const policy = new AppConfigPolicy();

    // Act
    await policy.refresh();

    // Assess
    expect(policy.version).toBe(policyVersionOf(content));
    expect(policy.current().teams().length).toBeGreaterThan(0);
  });

  it('refuses a new document that fails the schema, logging at ERROR under the refused version, and keeps the one in use', async () => {
    // Prepare
    const good = JSON.stringify(defaultPolicyData());
    served.document = bytes(good);
    const policy = new AppConfigPolicy();
    await policy.refresh();
    const before = policy.current();
    const bad = JSON.stringify({ ...defaultPolicyData(), settings: 'not settings' });
    served.document = bytes(bad);

    // Act
    const { output } = await captureOutput(() => policy.refresh());

    // Assess
    expect(policy.current()).toBe(before);
    expect(policy.version).toBe(policyVersionOf(good));
    expect(jsonLines(output).find((l) => l.level === 'ERROR')).toMatchObject({
      message: 'the new policy does not match its schema; the previous one stays in use',
      policyVersion: policyVersionOf(bad),
      inUse: policyVersionOf(good),
    });
  });

  it('fails a cold start without a usable policy, naming the version', async () => {
    // Prepare
    served.document = bytes('not json');
    const policy = new AppConfigPolicy();

    // Act
    const refresh = policy.refresh();

    // Assess
    await expect(refresh).rejects.toThrow(PolicyUnavailableError);
    await expect(refresh).rejects.toThrow(policyVersionOf('not json'));
    expect(policy.version).toBeUndefined();
  });
});

describe('a handler\'s log lines', () => {
  it('carry the policy version of their invocation, its ERROR lines too', async () => {
    // Prepare: households that cannot be read (our trouble), on the record's last attempt.
    const ports = inMemoryPorts();
    const broken: HouseholdStore = { get: () => Promise.reject(new Error('unreachable')), put: () => Promise.resolve(false) };
    const deadLetters: DeadLetterPolicy = { afterReceives: 1, queue: { send: async () => undefined } };
    let version = 'p-0123456789ab';
    const handler = createDeliverHandler({ policy: () => defaultPolicy(), policyVersion: () => version, ...ports, households: broken, clock: () => NOW, deadLetters });
    const body = envelope(PIPELINE_SOURCE, PIPELINE_DETAIL_TYPES.deliveryDue, { schemaVersion: 1, householdRef: 'ref-1', version: 1, at: '2026-06-15T10:00:00+02:00' });
    const invoke = () => handler(sqsEvent(sqsRecord(body, 'vroegsignaal-deliver')), lambdaContext('vroegsignaal-deliver'));

    // Act
    const first = await captureOutput(invoke);
    version = 'p-ba9876543210';
    const second = await captureOutput(invoke);

    // Assess
    const logLines = (output: string) => jsonLines(output).filter((l) => typeof l.level === 'string');
    expect(logLines(first.output).find((l) => l.level === 'ERROR')).toMatchObject({ message: 'record dead-lettered after its last attempt', policyVersion: 'p-0123456789ab' });
    expect(logLines(first.output).every((l) => l.policyVersion === 'p-0123456789ab')).toBe(true);
    expect(logLines(second.output).find((l) => l.level === 'ERROR')).toMatchObject({ policyVersion: 'p-ba9876543210' });
  });
});
