import { BatchGetCommand, QueryCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { InvalidCursorError } from '../../ports/incident-store.js';
import { backoffMs, sleep } from '../../shared/backoff.js';

/** Paging cursors: the sort key of the last item of a page, base64url; checked to belong to the list it is used on. */
export function encodeCursor(sk: string): string {
  return Buffer.from(JSON.stringify({ sk }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, prefix: string): string {
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

/** The read helpers every store of the single table uses: whole queries, pages, an incident's collection, batch reads. */
export class TableReads {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async queryAll(input: Omit<QueryCommandInput, 'TableName'>, max = Number.POSITIVE_INFINITY): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    // The input's own start key (a page after another) for the first read, then DynamoDB's.
    let start: Record<string, unknown> | undefined = input.ExclusiveStartKey;
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

  /**
   * One page of a query: one item more than asked is read, so the last page says so (no empty page after
   * it); `next` is the cursor of the last item shown (its `sortKey`).
   */
  async queryPage(input: Omit<QueryCommandInput, 'TableName' | 'Limit'>, limit: number, sortKey: string): Promise<{ items: Record<string, unknown>[]; next?: string }> {
    const result = await this.doc.send(new QueryCommand({ TableName: this.tableName, ...input, Limit: limit + 1 }));
    const items = (result.Items ?? []).slice(0, limit);
    const last = items.at(-1)?.[sortKey] as string | undefined;
    return { items, ...((result.Items?.length ?? 0) > limit && last ? { next: encodeCursor(last) } : {}) };
  }

  /** Consistent BatchGetItem of any number of keys (100 a call), retrying what DynamoDB left unprocessed. */
  async batchGet(keyList: readonly Record<string, unknown>[], projection?: string): Promise<Record<string, unknown>[]> {
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
}
