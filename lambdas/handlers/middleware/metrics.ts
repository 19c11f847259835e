import type { MiddlewareObj } from '@middy/core';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { IngestResult } from '../../app/ingest-alert.js';

/**
 * The one metrics instance: CloudWatch embedded metric format (EMF) in the function's log, namespace
 * "breachclock", dimension service. Counts only (never personal data). The alarms in the stateless stack
 * read these names; docs/operations.md lists them. Disabled with POWERTOOLS_METRICS_DISABLED=true (tests and
 * the local stack, where nobody reads EMF).
 */
export const metrics = new Metrics({ namespace: 'breachclock', serviceName: 'breachclock' });

export const METRIC = {
  /** Alerts accepted at /alerts/* and from EventBridge (duplicates excluded). */
  alertsIngested: 'AlertsIngested',
  /** Incidents opened by alerts. */
  incidentsOpened: 'IncidentsOpened',
  /** Escalation steps fired by the clock (ladder and regime steps). */
  escalationsFired: 'EscalationsFired',
  /** Legal clocks that went overdue in a sweep (the ladder's overdue step, or a regime's deadline passing). */
  legalClocksOverdue: 'LegalClocksOverdue',
  /** One per completed clock sweep, even an empty one: its absence is the "clock stopped" alarm. */
  sweepsCompleted: 'SweepsCompleted',
  /** Due items a sweep could not settle (retried next minute). */
  sweepErrors: 'SweepErrors',
  /** Slack/SNS deliveries given up on, or scheduled for a retry after an error. */
  deliveriesFailed: 'DeliveriesFailed',
  /** Deliveries given up on for good (a permanent Slack/SNS error, or every attempt used), on either path. */
  deliveriesGivenUp: 'DeliveriesGivenUp',
  /** Pages cut off by a crash that their provider cannot confirm (SNS): parked as unconfirmed for review, not sent again. */
  deliveriesUnconfirmed: 'DeliveriesUnconfirmed',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

export function count(name: MetricName, value: number): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}

/** An ingest request's results: alerts accepted (duplicates excluded) and incidents opened. */
export function countIngested(results: readonly IngestResult[]): void {
  count(METRIC.alertsIngested, results.filter((r) => r.outcome !== 'duplicate').length);
  count(METRIC.incidentsOpened, results.filter((r) => r.outcome === 'opened').length);
}

/**
 * Publishes what the invocation counted, after it (also after an error). Unlike Powertools' logMetrics it
 * stays quiet when nothing was counted (a refused request), instead of warning on every such invocation.
 */
export function publishMetrics(): MiddlewareObj {
  const flush = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
}
