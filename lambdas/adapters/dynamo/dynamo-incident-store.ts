import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { PlannedTimer } from '../../domain/escalation-ladder.js';
import { isOpen, type Incident, type TimelineEvent } from '../../domain/incident-record.js';
import type { OutboxMessage } from '../../domain/messages.js';
import { chainEvent, type ChainedEvent } from '../../domain/trail.js';
import {
  ConcurrentUpdateError,
  DuplicateDeliveryError,
  FingerprintTakenError,
  InvalidCursorError,
  StormCapReachedError,
  type AlertPage,
  type AlertPageRequest,
  type DecisionWrite,
  type DueItem,
  type FireTimerWrite,
  type NoteWrite,
  type IncidentDetail,
  type IncidentStore,
  type OpenIncidentWrite,
  type OutboxStore,
  type StoredAlert,
  type StoredOutboxMessage,
  type StoredTimer,
} from '../../ports/incident-store.js';
import { backoffMs, sleep } from '../../shared/backoff.js';
import { DUE_PARTITION, OPEN_PARTITION, registerPartition, TABLE_KEYS as K } from './table-definition.js';

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export const keys = {
  incident: (id: string) => ({ PK: `INC#${id}`, SK: 'META' }),
  fingerprint: (source: string, fingerprint: string) => ({ PK: `FP#${source}#${fingerprint}`, SK: 'FP' }),
  delivery: (source: string, senderEventId: string) => ({ PK: `DELIVERY#${source}#${senderEventId}`, SK: 'DELIVERY' }),
  alert: (incidentId: string, receivedAt: string, alertId: string) => ({ PK: `INC#${incidentId}`, SK: `ALERT#${receivedAt}#${alertId}` }),
  /** Alerts recorded without an incident, grouped by what they are about. */
  recordedAlert: (source: string, fingerprint: string, receivedAt: string, alertId: string) => ({
    PK: `SRC#${source}#${fingerprint}`,
    SK: `ALERT#${receivedAt}#${alertId}`,
  }),
  timer: (incidentId: string, timerId: string) => ({ PK: `INC#${incidentId}`, SK: `TIMER#${timerId}` }),
  /** Ordered by time, then by place in the hash chain (unique per incident: chain writes are serialised). */
  event: (incidentId: string, at: string, seq: number) => ({ PK: `INC#${incidentId}`, SK: `EVT#${at}#s${String(seq).padStart(7, '0')}` }),
  message: (incidentId: string, messageId: string) => ({ PK: `INC#${incidentId}`, SK: `MSG#${messageId}` }),
};

/** The open index orders by the most urgent deadline (then id); an incident written before that was kept, by detection. */
function openSortOf(incident: Incident): string {
  return `${incident.nextDeadlineAt ?? incident.detectedAt}#${incident.id}`;
}

/** Where an alert instance is kept: under its incident, or (recorded only) under what it is about. */
function alertKeyOf(alert: StoredAlert): { PK: string; SK: string } {
  return alert.incidentId
    ? keys.alert(alert.incidentId, alert.receivedAt, alert.alertId)
    : keys.recordedAlert(alert.source, alert.fingerprint, alert.receivedAt, alert.alertId);
}

/** The delivery key of an attached alert its sender gave no event id (its own id follows). */
const ATTACHED_WITHOUT_EVENT_ID = '@alert:';

/** Paging cursors: the sort key of the last item of a page, base64url; checked to belong to the list it is used on. */
function encodeCursor(sk: string): string {
  return Buffer.from(JSON.stringify({ sk }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, prefix: string): string {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,1400}$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor');
  }
  const sk = (parsed as { sk?: unknown } | null)?.sk;
  if (typeof sk !== 'string' || !sk.startsWith(prefix) || sk.length > 1024) throw new InvalidCursorError('belongs to another list');
  return sk;
}

/** Fields of the incident record that a decision may change; alertCount/lastAlertAt are counters owned by ingest. */
const DECIDED_FIELDS = [
  'title', 'severity', 'status', 'occurredAt', 'detectedAt', 'awareAt', 'awareSetBy', 'awareJustification',
  'acknowledgedAt', 'acknowledgedBy', 'owner', 'ownedAt', 'confirmedAt', 'confirmedBy', 'dismissedAt', 'dismissedBy', 'dismissReason',
  'closedAt', 'closedBy', 'closeReason', 'riskAssessedAt', 'noticeApprovedAt', 'notifiedAt', 'overdueAt', 'lastSourceStatus', 'facts', 'riskAssessment', 'decisions', 'submissions', 'regimeAwareness', 'regimeDismissals', 'trail',
  'lastEscalation', 'planEpoch', 'version', 'kind', 'tasks', 'nextDeadlineAt',
] as const satisfies readonly (keyof Incident)[];

