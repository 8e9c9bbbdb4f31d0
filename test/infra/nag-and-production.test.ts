/**
 * cdk-nag's AwsSolutions pack finds nothing unacknowledged, every acknowledgment says why and
 * silences a real finding, the app the CLI builds synthesizes with the checks on, and a
 * production deployment keeps what holds data.
 */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadPolicyDir } from '@vroegsignaal/policy';
import type { BuiltApp } from '@vroegsignaal/infra';
import { MIN_REASON_LENGTH } from '@vroegsignaal/infra';
import { build, defaultsWithAccounts, ofType, resourcesOf, type ResourceWithProperties, warningsOf, withManyPartners } from './support.ts';

function findings(built: BuiltApp): string[] {
  built.app.synth();
  const report = new AwsSolutionsChecks().validateScope(built.app);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
}

function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, unknown>).map(([id, reason]) => ({ path: c.node.path, id, reason: typeof reason === 'string' ? reason : JSON.stringify(reason) }))),
  );
}

describe('cdk-nag AwsSolutions', () => {
  afterEach(() => vi.restoreAllMocks());

  it('has no unacknowledged findings with the shipped policy and partner accounts', () => {
    expect(findings(build({ policy: defaultsWithAccounts() }))).toEqual([]);
  });

  it('has none in production with 300 more partners (ingress buses, several outcome stacks)', () => {
    expect(findings(build({ policy: withManyPartners(300), production: true }))).toEqual([]);
  });

  it('gives every acknowledgment a reason a reviewer can check', () => {
    const acks = acknowledgments(build({ policy: defaultsWithAccounts() }).app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect(ack.reason.length, `${ack.id} on ${ack.path}`).toBeGreaterThanOrEqual(MIN_REASON_LENGTH);
  });

  it('acknowledges only findings that exist', () => {
    const recorded: { path: string; id: string }[] = [];
    vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(function (this: Validations, ...rules) {
      const scope = (this as unknown as { scope: IConstruct }).scope;
      for (const rule of rules) recorded.push({ path: scope.node.path, id: rule.id });
    });
    const raw = findings(build({ policy: defaultsWithAccounts() }));
    const ours = recorded.filter((a) => a.id.startsWith('AwsSolutions-'));
    expect(ours.length).toBeGreaterThan(0);
    for (const ack of ours) {
      expect(raw.some((f) => f.startsWith(`${ack.id} ${ack.path}/`)), `${ack.id} on ${ack.path}`).toBe(true);
    }
  });

  it('lets the CLI\'s app (shipped policy, checks on) synthesize, warning about partners without an account', () => {
    const built = build({ policy: loadPolicyDir(), nag: true });
    expect(() => built.app.synth()).not.toThrow();
    expect(warningsOf(built.pipeline).filter((w) => w.includes('no accountId'))).toHaveLength(1);
    const r = resourcesOf(built.pipeline);
    expect(ofType(r, 'AWS::Events::EventBus').every(([, b]) => b.Properties!.Policy === undefined)).toBe(true);
    expect(built.partners).toEqual([]);
  });
});

describe('production', () => {
  let built: BuiltApp;
  beforeAll(() => {
    built = build({ policy: defaultsWithAccounts(), production: true });
  });

  it('protects the household table from deletion and keeps it, its key and the household secret', () => {
    const r = resourcesOf(built.pipeline);
    const [[, table]] = ofType(r, 'AWS::DynamoDB::Table') as [[string, ResourceWithProperties]];
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(r[table.Properties.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0]]!.DeletionPolicy).toBe('Retain');
    const [[, secret]] = ofType(r, 'AWS::SecretsManager::Secret') as [[string, ResourceWithProperties]];
    expect(secret.DeletionPolicy).toBe('Retain');
    for (const [id, key] of ofType(r, 'AWS::KMS::Key')) expect(key.DeletionPolicy, id).toBe('Retain');
  });

  it('protects the workspace\'s user pool (its members and their MFA devices) from deletion and keeps it', () => {
    const [[, pool]] = ofType(resourcesOf(built.workspace), 'AWS::Cognito::UserPool') as [[string, ResourceWithProperties]];
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
    expect(pool.DeletionPolicy).toBe('Retain');
  });

  it('turns on termination protection for every stack', () => {
    for (const stack of [built.pipeline, ...built.teams, ...built.partners, built.workspace]) expect(stack.terminationProtection, stack.stackName).toBe(true);
  });
});
