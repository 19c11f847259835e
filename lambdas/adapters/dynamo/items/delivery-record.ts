import type { StoredAlert } from '../../../ports/alert-store.js';
import { TABLE_KEYS as K } from '../table-definition.js';
import { epochSeconds, type TransactItem } from '../transaction.js';
import { alertKeyOf } from './alert-instance.js';

/** A sender's delivery `DELIVERY#<source>#<senderEventId>`: a repeated delivery finds it and is not counted again. */
export const deliveryKey = (source: string, senderEventId: string) => ({ PK: `DELIVERY#${source}#${senderEventId}`, SK: 'DELIVERY' });

/** The delivery key of an attached alert its sender gave no event id (its own id follows). */
const ATTACHED_WITHOUT_EVENT_ID = '@alert:';

/** The delivery record of an alert kept with its instance (opened, noted, recorded): where the instance is. */
export function deliveryRecordPut(tableName: string, alert: StoredAlert & { readonly senderEventId: string }, dedupMs: number): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...deliveryKey(alert.source, alert.senderEventId),
        entity: 'Delivery',
        alertId: alert.alertId,
        ...(alert.incidentId ? { incidentId: alert.incidentId } : {}),
        // Where the instance is kept, so a repeated delivery can move its last-seen time on.
        alertKey: alertKeyOf(alert),
        [K.ttlAttribute]: epochSeconds(new Date(Date.parse(alert.receivedAt) + dedupMs)),
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/**
 * An attached alert as one conditional put (ADR 0011): its delivery record (new, or it is a repeat), holding
 * the alert for the alert stream. An alert without a sender event id gets a delivery key of its own id.
 */
export function attachedDeliveryPut(tableName: string, alert: StoredAlert & { readonly incidentId: string }, dedupMs: number) {
  return {
    TableName: tableName,
    Item: {
      ...deliveryKey(alert.source, alert.senderEventId ?? `${ATTACHED_WITHOUT_EVENT_ID}${alert.alertId}`),
      entity: 'Delivery',
      outcome: 'attached',
      alertId: alert.alertId,
      incidentId: alert.incidentId,
      alertKey: alertKeyOf(alert),
      alert,
      [K.ttlAttribute]: epochSeconds(new Date(Date.parse(alert.receivedAt) + dedupMs)),
    },
    ConditionExpression: 'attribute_not_exists(PK)',
  };
}
