/**
 * Who may use the team workspace: a Cognito user pool as its OpenID provider, with one group
 * per entry of workspaceGroups(policy) (packages/policy/src/roles.ts): a group per team, and per
 * municipality its coordinator, municipality and privacy-officer groups. The workspace reads a
 * member's roles from the ID token's `cognito:groups`, so a group made here is a role there; the
 * local OpenID provider of `npm run serve` makes the same groups from the same function.
 *
 * Care data, so: no self sign-up (an administrator of the municipality invites each member and
 * puts them in their team's group), MFA required with an authenticator app (TOTP; no SMS, whose
 * codes can be intercepted or redirected by a SIM swap), a long password with every character
 * class, and Cognito's threat protection (Plus feature plan) enforcing: sign-ins that look
 * compromised or come with leaked passwords are blocked.
 *
 * The app client is public (no secret: the workspace's code runs in a Lambda function, but the
 * local provider's client is public too and the workspace uses one client code for both): the
 * authorization code grant only, no implicit flow, scopes `openid` and `email` (the subject and
 * the groups; the address only for the member's own e-mail notices, kept in the member directory,
 * never in the session). Cognito accepts PKCE (S256) on every code
 * grant; the workspace always sends it, so a stolen code is useless without its verifier.
 *
 * A municipality's own identity provider (OIDC, e.g. Microsoft Entra ID, or SAML, e.g. ADFS)
 * can be federated with `federation`: its members sign in at home and arrive with the groups
 * that entry's `groups` maps theirs onto (their group -> ours). A mapping may only name groups
 * of that municipality (its teams and its three municipal roles): one municipality's directory
 * can never admit anyone to another's alerts. Cognito maps the provider's groups claim onto
 * the custom attribute `custom:idp_groups`, and a pre token generation trigger
 * (functions/federated-groups) puts the mapped groups in the token's `cognito:groups`; a group
 * the mapping does not name gives no role. Cognito's MFA does not apply to a federated sign-in:
 * the municipality's provider must require its own second factor (conditional access), which
 * is part of agreeing a federation.
 *
 * The statistics office pulls the DDAS export from `POST /gegevens` as a machine: a resource
 * server `ddas` with the one scope `gegevens.read`, and a confidential app client with the
 * client credentials grant and only that scope. Its secret is read once from the console by
 * the operator and handed to the statistics office; the workspace checks its access tokens
 * against the pool's keys, scope and this client's id.
 */
import { Duration, RemovalPolicy, type SecretValue, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ENV } from '@vroegsignaal/adapters';
import { type CompiledPolicy, DDAS_PULL_RESOURCE_SERVER, DDAS_PULL_SCOPE_NAME, type WorkspaceRole, workspaceGroups } from '@vroegsignaal/policy';
import { PipelineFunction } from './pipeline-function.ts';

/** The e-mail address as Entra ID and AD FS put it in a SAML assertion. */
const SAML_EMAIL_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';

/** The custom attribute a federated provider's groups arrive in. */
export const FEDERATED_GROUPS_ATTRIBUTE = 'idp_groups';

export interface MunicipalIdentityProvider {
  /** The municipality (its policy code, e.g. `GM0344`) whose members sign in there. */
  readonly municipalityCode: string;
  /** Cognito's provider name, shown on the sign-in page: letters, digits, `-` and `_`, 3-32 characters. */
  readonly name: string;
  /** An OpenID Connect provider (e.g. Microsoft Entra ID); the secret as a Secrets Manager reference. */
  readonly oidc?: { readonly issuerUrl: string; readonly clientId: string; readonly clientSecret: SecretValue };
  /** A SAML 2.0 provider, by its metadata URL. */
  readonly saml?: { readonly metadataUrl: string };
  /** The claim (OIDC) or attribute (SAML) that carries the member's groups there. */
  readonly groupsClaim: string;
  /**
   * The claim (OIDC) or attribute (SAML) with the member's e-mail address, which e-mail notices go
   * to (the workspace registers it at login). @default `email` (OIDC), the emailaddress claim URI
   * Entra ID and AD FS send (SAML)
   */
  readonly emailClaim?: string;
  /** Their group -> ours (`team.<teamId>`, `coordinator.<code>`, ...), all of this municipality. */
  readonly groups: Readonly<Record<string, string>>;
}

