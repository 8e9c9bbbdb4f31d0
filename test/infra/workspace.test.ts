/**
 * The team workspace stack, synthesized once from the shipped policy: a user pool members are
 * invited to, with MFA, and a group per team and municipal role; an app client for the code
 * grant only; CloudFront in front, HTTPS only, the app uncached behind an HTTP API and the
 * static files from a private bucket through origin access control; and a function that reads
 * the inbox through its index, never scans, and writes only what a member's report and an
 * access record take.
 */
import { readFileSync } from 'node:fs';
import { App, SecretValue, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, INDEXES } from '@vroegsignaal/adapters';
import { compilePolicy, DDAS_PULL_RESOURCE_SERVER, DDAS_PULL_SCOPE_NAME, type Policy } from '@vroegsignaal/policy';
import type { BuiltApp } from '@vroegsignaal/infra';
import { FederationError, PipelineFunction, STACK_RESOURCE_BUDGET, WorkspaceIdentity, WorkspaceSite } from '@vroegsignaal/infra';
import { IDP_GROUPS_ATTRIBUTE } from '@vroegsignaal/functions';
import { build, defaultsWithAccounts, ofType, SKIP_BUNDLING, type PolicyStatement, type Ref, type Resources, resourcesOf, type ResourceWithProperties, type TemplateObject } from './support.ts';

let policy: Policy;
let built: BuiltApp;
let r: Resources;
beforeAll(() => {
  policy = defaultsWithAccounts();
  built = build({ policy });
  r = resourcesOf(built.workspace);
});

const only = (type: string): [string, ResourceWithProperties] => {
  const found = ofType(r, type);
  expect(found, type).toHaveLength(1);
  return found[0] as [string, ResourceWithProperties];
};
const distributionConfig = () => only('AWS::CloudFront::Distribution')[1].Properties.DistributionConfig as TemplateObject;
const workspaceFunction = () => ofType(r, 'AWS::Lambda::Function').find(([, f]) => f.Properties!.FunctionName === 'vroegsignaal-workspace')!;
/** `https://<the distribution's domain><path>`, as the template joins it. */
const onDistribution = (path: string) => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [only('AWS::CloudFront::Distribution')[0], 'DomainName'] }, ...(path ? [path] : [])]] });

