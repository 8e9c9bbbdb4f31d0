/**
 * The whole CDK app, built from a policy: shared by the CLI entry (bin/app.ts) and the tests,
 * so that what the tests check is what `cdk synth` produces.
 *
 * Stacks:
 * - `<Stack>-Pipeline`: buses, partner ingress, stages, table, household key, AppConfig,
 *   reminders, monitoring.
 * - `<Stack>-Teams-<municipality>`: the team inboxes of one municipality (`shared` for the
 *   catch-all team), split further only past TEAMS_PER_STACK teams.
 * - `<Stack>-PartnerOutcomes-<n>`: partner outcome rules, PARTNERS_PER_OUTCOME_STACK per stack.
 * - `<Stack>-Workspace`: the team workspace (Cognito, CloudFront, its function), and the e-mail
 *   notices to its members (SES, the notify buffer, the digest schedule).
 */
import { Annotations, App, Tags, Validations, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BUSES, RULES } from '@vroegsignaal/events';
import { compilePolicy, policySchema, type Policy } from '@vroegsignaal/policy';
import type { PartnerGrant } from './lib/partner-shards.ts';
import { DEFAULT_NAME_PREFIX } from './lib/names.ts';
import { chunk, PARTNERS_PER_OUTCOME_STACK, planTeamStacks, RULES_PER_BUS_QUOTA, TEAMS_PER_STACK, type TeamStackPlan } from './lib/stack-plan.ts';
import { PartnersStack } from './stacks/partners-stack.ts';
import { PipelineStack } from './stacks/pipeline-stack.ts';
import { TeamsStack } from './stacks/teams-stack.ts';
import { WorkspaceStack, type WorkspaceStackProps } from './stacks/workspace-stack.ts';

const CROSS_STACK_REFERENCES = '@aws-cdk/core:defaultCrossStackReferences';
/**
 * An EventBridge rule's SQS target on a KMS-encrypted queue gets a queue policy statement (and
 * a key statement) for events.amazonaws.com; without this flag aws-cdk-lib 2.276 puts no
 * condition on either, so a rule in any account could write to our buffers. With it both carry
 * aws:SourceAccount = this account (BufferedConsumer narrows the queue's to its own rule).
 */
const EVENTS_TARGET_QUEUE_SAME_ACCOUNT = '@aws-cdk/aws-events:eventsTargetQueueSameAccount';

export interface BuildAppOptions {
  readonly policy: Policy;
  /** Deletion protection, RETAIN and termination protection. @default false */
  readonly production?: boolean;
  /** Prefix of physical names (buses, team queues and roles, alarms). @default `vroegsignaal-` */
  readonly namePrefix?: string;
  /** Prefix of stack names. @default `Vroegsignaal` */
  readonly stackPrefix?: string;
  /** Run cdk-nag's AwsSolutions checks at synth; findings fail the synth. @default true */
  readonly nag?: boolean;
  readonly alarmEmail?: string;
  /** An App to build into (the CLI's); otherwise a new one with `context` and `outdir`. */
  readonly app?: App;
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
  readonly env?: Environment;
  /** For tests: a smaller bus policy budget. */
  readonly busPolicyBudgetChars?: number;
  /** For tests: fewer teams per stack. @default TEAMS_PER_STACK */
  readonly teamsPerStack?: number;
  /** The workspace's custom domain, web ACL and municipalities' identity providers. @default none */
  readonly workspace?: Pick<WorkspaceStackProps, 'domain' | 'webAclArn' | 'federation' | 'noticeSenderDomain'>;
}

export interface BuiltApp {
  readonly app: App;
  readonly pipeline: PipelineStack;
  readonly teams: TeamsStack[];
  readonly partners: PartnersStack[];
  readonly teamPlan: TeamStackPlan[];
  readonly workspace: WorkspaceStack;
}

