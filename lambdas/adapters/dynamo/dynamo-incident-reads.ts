import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isOpen, type Incident, type TimelineEvent } from '../../domain/incident-record.js';
import { InvalidCursorError, type AlertPage, type AlertPageRequest, type AlertReader, type IncidentDetail, type IncidentReader, type RegisterStop, type StoredAlert, type StoredOutboxMessage, type TimerStore } from '../../ports/incident-store.js';
import { incidentKey } from './items/incident.js';
import type { StoreContext } from './store-context.js';
import { OPEN_PARTITION, registerPartition, TABLE_KEYS as K } from './table-definition.js';
import { decodeCursor } from './table-reads.js';
import { stripKeys } from './transaction.js';

/** The read side of incidents: one incident and its detail, its alert instances (paged), the open index (paged), the register index. */
export class DynamoIncidentReads implements IncidentReader, AlertReader {
  constructor(
    private readonly ctx: StoreContext,
    private readonly timers: Pick<TimerStore, 'listTimers'>,
  ) {}

  async getIncident(incidentId: string): Promise<Incident | undefined> {
    const result = await this.ctx.doc.send(new GetCommand({ TableName: this.ctx.tableName, Key: incidentKey(incidentId), ConsistentRead: true }));
    return result.Item ? stripKeys<Incident>(result.Item) : undefined;
  }

  async getIncidents(incidentIds: readonly string[]): Promise<Map<string, Incident>> {
    const unique = [...new Set(incidentIds)];
    if (!unique.length) return new Map();
    const items = await this.ctx.reads.batchGet(unique.map((id) => incidentKey(id)));
    return new Map(items.map((item) => stripKeys<Incident>(item)).map((incident) => [incident.id, incident]));
  }

  async getIncidentDetail(incidentId: string): Promise<IncidentDetail | undefined> {
    const incident = await this.getIncident(incidentId);
    if (!incident) return undefined;
    const { reads } = this.ctx;
    const [timers, events, messages, alerts] = await Promise.all([
      this.timers.listTimers(incidentId),
      reads.queryIncidentItems(incidentId, 'EVT#'),
      reads.queryIncidentItems(incidentId, 'MSG#'),
      reads.queryIncidentItems(incidentId, 'ALERT#', { newestFirst: true, limit: 20 }),
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
  async *registerIncidents(from: string, to: string, stop?: RegisterStop): AsyncGenerator<Incident> {
    const month = new Date(Date.parse(from));
    month.setUTCDate(1);
    month.setUTCHours(0, 0, 0, 0);
    // By number: as text, a year past 9999 ('+010000-…') sorts before '9999-…' and the loop never ended.
    const end = Date.parse(to);
    while (month.getTime() < end) {
      let start: Record<string, unknown> | undefined;
      do {
        if (stop && Date.now() >= stop.deadline) {
          stop.onDeadline();
          return;
        }
        const page = await this.ctx.doc.send(
          new QueryCommand({
            TableName: this.ctx.tableName,
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
    const { items, next } = await this.ctx.reads.queryPage(
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

  async listIncidentAlerts(incidentId: string, page: AlertPageRequest): Promise<AlertPage> {
    const after = page.after === undefined ? undefined : decodeCursor(page.after, 'ALERT#');
    const { items, next } = await this.ctx.reads.queryPage(
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

  async listOpenIncidents(): Promise<Incident[]> {
    const items = await this.ctx.reads.queryAll({
      IndexName: K.openIndex,
      KeyConditionExpression: '#p = :open',
      ExpressionAttributeNames: { '#p': K.openPartitionKey },
      ExpressionAttributeValues: { ':open': OPEN_PARTITION },
    });
    return (await this.incidentsOf(items)).filter(isOpen);
  }

  /**
   * The incidents an index page names, in its order. The `open` and `register` indexes project keys only
   * (ADR 0011): counting alerts, or any decision that keeps the deadline, never writes them, so they take
   * no write traffic from a storm and little from anything else. A page costs one BatchGetItem more.
   */
  private async incidentsOf(indexItems: readonly Record<string, unknown>[]): Promise<Incident[]> {
    const ids = indexItems.map((item) => String(item.PK).slice('INC#'.length));
    const found = new Map((await this.ctx.reads.batchGet(ids.map((id) => incidentKey(id)))).map((item) => [String(item.id), stripKeys<Incident>(item)]));
    return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
  }
}