describe('the user pool', () => {
  it('admits only invited members, who must sign in with an authenticator app (TOTP) and a strong password', () => {
    const pool = only('AWS::Cognito::UserPool')[1].Properties;
    expect(pool.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool.MfaConfiguration).toBe('ON');
    expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.Policies.PasswordPolicy).toMatchObject({ RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true });
    expect(pool.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
  });

  it('blocks risky sign-ins with threat protection (Plus feature plan, enforced)', () => {
    const pool = only('AWS::Cognito::UserPool')[1].Properties;
    expect(pool.UserPoolTier).toBe('PLUS');
    expect(pool.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
  });

  it('has a group per team of the policy, and per municipality its coordinator, municipality and privacy-officer groups, and no other', () => {
    const compiled = compilePolicy(policy);
    // Written out here as a second account of the naming in packages/policy/src/roles.ts.
    const expected = [
      ...compiled.teams().map((t) => `team.${t.id}`),
      ...policy.municipalities.flatMap((m) => [`coordinator.${m.code}`, `municipality.${m.code}`, `privacy-officer.${m.code}`]),
    ];
    const poolId = only('AWS::Cognito::UserPool')[0];
    const groups = ofType(r, 'AWS::Cognito::UserPoolGroup');
    for (const [, group] of groups) expect(group.Properties!.UserPoolId).toEqual({ Ref: poolId });
    expect(groups.map(([, g]) => g.Properties!.GroupName).sort()).toEqual(expected.sort());
    expect(compiled.teams().length).toBeGreaterThanOrEqual(59);
    // A group is a resource: the stack stays within the budget every stack plans with.
    expect(Object.keys(r).length).toBeLessThan(STACK_RESOURCE_BUDGET);
  });

  it('has an app client for the authorization code grant only, without a secret or an implicit flow, asking for the e-mail address, returning to the distribution', () => {
    const client = ofType(r, 'AWS::Cognito::UserPoolClient').find(([, c]) => c.Properties!.AllowedOAuthFlows?.includes('code'))![1].Properties!;
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    // The address for the member's own notices; no profile, phone or admin scope.
    expect(client.AllowedOAuthScopes).toEqual(['openid', 'email']);
    expect(client.GenerateSecret).toBe(false);
    // No password or SRP sign-in through the API: Cognito's own pages only.
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    expect(client.CallbackURLs).toEqual([onDistribution('/auth/callback')]);
    expect(client.LogoutURLs).toEqual([onDistribution('/auth/logged-out')]);
    expect(client.PreventUserExistenceErrors).toBe('ENABLED');
    expect(ofType(r, 'AWS::Cognito::UserPoolDomain')).toHaveLength(1);
  });

  it("has the statistics office's machine client: client credentials with a secret and the DDAS pull scope only, on a resource server", () => {
    const [, server] = only('AWS::Cognito::UserPoolResourceServer');
    expect(server.Properties!.Identifier).toBe(DDAS_PULL_RESOURCE_SERVER);
    expect(server.Properties!.Scopes).toEqual([expect.objectContaining({ ScopeName: DDAS_PULL_SCOPE_NAME })]);
    const clients = ofType(r, 'AWS::Cognito::UserPoolClient').filter(([, c]) => c.Properties!.AllowedOAuthFlows?.includes('client_credentials'));
    expect(clients).toHaveLength(1);
    const machine = clients[0]![1].Properties!;
    expect(machine.AllowedOAuthFlows).toEqual(['client_credentials']);
    expect(machine.GenerateSecret).toBe(true);
    expect(machine.AllowedOAuthScopes).toHaveLength(1);
    expect(JSON.stringify(machine.AllowedOAuthScopes)).toContain(`/${DDAS_PULL_SCOPE_NAME}`);
    // The workspace function accepts its tokens: it knows the client's id.
    const [, fn] = ofType(r, 'AWS::Lambda::Function').find(([, f]) => f.Properties!.Environment?.Variables?.[ENV.workspacePullClientIds] !== undefined)!;
    expect(fn.Properties!.Environment.Variables[ENV.workspacePullClientIds]).toEqual({ Ref: clients[0]![0] });
  });
});

describe('CloudFront', () => {
  const originOf = (behavior: TemplateObject) => (distributionConfig().Origins as TemplateObject[]).find((o) => o.Id === behavior.TargetOriginId)!;

  it('redirects HTTP to HTTPS on every path, and logs requests without their cookies', () => {
    const config = distributionConfig();
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.Logging.IncludeCookies).toBe(false);
  });

  it('tells the API it comes from CloudFront with a secret header, resolved at deployment and never in the template', () => {
    const api = originOf(distributionConfig().DefaultCacheBehavior);
    const [header] = api.OriginCustomHeaders as TemplateObject[];
    const originSecret = ofType(r, 'AWS::SecretsManager::Secret').find(([, s]) => String(s.Properties!.Description).includes('CloudFront'))![0];
    expect(header!.HeaderName).toBe(workspaceFunction()[1].Properties!.Environment.Variables[ENV.workspaceOriginHeader]);
    expect(header!.HeaderValue).toEqual({ 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: originSecret }, ':SecretString:::}}']] });
    expect(workspaceFunction()[1].Properties!.Environment.Variables[ENV.workspaceOriginSecretArn]).toEqual({ Ref: originSecret });
  });

  it('passes the pages to the HTTP API over TLS 1.2, uncached, with every method and all but the Host header', () => {
    const page = distributionConfig().DefaultCacheBehavior;
    const [apiId] = only('AWS::ApiGatewayV2::Api');
    expect(originOf(page)).toMatchObject({ CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] } });
    expect(JSON.stringify(originOf(page).DomainName)).toContain(`{"Ref":"${apiId}"}`);
    expect(page.AllowedMethods).toContain('POST');
    expect(page.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // Managed-CachingDisabled
    expect(page.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac'); // Managed-AllViewerExceptHostHeader
    // Uncached, that policy forwards Authorization too: POST /gegevens takes the default behaviour with its bearer token.
    expect((distributionConfig().CacheBehaviors as TemplateObject[]).map((b) => b.PathPattern)).toEqual(['/static/*']);
  });

  it('serves /static/* from the private bucket through origin access control, readable by this distribution only', () => {
    const [staticBehavior] = distributionConfig().CacheBehaviors as TemplateObject[];
    expect(staticBehavior!.PathPattern).toBe('/static/*');
    expect(staticBehavior!.AllowedMethods).toEqual(['GET', 'HEAD']);
    const origin = originOf(staticBehavior!);
    const [oacId, oac] = only('AWS::CloudFront::OriginAccessControl');
    expect(origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' });
    const bucketId = origin.DomainName['Fn::GetAtt'][0];
    expect(r[bucketId]!.Properties!.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const reads = ofType(r, 'AWS::S3::BucketPolicy')
      .filter(([, p]) => p.Properties!.Bucket.Ref === bucketId)
      .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as PolicyStatement[])
      .filter((s) => s.Principal?.Service === 'cloudfront.amazonaws.com');
    expect(reads).toHaveLength(1);
    expect(reads[0]!.Action).toBe('s3:GetObject');
    expect(JSON.stringify(reads[0]!.Condition)).toContain(only('AWS::CloudFront::Distribution')[0]);
  });

  it('caches static files by their content version, and adds the security headers to every response', () => {
    const config = distributionConfig();
    const staticBehavior = config.CacheBehaviors[0];
    const cache = r[staticBehavior.CachePolicyId.Ref]!.Properties!.CachePolicyConfig;
    expect(cache.DefaultTTL).toBe(365 * 24 * 3600);
    expect(cache.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig).toEqual({ QueryStringBehavior: 'whitelist', QueryStrings: ['v'] });
    for (const behavior of [config.DefaultCacheBehavior, staticBehavior]) {
      const headers = r[behavior.ResponseHeadersPolicyId.Ref]!.Properties!.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      expect(headers.StrictTransportSecurity).toMatchObject({ Override: true, IncludeSubdomains: true });
      expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(365 * 24 * 3600);
      expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
      expect(headers.ContentTypeOptions).toEqual({ Override: true });
      // The app's own Content Security Policy (with its nonces) is never replaced.
      expect(headers.ContentSecurityPolicy.Override).toBe(false);
    }
  });

  it('reaches the function through one HTTP API route (payload 2.0), throttled and logged', () => {
    const [, route] = only('AWS::ApiGatewayV2::Route');
    expect(route.Properties.RouteKey).toBe('$default');
    const [, integration] = only('AWS::ApiGatewayV2::Integration');
    expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    expect(integration.Properties.IntegrationUri).toEqual({ 'Fn::GetAtt': [workspaceFunction()[0], 'Arn'] });
    const [, stage] = only('AWS::ApiGatewayV2::Stage');
    expect(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(stage.Properties.AccessLogSettings.Format).not.toContain('$context.querystring');
  });
});

