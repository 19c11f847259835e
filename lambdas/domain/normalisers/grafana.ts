import * as z from 'zod';
import { once } from '../once.js';
import { alertmanagerAlertSchema, fromAlertmanagerAlert } from './alertmanager.js';
import { parseWith, type Normaliser } from './common.js';

/** Grafana unified alerting webhook contact point (an Alertmanager-like group with Grafana's extra fields). */
export const grafanaSchema = once(() => z.object({
  receiver: z.string(),
  status: z.enum(['firing', 'resolved']),
  orgId: z.number().int().optional(),
  alerts: z
    .array(
      alertmanagerAlertSchema().extend({
        silenceURL: z.string().optional(),
        dashboardURL: z.string().optional(),
        panelURL: z.string().optional(),
        values: z.record(z.string(), z.number().nullable()).nullable().optional(),
        valueString: z.string().optional(),
      }),
    )
    .min(1),
  groupKey: z.string().optional(),
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
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
