import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '../../lambdas/adapters/dynamo/client.js';
import { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { ensureTable, localDynamoClient } from '../../local/dynamo-local.js';

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