describe('on its own domain, behind a web ACL', () => {
  it('speaks TLS 1.2 or newer to browsers, carries the ACL, and leaves cdk-nag nothing to acknowledge', () => {
    const app = new App({ context: SKIP_BUNDLING });
    const stack = new Stack(app, 'Site');
    const site = new WorkspaceSite(stack, 'Site', {
      namePrefix: 'test-',
      originSecret: new secretsmanager.Secret(stack, 'Origin'),
      app: new PipelineFunction(stack, 'workspace', { name: 'workspace', functionName: 'test-workspace', description: 'workspace' }),
      staticDir: new URL('../../functions/workspace/static', import.meta.url).pathname,
      domain: { name: 'werkruimte.example.nl', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/workspace/abc',
    });
    const [[, distribution]] = ofType(Template.fromStack(stack).toJSON().Resources as Resources, 'AWS::CloudFront::Distribution') as [[string, ResourceWithProperties]];
    const config = distribution.Properties.DistributionConfig;
    expect(config.Aliases).toEqual(['werkruimte.example.nl']);
    expect(config.ViewerCertificate).toMatchObject({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    expect(config.WebACLId).toBe('arn:aws:wafv2:us-east-1:123456789012:global/webacl/workspace/abc');
    expect(site.origin).toBe('https://werkruimte.example.nl');
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
    expect(findings.filter((f) => f.includes(' Site/Site/'))).toEqual([]);
  });
});

describe('the workspace function', () => {
  const fn = workspaceFunction;
  const statements = () => {
    const roleId = fn()[1].Properties!.Role['Fn::GetAtt'][0];
    return ofType(r, 'AWS::IAM::Policy')
      .filter(([, p]) => p.Properties!.Roles.some((ref: Ref) => ref.Ref === roleId))
      .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as PolicyStatement[]);
  };
  const dynamo = () => statements().filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
  const leadingKeys = (s: PolicyStatement) => [s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']].flat();
  const onIndex = (s: PolicyStatement) => JSON.stringify(s.Resource).includes('/index/');

  it('cannot scan the table or an index, nor delete or batch-write anything; it batch-reads households only (the export)', () => {
    const actions = dynamo().flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => /Scan|Delete|BatchWrite|Transact|PartiQL|\*/.test(a))).toEqual([]);
    const batchReads = dynamo().filter((s) => [s.Action].flat().includes('dynamodb:BatchGetItem'));
    expect(batchReads.flatMap(leadingKeys)).toEqual(['HH#*']);
  });

  it('queries the open-alerts index by team and the month index by municipality, and nothing else without a key condition', () => {
    const indexed = dynamo().filter(onIndex);
    expect(indexed).toHaveLength(2);
    for (const statement of indexed) expect(statement.Action).toBe('dynamodb:Query');
    expect(JSON.stringify(indexed[0]!.Resource)).toContain(`/index/${INDEXES.openByTeam.name}"`);
    expect(JSON.stringify(indexed[1]!.Resource)).toContain(`/index/${INDEXES.byMonth.name}"`);
    const [[, table]] = ofType(resourcesOf(built.pipeline), 'AWS::DynamoDB::Table') as [[string, ResourceWithProperties]];
    expect(table.Properties.GlobalSecondaryIndexes.map((i: TemplateObject) => i.IndexName)).toEqual([INDEXES.openByTeam.name, INDEXES.byMonth.name]);
    for (const statement of dynamo().filter((s) => !onIndex(s))) expect(statement.Condition, JSON.stringify(statement.Action)).toBeDefined();
    // On the table itself it queries only the access records (the privacy officer's month), the
    // members partition (a coordinator's members) and a member's own sent notices.
    const tableQueries = dynamo().filter((s) => !onIndex(s) && [s.Action].flat().includes('dynamodb:Query'));
    expect(tableQueries.flatMap(leadingKeys)).toEqual(['ACCESS#*', 'MEMBERS*', 'NOTICES#*']);
  });

  it('writes no signal claim, capacity, delivery audit item or sent notice: only households and alert records (a member\'s report), access records and members\' notice settings', () => {
    const written = dynamo()
      .filter((s) => [s.Action].flat().some((a) => a === 'dynamodb:PutItem' || a === 'dynamodb:UpdateItem'))
      .flatMap((s) => [s.Action].flat().map((a) => `${a} ${leadingKeys(s).join(' ')}`));
    expect(written.sort()).toEqual(['dynamodb:PutItem HH#* ACCESS#* MEMBERS*', 'dynamodb:UpdateItem ALERT#*']);
    const reads = dynamo().filter((s) => [s.Action].flat().includes('dynamodb:GetItem'));
    expect(reads.flatMap(leadingKeys).sort()).toEqual(['ALERT#*', 'HH#*', 'MEMBERS*']);
  });

  it('puts events on the pipeline bus only, and reads its own session and origin secrets, not the household key', () => {
    const putEvents = statements().filter((s) => [s.Action].flat().includes('events:PutEvents'));
    expect(putEvents).toHaveLength(1);
    expect(putEvents[0]!.Resource!['Fn::ImportValue']).toMatch(/BusesPipeline/);
    const secrets = statements().filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    const own = ofType(r, 'AWS::SecretsManager::Secret').map(([id]) => ({ Ref: id }));
    expect(own).toHaveLength(2);
    expect(secrets.map((s) => s.Resource)).toEqual(expect.arrayContaining(own));
    expect(secrets).toHaveLength(2);
  });

  it('gets every environment variable its code reads, and no other of ours', () => {
    const ours = new Set<string>(Object.values(ENV));
    const source = readFileSync(new URL('../../functions/workspace/index.ts', import.meta.url), 'utf8');
    const keys = [...source.matchAll(/ENV\.(\w+)/g)].map((m) => ENV[m[1] as keyof typeof ENV]);
    if (source.includes('AppConfigPolicy')) keys.push(ENV.policyApplication, ENV.policyEnvironment, ENV.policyProfile);
    const variables = Object.keys(fn()[1].Properties!.Environment.Variables).filter((k) => ours.has(k));
    expect(variables.sort()).toEqual([...new Set(keys)].sort());
    expect(fn()[1].Properties!.Environment.Variables[ENV.workspacePublicOrigin]).toEqual(onDistribution(''));
  });
});

describe('federating a municipality\'s own identity provider', () => {
  const identity = (groups: Record<string, string>) => {
    const stack = new Stack(new App({ context: SKIP_BUNDLING }), 'Federation');
    new WorkspaceIdentity(stack, 'Identity', {
      namePrefix: 'test-',
      policy: compilePolicy(policy),
      origin: 'https://workspace.example.nl',
      federation: [
        {
          municipalityCode: 'GM0344',
          name: 'utrecht-entra',
          oidc: { issuerUrl: 'https://login.example.nl/v2.0', clientId: 'workspace', clientSecret: SecretValue.secretsManager('utrecht-entra') },
          groupsClaim: 'groups',
          groups,
        },
      ],
    });
    return stack;
  };
  const utrechtTeam = () => compilePolicy(policy).teams().find((t) => t.municipalityCode === 'GM0344')!.id;
  const otherTeam = () => compilePolicy(policy).teams().find((t) => t.municipalityCode !== 'GM0344' && t.municipalityCode !== null)!.id;

  it('adds the provider to the pool and the app client, its groups claim onto the attribute the group trigger reads', () => {
    const mapping = { 'sg-schuldhulp': `team.${utrechtTeam()}`, 'sg-regie': 'coordinator.GM0344' };
    const template = Template.fromStack(identity(mapping)).toJSON().Resources as Resources;
    const [[providerId, provider]] = ofType(template, 'AWS::Cognito::UserPoolIdentityProvider') as [[string, ResourceWithProperties]];
    // The member's address comes along too: e-mail notices go to it.
    expect(provider.Properties).toMatchObject({ ProviderName: 'utrecht-entra', ProviderType: 'OIDC', AttributeMapping: { [IDP_GROUPS_ATTRIBUTE]: 'groups', email: 'email' } });
    expect(provider.Properties.ProviderDetails.authorize_scopes).toBe('openid email');
    expect(JSON.stringify(provider.Properties.ProviderDetails.client_secret)).toContain('resolve:secretsmanager');
    const [[, client]] = ofType(template, 'AWS::Cognito::UserPoolClient') as [[string, ResourceWithProperties]];
    expect(client.Properties.SupportedIdentityProviders).toEqual(['COGNITO', { Ref: providerId }]);
    // The pre token generation trigger gets the mapping, by the provider's name.
    const [[, pool]] = ofType(template, 'AWS::Cognito::UserPool') as [[string, ResourceWithProperties]];
    const triggerId = pool.Properties.LambdaConfig.PreTokenGeneration['Fn::GetAtt'][0];
    expect(JSON.parse(template[triggerId]!.Properties!.Environment.Variables[ENV.federatedGroupMappings])).toEqual({ 'utrecht-entra': mapping });
  });

  it('refuses a mapping onto another municipality\'s team or an unknown group', () => {
    expect(() => identity({ 'sg-other': `team.${otherTeam()}` })).toThrow(FederationError);
    expect(() => identity({ 'sg-admin': 'admin.GM0344' })).toThrow(/not a workspace group/);
  });
});
