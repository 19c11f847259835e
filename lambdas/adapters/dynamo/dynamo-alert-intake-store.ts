import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConcurrentUpdateError,
  DuplicateDeliveryError,
  FingerprintTakenError,
  StormCapReachedError,
  type AlertIntake,
  type NoteWrite,
  type OpenIncidentWrite,
  type StoredAlert,
} from '../../ports/incident-store.js';
import { alertItemPut } from './items/alert-instance.js';
import { attachedDeliveryPut, deliveryKey, deliveryRecordPut } from './items/delivery-record.js';
import { fingerprintKey, incidentOpeningPuts, incidentUpdate, stormBudgetAdd } from './items/incident.js';
import { messagePut } from './items/outbox-message.js';
import { chained, eventPut } from './items/timeline-event.js';
import { timerPut } from './items/timer.js';
import type { StoreContext } from './store-context.js';
import { TABLE_KEYS as K } from './table-definition.js';
import { cancellationCodes, conditionFailed, epochSeconds, writeTransaction, type TransactItem } from './transaction.js';

/** Ingest's writes: open an incident, attach, note or record an alert; each delivery exactly once. */
export class DynamoAlertIntakeStore implements AlertIntake {
  constructor(private readonly ctx: StoreContext) {}

  /** The alert instance, and its delivery record when the sender gave an event id (a repeat then fails its condition). */
  private alertPuts(alert: StoredAlert): TransactItem[] {
    const { tableName } = this.ctx;
    const items: TransactItem[] = [{ Put: alertItemPut(tableName, alert, this.ctx.alertRetentionMs) }];
    if (alert.senderEventId) items.push(deliveryRecordPut(tableName, { ...alert, senderEventId: alert.senderEventId }, this.ctx.deliveryDedupMs));
    return items;
  }

  private async duplicateOf(alert: StoredAlert): Promise<DuplicateDeliveryError> {
    const previous = alert.senderEventId ? await this.findDelivery(alert.source, alert.senderEventId) : undefined;
    return new DuplicateDeliveryError(previous?.alertId ?? alert.alertId, previous ? previous.incidentId : alert.incidentId);
  }

  async findOpenIncidentId(source: string, fingerprint: string): Promise<string | undefined> {
    const result = await this.ctx.doc.send(
      new GetCommand({ TableName: this.ctx.tableName, Key: fingerprintKey(source, fingerprint), ConsistentRead: true }),
    );
    return result.Item?.incidentId as string | undefined;
  }