export function buildApp(options: BuildAppOptions): BuiltApp {
  const app = options.app ?? new App({ context: options.context, outdir: options.outdir });
  // Cross-stack references (team queue key, signals bus, alarm topic) as CloudFormation
  // exports, which protect the producer from deleting what a teams stack still uses.
  if (app.node.tryGetContext(CROSS_STACK_REFERENCES) === undefined) app.node.setContext(CROSS_STACK_REFERENCES, 'strong');
  // Also in cdk.json; set here too so that the tests' apps build what `cdk synth` builds.
  if (app.node.tryGetContext(EVENTS_TARGET_QUEUE_SAME_ACCOUNT) === undefined) app.node.setContext(EVENTS_TARGET_QUEUE_SAME_ACCOUNT, true);
  const namePrefix = options.namePrefix ?? DEFAULT_NAME_PREFIX;
  const stackPrefix = options.stackPrefix ?? 'Vroegsignaal';
  const production = options.production ?? false;
  const env = options.env;
  // What AppConfig would refuse is refused here already (loadPolicyDir checks more, across files).
  const policy = policySchema.parse(options.policy);
  const compiled = compilePolicy(policy);

  const grants: PartnerGrant[] = policy.partners.flatMap((p) => (p.accountId ? [{ partnerId: p.id, accountId: p.accountId }] : []));
  const withoutAccount = policy.partners.filter((p) => !p.accountId).map((p) => p.id);

  const pipeline = new PipelineStack(app, `${stackPrefix}-Pipeline`, {
    env,
    description: 'vroegsignaal: buses, partner ingress, pipeline functions, household table, policy config, monitoring',
    namePrefix,
    policy,
    partners: grants,
    partnersWithoutAccount: withoutAccount,
    production,
    alarmEmail: options.alarmEmail,
    busPolicyBudgetChars: options.busPolicyBudgetChars,
  });

  const slugOf = (code: string | null) => (code === null ? null : (compiled.municipality(code)?.slug ?? code.toLowerCase()));
  const perStack = options.teamsPerStack ?? TEAMS_PER_STACK;
  const teamPlan = planTeamStacks(
    compiled.teams().map((t) => ({ id: t.id, municipality: slugOf(t.municipalityCode) })),
    perStack,
  );
  const teams = teamPlan.map(
    (plan) =>
      new TeamsStack(app, `${stackPrefix}-Teams-${plan.name}`, {
        env,
        description: `vroegsignaal: alert queues and roles of the teams of ${plan.name}`,
        namePrefix,
        teamIds: plan.teamIds,
        teamQueueKey: pipeline.teamQueueKey,
        signalsBus: pipeline.buses.signals,
        alarmAction: pipeline.monitoring.alarmAction,
        terminationProtection: production,
      }),
  );
  for (const plan of teamPlan.filter((p) => /-\d+$/.test(p.name))) {
    Annotations.of(pipeline).addWarningV2(
      'vroegsignaal:teams-stack-split',
      `teams stack ${plan.name}: a municipality with more than ${perStack} teams is split in team-id order; adding a team there can move later teams to the next stack (their queues would be recreated).`,
    );
  }

  const partners = chunk(grants, PARTNERS_PER_OUTCOME_STACK).map((group, index) => {
    const stack = new PartnersStack(app, `${stackPrefix}-PartnerOutcomes-${index + 1}`, {
      env,
      description: `vroegsignaal: outcome forwarding to partners (group ${index + 1})`,
      namePrefix,
      pipelineBusName: pipeline.buses.pipeline.eventBusName,
      partners: group,
      alarmAction: pipeline.monitoring.alarmAction,
      groupName: String(index + 1),
      production,
      table: pipeline.table.table,
      tableKey: pipeline.table.key,
      terminationProtection: production,
    });
    stack.addStackDependency(pipeline, 'rules on the pipeline bus');
    return stack;
  });
  const pipelineBusRules = Object.values(RULES).filter((rule) => rule.bus === BUSES.pipeline).length + grants.length;
  if (pipelineBusRules > RULES_PER_BUS_QUOTA) {
    Annotations.of(pipeline).addWarningV2(
      'vroegsignaal:rules-per-bus',
      `the pipeline bus gets ${pipelineBusRules} rules (one outcome rule per partner with an account); EventBridge allows ${RULES_PER_BUS_QUOTA} per bus by default: raise the "Rules per event bus" quota before deploying.`,
    );
  }

  const workspace = new WorkspaceStack(app, `${stackPrefix}-Workspace`, {
    env,
    description: 'vroegsignaal: the team workspace (Cognito user pool, CloudFront, HTTP API, workspace function)',
    namePrefix,
    policy: compiled,
    table: pipeline.table,
    pipelineBus: pipeline.buses.pipeline,
    policyConfig: pipeline.policyConfig,
    alarmAction: pipeline.monitoring.alarmAction,
    production,
    ...options.workspace,
  });

  Tags.of(app).add('project', 'vroegsignaal');
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, pipeline, teams, partners, teamPlan, workspace };
}
