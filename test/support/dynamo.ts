import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '../../lambdas/adapters/dynamo/client.js';
import { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBBatchResponse } from 'aws-lambda';
import { randomIds } from '../../lambdas/adapters/random-ids.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { DynamoAlertBatchQueue } from '../../lambdas/adapters/dynamo/dynamo-alert-batch-queue.js';
import type { IngestDeps } from '../../lambdas/app/ingest-alert.js';
import { makeIngestBatchHandler } from '../../lambdas/handlers/ingest-batch.handler.js';
import { ensureTable, localDynamoClient } from '../../local/dynamo-local.js';
import { StreamPoller } from '../../local/stream-poller.js';

export function testEndpoint(): string {
  const endpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('TEST_DYNAMODB_ENDPOINT is not set: run the tests through `npm test` (jest globalSetup starts DynamoDB Local)');
  return endpoint;
}

/** A fresh table on the shared DynamoDB Local, so test files never see each other's data. */
export async function freshTable(): Promise<{ tableName: string; store: DynamoIncidentStore; doc: ReturnType<typeof createDocumentClient> }> {
  const endpoint = testEndpoint();
  const tableName = `test-${randomUUID().slice(0, 8)}`;
  const client = localDynamoClient(endpoint);
  await ensureTable(client, tableName);
  client.destroy();
  const doc = createDocumentClient({ endpoint, region: 'local' });
  return { tableName, store: new DynamoIncidentStore(doc, tableName), doc };
}

const alertStreams = new Map<string, StreamPoller>();

/**
 * Runs the table's alert stream through the alert consumer (as its event source mapping does on AWS, ADR
 * 0011) until it is drained: attached alerts are then counted on their incidents. One reader per table,
 * which remembers where it is, so each call reads only what is new.
 */
export async function drainAlertStream(tableName: string, doc: DynamoDBDocumentClient, ingest?: IngestDeps): Promise<void> {
  let poller = alertStreams.get(tableName);
  if (!poller) {
    // Alerts that reached a closed incident are placed again with these (or the test's own) ingest settings.
    const deps = ingest ?? { store: new DynamoIncidentStore(doc, tableName), clock: { now: () => new Date() }, ids: randomIds, ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING };
    const handler = makeIngestBatchHandler({ ingest: deps, batches: new DynamoAlertBatchQueue(doc, tableName) });
    poller = new StreamPoller({
      endpoint: testEndpoint(),
      tableName,
      consume: async (event) => {
        const { batchItemFailures } = (await handler(event, { awsRequestId: 'test' } as Context)) as DynamoDBBatchResponse;
        if (batchItemFailures.length) throw new Error(`the alert stream failed ${batchItemFailures.length} records`);
      },
    });
    alertStreams.set(tableName, poller);
  }
  while ((await poller.pollOnce()) > 0);
}
