/** The context Lambda hands a function, as the local runtime hands it to the deployed handlers. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export interface LocalContextOptions {
  functionName: string;
  region: string;
  account: string;
  /** The invocation's time limit: what getRemainingTimeInMillis counts down from. */
  timeoutSeconds: number;
  memoryLimitInMB: number;
  /** One per function instance, as Lambda names them; a fresh one by default. */
  logStreamName?: string;
}

/** A log stream name as Lambda makes one: the date, the version and an instance id. */
export function localLogStreamName(): string {
  return `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/** A context for one invocation, its deadline counted from now. */
export function localLambdaContext(options: LocalContextOptions): Context {
  const { functionName } = options;
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const unsupported = (): never => {
    throw new Error('Callback-style context methods are not supported locally; return a promise.');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:${options.account}:function:${functionName}`,
    memoryLimitInMB: String(options.memoryLimitInMB),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: options.logStreamName ?? localLogStreamName(),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
