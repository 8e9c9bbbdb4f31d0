/**
 * Shared by the infra tests: policies with partner accounts, an app built the way `cdk synth`
 * builds it but without bundling, and small readers of synthesized templates.
 */
import { loadPolicyDir, type Policy } from '@vroegsignaal/policy';
import { Template } from 'aws-cdk-lib/assertions';
import type { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { buildApp, type BuildAppOptions, type BuiltApp } from '@vroegsignaal/infra';

/**
 * Skip esbuild: unit tests check the templates, not the bundles. Version reporting on, as
 * under the CLI, so that resource counts include the CDK metadata resource.
 */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [], 'aws:cdk:version-reporting': true };

/** A fake 12-digit account id per index. */
export const fakeAccount = (i: number) => String(100_000_000_000 + i);

/** The shipped defaults, every partner with an account id. */
export function defaultsWithAccounts(): Policy {
  const policy = loadPolicyDir();
  return { ...policy, partners: policy.partners.map((p, i) => ({ ...p, accountId: fakeAccount(i) })) };
}

/** The defaults plus `extra` made-up partners (each with an account), `partner-0001`… */
export function withManyPartners(extra: number): Policy {
  const policy = defaultsWithAccounts();
  const more = Array.from({ length: extra }, (_, i) => ({
    id: `partner-${String(i + 1).padStart(4, '0')}`,
    name: `Partner ${i + 1}`,
    kind: 'corporation' as const,
    municipalities: 'all' as const,
    accountId: fakeAccount(1000 + i),
  }));
  return { ...policy, partners: [...policy.partners, ...more] };
}

export function build(options: Omit<BuildAppOptions, 'context'> & { context?: Record<string, unknown> }): BuiltApp {
  return buildApp({ nag: false, ...options, context: { ...SKIP_BUNDLING, ...options.context } });
}

/**
 * A JSON object of a synthesized template. The tests read CloudFormation's properties by their
 * documented names, without a type per resource kind, as `Template.toJSON()` gives them.
 */
// biome-ignore lint/suspicious/noExplicitAny: template JSON, read by CloudFormation's documented property names
export type TemplateObject = Record<string, any>;

export type Resource = { Type: string; Properties?: TemplateObject; DeletionPolicy?: string; UpdateReplacePolicy?: string };
export type Resources = Record<string, Resource>;

/** A resource that has properties. */
export type ResourceWithProperties = Resource & { Properties: TemplateObject };

/** An IAM policy statement as synthesized; the tests read Principal and Resource as objects (a map, an intrinsic). */
export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Principal?: TemplateObject;
  Resource?: TemplateObject;
  Condition?: TemplateObject;
}

/** A `{ "Ref": logicalId }` in a template. */
export type Ref = { Ref?: string };

export function resourcesOf(stack: Stack): Resources {
  return Template.fromStack(stack).toJSON().Resources as Resources;
}

export function ofType(resources: Resources, type: string): [string, Resources[string]][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

/**
 * Resolves the few intrinsics our policies use (Ref of pseudo parameters, Fn::Join) to plain
 * strings, as CloudFormation would in eu-central-1 for account 123456789012: to measure the
 * policy EventBridge will store.
 */
export function resolvePseudo(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolvePseudo);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if ('Ref' in obj && Object.keys(obj).length === 1) {
      const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-central-1', 'AWS::AccountId': '123456789012' };
      const resolved = pseudo[obj.Ref as string];
      if (resolved === undefined) throw new Error(`cannot resolve Ref ${String(obj.Ref)}`);
      return resolved;
    }
    if ('Fn::Join' in obj) {
      const [separator, parts] = obj['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => resolvePseudo(p)).join(separator);
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolvePseudo(v)]));
  }
  return value;
}

/**
 * Warnings added under a construct. CDK 2.276 reports annotations in the validation report,
 * not in the stack artifact that assertions' Annotations reads, so read the construct tree.
 */
export function warningsOf(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data)));
}
