/**
 * Public AWS list prices the benchmark turns its counts into money with. US East (N. Virginia)
 * is the region whose prices are published most plainly; EU (Ireland), where a Dutch
 * deployment would run, is typically 10-15% higher. Free tiers are left out: at national
 * volumes they do not matter. Check the pricing pages before budgeting.
 */
export const PRICES = {
  region: 'us-east-1',
  asOf: '2025 (after the November 2024 DynamoDB on-demand reduction)',
  dynamodbPerMillionWriteUnits: 0.625,
  dynamodbPerMillionReadUnits: 0.125,
  eventBridgePerMillionCustomEvents: 1.0,
  /** FIFO team queues cost 0.50; buffers are standard queues at 0.40. Taken at 0.40: most requests are buffer requests. */
  sqsPerMillionRequests: 0.4,
  schedulerPerMillionInvocations: 1.0,
  lambdaPerMillionRequests: 0.2,
  /** arm64 */
  lambdaPerGbSecond: 0.0000133334,
  lambdaMemoryGb: 0.5,
  /** Amazon SES outbound e-mail (the members' notices). */
  sesPerThousandEmails: 0.1,
} as const;

export interface Usage {
  signals: number;
  dynamodbReadUnits: number;
  dynamodbWriteUnits: number;
  eventBridgeEvents: number;
  /** The handlers' own requests plus Lambda's receive and delete per batch. */
  sqsRequests: number;
  schedulerRequests: number;
  lambdaInvocations: number;
  /** Handler time measured locally: an estimate of billed duration, not a measurement of Lambda. */
  lambdaMs: number;
  /** E-mail notices sent (SES bills per message). */
  emails: number;
}

export function estimateCost(usage: Usage): { total: number; breakdown: Record<string, number> } {
  const perMillionSignals = 1_000_000 / usage.signals;
  const p = PRICES;
  const breakdown = {
    dynamodb: ((usage.dynamodbWriteUnits * p.dynamodbPerMillionWriteUnits + usage.dynamodbReadUnits * p.dynamodbPerMillionReadUnits) / 1e6) * perMillionSignals,
    eventBridge: ((usage.eventBridgeEvents * p.eventBridgePerMillionCustomEvents) / 1e6) * perMillionSignals,
    sqs: ((usage.sqsRequests * p.sqsPerMillionRequests) / 1e6) * perMillionSignals,
    scheduler: ((usage.schedulerRequests * p.schedulerPerMillionInvocations) / 1e6) * perMillionSignals,
    ses: ((usage.emails * p.sesPerThousandEmails) / 1e3) * perMillionSignals,
    lambda: ((usage.lambdaInvocations * p.lambdaPerMillionRequests) / 1e6 + (usage.lambdaMs / 1000) * p.lambdaMemoryGb * p.lambdaPerGbSecond) * perMillionSignals,
  };
  const rounded = Object.fromEntries(Object.entries(breakdown).map(([k, v]) => [k, Number(v.toFixed(2))]));
  return { total: Number(Object.values(breakdown).reduce((a, b) => a + b, 0).toFixed(2)), breakdown: rounded };
}
