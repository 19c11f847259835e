import type { StoredAlert } from '../../../ports/alert-store.js';
import { TABLE_KEYS as K } from '../table-definition.js';
import { epochSeconds } from '../transaction.js';

/** An alert instance under its incident, `INC#<id>/ALERT#<receivedAt>#<alertId>`. */
export const alertKey = (incidentId: string, receivedAt: string, alertId: string) => ({ PK: `INC#${incidentId}`, SK: `ALERT#${receivedAt}#${alertId}` });

/** Alerts recorded without an incident, grouped by what they are about. */
export const recordedAlertKey = (source: string, fingerprint: string, receivedAt: string, alertId: string) => ({
  PK: `SRC#${source}#${fingerprint}`,
  SK: `ALERT#${receivedAt}#${alertId}`,
});

/** Where an alert instance is kept: under its incident, or (recorded only) under what it is about. */
export function alertKeyOf(alert: StoredAlert): { PK: string; SK: string } {
  return alert.incidentId
    ? alertKey(alert.incidentId, alert.receivedAt, alert.alertId)
    : recordedAlertKey(alert.source, alert.fingerprint, alert.receivedAt, alert.alertId);
}

/** An alert instance item (kept with the retention of alerts). */
export function alertItemPut(tableName: string, alert: StoredAlert, retentionMs: number) {
  return {
    TableName: tableName,
    Item: {
      ...alertKeyOf(alert),
      entity: 'Alert',
      ...alert,
      [K.ttlAttribute]: epochSeconds(new Date(Date.parse(alert.receivedAt) + retentionMs)),
    },
  };
}
