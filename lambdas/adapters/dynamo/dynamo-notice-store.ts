import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Notice, NoticeVersion } from '../../domain/notices/notice.js';
import { chainEvent } from '../../domain/trail.js';
import { ConcurrentUpdateError } from '../../ports/incident-store.js';
import type { NoticeStore, NoticeWrite } from '../../ports/notice-store.js';
import type { DynamoIncidentStore } from './dynamo-incident-store.js';
import { incidentKey } from './items/incident.js';
import { eventKey } from './items/timeline-event.js';
import { cancellationCodes, stripKeys, type TransactItem } from './transaction.js';

export const noticeKeys = {
  notice: (incidentId: string, noticeId: string) => ({ PK: `INC#${incidentId}`, SK: `NOTICE#${noticeId}` }),
  version: (incidentId: string, noticeId: string, version: number) => ({ PK: `INC#${incidentId}`, SK: `NOTICEVER#${noticeId}#${String(version).padStart(6, '0')}` }),

};

/** DynamoDB adapter for notices, in the incident's item collection (same table, same key). */
export class DynamoNoticeStore implements NoticeStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The incident's item collection: its reads, and its items when a notice action also changes it (one transaction). */
    private readonly incidents: Pick<DynamoIncidentStore, 'decisionItems' | 'anchorItems' | 'queryIncidentItems'>,
  ) {}

  async getNotice(incidentId: string, noticeId: string): Promise<Notice | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: noticeKeys.notice(incidentId, noticeId), ConsistentRead: true }));
    return result.Item ? stripKeys<Notice>(result.Item) : undefined;
  }

  async listNotices(incidentId: string): Promise<Notice[]> {
    return (await this.incidents.queryIncidentItems(incidentId, 'NOTICE#')).map((item) => stripKeys<Notice>(item)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async listVersions(incidentId: string, noticeId: string): Promise<NoticeVersion[]> {
    return (await this.incidents.queryIncidentItems(incidentId, `NOTICEVER#${noticeId}#`)).map((item) => {
      const { incidentId: _i, ...version } = stripKeys<NoticeVersion & { incidentId: string }>(item);
      return version;
    });
  }

  async saveNotice(write: NoticeWrite): Promise<void> {
    const { notice } = write;
    // The notice's event joins the incident's hash chain; the incident's head (and version) move with it.
    const { event, head } = chainEvent(write.incidentState.trail, notice.incidentId, write.event);
    const incidentItems: TransactItem[] = write.incident
      ? this.incidents.decisionItems({ ...write.incident, incident: { ...write.incident.incident, trail: head } })
      : [
          {
            Update: {
              TableName: this.tableName,
              Key: incidentKey(notice.incidentId),
              UpdateExpression: 'SET #trail = :head, #version = :next',
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#trail': 'trail', '#version': 'version' },
              ExpressionAttributeValues: { ':head': head, ':next': write.incidentState.version + 1, ':expected': write.incidentState.version },
            },
          },
        ];
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...noticeKeys.notice(notice.incidentId, notice.noticeId), entity: 'Notice', ...notice },
          ...(write.expectedRevision === 0
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : { ConditionExpression: 'revision = :expected', ExpressionAttributeValues: { ':expected': write.expectedRevision } }),
        },
      },
      {
        Put: {
          TableName: this.tableName,
          // On the incident's timeline like any event, in its place in the chain.
          Item: { ...eventKey(notice.incidentId, event.at, event.seq), entity: 'TimelineEvent', incidentId: notice.incidentId, ...event },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      ...(write.version
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...noticeKeys.version(notice.incidentId, notice.noticeId, write.version.version), entity: 'NoticeVersion', incidentId: notice.incidentId, ...write.version },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            } satisfies TransactItem,
          ]
        : []),
      ...incidentItems,
      // An approval, a send or a submission anchors the trail (domain/trail-anchor.ts).
      ...this.incidents.anchorItems(notice.incidentId, event),
    ];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (cancellationCodes(error)) throw new ConcurrentUpdateError(notice.incidentId, { cause: error });
      throw error;
    }
  }
}
