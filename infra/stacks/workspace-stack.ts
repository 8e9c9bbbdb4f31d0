/**
 * The team workspace (issue 15): its identity (Cognito), its site (CloudFront, the HTTP API,
 * the static files) and its function, which works the household table and the pipeline bus as
 * the team-report function does. Its own stack: one Cognito group per team and three per
 * municipality would crowd the pipeline stack, and the teams stacks are split per
 * municipality while the workspace is one for all (lib/stack-plan.ts). It depends on the
 * pipeline stack for the table, the bus and the policy.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { INDEXES } from '@vroegsignaal/adapters';
import type { CompiledPolicy } from '@vroegsignaal/policy';
import { bindOriginSecret, bindPipelineBus, bindPolicy, bindSessionSecret, bindTable, bindTableIndex, bindWorkspaceIdentity, type TableAccess } from '../constructs/bind.ts';
import type { HouseholdTable } from '../constructs/household-table.ts';
import { MonthlyMonitor } from '../constructs/monthly-monitor.ts';
import { PipelineFunction, REPO_ROOT } from '../constructs/pipeline-function.ts';
import type { PolicyConfig } from '../constructs/policy-config.ts';
import { MemberNotices } from '../constructs/member-notices.ts';
import { WorkspaceIdentity, type MunicipalIdentityProvider } from '../constructs/workspace-identity.ts';
import { ORIGIN_HEADER, WorkspaceSite, type WorkspaceSiteProps } from '../constructs/workspace-site.ts';
import { acknowledge } from '../lib/acknowledge.ts';

/**
 * What the workspace does in the household table, by kind of item (followed from
 * functions/workspace/app.ts through the domain's use cases to packages/adapters): the alert
 * page reads the alert and its household (the address and contacts are shown there); a
 * member's report goes through the team-report use case, which writes the household and the
 * alert's index record; every view of an address writes an access record, and the privacy
 * officer reads a municipality's month of them. The inbox reads the alert index through its
 * team index (bindTableIndex); nothing scans. E-mail notices' settings: the login registers the
 * member, the settings pages read and write a member and a team's defaults and list the
 * members of a coordinator's teams (the members partition) and a member's sent notices.
 */
export const WORKSPACE_TABLE_ACCESS = {
  get: ['household', 'alert', 'members'],
  // The DDAS export's households, a hundred keys a request (MonitorSource.households).
  batchGet: ['household'],
  put: ['household', 'access', 'members'],
  update: ['alert'],
  query: ['access', 'members', 'sentNotice'],
} as const satisfies TableAccess;

/** The workspace's static files, in the repository. */
const STATIC_FOLDER = 'functions/workspace/static';

export interface WorkspaceStackProps extends StackProps {
  readonly namePrefix: string;
  readonly policy: CompiledPolicy;
  readonly table: HouseholdTable;
  readonly pipelineBus: events.IEventBus;
  readonly policyConfig: PolicyConfig;
  readonly production: boolean;
  /** Where the workspace's alarm goes (the pipeline's alarm topic). */
  readonly alarmAction: cloudwatch.IAlarmAction;
  readonly domain?: WorkspaceSiteProps['domain'];
  readonly webAclArn?: string;
  readonly federation?: readonly MunicipalIdentityProvider[];
  /** The domain e-mail notices are sent from (MemberNotices). @default DEFAULT_NOTICE_SENDER_DOMAIN */
  readonly noticeSenderDomain?: string;
}

export class WorkspaceStack extends Stack {
  readonly identity: WorkspaceIdentity;
  readonly site: WorkspaceSite;
  readonly app: PipelineFunction;
  readonly sessionSecret: secretsmanager.Secret;
  readonly originSecret: secretsmanager.Secret;
  /** The municipalities' monitor, filed on the 1st of every month. */
  readonly monthlyMonitor: MonthlyMonitor;
  /** E-mail notices to members, whose links lead to this workspace. */
  readonly notices: MemberNotices;

