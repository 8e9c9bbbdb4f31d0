/**
 * Every handler is wrapped the same way, in the same order: Lambda context into the logger
 * first (so every line carries the request id), then metrics flushed after the handler.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger, metrics, MetricUnit } from './observability.ts';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function middify(handler: SqsHandler) {
  const countBatch: SqsHandler = (event, context) => {
    metrics.addMetric('BatchRecords', MetricUnit.Count, event.Records.length);
    return handler(event, context);
  };
  return middy(countBatch).use(injectLambdaContext(logger, { resetKeys: true })).use(logMetrics(metrics));
}
