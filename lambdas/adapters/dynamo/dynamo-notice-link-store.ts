import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NoticeLinkRecord, NoticeLinkStore } from '../../ports/notice-pages.js';
import { epochSeconds } from './transaction.js';
import { TABLE_KEYS as K } from './table-definition.js';

/**
 * The notice-link entity (issue 26.5): one item per private link, keyed by the SHA-256 of its token
 * (`NLINK#<hash>` / `LINK`), never the token; the table's TTL deletes it when the link expires (the page also
 * checks the time: TTL deletion can lag by days).
 */
export const noticeLinkKeys = (tokenHash: string) => ({ [K.partitionKey]: `NLINK#${tokenHash}`, [K.sortKey]: 'LINK' });

export class DynamoNoticeLinkStore implements NoticeLinkStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(tokenHash: string, record: NoticeLinkRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...noticeLinkKeys(tokenHash),
          entity: 'notice-link',
          incidentId: record.incidentId,
          noticeId: record.noticeId,
          version: record.version,
          recipientKey: record.recipientKey,
          createdAt: record.createdAt,
          linkExpiresAt: record.expiresAt,
          [K.ttlAttribute]: epochSeconds(new Date(record.expiresAt)),
        },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': K.partitionKey },
      }),
    );
  }

  async get(tokenHash: string): Promise<NoticeLinkRecord | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: noticeLinkKeys(tokenHash) }));
    if (!Item) return undefined;
    return {
      incidentId: Item.incidentId as string,
      noticeId: Item.noticeId as string,
      version: Item.version as number,
      recipientKey: Item.recipientKey as string,
      createdAt: Item.createdAt as string,
      expiresAt: Item.linkExpiresAt as string,
    };
  }
}
