/**
 * One logger for every function, created once per container, and the metrics helpers.
 * Log and metric fields are ids, counts and codes only: never an address, a name or contact
 * data (the household appears only as its pseudonymous reference).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SentMessage, TeamReportResult } from '@vroegsignaal/domain';
import { TELEMETRY } from '@vroegsignaal/adapters';

export const logger = new Logger({ serviceName: TELEMETRY.serviceName });

/** Metrics of one handler, its own warnings going through its logger rather than bare to stderr. */
export function handlerMetrics(log: Logger): Metrics {
  return new Metrics({ namespace: TELEMETRY.metricsNamespace, serviceName: TELEMETRY.serviceName, logger: log });
}
/** For one-off counts with their own dimension (singleMetric publishes at once). */
const metrics = handlerMetrics(logger);
export { MetricUnit };

/** Counts one occurrence under a low-cardinality dimension (an outcome, a rule, a team id). */
export function countWith(name: string, dimension: string, value: string, count = 1): void {
  const single = metrics.singleMetric();
  single.addDimension(dimension, value);
  single.addMetric(name, MetricUnit.Count, count);
}

/** Logs and counts the team messages a use case sent (ingest sends most; route the rest). */
export function reportSentMessages(log: Logger, householdRef: string, sent: SentMessage[]): void {
  for (const message of sent) {
    countWith(message.kind === 'alert' ? 'AlertsSent' : 'UpdatesSent', 'team', message.team);
    // Overdue now = OverdueReminders - OverdueCleared, per team of the alert (infra's dashboard).
    if (message.reason === 'overdue') countWith('OverdueReminders', 'team', message.team);
    if (message.reason === 'overdue-escalated') countWith('OverdueEscalations', 'team', message.alertTeam ?? message.team);
    log.info(`${message.kind} sent`, {
      householdRef,
      team: message.team,
      alertLevel: message.level,
      alertId: message.alertId,
      capacityExceeded: message.capacityExceeded,
      ...(message.reason ? { reason: message.reason } : {}),
      ...(message.alertTeam ? { alertTeam: message.alertTeam } : {}),
    });
    if (message.capacityExceeded) {
      countWith('CapacityExceeded', 'team', message.team);
      log.warn('team is past its yearly capacity; the alert is delivered and flagged', { team: message.team, alertId: message.alertId });
    }
  }
}

/** Counts and logs what became of a team's report: the team-report stage's and the workspace's alike. */
export function reportTeamReport(log: Logger, entry: { id?: string; source: unknown }, result: TeamReportResult): void {
  countWith('TeamReports', 'outcome', result.outcome);
  // The other side of the overdue count deliver keeps: an overdue alert that a report took on.
  if (result.overdueCleared) countWith('OverdueCleared', 'team', result.overdueCleared.team);
  if (result.rejection) {
    countWith('TeamReportsRejected', 'rule', result.rejection);
    log.warn('team report rejected', { eventId: entry.id, source: entry.source, rule: result.rejection });
  } else {
    log.info('team report handled', { eventId: entry.id, source: entry.source, outcome: result.outcome });
  }
}
