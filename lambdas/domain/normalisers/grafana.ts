import * as z from '../zod-mini.js';
import { once } from '../once.js';
import { alertmanagerAlertSchema, fromAlertmanagerAlert } from './alertmanager.js';
import { parseWith, type Normaliser } from './common.js';

/** Grafana unified alerting webhook contact point (an Alertmanager-like group with Grafana's extra fields). */
export const grafanaSchema = once(() => z.object({
  receiver: z.string(),
  status: z.enum(['firing', 'resolved']),
  orgId: z.optional(z.number().check(z.int())),
  alerts: z.array(z.extend(alertmanagerAlertSchema(), {
        silenceURL: z.optional(z.string()),
        dashboardURL: z.optional(z.string()),
        panelURL: z.optional(z.string()),
        values: z.optional(z.nullable(z.record(z.string(), z.nullable(z.number())))),
        valueString: z.optional(z.string()),
      })).check(z.minLength(1)),
  groupKey: z.optional(z.string()),
  title: z.optional(z.string()),
  state: z.optional(z.string()),
  message: z.optional(z.string()),
}));

export const grafanaNormaliser: Normaliser = {
  source: 'grafana',
  expected: 'Grafana alerting webhook',
  normalise({ body }) {
    const group = parseWith(grafanaSchema(), body, 'grafana', this.expected);
    return group.alerts.map((alert) => {
      const { silenceURL: _s, dashboardURL: _d, panelURL: _p, values, valueString, ...base } = alert;
      return fromAlertmanagerAlert('grafana', base, { ...(values ? { values } : {}), ...(valueString ? { valueString } : {}), ...(group.orgId !== undefined ? { orgId: group.orgId } : {}) }, group.groupKey);
    });
  },
};