  constructor(scope: Construct, id: string, props: WorkspaceStackProps) {
    super(scope, id, { terminationProtection: props.production, ...props });
    const prefix = props.namePrefix;
    const removalPolicy = props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.app = new PipelineFunction(this, 'workspace', {
      name: 'workspace',
      functionName: `${prefix}workspace`,
      description: 'The team workspace: inbox, alert pages and reports, behind CloudFront',
      // More memory is more CPU: a quicker cold start and page render for a waiting member.
      memorySize: 1024,
      timeout: Duration.seconds(15),
      removalPolicy,
      // The pages link the stylesheet with a hash of its content, read beside the bundle.
      bundledFiles: [`${STATIC_FOLDER}/workspace.css`],
    });
    this.originSecret = new secretsmanager.Secret(this, 'OriginSecret', {
      description: 'vroegsignaal workspace: what CloudFront tells the API, so that only CloudFront is answered',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.site = new WorkspaceSite(this, 'Site', {
      originSecret: this.originSecret,
      namePrefix: prefix,
      app: this.app,
      staticDir: `${REPO_ROOT}${STATIC_FOLDER}`,
      production: props.production,
      domain: props.domain,
      webAclArn: props.webAclArn,
    });
    this.identity = new WorkspaceIdentity(this, 'Identity', {
      namePrefix: prefix,
      policy: props.policy,
      origin: this.site.origin,
      production: props.production,
      federation: props.federation,
    });
    this.sessionSecret = new secretsmanager.Secret(this, 'SessionSecret', {
      description: 'vroegsignaal workspace: the key of its session cookies and CSRF tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.sessionSecret,
      'AwsSolutions-SMG4',
      'The session key protects sessions of at most 30 minutes idle; replace it by hand (a new value logs every member out) instead of a rotation function that would do the same on a schedule.',
    );

    bindTable(this.app, props.table, WORKSPACE_TABLE_ACCESS);
    bindTableIndex(this.app, props.table, INDEXES.openByTeam.name);
    // The monitor and the export: a municipality's month, never a scan.
    bindTableIndex(this.app, props.table, INDEXES.byMonth.name);
    bindPipelineBus(this.app, props.pipelineBus);
    bindPolicy(this.app, props.policyConfig);
    bindSessionSecret(this.app, this.sessionSecret);
    bindOriginSecret(this.app, { header: ORIGIN_HEADER, secret: this.originSecret });
    acknowledge(
      this.originSecret,
      'AwsSolutions-SMG4',
      'CloudFront reads this value only when the stack deploys (a dynamic reference in its origin header); a rotated secret would be refused until the next deployment, so it is changed by deploying a new one.',
    );
    bindWorkspaceIdentity(this.app, { issuer: this.identity.issuer, clientId: this.identity.client.userPoolClientId, origin: this.site.origin, pullClientIds: [this.identity.pullClient.userPoolClientId] });

    this.monthlyMonitor = new MonthlyMonitor(this, 'MonthlyMonitor', { namePrefix: prefix, table: props.table, policyConfig: props.policyConfig, production: props.production });
    this.notices = new MemberNotices(this, 'MemberNotices', {
      namePrefix: prefix,
      senderDomain: props.noticeSenderDomain,
      table: props.table,
      pipelineBus: props.pipelineBus,
      policyConfig: props.policyConfig,
      workspaceOrigin: this.site.origin,
      alarmAction: props.alarmAction,
      production: props.production,
    });

    // A page that fails is answered with an error page by the app, not a failed invocation:
    // the API's 5xx answers are what members see go wrong.
    const serverErrors = new cloudwatch.Alarm(this, 'ServerErrors', {
      alarmName: `${prefix}workspace-server-errors`,
      alarmDescription: 'The team workspace answered with a server error (5xx); its function\'s log says which kind.',
      metric: this.site.api.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    serverErrors.addAlarmAction(props.alarmAction);

    new CfnOutput(this, 'Url', { value: this.site.origin, description: 'The team workspace' });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId, description: 'Invite members here and put them in their team\'s group' });
  }
}
