/**
 * One logger and one metrics instance for every function, created once per container.
 * Log and metric fields are ids, counts and codes only: never an address, a name or contact
 * data (the household appears only as its pseudonymous reference).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({ serviceName: 'vroegsignaal' });
// Metrics' own warnings go through the JSON logger too, not bare to stderr.
export const metrics = new Metrics({ namespace: 'Vroegsignaal', serviceName: 'vroegsignaal', logger });
export { MetricUnit };

/** Counts one occurrence under a low-cardinality dimension (an outcome, a rule, a team id). */
export function countWith(name: string, dimension: string, value: string, count = 1): void {
  const single = metrics.singleMetric();
  single.addDimension(dimension, value);
  single.addMetric(name, MetricUnit.Count, count);
}