export interface DynamoStoreOptions {
  /** How long raw alert details are kept (days). */
  readonly alertRetentionDays?: number;
  /** How long a sender event id is remembered for duplicate-delivery detection (days). */
  readonly deliveryDedupDays?: number;
  /** An undelivered outbox message becomes due for the sweeper this long after it was written. */
  readonly outboxRedriveMs?: number;
}

/** A single-item write whose condition did not hold. */
export function conditionFailed(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (error instanceof TransactionCanceledException || (error as { name?: string })?.name === 'TransactionCanceledException') {
    return ((error as TransactionCanceledException).CancellationReasons ?? []).map((reason) => reason.Code ?? undefined);
  }
  return undefined;
}

export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

export function stripKeys<T>(item: Record<string, unknown>): T {
  const { PK: _pk, SK: _sk, entity: _entity, duePartition: _dp, openPartition: _op, openSort: _os, expiresAt: _ex, registerPartition: _rp, registerSort: _rs, ...rest } = item;
  return rest as T;
}

/** DynamoDB adapter for both ports. One table; every state change is one TransactWriteItems call. */
export class DynamoIncidentStore implements IncidentStore, OutboxStore {
  private readonly alertRetentionMs: number;
  private readonly deliveryDedupMs: number;
  private readonly outboxRedriveMs: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoStoreOptions = {},
  ) {
    this.alertRetentionMs = (options.alertRetentionDays ?? 400) * 86_400_000;
    this.deliveryDedupMs = (options.deliveryDedupDays ?? 7) * 86_400_000;
    this.outboxRedriveMs = options.outboxRedriveMs ?? 120_000;
  }

  // ---- items -------------------------------------------------------------------------------------------

  private incidentItem(incident: Incident): Record<string, unknown> {
    return {
      ...keys.incident(incident.id),
      entity: 'Incident',
      ...incident,
      ...(isOpen(incident) ? { [K.openPartitionKey]: OPEN_PARTITION, [K.openSortKey]: openSortOf(incident) } : {}),
      // Every incident is in the register, by month of detection.
      [K.registerPartitionKey]: registerPartition(incident.detectedAt),
      [K.registerSortKey]: `${incident.detectedAt}#${incident.id}`,
    };
  }

  private eventPut(incidentId: string, event: ChainedEvent, version: number): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.event(incidentId, event.at, event.seq), entity: 'TimelineEvent', incidentId, version, ...event },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
  }

  /**
   * Appends the write's event to the incident's hash chain: the incident as read carries the trail head, the
   * new head is written with it under the same version condition, so two writers can never fork the chain.
   */
  private chained(incident: Incident, event: TimelineEvent): { incident: Incident; event: ChainedEvent } {
    const { event: link, head } = chainEvent(incident.trail, incident.id, event);
    return { incident: { ...incident, trail: head }, event: link };
  }

  private timerPut(incidentId: string, timer: PlannedTimer, epoch: number): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.timer(incidentId, timer.timerId),
          entity: 'Timer',
          incidentId,
          timerId: timer.timerId,
          stepId: timer.stepId,
          status: 'pending',
          epoch,
          [K.duePartitionKey]: DUE_PARTITION,
          [K.dueSortKey]: timer.dueAt,
        },
      },
    };
  }

  private messagePut(message: OutboxMessage): TransactItem {
    const redriveAt = new Date(Date.parse(message.createdAt) + this.outboxRedriveMs).toISOString();
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.message(message.incidentId, message.messageId),
          entity: 'Outbox',
          ...message,
          status: 'pending',
          attempts: 0,
          [K.duePartitionKey]: DUE_PARTITION,
          [K.dueSortKey]: redriveAt,
        },
        // A deterministic id: the same message is never written twice.
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
  }

  /** An alert instance item (kept with the retention of alerts). */
  private alertItemPut(alert: StoredAlert) {
    return {
      TableName: this.tableName,
      Item: {
        ...alertKeyOf(alert),
        entity: 'Alert',
        ...alert,
        [K.ttlAttribute]: epochSeconds(new Date(Date.parse(alert.receivedAt) + this.alertRetentionMs)),
      },
    };
  }

  private alertPuts(alert: StoredAlert): TransactItem[] {
    const receivedAt = new Date(alert.receivedAt);
    const items: TransactItem[] = [{ Put: this.alertItemPut(alert) }];
    if (alert.senderEventId) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.delivery(alert.source, alert.senderEventId),
            entity: 'Delivery',
            alertId: alert.alertId,
            ...(alert.incidentId ? { incidentId: alert.incidentId } : {}),
            // Where the instance is kept, so a repeated delivery can move its last-seen time on.
            alertKey: alertKeyOf(alert),
            [K.ttlAttribute]: epochSeconds(new Date(receivedAt.getTime() + this.deliveryDedupMs)),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      });
    }
    return items;
  }

  private async duplicateOf(alert: StoredAlert): Promise<DuplicateDeliveryError> {
    const previous = alert.senderEventId ? await this.findDelivery(alert.source, alert.senderEventId) : undefined;
    return new DuplicateDeliveryError(previous?.alertId ?? alert.alertId, previous ? previous.incidentId : alert.incidentId);
  }

  // ---- ingest ------------------------------------------------------------------------------------------

  async findOpenIncidentId(source: string, fingerprint: string): Promise<string | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.fingerprint(source, fingerprint), ConsistentRead: true }),
    );
    return result.Item?.incidentId as string | undefined;
  }

  private async findDelivery(source: string, senderEventId: string): Promise<{ alertId: string; incidentId?: string } | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.delivery(source, senderEventId), ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    return { alertId: result.Item.alertId as string, ...(result.Item.incidentId ? { incidentId: result.Item.incidentId as string } : {}) };
  }

  async recordRepeat(source: string, senderEventId: string, now: Date): Promise<{ alertId: string; incidentId?: string } | undefined> {
    let delivery: Record<string, unknown> | undefined;
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.delivery(source, senderEventId),
          // Remembered as long as the sender keeps repeating it: a long-firing alert stays one instance.
          UpdateExpression: 'SET lastSeenAt = :now, #ttl = :ttl ADD repeats :one',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#ttl': K.ttlAttribute },
          ExpressionAttributeValues: { ':now': now.toISOString(), ':one': 1, ':ttl': epochSeconds(new Date(now.getTime() + this.deliveryDedupMs)) },
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
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
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

  async listIncidentAlerts(incidentId: string, page: AlertPageRequest): Promise<AlertPage> {
    const after = page.after === undefined ? undefined : decodeCursor(page.after, 'ALERT#');
    const { items, next } = await this.queryPage(
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': `INC#${incidentId}`, ':prefix': 'ALERT#' },
        ScanIndexForward: page.order === 'oldest',
        ...(after ? { ExclusiveStartKey: { PK: `INC#${incidentId}`, SK: after } } : {}),
      },
      page.limit,
      'SK',
    );
    return { alerts: items.map((item) => stripKeys<StoredAlert>(item)), ...(next ? { next } : {}) };
  }

  async recordAlert(alert: StoredAlert): Promise<void> {
    const items = this.alertPuts(alert);
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (items.length === 2 && codes?.[1] === 'ConditionalCheckFailed') throw await this.duplicateOf(alert);
      if (codes) throw new ConcurrentUpdateError(alert.fingerprint, { cause: error });
      throw error;
    }
  }

  async noteOnIncident(write: NoteWrite): Promise<void> {
    const { alert } = write;
    const { incident, event } = this.chained(write.incident, write.event);
    const alertItems = this.alertPuts(alert);
    const items: TransactItem[] = [
      this.incidentUpdate(incident, '#version = :expected AND #status IN (:s1, :s2, :s3)', {
        ':expected': write.expectedVersion,
        ':s1': 'detected',
        ':s2': 'acknowledged',
        ':s3': 'confirmed',
      }),
      ...alertItems,
      this.eventPut(incident.id, event, incident.version),
      ...write.outbox.map((message) => this.messagePut(message)),
    ];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (alertItems.length === 2 && codes?.[2] === 'ConditionalCheckFailed') throw await this.duplicateOf(alert);
      if (codes) throw new ConcurrentUpdateError(incident.id, { cause: error });
      throw error;
    }
  }

  async openIncident(write: OpenIncidentWrite): Promise<void> {
    const { incident, event } = this.chained(write.incident, write.event);
    const alertItems = this.alertPuts(write.alert);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.fingerprint(incident.source, incident.fingerprint), entity: 'Fingerprint', incidentId: incident.id },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      { Put: { TableName: this.tableName, Item: this.incidentItem(incident), ConditionExpression: 'attribute_not_exists(PK)' } },
      ...alertItems,
      this.eventPut(incident.id, event, incident.version),
      ...write.timers.map((timer) => this.timerPut(incident.id, timer, incident.planEpoch)),
      ...write.outbox.map((message) => this.messagePut(message)),
      // Last, so the positions checked below stay as they are.
      ...(write.stormBudget
        ? [
            {
              Update: {
                TableName: this.tableName,
                Key: { PK: `STORM#${write.stormBudget.key}`, SK: 'STORM' },
                UpdateExpression: 'ADD opened :one SET entity = :entity, #ttl = :ttl',
                ConditionExpression: 'attribute_not_exists(opened) OR opened < :cap',
                ExpressionAttributeNames: { '#ttl': K.ttlAttribute },
                ExpressionAttributeValues: { ':one': 1, ':cap': write.stormBudget.cap, ':entity': 'StormBudget', ':ttl': Math.floor(Date.parse(write.stormBudget.expiresAt) / 1000) },
              },
            } satisfies TransactItem,
          ]
        : []),
    ];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
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
    const puts = alerts.map((alert) => this.attachedDeliveryPut(alert));
    try {
      if (puts.length === 1) await this.doc.send(new PutCommand(puts[0]!));
      else await this.doc.send(new TransactWriteCommand({ TransactItems: puts.map((Put) => ({ Put })) }));
    } catch (error) {
      // One alert whose delivery record already exists is a repeated delivery.
      if (alerts.length === 1 && (conditionFailed(error) || cancellationCodes(error)?.[0] === 'ConditionalCheckFailed')) throw await this.duplicateOf(first);
      if (cancellationCodes(error)) throw new ConcurrentUpdateError(first.incidentId, { cause: error });
      throw error;
    }
  }

  /**
   * An attached alert as one conditional put (ADR 0011): its delivery record (new, or it is a repeat), holding
   * the alert for the alert stream. An alert without a sender event id gets a delivery key of its own id.
   */
  private attachedDeliveryPut(alert: StoredAlert & { readonly incidentId: string }) {
    const receivedAt = new Date(alert.receivedAt);
    return {
      TableName: this.tableName,
      Item: {
        ...keys.delivery(alert.source, alert.senderEventId ?? `${ATTACHED_WITHOUT_EVENT_ID}${alert.alertId}`),
        entity: 'Delivery',
        outcome: 'attached',
        alertId: alert.alertId,
        incidentId: alert.incidentId,
        alertKey: alertKeyOf(alert),
        alert,
        [K.ttlAttribute]: epochSeconds(new Date(receivedAt.getTime() + this.deliveryDedupMs)),
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    };
  }

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
    const deliveries = await this.batchGet([...withEventId.values()].map((alert) => keys.delivery(alert.source, alert.senderEventId!)), 'alertId, lastSeenAt, repeats');
    for (const delivery of deliveries) {
      const alert = withEventId.get(String(delivery.alertId));
      if (!delivery.repeats || !alert) continue;
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.alert(incidentId, alert.receivedAt, alert.alertId),
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
    let pending = [...chunk];
    let moveLast = true;
    for (let attempt = 0; pending.length; attempt++) {
      const lastAt = pending.map((alert) => alert.receivedAt).sort().at(-1)!;
      const conditions = ['attribute_exists(PK)', ...(onlyIfOpen ? ['#status IN (:s1, :s2, :s3)'] : []), ...(moveLast ? ['(attribute_not_exists(lastAlertAt) OR lastAlertAt < :at)'] : [])];
      const items: TransactItem[] = [
        {
          Update: {
            TableName: this.tableName,
            Key: keys.incident(incidentId),
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
        ...pending.map((alert): TransactItem => ({ Put: { ...this.alertItemPut({ ...alert, incidentId }), ConditionExpression: 'attribute_not_exists(PK)' } })),
      ];
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return 'counted';
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes || attempt >= 8) throw error;
        const kept = new Set(codes.flatMap((code, index) => (index > 0 && code === 'ConditionalCheckFailed' ? [index - 1] : [])));
        if (kept.size) pending = pending.filter((_, index) => !kept.has(index));
        else if (codes[0] === 'ConditionalCheckFailed') {
          // Which of the incident's conditions failed: read it (rare: a late chunk, or a closed incident).
          const incident = await this.getIncident(incidentId);
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
      await this.doc.send(new PutCommand({ ...this.alertItemPut(alert), ConditionExpression: 'attribute_not_exists(PK)' }));
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
  }

  /** True the first time a key is seen (within its lifetime): idempotency for retried interactions. */
  async rememberOnce(key: string, ttlSeconds: number, now: Date): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: `ONCE#${key}`, SK: 'ONCE', entity: 'Once', [K.ttlAttribute]: epochSeconds(now) + ttlSeconds },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /** Remembers where the live Slack message is; the first writer wins (returns the existing one otherwise). */
  async setSlackMessage(incidentId: string, ref: { channel: string; ts: string }, replacing?: { channel: string; ts: string }): Promise<{ channel: string; ts: string } | undefined> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.incident(incidentId),
          UpdateExpression: 'SET slackMessage = :ref',
          // First writer wins: only when none is stored, or (re-posting a gone message) the gone one still is.
          ConditionExpression: replacing
            ? 'attribute_exists(PK) AND (attribute_not_exists(slackMessage) OR slackMessage.ts = :gone)'
            : 'attribute_exists(PK) AND attribute_not_exists(slackMessage)',
          ExpressionAttributeValues: { ':ref': ref, ...(replacing ? { ':gone': replacing.ts } : {}) },
        }),
      );
      return undefined;
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      return (await this.getIncident(incidentId))?.slackMessage;
    }
  }

  // ---- reads -------------------------------------------------------------------------------------------

  async getIncident(incidentId: string): Promise<Incident | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.incident(incidentId), ConsistentRead: true }));
    return result.Item ? stripKeys<Incident>(result.Item) : undefined;
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>, max = Number.POSITIVE_INFINITY): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start && items.length < max);
    return items.slice(0, max);
  }

  /** Every item of an incident's collection under a sort-key prefix (consistent, all pages). Also used by the notice store. */
  queryIncidentItems(incidentId: string, prefix: string, options: { newestFirst?: boolean; limit?: number } = {}): Promise<Record<string, unknown>[]> {
    return this.queryAll(
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': `INC#${incidentId}`, ':prefix': prefix },
        ConsistentRead: true,
        ScanIndexForward: !options.newestFirst,
        ...(options.limit ? { Limit: options.limit } : {}),
      },
      options.limit,
    );
  }

  async listTimers(incidentId: string): Promise<StoredTimer[]> {
    return (await this.queryIncidentItems(incidentId, 'TIMER#')).map((item) => stripKeys<StoredTimer>(item));
  }

  async getTimer(incidentId: string, timerId: string): Promise<StoredTimer | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.timer(incidentId, timerId), ConsistentRead: true }),
    );
    return result.Item ? stripKeys<StoredTimer>(result.Item) : undefined;
  }

  async getIncidentDetail(incidentId: string): Promise<IncidentDetail | undefined> {
    const incident = await this.getIncident(incidentId);
    if (!incident) return undefined;
    const [timers, events, messages, alerts] = await Promise.all([
      this.listTimers(incidentId),
      this.queryIncidentItems(incidentId, 'EVT#'),
      this.queryIncidentItems(incidentId, 'MSG#'),
      this.queryIncidentItems(incidentId, 'ALERT#', { newestFirst: true, limit: 20 }),
    ]);
    return {
      incident,
      timers,
      timeline: events.map((item) => {
        const { incidentId: _id, version: _v, ...event } = stripKeys<TimelineEvent & { incidentId: string; version: number }>(item);
        return event;
      }),
      messages: messages.map((item) => stripKeys<StoredOutboxMessage>(item)).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
      recentAlerts: alerts.map((item) => stripKeys<StoredAlert>(item)),
    };
  }

  /** Every incident detected in [from, to) (ISO instants), oldest first, month by month: the register. */
  async *registerIncidents(from: string, to: string): AsyncGenerator<Incident> {
    const month = new Date(`${from.slice(0, 7)}-01T00:00:00.000Z`);
    while (month.toISOString() < to) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: K.registerIndex,
            KeyConditionExpression: '#p = :p AND #s BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#p': K.registerPartitionKey, '#s': K.registerSortKey },
            ExpressionAttributeValues: { ':p': registerPartition(month.toISOString()), ':from': from, ':to': to },
            ExclusiveStartKey: start,
          }),
        );
        // The index holds keys only: the incidents themselves are read from the table, a page at a time.
        for (const incident of await this.incidentsOf(page.Items ?? [])) if (incident.detectedAt < to) yield incident;
        start = page.LastEvaluatedKey;
      } while (start);
      month.setUTCMonth(month.getUTCMonth() + 1);
    }
  }

  async pageOpenIncidents(page: { readonly limit: number; readonly after?: string }): Promise<{ incidents: Incident[]; next?: string }> {
    const after = page.after === undefined ? undefined : decodeCursor(page.after, '');
    if (after !== undefined && !/^[0-9T:.Z-]{10,30}#[A-Za-z0-9-]{1,64}$/.test(after)) throw new InvalidCursorError('belongs to another list');
    const { items, next } = await this.queryPage(
      {
        IndexName: K.openIndex,
        // Resumes after the last key shown (not DynamoDB's start key): a page stays valid while incidents come and go.
        KeyConditionExpression: after ? '#p = :open AND #s > :after' : '#p = :open',
        ExpressionAttributeNames: { '#p': K.openPartitionKey, ...(after ? { '#s': K.openSortKey } : {}) },
        ExpressionAttributeValues: { ':open': OPEN_PARTITION, ...(after ? { ':after': after } : {}) },
      },
      page.limit,
      K.openSortKey,
    );
    // Keys only in the index; an incident closed since the index was written is left out (the cursor stands).
    return { incidents: (await this.incidentsOf(items)).filter(isOpen), ...(next ? { next } : {}) };
  }

  /**
   * The incidents an index page names, in its order. The `open` and `register` indexes project keys only
   * (ADR 0011): counting alerts, or any decision that keeps the deadline, never writes them, so they take
   * no write traffic from a storm and little from anything else. A page costs one BatchGetItem more.
   */
  private async incidentsOf(indexItems: readonly Record<string, unknown>[]): Promise<Incident[]> {
    const ids = indexItems.map((item) => String(item.PK).slice('INC#'.length));
    const found = new Map((await this.batchGet(ids.map((id) => keys.incident(id)))).map((item) => [String(item.id), stripKeys<Incident>(item)]));
    return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
  }

  /** Consistent BatchGetItem of any number of keys (100 a call), retrying what DynamoDB left unprocessed. */
  private async batchGet(keyList: readonly Record<string, unknown>[], projection?: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for (let at = 0; at < keyList.length; at += 100) {
      let keysLeft: Record<string, unknown>[] | undefined = keyList.slice(at, at + 100);
      for (let attempt = 0; keysLeft?.length; attempt++) {
        if (attempt > 10) throw new Error(`BatchGetItem left ${keysLeft.length} items unread after ${attempt} attempts`);
        if (attempt > 0) await sleep(backoffMs(attempt, 20, 1_000));
        const result: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keysLeft, ConsistentRead: true, ...(projection ? { ProjectionExpression: projection } : {}) } } }),
        );
        items.push(...(result.Responses?.[this.tableName] ?? []));
        keysLeft = result.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return items;
  }

  /**
   * One page of a query: one item more than asked is read, so the last page says so (no empty page after
   * it); `next` is the cursor of the last item shown (its `sortKey`).
   */
  private async queryPage(input: Omit<QueryCommandInput, 'TableName' | 'Limit'>, limit: number, sortKey: string): Promise<{ items: Record<string, unknown>[]; next?: string }> {
    const result = await this.doc.send(new QueryCommand({ TableName: this.tableName, ...input, Limit: limit + 1 }));
    const items = (result.Items ?? []).slice(0, limit);
    const last = items.at(-1)?.[sortKey] as string | undefined;
    return { items, ...((result.Items?.length ?? 0) > limit && last ? { next: encodeCursor(last) } : {}) };
  }

  async listOpenIncidents(): Promise<Incident[]> {
    const items = await this.queryAll({
      IndexName: K.openIndex,
      KeyConditionExpression: '#p = :open',
      ExpressionAttributeNames: { '#p': K.openPartitionKey },
      ExpressionAttributeValues: { ':open': OPEN_PARTITION },
    });
    return (await this.incidentsOf(items)).filter(isOpen);
  }

  // ---- decisions ---------------------------------------------------------------------------------------

  private incidentUpdate(incident: Incident, condition: string, values: Record<string, unknown>): TransactItem {
    const names: Record<string, string> = {};
    const exprValues: Record<string, unknown> = { ...values };
    const sets: string[] = [];
    const removes: string[] = [];
    for (const field of DECIDED_FIELDS) {
      names[`#${field}`] = field;
      const value = incident[field];
      if (value === undefined) removes.push(`#${field}`);
      else {
        sets.push(`#${field} = :${field}`);
        exprValues[`:${field}`] = value;
      }
    }
    names['#op'] = K.openPartitionKey;
    names['#os'] = K.openSortKey;
    if (isOpen(incident)) {
      sets.push('#op = :openPartition', '#os = :openSort');
      exprValues[':openPartition'] = OPEN_PARTITION;
      exprValues[':openSort'] = openSortOf(incident);
    } else {
      removes.push('#op', '#os');
    }
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.incident(incident.id),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: exprValues,
      },
    };
  }

  async applyDecision(write: DecisionWrite): Promise<void> {
    const items = this.decisionItems(write);
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (cancellationCodes(error)) throw new ConcurrentUpdateError(write.incident.id, { cause: error });
      throw error;
    }
  }

  /** The transaction items of a decision, for a caller that must write it together with its own (notices). */
  decisionItems(write: DecisionWrite): TransactItem[] {
    const { incident, event } = this.chained(write.incident, write.event);
    return [
      this.incidentUpdate(incident, '#version = :expected', { ':expected': write.expectedVersion }),
      this.eventPut(incident.id, event, incident.version),
      ...write.upsertTimers.map((timer) => this.timerPut(incident.id, timer, incident.planEpoch)),
      ...write.cancelTimers.map(
        (timerId): TransactItem => ({
          Update: {
            TableName: this.tableName,
            Key: keys.timer(incident.id, timerId),
            UpdateExpression: 'SET #status = :cancelled, outcome = :outcome REMOVE #dp',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status', '#dp': K.duePartitionKey },
            ExpressionAttributeValues: { ':cancelled': 'cancelled', ':pending': 'pending', ':outcome': `cancelled by ${write.event.type}` },
          },
        }),
      ),
      ...(write.releaseFingerprint
        ? [
            {
              Delete: {
                TableName: this.tableName,
                Key: keys.fingerprint(incident.source, incident.fingerprint),
                ConditionExpression: 'attribute_not_exists(PK) OR incidentId = :id',
                ExpressionAttributeValues: { ':id': incident.id },
              },
            } satisfies TransactItem,
          ]
        : []),
      ...write.outbox.map((message) => this.messagePut(message)),
    ];
  }

  // ---- timers ------------------------------------------------------------------------------------------

  async findDue(now: Date, limit: number): Promise<DueItem[]> {
    const items = await this.queryAll(
      {
        IndexName: K.dueIndex,
        KeyConditionExpression: '#p = :due AND #d <= :now',
        ExpressionAttributeNames: { '#p': K.duePartitionKey, '#d': K.dueSortKey },
        ExpressionAttributeValues: { ':due': DUE_PARTITION, ':now': now.toISOString() },
        Limit: limit,
      },
      limit,
    );
    return items.flatMap((item): DueItem[] => {
      const incidentId = String(item.PK).slice('INC#'.length);
      const sk = String(item.SK);
      const dueAt = String(item[K.dueSortKey]);
      if (sk.startsWith('TIMER#')) return [{ kind: 'timer', incidentId, timerId: sk.slice('TIMER#'.length), dueAt }];
      if (sk.startsWith('MSG#')) return [{ kind: 'outbox', incidentId, messageId: sk.slice('MSG#'.length), dueAt }];
      return [];
    });
  }

  private timerSettle(timer: StoredTimer, status: 'fired' | 'skipped', at: string, outcome: string): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.timer(timer.incidentId, timer.timerId),
        UpdateExpression: 'SET #status = :status, firedAt = :at, outcome = :outcome REMOVE #dp',
        // Fencing: only the pending timer of this epoch and due time settles; a repeat or stale sweep does nothing.
        ConditionExpression: '#status = :pending AND epoch = :epoch AND #d = :dueAt',
        ExpressionAttributeNames: { '#status': 'status', '#dp': K.duePartitionKey, '#d': K.dueSortKey },
        ExpressionAttributeValues: {
          ':status': status,
          ':pending': 'pending',
          ':at': at,
          ':outcome': outcome,
          ':epoch': timer.epoch,
          ':dueAt': timer.dueAt,
        },
      },
    };
  }

  async fireTimer(write: FireTimerWrite): Promise<'fired' | 'stale'> {
    const { timer } = write;
    const { incident, event } = this.chained(write.incident, write.event);
    const items: TransactItem[] = [
      this.timerSettle(timer, 'fired', event.at, event.summary),
      write.fenced === false
        ? this.incidentUpdate(incident, '#version = :expected', { ':expected': write.expectedVersion })
        : this.incidentUpdate(incident, '#version = :expected AND #planEpoch = :epoch', {
            ':expected': write.expectedVersion,
            ':epoch': timer.epoch,
          }),
      this.eventPut(incident.id, event, incident.version),
      ...write.outbox.map((message) => this.messagePut(message)),
    ];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return 'fired';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed') return 'stale';
      throw new ConcurrentUpdateError(incident.id, { cause: error });
    }
  }

  async skipTimer(timer: StoredTimer, outcome: string, now: Date): Promise<'skipped' | 'stale'> {
    const update = this.timerSettle(timer, 'skipped', now.toISOString(), outcome).Update!;
    try {
      await this.doc.send(new UpdateCommand(update as ConstructorParameters<typeof UpdateCommand>[0]));
      return 'skipped';
    } catch (error) {
      if (conditionFailed(error)) return 'stale';
      throw error;
    }
  }

  // ---- outbox ------------------------------------------------------------------------------------------

  async getMessage(incidentId: string, messageId: string): Promise<StoredOutboxMessage | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.message(incidentId, messageId), ConsistentRead: true }),
    );
    return result.Item ? stripKeys<StoredOutboxMessage>(result.Item) : undefined;
  }

  async claim(incidentId: string, messageId: string, now: Date, leaseMs: number, dueNow: Date = now): Promise<StoredOutboxMessage | undefined> {
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.message(incidentId, messageId),
          UpdateExpression: 'SET #status = :sending, leaseUntil = :lease ADD attempts :one',
          // A pending message with a scheduled retry (retryAt) waits for it; one given up on (failed) can be re-driven by hand.
          ConditionExpression:
            'attribute_exists(PK) AND ((#status = :pending AND (attribute_not_exists(retryAt) OR retryAt <= :dueNow)) OR #status = :failed OR (#status = :sending AND leaseUntil < :now))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':pending': 'pending',
            ':failed': 'failed',
            ':now': now.toISOString(),
            ':dueNow': dueNow.toISOString(),
            ':lease': new Date(now.getTime() + leaseMs).toISOString(),
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? stripKeys<StoredOutboxMessage>(result.Attributes) : undefined;
    } catch (error) {
      if (conditionFailed(error)) return undefined;
      throw error;
    }
  }

  async markDelivered(incidentId: string, messageId: string, now: Date, providerMessageId: string | undefined): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.message(incidentId, messageId),
        UpdateExpression: `SET #status = :delivered, deliveredAt = :now${providerMessageId ? ', providerMessageId = :pid' : ''} REMOVE leaseUntil, #dp, #d, lastError, retryAt`,
        ExpressionAttributeNames: { '#status': 'status', '#dp': K.duePartitionKey, '#d': K.dueSortKey },
        ExpressionAttributeValues: { ':delivered': 'delivered', ':now': now.toISOString(), ...(providerMessageId ? { ':pid': providerMessageId } : {}) },
      }),
    );
  }

  async markFailed(incidentId: string, messageId: string, now: Date, error: string, retryAt: Date, giveUp: boolean): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.message(incidentId, messageId),
        UpdateExpression: giveUp
          ? 'SET #status = :failed, lastError = :error, failedAt = :now REMOVE leaseUntil, #dp, #d'
          : 'SET #status = :pending, lastError = :error, #dp = :due, #d = :retryAt, retryAt = :retryAt REMOVE leaseUntil',
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status', '#dp': K.duePartitionKey, '#d': K.dueSortKey },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':error': error.slice(0, 500),
          ...(giveUp ? { ':failed': 'failed', ':now': now.toISOString() } : { ':pending': 'pending', ':due': DUE_PARTITION, ':retryAt': retryAt.toISOString() }),
        },
      }),
    );
  }
}
