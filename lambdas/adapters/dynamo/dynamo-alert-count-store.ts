import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isOpen } from '../../domain/incident-record.js';
import { ConcurrentUpdateError, type AlertCounter, type IncidentReader, type StoredAlert } from '../../ports/incident-store.js';
import { backoffMs, sleep } from '../../shared/backoff.js';
import { alertItemPut, alertKey } from './items/alert-instance.js';
import { deliveryKey } from './items/delivery-record.js';
import { incidentKey } from './items/incident.js';
import type { StoreContext } from './store-context.js';
import { cancellationCodes, conditionFailed, writeTransaction, type TransactItem } from './transaction.js';

/** The alert stream's writes: attached alerts kept as instances and counted on their incident, exactly once each. */
export class DynamoAlertCountStore implements AlertCounter {
  constructor(
    private readonly ctx: StoreContext,
    private readonly incidents: Pick<IncidentReader, 'getIncident'>,
  ) {}

  async countAlerts(incidentId: string, alerts: readonly StoredAlert[], options: { readonly onlyIfOpen: boolean }): Promise<'counted' | 'not-open'> {
    // At most 100 items and 4 MB per transaction: the incident and up to 99 alerts, about 3 MB of them.
    let chunk: StoredAlert[] = [];
    let bytes = 0;
    for (const alert of alerts) {
      const size = JSON.stringify(alert).length;
      if (chunk.length && (chunk.length === 99 || bytes + size > 3_000_000)) {
        if ((await this.countChunk(incidentId, chunk, options.onlyIfOpen)) === 'not-open') return 'not-open';
        chunk = [];
        bytes = 0;
      }
      chunk.push(alert);
      bytes += size;
    }
    if (chunk.length && (await this.countChunk(incidentId, chunk, options.onlyIfOpen)) === 'not-open') return 'not-open';
    await this.catchUpRepeats(incidentId, alerts);
    return 'counted';
  }

  /**
   * A repeat that arrived before its instance was kept moved only the delivery record on (recordRepeat found
   * no instance to update): its last-seen time and repeats are carried over now, by value, never backwards.
   * One BatchGetItem per 100 alerts with a sender event id; later repeats find the instance themselves.
   */
  private async catchUpRepeats(incidentId: string, alerts: readonly StoredAlert[]): Promise<void> {
    const withEventId = new Map(alerts.filter((alert) => alert.senderEventId).map((alert) => [alert.alertId, alert]));
    const deliveries = await this.ctx.reads.batchGet([...withEventId.values()].map((alert) => deliveryKey(alert.source, alert.senderEventId!)), 'alertId, lastSeenAt, repeats');
    for (const delivery of deliveries) {
      const alert = withEventId.get(String(delivery.alertId));
      if (!delivery.repeats || !alert) continue;
      try {
        await this.ctx.doc.send(
          new UpdateCommand({
            TableName: this.ctx.tableName,
            Key: alertKey(incidentId, alert.receivedAt, alert.alertId),
            UpdateExpression: 'SET lastSeenAt = :seen, repeats = :repeats',
            ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(repeats) OR repeats < :repeats)',
            ExpressionAttributeValues: { ':seen': delivery.lastSeenAt, ':repeats': delivery.repeats },
          }),
        );
      } catch (error) {
        if (!conditionFailed(error)) throw error;
      }
    }
  }

  /**
   * One transaction: ADD the chunk's count to the incident (and move lastAlertAt on, never back) and keep each
   * alert instance, on the condition that it is not kept yet. A cancellation names the items whose condition
   * failed: alerts already kept (a redelivered record) are left out and the rest written again; a lastAlertAt
   * already later is left as it is; a race with a decision on the incident is retried.
   */
  private async countChunk(incidentId: string, chunk: readonly StoredAlert[], onlyIfOpen: boolean): Promise<'counted' | 'not-open'> {
    const { tableName } = this.ctx;
    let pending = [...chunk];
    let moveLast = true;
    for (let attempt = 0; pending.length; attempt++) {
      const lastAt = pending.map((alert) => alert.receivedAt).sort().at(-1)!;
      const conditions = ['attribute_exists(PK)', ...(onlyIfOpen ? ['#status IN (:s1, :s2, :s3)'] : []), ...(moveLast ? ['(attribute_not_exists(lastAlertAt) OR lastAlertAt < :at)'] : [])];
      const items: TransactItem[] = [
        {
          Update: {
            TableName: tableName,
            Key: incidentKey(incidentId),
            UpdateExpression: `ADD alertCount :n${moveLast ? ' SET lastAlertAt = :at' : ''}`,
            ConditionExpression: conditions.join(' AND '),
            ...(onlyIfOpen ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
            ExpressionAttributeValues: {
              ':n': pending.length,
              ...(moveLast ? { ':at': lastAt } : {}),
              ...(onlyIfOpen ? { ':s1': 'detected', ':s2': 'acknowledged', ':s3': 'confirmed' } : {}),
            },
          },
        },
        ...pending.map((alert): TransactItem => ({ Put: { ...alertItemPut(tableName, { ...alert, incidentId }, this.ctx.alertRetentionMs), ConditionExpression: 'attribute_not_exists(PK)' } })),
      ];
      try {
        await writeTransaction(this.ctx.doc, items);
        return 'counted';
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes || attempt >= 8) throw error;
        const kept = new Set(codes.flatMap((code, index) => (index > 0 && code === 'ConditionalCheckFailed' ? [index - 1] : [])));
        if (kept.size) pending = pending.filter((_, index) => !kept.has(index));
        else if (codes[0] === 'ConditionalCheckFailed') {
          // Which of the incident's conditions failed: read it (rare: a late chunk, or a closed incident).
          const incident = await this.incidents.getIncident(incidentId);
          if (!incident) throw new ConcurrentUpdateError(incidentId, { cause: error });
          if (onlyIfOpen && !isOpen(incident)) return 'not-open';
          moveLast = false;
        } else await sleep(backoffMs(attempt));
      }
    }
    return 'counted';
  }

  async keepMovedAlert(alert: StoredAlert & { readonly incidentId: string; readonly movedTo: NonNullable<StoredAlert['movedTo']> }): Promise<void> {
    try {
      await this.ctx.doc.send(new PutCommand({ ...alertItemPut(this.ctx.tableName, alert, this.ctx.alertRetentionMs), ConditionExpression: 'attribute_not_exists(PK)' }));
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
  }
}