export interface WorkspaceIdentityProps {
  readonly namePrefix: string;
  /** The policy the stack deploys: the groups are made from it. */
  readonly policy: CompiledPolicy;
  /** The workspace's origin as the browser sees it, `https://<host>`. */
  readonly origin: string;
  /** Globally unique prefix of the Cognito domain. @default `<namePrefix>workspace-<account>` */
  readonly domainPrefix?: string;
  /** Deletion protection and RETAIN for the pool. @default false */
  readonly production?: boolean;
  /** Municipalities' own identity providers. @default none */
  readonly federation?: readonly MunicipalIdentityProvider[];
}

/** Where the workspace's OpenID client is sent back with the code, and after logout. */
export const CALLBACK_PATH = '/auth/callback';
export const LOGOUT_PATH = '/auth/logged-out';

export class WorkspaceIdentity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  readonly groups: cognito.CfnUserPoolGroup[];
  /** The statistics office's machine client: client credentials, the DDAS pull scope only. */
  readonly pullClient: cognito.UserPoolClient;
  /** The OpenID issuer: `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: WorkspaceIdentityProps) {
    super(scope, id);
    const production = props.production ?? false;
    const federation = props.federation ?? [];
    const known = workspaceGroups(props.policy);
    for (const provider of federation) checkFederation(provider, props.policy, known);

    this.userPool = new cognito.UserPool(this, 'Pool', {
      userPoolName: `${props.namePrefix}workspace`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 12,
      },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      customAttributes: federation.length > 0 ? { [FEDERATED_GROUPS_ATTRIBUTE]: new cognito.StringAttribute({ mutable: true, maxLen: 2048 }) } : undefined,
      userVerification: {
        emailSubject: 'Uw verificatiecode voor de werkruimte vroegsignalering',
        emailBody: 'Uw verificatiecode voor de werkruimte vroegsignalering is {####}.',
        emailStyle: cognito.VerificationEmailStyle.CODE,
      },
      userInvitation: {
        emailSubject: 'Uw account voor de werkruimte vroegsignalering',
        emailBody: `U bent uitgenodigd voor de werkruimte vroegsignalering (${props.origin}). Uw gebruikersnaam is {username}, uw tijdelijke wachtwoord {####}. Bij de eerste keer inloggen kiest u een eigen wachtwoord en koppelt u een authenticator-app.`,
      },
      deletionProtection: production,
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.groups = known.map(
      (group) => new cognito.CfnUserPoolGroup(this, `Group-${group.name}`, { userPoolId: this.userPool.userPoolId, groupName: group.name, description: group.description }),
    );

    const providers = federation.map((provider) => this.federate(provider));
    if (federation.length > 0) {
      const trigger = new PipelineFunction(this, 'federated-groups', {
        name: 'federated-groups',
        functionName: `${props.namePrefix}workspace-federated-groups`,
        description: 'Cognito pre token generation: a federated member\'s groups mapped onto the workspace\'s',
        memorySize: 256,
        timeout: Duration.seconds(5),
        removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      trigger.addEnvironment(ENV.federatedGroupMappings, JSON.stringify(Object.fromEntries(federation.map((p) => [p.name, p.groups]))));
      this.userPool.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION, trigger.fn);
    }
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `${props.namePrefix}workspace-${Stack.of(this).account}` },
    });
    this.client = this.userPool.addClient('Workspace', {
      userPoolClientName: `${props.namePrefix}workspace`,
      generateSecret: false,
      // Sign-in happens on Cognito's pages only; tokens are refreshed, never asked for directly.
      authFlows: { userSrp: false },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
        callbackUrls: [`${props.origin}${CALLBACK_PATH}`],
        logoutUrls: [`${props.origin}${LOGOUT_PATH}`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO, ...providers.map((p) => cognito.UserPoolClientIdentityProvider.custom(p.providerName))],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // The workspace keeps its own 30-minute idle session; tokens need not outlive an hour.
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(8),
      authSessionValidity: Duration.minutes(5),
    });
    const pullScope = new cognito.ResourceServerScope({ scopeName: DDAS_PULL_SCOPE_NAME, scopeDescription: 'Pull the DDAS export (POST /gegevens)' });
    const ddas = this.userPool.addResourceServer('Ddas', { identifier: DDAS_PULL_RESOURCE_SERVER, userPoolResourceServerName: `${props.namePrefix}ddas`, scopes: [pullScope] });
    this.pullClient = this.userPool.addClient('DdasPull', {
      userPoolClientName: `${props.namePrefix}ddas-cbs`,
      generateSecret: true,
      authFlows: { userSrp: false },
      oAuth: { flows: { authorizationCodeGrant: false, implicitCodeGrant: false, clientCredentials: true }, scopes: [cognito.OAuthScope.resourceServer(ddas, pullScope)] },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
    });
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }

  private federate(provider: MunicipalIdentityProvider): cognito.IUserPoolIdentityProvider {
    const emailClaim = provider.emailClaim ?? (provider.oidc ? 'email' : SAML_EMAIL_CLAIM);
    const attributeMapping: cognito.AttributeMapping = {
      email: cognito.ProviderAttribute.other(emailClaim),
      custom: { [`custom:${FEDERATED_GROUPS_ATTRIBUTE}`]: cognito.ProviderAttribute.other(provider.groupsClaim) },
    };
    if (provider.oidc) {
      return new cognito.UserPoolIdentityProviderOidc(this, `Idp-${provider.name}`, {
        userPool: this.userPool,
        name: provider.name,
        issuerUrl: provider.oidc.issuerUrl,
        clientId: provider.oidc.clientId,
        // A dynamic reference ({{resolve:secretsmanager:...}}): the value never enters the template.
        clientSecret: provider.oidc.clientSecret.unsafeUnwrap(),
        scopes: ['openid', 'email'],
        attributeMapping,
      });
    }
    return new cognito.UserPoolIdentityProviderSaml(this, `Idp-${provider.name}`, {
      userPool: this.userPool,
      name: provider.name,
      metadata: cognito.UserPoolIdentityProviderSamlMetadata.url(provider.saml!.metadataUrl),
      attributeMapping,
    });
  }
}

export class FederationError extends Error {
  readonly code = 'FEDERATION_INVALID';
  constructor(provider: string, problem: string) {
    super(`identity provider ${provider}: ${problem}`);
    this.name = 'FederationError';
  }
}

/** One kind of provider, and every mapped group one of this municipality's. */
function checkFederation(provider: MunicipalIdentityProvider, policy: CompiledPolicy, known: ReturnType<typeof workspaceGroups>): void {
  if (Boolean(provider.oidc) === Boolean(provider.saml)) throw new FederationError(provider.name, 'give either oidc or saml');
  const municipalityOf = (role: WorkspaceRole) => (role.kind === 'team' ? policy.team(role.team)?.municipalityCode : role.municipalityCode);
  for (const [theirs, ours] of Object.entries(provider.groups)) {
    const group = known.find((g) => g.name === ours);
    if (!group) throw new FederationError(provider.name, `its group "${theirs}" maps to "${ours}", which is not a workspace group`);
    if (municipalityOf(group.role) !== provider.municipalityCode) {
      throw new FederationError(provider.name, `its group "${theirs}" maps to "${ours}", which is not a group of ${provider.municipalityCode}`);
    }
  }
}
