/**
 * Every handler is wrapped the same way, in the same order: Lambda context into the logger
 * first (so every line carries the request id), then metrics flushed after the handler.
 * Each handler gets a child of the one logger and metrics of its own: in Lambda a process runs
 * one function, but the local pipeline runs them all in one process, and their request
 * contexts and metric flushes must not mix. Most are SQS batches; the digest (a schedule) and
 * the mail feedback (SNS) are wrapped the same way.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { TELEMETRY } from '@vroegsignaal/adapters';
import { handlerMetrics, logger, MetricUnit } from './observability.ts';

export type LambdaHandler<E, R> = (event: E, context: Context) => Promise<R>;
export type SqsHandler = LambdaHandler<SQSEvent, SQSBatchResponse>;

export interface MiddifyOptions {
  /**
   * The version of the policy in use (policy-version.ts), read at the start of each invocation
   * and put on each of its log lines, so that an ERROR line can be laid at a config deployment's
   * door. @default none (a function without a policy)
   */
  policyVersion?: () => string | undefined;
}

/** Wraps a handler written against its own logger: `middify((log) => async (event, context) => …)`. */
export function middify<E extends { Records?: unknown[] } = SQSEvent, R = SQSBatchResponse>(makeHandler: (log: Logger) => LambdaHandler<E, R>, options: MiddifyOptions = {}) {
  const log = logger.createChild();
  const metrics = handlerMetrics(log);
  const handler = makeHandler(log);
  const countBatch: LambdaHandler<E, R> = (event, context) => {
    // Cleared again after the invocation, with the Lambda context (resetKeys).
    const policyVersion = options.policyVersion?.();
    if (policyVersion) log.appendKeys({ [TELEMETRY.policyVersionField]: policyVersion });
    if (event.Records) metrics.addMetric('BatchRecords', MetricUnit.Count, event.Records.length);
    return handler(event, context);
  };
  return middy(countBatch).use(injectLambdaContext(log, { resetKeys: true })).use(logMetrics(metrics));
}
