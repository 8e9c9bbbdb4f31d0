/**
 * The household key: the HMAC-SHA-256 secret under which an address becomes a household
 * reference. It lives in Secrets Manager, not as a KMS HMAC key: the functions read it once
 * per cold start (Powertools caches it), while a KMS HMAC key would add a KMS request, with
 * its latency, cost and request quota, to every signal on the hot path.
 *
 * It is never rotated: the reference is the household's identity, and a new key would make
 * every stored household a stranger. It is kept when the stack is deleted in production.
 *
 * Who can read it: the roles given to `grantRead` (the ingest function's) and the break-glass
 * role below, nobody else, whatever IAM policies the account holds. Two locks:
 * - The secret's resource policy denies secretsmanager:GetSecretValue to every principal but
 *   those roles (aws:PrincipalArn). DescribeSecret (metadata, never the value) is left to IAM:
 *   CloudFormation describes the secret when it updates it, and AWS Config and Security Hub
 *   evaluate it; denying it would buy no secrecy and break both.
 * - Its own KMS key's policy gives the account root key administration only, no cryptographic
 *   use (CDK's default policy gives root kms:*, which IAM would pass on to any admin); Decrypt
 *   through Secrets Manager goes to the readers, and GenerateDataKey and Decrypt through Secrets
 *   Manager to the role CloudFormation creates the secret as: CreateSecret with a
 *   customer-managed key needs both. That role cannot read the value: the secret's policy
 *   denies it GetSecretValue.
 *
 * The break-glass role exists for re-keying or recovering the table by hand. By default it
 * may be assumed by a principal of this account that signed in with MFA within the hour and
 * that the account's IAM allows sts:AssumeRole on it: reading the key then takes both an
 * administrator's grant and a fresh second factor, and CloudTrail records every use. Who holds
 * that duty is the operator's choice, made in their own IAM and unknown to this repository, so
 * no principal is named by default; `breakGlassPrincipal` names one instead (e.g. an Identity
 * Center permission set's role: federated sessions carry no MFA key, Identity Center enforces
 * MFA at sign-in).
 */
import { Annotations, CfnOutput, DefaultStackSynthesizer, Duration, Fn, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../lib/acknowledge.ts';
import { names } from '../lib/names.ts';
import { dataKey } from './keys.ts';

/**
 * Key administration without cryptographic use: CDK's key-administrator actions
 * (`Key.grantAdmin`) with kms:Create* narrowed to kms:CreateAlias, since kms:CreateGrant would
 * hand out Decrypt without a change to this policy. kms:PutKeyPolicy stays: KMS refuses a key
 * policy that would lock out its own administrators.
 */
export const KEY_ADMIN_ACTIONS = [
  'kms:CreateAlias',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

export interface HouseholdKeyProps {
  /** Prefix of the break-glass role's name. */
  readonly namePrefix: string;
  /** RETAIN for the secret and its key. @default false */
  readonly production?: boolean;
  /** Who may assume the break-glass role. @default principals of this account signed in with MFA within the hour */
  readonly breakGlassPrincipal?: iam.IPrincipal;
  /**
   * The role CloudFormation deploys the stack as, which creates the secret.
   * @default the CloudFormation execution role of `cdk bootstrap` (DefaultStackSynthesizer)
   */
  readonly deployerRoleArn?: string;
}

export class HouseholdKey extends Construct {
  readonly secret: secretsmanager.Secret;
  readonly key: kms.Key;
  /** Reads the secret in an emergency; its ARN is a stack output. */
  readonly breakGlassRole: iam.Role;
  private readonly readerArns: string[] = [];
  private readonly decryptForReaders: iam.PolicyStatement;

  constructor(scope: Construct, id: string, props: HouseholdKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const removalPolicy = props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.breakGlassRole = new iam.Role(this, 'BreakGlassRole', {
      roleName: names.householdKeyBreakGlassRole(props.namePrefix),
      assumedBy:
        props.breakGlassPrincipal ??
        new iam.AccountRootPrincipal().withConditions({
          Bool: { 'aws:MultiFactorAuthPresent': 'true' },
          NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' },
        }),
      maxSessionDuration: Duration.hours(1),
      description: 'Break glass: read the household key secret, to re-key or recover the household table by hand',
    });

    const viaSecretsManager = {
      StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com`, 'kms:CallerAccount': stack.account },
    };
    const keyPolicy = new iam.PolicyDocument();
    keyPolicy.addStatements(new iam.PolicyStatement({ sid: 'KeyAdministration', principals: [new iam.AccountRootPrincipal()], actions: KEY_ADMIN_ACTIONS, resources: ['*'] }));
    // Its principals are the readers, added by grantRead.
    this.decryptForReaders = new iam.PolicyStatement({
      sid: 'ReadersDecryptThroughSecretsManager',
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: viaSecretsManager,
    });
    keyPolicy.addStatements(this.decryptForReaders);
    const deployer = props.deployerRoleArn ?? bootstrapDeployerRoleArn(stack);
    if (deployer) {
      keyPolicy.addStatements(
        new iam.PolicyStatement({
          sid: 'DeployerCreatesThroughSecretsManager',
          principals: [new iam.ArnPrincipal(deployer)],
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: ['*'],
          conditions: viaSecretsManager,
        }),
      );
    } else {
      Annotations.of(this).addWarningV2(
        'vroegsignaal:household-key-deployer',
        'the stack synthesizer names no CloudFormation execution role: give HouseholdKey a deployerRoleArn, or CloudFormation cannot create the household key secret under its key',
      );
    }
    this.key = dataKey(this, 'Key', { description: 'household key secret', removalPolicy, policy: keyPolicy });

    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'vroegsignaal: HMAC-SHA-256 key for household references (64 random characters)',
      removalPolicy,
      generateSecretString: {
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
      },
    });
    // The key is set on the resource rather than given to the construct: given `encryptionKey`,
    // aws-cdk-lib's Secret (2.276) adds key policy statements that let the whole account
    // encrypt, decrypt and create grants through Secrets Manager, the very path this key's
    // policy keeps closed; and grantRead would add each reader a second time.
    (this.secret.node.defaultChild as secretsmanager.CfnSecret).kmsKeyId = this.key.keyArn;
    acknowledge(
      this.secret,
      'AwsSolutions-SMG4',
      'The household key must not rotate: a household reference is the HMAC of its address under this key, so a new key would make every stored household unrecognisable.',
    );
    this.secret.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyNamedReaders',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['secretsmanager:GetSecretValue'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': Lazy.list({ produce: () => this.readerArns }) } },
      }),
    );
    this.grantRead(this.breakGlassRole);

    new CfnOutput(this, 'BreakGlassRoleArn', {
      value: this.breakGlassRole.roleArn,
      description: 'Break glass: assume (with MFA) to read the household key secret, for re-keying or recovery only',
    });
  }

  /**
   * Lets `role` read the secret: GetSecretValue and DescribeSecret in its IAM policy, an
   * exception in the secret's deny, and Decrypt through Secrets Manager in the key's policy.
   */
  grantRead(role: iam.IRole): void {
    this.secret.grantRead(role);
    this.readerArns.push(role.roleArn);
    this.decryptForReaders.addPrincipals(role);
  }
}

/** The CloudFormation execution role `cdk bootstrap` made, when the stack deploys with it. */
function bootstrapDeployerRoleArn(stack: Stack): string | undefined {
  const synthesizer = stack.synthesizer;
  return synthesizer instanceof DefaultStackSynthesizer ? Fn.sub(synthesizer.cloudFormationExecutionRoleArn) : undefined;
}
