/**
 * The house Lambda construct: every pipeline function is a NodejsFunction with the same
 * defaults, so they cannot drift apart. What differs per function (entry, environment,
 * permissions) is added with the bind helpers in `bind.ts`, which set an environment variable
 * and the matching grant in one call.
 */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TELEMETRY } from '@vroegsignaal/adapters';
import { acknowledge } from '../lib/acknowledge.ts';

/** The repository root: esbuild resolves the workspace packages from here. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Node.js 24 is the newest Lambda runtime for Node (cdk-nag AwsSolutions-L1 asks for the
 * newest); bundles built by esbuild on the Node 20 build machine target it.
 */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;
const ESBUILD_TARGET = 'node24';

/** How every function is bundled; the benchmark builds the same bundles to measure them. */
export const FUNCTION_BUNDLING = {
  format: OutputFormat.ESM,
  target: ESBUILD_TARGET,
  platform: 'node',
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.EXTERNAL,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // The Node.js runtime ships the AWS SDK v3; bundling it too would make every function over
  // twice as large (about 600 KB instead of 200 KB minified) and its cold start slower. The
  // price: the SDK version that runs is the runtime's, not package-lock.json's. The pipeline
  // uses long-stable SDK APIs only (DynamoDB, SQS, EventBridge, Scheduler, AppConfig Data,
  // Secrets Manager), so that trade is taken; set true to pin the SDK instead.
  bundleAwsSDK: false,
  // Some CommonJS dependencies call require(); ESM bundles have none of their own.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
} as const satisfies BundlingOptions;

/** Bundling hooks that copy repository files beside the bundled entry (by their own names). */
function copyBeside(files: readonly string[]): NonNullable<BundlingOptions['commandHooks']> {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => files.map((file) => `cp "${inputDir}/${file}" "${outputDir}/${basename(file)}"`),
  };
}

export interface PipelineFunctionProps {
  /** The folder under `functions/` whose `index.ts` exports `handler`, e.g. `ingest`. */
  readonly name: string;
  /**
   * The function's physical name. Named, so that alarms can name it without a reference to the
   * function: the policy rollback alarm must not depend on the functions that depend on the
   * policy.
   */
  readonly functionName: string;
  readonly description: string;
  /** @default 512 MiB */
  readonly memorySize?: number;
  /** @default 30 seconds; a buffer queue's visibility timeout is six times this. */
  readonly timeout?: Duration;
  /**
   * Reserved concurrency. The SQS-fed functions here are capped with the event source's
   * maximum concurrency instead (see BufferedConsumer): reserved concurrency below the number
   * of SQS pollers throttles receives, and throttled messages count towards the DLQ.
   * @default none
   */
  readonly reservedConcurrentExecutions?: number;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** RETAIN keeps the log group when the stack is deleted. @default DESTROY */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Files, relative to the repository root, copied beside the bundle's entry file, for code that
   * reads a file beside its own module (`new URL('./x', import.meta.url)`). @default none
   */
  readonly bundledFiles?: readonly string[];
}

export class PipelineFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** The folder name, e.g. `ingest`, for alarm names and dashboards. */
  readonly shortName: string;
  /** The physical name, as a plain string (no reference to the function). */
  readonly physicalName: string;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    this.shortName = props.name;
    if (props.functionName.length > 64) throw new Error(`function name "${props.functionName}" is longer than 64 characters`);
    this.physicalName = props.functionName;
    // Lambda's conventional name, so operators and the README's queries find it.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    // An own role instead of the AWSLambdaBasicExecutionRole managed policy: the function may
    // write to its own log group and nowhere else.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `vroegsignaal ${props.name} function`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.fn = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      entry: `${REPO_ROOT}functions/${props.name}/index.ts`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      role: this.role,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: TELEMETRY.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: TELEMETRY.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
      bundling: { ...FUNCTION_BUNDLING, commandHooks: props.bundledFiles ? copyBeside(props.bundledFiles) : undefined },
    });

    // Tracing ACTIVE adds xray:PutTraceSegments and xray:PutTelemetryRecords on "*".
    acknowledge(this.role, 'AwsSolutions-IAM5[Resource::*]', 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions, so tracing needs Resource "*".');
  }

  /** Sets an environment variable; bind helpers call this together with the grant. */
  addEnvironment(name: string, value: string): void {
    this.fn.addEnvironment(name, value);
  }

  /** An AWS/Lambda metric of this function, by its physical name (no reference to the function). */
  metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName, dimensionsMap: { FunctionName: this.physicalName }, ...props });
  }

  /** The region-local ARN of something this function's stack owns, for scoped statements. */
  arn(service: string, resource: string): string {
    const stack = Stack.of(this);
    return `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
  }
}
