/**
 * Per-partner ingestion: the resource policies that let each registered partner's AWS account
 * put events on our bus, only with its own source (`partner.<id>`), generated from the partner
 * registry in the policy config.
 *
 * Partners are spread over the signals bus and, when the policy would outgrow EventBridge's
 * size limit, partner ingress buses that forward everything to the signals bus (see
 * lib/partner-shards.ts for the limit and the assignment). A partner without an account id in
 * the registry gets no statement: it cannot send until its account is registered, and the app
 * warns at synth.
 */
import { Annotations, Aws, CfnOutput, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PARTNER_SOURCE_PREFIX } from '@vroegsignaal/events';
import { busPolicyDocument, partnerStatement, planPartnerShards, type PartnerGrant, type PartnerShard } from '../lib/partner-shards.ts';
import { names } from '../lib/names.ts';

export interface PartnerIngressProps {
  readonly namePrefix: string;
  /** The signals bus: shard 0, and where every ingress bus forwards to. */
  readonly signalsBus: events.EventBus;
  /** Partners with their account, in registry order. */
  readonly partners: readonly PartnerGrant[];
  /** Ids of registered partners without an account id, for the warning. */
  readonly partnersWithoutAccount?: readonly string[];
  /** Where an ingress bus's forwarding rule puts what it cannot deliver (the ingest DLQ). */
  readonly deadLetterQueue: sqs.IQueue;
  /** @default EVENT_BUS_POLICY_BUDGET_CHARS */
  readonly policyBudgetChars?: number;
}

export class PartnerIngress extends Construct {
  readonly shards: PartnerShard[];
  /** Partner ingress buses, shard 1 onwards (empty while every partner fits on the signals bus). */
  readonly ingressBuses: events.EventBus[] = [];

  constructor(scope: Construct, id: string, props: PartnerIngressProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.shards = planPartnerShards(props.partners, {
      signalsBusName: names.signalsBus(props.namePrefix),
      ingressBusName: (index) => names.partnerIngressBus(props.namePrefix, index),
      budgetChars: props.policyBudgetChars,
    });
    // The bus's own ARN, built from its name: a policy on the bus resource cannot GetAtt it.
    const busArn = (busName: string) => stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: busName });
    const policyFor = (shard: PartnerShard) =>
      busPolicyDocument(shard.partners.map((grant) => partnerStatement(grant, busArn(shard.busName), Aws.PARTITION)));

    const [signalsShard, ...ingressShards] = this.shards;
    if (signalsShard && signalsShard.partners.length > 0) {
      (props.signalsBus.node.defaultChild as events.CfnEventBus).policy = policyFor(signalsShard);
    }
    new CfnOutput(this, 'SignalsBusArn', {
      value: props.signalsBus.eventBusArn,
      description: `Bus for teams and for partners ${signalsShard?.partners.map((p) => p.partnerId).join(', ') || '(none)'}`.slice(0, 1024),
    });

    if (ingressShards.length > 0) {
      const forwardRole = new iam.Role(this, 'ForwardRole', {
        assumedBy: new iam.ServicePrincipal('events.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
        description: 'Forwards partner entries from the partner ingress buses to the signals bus',
      });
      for (const shard of ingressShards) {
        const bus = new events.EventBus(this, `Bus${shard.index}`, {
          eventBusName: shard.busName,
          description: `vroegsignaal: partner ingress ${shard.index}, forwards to the signals bus`,
        });
        (bus.node.defaultChild as events.CfnEventBus).policy = policyFor(shard);
        new events.Rule(this, `Forward${shard.index}`, {
          eventBus: bus,
          description: 'Everything partners put here, to the signals bus',
          // The bus policy admits partner sources only, so this matches everything on the bus.
          eventPattern: { source: events.Match.prefix(PARTNER_SOURCE_PREFIX) },
          targets: [
            new targets.EventBus(props.signalsBus, {
              role: forwardRole,
              deadLetterQueue: props.deadLetterQueue,
            }),
          ],
        });
        new CfnOutput(this, `Bus${shard.index}Arn`, {
          value: bus.eventBusArn,
          description: `Bus for partners ${shard.partners.map((p) => p.partnerId).join(', ')}`.slice(0, 1024),
        });
        this.ingressBuses.push(bus);
      }
    }

    if (props.partnersWithoutAccount && props.partnersWithoutAccount.length > 0) {
      Annotations.of(this).addWarningV2(
        'vroegsignaal:partner-without-account',
        `${props.partnersWithoutAccount.length} partner(s) have no accountId in the policy and cannot send until it is registered: ${props.partnersWithoutAccount.join(', ')}`,
      );
    }
  }
}