  private async findDelivery(source: string, senderEventId: string): Promise<{ alertId: string; incidentId?: string } | undefined> {
    const result = await this.ctx.doc.send(
      new GetCommand({ TableName: this.ctx.tableName, Key: deliveryKey(source, senderEventId), ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    return { alertId: result.Item.alertId as string, ...(result.Item.incidentId ? { incidentId: result.Item.incidentId as string } : {}) };
  }

  async recordRepeat(source: string, senderEventId: string, now: Date): Promise<{ alertId: string; incidentId?: string } | undefined> {
    const { doc, tableName } = this.ctx;
    let delivery: Record<string, unknown> | undefined;
    try {
      const result = await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: deliveryKey(source, senderEventId),
          // Remembered as long as the sender keeps repeating it: a long-firing alert stays one instance.
          UpdateExpression: 'SET lastSeenAt = :now, #ttl = :ttl ADD repeats :one',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#ttl': K.ttlAttribute },
          ExpressionAttributeValues: { ':now': now.toISOString(), ':one': 1, ':ttl': epochSeconds(new Date(now.getTime() + this.ctx.deliveryDedupMs)) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      delivery = result.Attributes;
    } catch (error) {
      if (conditionFailed(error)) return undefined;
      throw error;
    }
    if (!delivery) return undefined;
    const alertKey = delivery.alertKey as { PK: string; SK: string } | undefined;
    if (alertKey) {
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: alertKey,
            // Never moves back (repeats may arrive out of order); the instance itself is not counted again.
            UpdateExpression: 'SET lastSeenAt = :now ADD repeats :one',
            ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(lastSeenAt) OR lastSeenAt < :now)',
            ExpressionAttributeValues: { ':now': now.toISOString(), ':one': 1 },
          }),
        );
      } catch (error) {
        // Expired with its retention, or a later sighting is already recorded: nothing to move.
        if (!conditionFailed(error)) throw error;
      }
    }
    return { alertId: delivery.alertId as string, ...(delivery.incidentId ? { incidentId: delivery.incidentId as string } : {}) };
  }

  async recordAlert(alert: StoredAlert): Promise<void> {
    const items = this.alertPuts(alert);
    try {
      await writeTransaction(this.ctx.doc, items);
    } catch (error) {
      const codes = cancellationCodes(error);
      if (items.length === 2 && codes?.[1] === 'ConditionalCheckFailed') throw await this.duplicateOf(alert);
      if (codes) throw new ConcurrentUpdateError(alert.fingerprint, { cause: error });
      throw error;
    }
  }

  async noteOnIncident(write: NoteWrite): Promise<void> {
    const { tableName } = this.ctx;
    const { alert } = write;
    const { incident, event } = chained(write.incident, write.event);
    const alertItems = this.alertPuts(alert);
    const items: TransactItem[] = [
      incidentUpdate(tableName, incident, '#version = :expected AND #status IN (:s1, :s2, :s3)', {
        ':expected': write.expectedVersion,
        ':s1': 'detected',
        ':s2': 'acknowledged',
        ':s3': 'confirmed',
      }),
      ...alertItems,
      eventPut(tableName, incident.id, event, incident.version),
      ...write.outbox.map((message) => messagePut(tableName, message, this.ctx.outboxRedriveMs)),
    ];
    try {
      await writeTransaction(this.ctx.doc, items);
    } catch (error) {
      const codes = cancellationCodes(error);
      if (alertItems.length === 2 && codes?.[2] === 'ConditionalCheckFailed') throw await this.duplicateOf(alert);
      if (codes) throw new ConcurrentUpdateError(incident.id, { cause: error });
      throw error;
    }
  }

  async openIncident(write: OpenIncidentWrite): Promise<void> {
    const { tableName } = this.ctx;
    const { incident, event } = chained(write.incident, write.event);
    const alertItems = this.alertPuts(write.alert);
    const items: TransactItem[] = [
      // The fingerprint first and the incident second: the positions checked below depend on it.
      ...incidentOpeningPuts(tableName, incident),
      ...alertItems,
      eventPut(tableName, incident.id, event, incident.version),
      ...write.timers.map((timer) => timerPut(tableName, incident.id, timer, incident.planEpoch)),
      ...write.outbox.map((message) => messagePut(tableName, message, this.ctx.outboxRedriveMs)),
      // Last, so the positions checked below stay as they are.
      ...(write.stormBudget ? [stormBudgetAdd(tableName, write.stormBudget)] : []),
    ];
    try {
      await writeTransaction(this.ctx.doc, items);
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed') throw new FingerprintTakenError(incident.source, incident.fingerprint);
      if (write.stormBudget && codes?.at(-1) === 'ConditionalCheckFailed') throw new StormCapReachedError(write.stormBudget.key);
      if (alertItems.length === 2 && codes?.[3] === 'ConditionalCheckFailed') throw await this.duplicateOf(write.alert);
      if (codes?.includes('TransactionConflict')) throw new FingerprintTakenError(incident.source, incident.fingerprint);
      throw error;
    }
  }

  async attachAlert(alert: StoredAlert & { readonly incidentId: string }): Promise<void> {
    await this.attachAlerts([alert]);
  }

  async attachAlerts(alerts: readonly (StoredAlert & { readonly incidentId: string })[]): Promise<void> {
    const [first] = alerts;
    if (!first) return;
    if (alerts.some((alert) => alert.incidentId !== first.incidentId)) throw new Error('attachAlerts: all alerts must belong to one incident');
    // One item per alert, its delivery record holding the alert, never the incident item: writers of one
    // storm touch distinct items and cannot conflict. The alert stream keeps the instance and counts it.
    const puts = alerts.map((alert) => attachedDeliveryPut(this.ctx.tableName, alert, this.ctx.deliveryDedupMs));
    try {
      if (puts.length === 1) await this.ctx.doc.send(new PutCommand(puts[0]!));
      else await writeTransaction(this.ctx.doc, puts.map((Put) => ({ Put })));
    } catch (error) {
      // One alert whose delivery record already exists is a repeated delivery.
      if (alerts.length === 1 && (conditionFailed(error) || cancellationCodes(error)?.[0] === 'ConditionalCheckFailed')) throw await this.duplicateOf(first);
      if (cancellationCodes(error)) throw new ConcurrentUpdateError(first.incidentId, { cause: error });
      throw error;
    }
  }
}
