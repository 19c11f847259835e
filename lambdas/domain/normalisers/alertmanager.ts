import * as z from '../zod-mini.js';
import { once } from '../once.js';
import { clip, labelsKey, looseInstant, severityFromWord, stableKey, type NormalisedAlert } from '../alert.js';
import { json, parseWith, type Normaliser } from './common.js';

const labelMap = once(() => z.record(z.string(), z.string()));

export const alertmanagerAlertSchema = once(() => z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelMap(),
  annotations: z._default(labelMap(), {}),
  startsAt: z.string(),
  endsAt: z.optional(z.string()),
  generatorURL: z.optional(z.string()),
  /** Since Alertmanager 0.19; older senders omit it. */
  fingerprint: z.optional(z.string().check(z.minLength(1))),
}));

/** Prometheus Alertmanager webhook (version 4). A group carries several alerts; each has its own identity. */
export const alertmanagerSchema = once(() => z.object({
  version: z.literal('4', { message: 'only version "4" of the Alertmanager webhook is supported' }),
  groupKey: z.string(),
  truncatedAlerts: z.optional(z.number().check(z.int(), z.gte(0))),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: z._default(labelMap(), {}),
  commonLabels: z._default(labelMap(), {}),
  commonAnnotations: z._default(labelMap(), {}),
  externalURL: z.optional(z.string()),
  alerts: z.array(alertmanagerAlertSchema()).check(z.minLength(1)),
}));

export type AlertmanagerAlert = z.infer<ReturnType<typeof alertmanagerAlertSchema>>;

/**
 * Shared by Alertmanager and Grafana (whose webhook extends Alertmanager's).
 *
 * One attack, one incident (issue 12): the incident follows the sender's own grouping, the notification's
 * `groupKey` (what `group_by` in the route made of it), as PagerDuty's and Grafana OnCall's integrations do;
 * without a group key, the alert's own fingerprint. Each alert in it is an *instance*: its fingerprint and
 * start time. A re-notification of the same instance (repeat_interval, a retry after a timeout) is a
 * duplicate delivery: nothing is counted twice; a new instance is counted once.
 */
export function fromAlertmanagerAlert(source: string, alert: AlertmanagerAlert, extra: Record<string, unknown> = {}, groupKey?: string): NormalisedAlert {
  const title = alert.annotations.summary ?? alert.labels.alertname ?? 'Alert';
  const occurredAt = looseInstant(alert.startsAt);
  // The per-alert fingerprint; older senders omit it, so fall back to a hash of the label set (what it is made of).
  const instance = alert.fingerprint ?? `labels:${labelsKey(alert.labels)}`;
  return {
    source,
    fingerprint: stableKey(groupKey ? `group:${groupKey}` : instance),
    senderEventId: stableKey(`${instance}@${alert.startsAt}#${alert.status}`),
    title: clip(alert.labels.alertname && title !== alert.labels.alertname ? `${alert.labels.alertname}: ${title}` : title, 300),
    severity: severityFromWord(alert.labels.severity),
    status: alert.status,
    labels: alert.labels,
    ...(alert.annotations.description ? { description: clip(alert.annotations.description, 2000) } : {}),
    ...(occurredAt ? { occurredAt, observedAt: occurredAt } : {}),
    ...(alert.generatorURL ? { link: alert.generatorURL } : {}),
    raw: json({ ...alert, ...extra }),
  };
}

export const alertmanagerNormaliser: Normaliser = {
  source: 'alertmanager',
  expected: 'Prometheus Alertmanager webhook (version 4)',
  normalise({ body }) {
    const group = parseWith(alertmanagerSchema(), body, 'alertmanager', this.expected);
    const extra = { groupKey: group.groupKey, receiver: group.receiver, ...(group.truncatedAlerts ? { truncatedAlerts: group.truncatedAlerts } : {}) };
    return group.alerts.map((alert) => fromAlertmanagerAlert('alertmanager', alert, extra, group.groupKey));
  },
};
